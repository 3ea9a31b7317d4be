package keystore

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
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
// when missing. The private key is written 0600.
//
// Unless force is set it writes nothing at all when any of the three files
// exists, and creation is exclusive: each file is linked into place, which
// fails when the name exists, so of two writers racing into one folder one
// refuses with ErrExists (and removes what it had placed) instead of both
// reporting success.
//
// With force, every target is checked before any is replaced (a folder in
// a file's place is ErrNotRegular, and nothing is touched), and a failure
// part-way restores the files already replaced: a lost private key is lost
// data.
func Write(dir, kid string, key *rsa.PrivateKey, force bool) (Files, error) {
	if kid == "" || strings.ContainsAny(kid, `/\`) || kid == "." || kid == ".." {
		return Files{}, fmt.Errorf("keystore: invalid kid %q: use letters, digits, '-' or '_'", kid)
	}
	f := PathsFor(dir, kid)
	targets := []string{f.Private, f.Public, f.JWKS}
	if err := checkTargets(targets, force); err != nil {
		return f, err
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
		data []byte
		mode os.FileMode
	}{
		{EncodePrivatePEM(key), 0o600},
		{pub, 0o644},
		{set.Marshal(), 0o644},
	}
	// Stage all three files before putting any in place, so a failure (a
	// full disk, a read-only folder) leaves no half-made key behind.
	staged := make([]string, 0, len(writes))
	defer func() {
		for _, tmp := range staged {
			os.Remove(tmp) // a no-op once renamed
		}
	}()
	for i, w := range writes {
		tmp, err := stageFile(targets[i], w.data, w.mode)
		if err != nil {
			return f, err
		}
		staged = append(staged, tmp)
	}
	if force {
		return f, replaceAll(staged, targets)
	}
	return f, createAll(staged, targets)
}

// checkTargets refuses, before anything is written, a target that exists
// (without force) or that force could not replace: only a file or a
// symbolic link (which is replaced, not followed) can be.
func checkTargets(targets []string, force bool) error {
	for _, p := range targets {
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return fmt.Errorf("keystore: %w", err)
		case !force:
			return &ExistsError{Path: p}
		case !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0:
			return fmt.Errorf("keystore: %s: %w (%s): move it away; nothing was replaced", p, ErrNotRegular, kindOf(fi.Mode()))
		}
	}
	return nil
}

// createAll links each staged file to its target, a step that fails when
// the target exists (unlike a rename, which replaces it). On a failure it
// removes the targets it had created, so a writer that loses a race leaves
// the winner's files alone.
func createAll(staged, targets []string) error {
	for i, tmp := range staged {
		err := placeNew(tmp, targets[i])
		if err == nil {
			continue
		}
		for _, done := range targets[:i] {
			os.Remove(done)
		}
		if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: targets[i]}
		}
		return fmt.Errorf("keystore: %w", err)
	}
	return nil
}

// placeNew puts the staged file tmp at target unless target exists. A hard
// link does it in one step; where the file system has no hard links, an
// empty file created with O_EXCL reserves the name and the staged file is
// renamed over it (a reader may see that empty file for a moment).
func placeNew(tmp, target string) error {
	err := os.Link(tmp, target)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	return os.Rename(tmp, target)
}

// replaceAll renames each staged file over its target, first moving an
// existing target aside; on a failure it puts back what it had moved, removes
// what it had added, and reports the failure.
func replaceAll(staged, targets []string) error {
	backups := make([]string, 0, len(targets)) // "" where there was nothing
	for i, tmp := range staged {
		b, err := moveAside(targets[i])
		if err != nil {
			rollback(targets[:i], backups)
			return err
		}
		if err := rename(tmp, targets[i]); err != nil {
			if b != "" {
				os.Rename(b, targets[i])
			}
			rollback(targets[:i], backups)
			return fmt.Errorf("keystore: %w; the previous files were kept", err)
		}
		backups = append(backups, b)
	}
	for _, b := range backups {
		if b != "" {
			os.Remove(b)
		}
	}
	return nil
}

// rename puts a staged file in place; a variable so a test can make one
// step fail part-way.
var rename = os.Rename

// moveAside renames an existing target to a fresh hidden name beside it and
// returns that name, or "" when there is no target.
func moveAside(target string) (string, error) {
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".old-*")
	if err != nil {
		return "", fmt.Errorf("keystore: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	if err := os.Rename(target, name); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("keystore: %w", err)
	}
	return name, nil
}

// rollback undoes the replacements replaceAll made: each target gets its
// old file back, or is removed when it had none.
func rollback(targets, backups []string) {
	for i, b := range backups {
		if b == "" {
			os.Remove(targets[i])
			continue
		}
		os.Rename(b, targets[i])
	}
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

// LooseFolder reports whether dir can be written by its group or by others
// (a folder made 0777, say): whoever can write there can swap the key or its
// JWKS. nhsauth warns rather than tightens it, since the folder is the
// user's to share. It returns the folder's mode; always false on Windows,
// whose permissions Go does not map to these bits.
func LooseFolder(dir string) (fs.FileMode, bool) {
	if runtime.GOOS == "windows" {
		return 0, false
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return 0, false
	}
	return fi.Mode().Perm(), fi.Mode().Perm()&0o022 != 0
}
