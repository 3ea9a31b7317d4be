package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Modes of what the package writes: only the user may read any of it.
const (
	dirMode  = 0o700
	fileMode = 0o600
)

// DefaultDir is os.UserConfigDir()/nhsauth: $XDG_CONFIG_HOME/nhsauth (or
// ~/.config/nhsauth) on Linux, ~/Library/Application Support/nhsauth on
// macOS, %AppData%\nhsauth on Windows.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("profile: no config folder: %w (set $XDG_CONFIG_HOME or $HOME)", err)
	}
	return filepath.Join(base, "nhsauth"), nil
}

// readJSON reads path into v; a missing file leaves v as it is.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("profile: %s is not valid JSON (%v): fix or delete it", path, err)
	}
	return nil
}

// writeJSON writes v to path atomically (a temporary file beside it,
// renamed over it), mode 0600 in a 0700 folder, so a crash never leaves
// half a file and no other user can read it at any moment.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		return fmt.Errorf("profile: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("profile: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}
