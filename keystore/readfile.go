package keystore

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxFileSize bounds every local file keystore reads: a PEM key or a JWKS
// is a few KB, so a larger file is a mistake (or a device) and is refused
// before it can fill memory.
const MaxFileSize = 1 << 20

// Errors a local file earns before its content is even looked at; each is
// wrapped with the file's path.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// readFile reads a key or JWKS file, refusing what is not a regular file (a
// device such as /dev/zero grows without end, a FIFO blocks until a writer
// comes) and reading at most MaxFileSize bytes.
func readFile(path string) ([]byte, error) {
	// Stat first: opening a FIFO blocks until someone writes to it.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	defer f.Close()
	// The name may have been swapped between the two calls: check what
	// was opened, too.
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("keystore: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(path)
	}
	return data, nil
}

func checkRegular(path string, fi os.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("keystore: %s: %w (%s): pass the file itself", path, ErrNotRegular, kindOf(fi.Mode()))
	}
	if fi.Size() > MaxFileSize {
		return tooLarge(path)
	}
	return nil
}

func tooLarge(path string) error {
	return fmt.Errorf("keystore: %s: %w: over the %d MiB limit (a PEM key or a JWKS is a few KB)", path, ErrTooLarge, MaxFileSize>>20)
}

// kindOf names a non-regular file's type for a message.
func kindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}
