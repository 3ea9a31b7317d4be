package keystore

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists means a key file is already there and overwriting it was not
// asked for: a lost private key is lost data.
var ErrExists = errors.New("key file already exists")

// Files names the three files of one key, as the NHS guide lays them out.
type Files struct {
	Private string // <kid>.pem, PKCS#1, mode 0600
	Public  string // <kid>.pem.pub, SubjectPublicKeyInfo, mode 0644
	JWKS    string // <kid>.json, mode 0644
}

// PathsFor returns the file names for kid inside dir.
func PathsFor(dir, kid string) Files {
	return Files{
		Private: filepath.Join(dir, kid+".pem"),
		Public:  filepath.Join(dir, kid+".pem.pub"),
		JWKS:    filepath.Join(dir, kid+".json"),
	}
}

// KIDFromPath derives a key id from a private key's file name, as the NHS
// script does: the base name without ".pem".
func KIDFromPath(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".pem")
}

// ExistsError names the file that stopped a write.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return fmt.Sprintf("keystore: %s already exists", e.Path) }

// Unwrap makes errors.Is(err, ErrExists) true.
func (e *ExistsError) Unwrap() error { return ErrExists }

// Write saves key as the three files of kid in dir, creating dir (0700)
// when missing. Unless force is set it writes nothing at all when any of the
// three files exists. The private key is written 0600.
func Write(dir, kid string, key *rsa.PrivateKey, force bool) (Files, error) {
	if kid == "" || strings.ContainsAny(kid, `/\`) || kid == "." || kid == ".." {
		return Files{}, fmt.Errorf("keystore: invalid kid %q: use letters, digits, '-' or '_'", kid)
	}
	f := PathsFor(dir, kid)
	if !force {
		for _, p := range []string{f.Private, f.Public, f.JWKS} {
			if _, err := os.Lstat(p); err == nil {
				return f, &ExistsError{Path: p}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return f, fmt.Errorf("keystore: %w", err)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f, fmt.Errorf("keystore: %w", err)
	}
	pub, err := EncodePublicPEM(&key.PublicKey)
	if err != nil {
		return f, err
	}
	set := JWKS{Keys: []JWK{PublicJWK(&key.PublicKey, kid)}}
	writes := []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{f.Private, EncodePrivatePEM(key), 0o600},
		{f.Public, pub, 0o644},
		{f.JWKS, set.Marshal(), 0o644},
	}
	// Stage all three files before putting any in place, so a failure (a
	// full disk, a read-only folder) leaves no half-made key behind.
	staged := make([]string, 0, len(writes))
	defer func() {
		for _, tmp := range staged {
			os.Remove(tmp) // a no-op once renamed
		}
	}()
	for _, w := range writes {
		tmp, err := stageFile(w.path, w.data, w.mode)
		if err != nil {
			return f, err
		}
		staged = append(staged, tmp)
	}
	for i, w := range writes {
		if err := os.Rename(staged[i], w.path); err != nil {
			return f, fmt.Errorf("keystore: %w", err)
		}
	}
	return f, nil
}

// stageFile writes data to a temporary file beside path and returns its
// name. Renaming it into place later means a reader (the local platform
// watching the folder) never sees half a file; the mode is set explicitly
// so the umask cannot loosen a private key.
func stageFile(path string, data []byte, mode os.FileMode) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return "", fmt.Errorf("keystore: %w", err)
	}
	name := tmp.Name()
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		os.Remove(name)
		return "", fmt.Errorf("keystore: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(name)
		return "", fmt.Errorf("keystore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("keystore: %w", err)
	}
	return name, nil
}
