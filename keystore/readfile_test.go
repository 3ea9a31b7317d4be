package keystore_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
)

// TestLoadRefusesUnboundedFiles: a device, a folder or an oversized (sparse)
// file is refused with a message naming the file and the limit, before its
// content is read.
func TestLoadRefusesUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	sparse := filepath.Join(dir, "huge.pem")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 30); err != nil { // 3 GB of nothing
		t.Fatal(err)
	}
	f.Close()
	justOver := filepath.Join(dir, "over.json")
	if err := os.WriteFile(justOver, []byte(strings.Repeat(" ", keystore.MaxFileSize+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		want       error
		wantText   string
	}{
		{"sparse 3 GB", sparse, keystore.ErrTooLarge, "1 MiB limit"},
		{"one byte over", justOver, keystore.ErrTooLarge, "1 MiB limit"},
		{"folder", dir, keystore.ErrNotRegular, "a folder"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, struct {
			name, path string
			want       error
			wantText   string
		}{"/dev/zero", "/dev/zero", keystore.ErrNotRegular, "a device"})
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keystore.LoadPrivateKey(tt.path)
			checkRefusal(t, err, tt.path, tt.want, tt.wantText)
			_, err = keystore.ReadJWKS(tt.path)
			checkRefusal(t, err, tt.path, tt.want, tt.wantText)
		})
	}
}

func checkRefusal(t *testing.T, err error, path string, want error, text string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err %v, want %v", err, want)
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), text) {
		t.Errorf("err %q does not name %s and %q", err, path, text)
	}
}
