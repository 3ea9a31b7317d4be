package keystore

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// TestWriteForceRestoresOnFailure: when putting the third file in place
// fails, the two already replaced get their old content back, a file that
// did not exist before is gone again, and no staged or backup file is left.
func TestWriteForceRestoresOnFailure(t *testing.T) {
	key, err := Generate(2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, withJWKS := range []bool{true, false} {
		dir := t.TempDir()
		f := PathsFor(dir, "int-1")
		old := map[string][]byte{f.Private: []byte("old private\n"), f.Public: []byte("old public\n")}
		if withJWKS {
			old[f.JWKS] = []byte(`{"keys":[]}`)
		}
		for p, b := range old {
			os.WriteFile(p, b, 0o600)
		}
		calls := 0
		rename = func(from, to string) error {
			if calls++; calls == 3 {
				return errors.New("disk on fire")
			}
			return os.Rename(from, to)
		}
		_, err := Write(dir, "int-1", key, true)
		rename = os.Rename
		if err == nil {
			t.Fatal("Write succeeded although the third rename failed")
		}
		for p, want := range old {
			if got, _ := os.ReadFile(p); !bytes.Equal(got, want) {
				t.Errorf("jwks=%v: %s not restored: %q", withJWKS, p, got)
			}
		}
		if _, err := os.Lstat(f.JWKS); !withJWKS && err == nil {
			t.Errorf("jwks=%v: %s was added by a failed write", withJWKS, f.JWKS)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != len(old) {
			t.Errorf("jwks=%v: %d entries left, want %d", withJWKS, len(entries), len(old))
		}
	}
}
