package keystore_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
)

// TestWriteForceIsAtomic: --force with a folder in the place of the JWKS
// fails before anything is replaced: the old private and public keys stay
// byte for byte.
func TestWriteForceIsAtomic(t *testing.T) {
	key := newRSAKey(t)
	dir := t.TempDir()
	f := keystore.PathsFor(dir, "local-1")
	oldPriv, oldPub := []byte("old private key\n"), []byte("old public key\n")
	os.WriteFile(f.Private, oldPriv, 0o600)
	os.WriteFile(f.Public, oldPub, 0o644)
	if err := os.Mkdir(f.JWKS, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := keystore.Write(dir, "local-1", key, true)
	if !errors.Is(err, keystore.ErrNotRegular) {
		t.Fatalf("err %v, want %v", err, keystore.ErrNotRegular)
	}
	for path, want := range map[string][]byte{f.Private: oldPriv, f.Public: oldPub} {
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Errorf("%s was replaced by a --force that failed: %q", path, got)
		}
	}
	assertNoLeftovers(t, dir, 3)
}

// TestWriteConcurrentCreateIsExclusive: writers racing into one empty
// folder without force: exactly one succeeds, the others refuse with
// ErrExists, and the files on disk are the winner's.
func TestWriteConcurrentCreateIsExclusive(t *testing.T) {
	key := newRSAKey(t)
	const trials, writers = 30, 6
	for trial := 0; trial < trials; trial++ {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, writers)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = keystore.Write(dir, "local-1", key, false)
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, keystore.ErrExists):
				t.Fatalf("trial %d: err %v, want success or ErrExists", trial, err)
			}
		}
		if ok != 1 {
			t.Fatalf("trial %d: %d writers reported success, want exactly 1", trial, ok)
		}
		if _, err := keystore.LoadPrivateKey(keystore.PathsFor(dir, "local-1").Private); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		assertNoLeftovers(t, dir, 3)
	}
}

// assertNoLeftovers checks dir holds want entries: no staged or backup file
// was left behind.
func assertNoLeftovers(t *testing.T, dir string, want int) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != want {
		var names []string
		for _, e := range entries {
			names = append(names, filepath.Join(dir, e.Name()))
		}
		t.Errorf("%d entries in %s, want %d: %v", len(entries), dir, want, names)
	}
}
