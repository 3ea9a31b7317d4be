//go:build unix

package keystore_test

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/keystore"
)

// TestLoadRefusesFIFO: a FIFO is refused at once instead of blocking until
// something writes to it. The deadline only guards the test run against a
// regression that blocks; nothing is timed.
func TestLoadRefusesFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "key.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	done := make(chan error, 2)
	go func() {
		_, err := keystore.LoadPrivateKey(fifo)
		done <- err
		_, err = keystore.ReadJWKS(fifo)
		done <- err
	}()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if !errors.Is(err, keystore.ErrNotRegular) {
				t.Fatalf("err %v, want %v", err, keystore.ErrNotRegular)
			}
		case <-time.After(time.Minute):
			t.Fatal("reading a FIFO blocked")
		}
	}
}
