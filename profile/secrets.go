package profile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/zalando/go-keyring"
)

// service is the keyring service every entry of nhsauth's is filed under.
const service = "nhsauth"

// Store is one config folder's profiles, secrets and cached tokens. Open
// one per process: it warns at most once that no keyring answered.
type Store struct {
	// Dir holds profiles.json, tokens.json and, without a keyring,
	// secrets.json.
	Dir string
	// Warn receives the one-line warning that secrets fell back to a file.
	Warn io.Writer

	warnOnce sync.Once
	mu       sync.Mutex // serialises secrets.json's read-modify-write
}

// Open returns the store in DefaultDir, warning on warn.
func Open(warn io.Writer) (*Store, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return &Store{Dir: dir, Warn: warn}, nil
}

// FallbackPath is the file secrets go to when no keyring answers.
func (s *Store) FallbackPath() string { return filepath.Join(s.Dir, "secrets.json") }

// fallback notes that the keyring failed with err and warns, once.
func (s *Store) fallback(err error) {
	s.warnOnce.Do(func() {
		if s.Warn != nil {
			fmt.Fprintf(s.Warn, "warning: no OS keyring answered (%v); keeping secrets in %s (mode 0600) instead.\n", err, s.FallbackPath())
		}
	})
}

// Secret returns the secret kept under key, "" when there is none: from
// the keyring, else from the fallback file.
func (s *Store) Secret(key string) (string, error) {
	v, err := keyring.Get(service, key)
	switch {
	case err == nil:
		return v, nil
	case !errors.Is(err, keyring.ErrNotFound):
		s.fallback(err)
	}
	m, err := s.readFallback()
	return m[key], err
}

// SetSecret keeps value under key: in the keyring, or where none answers
// in the 0600 fallback file, with the warning.
func (s *Store) SetSecret(key, value string) error {
	err := keyring.Set(service, key, value)
	if err == nil {
		return s.editFallback(func(m map[string]string) bool { return del(m, key) })
	}
	s.fallback(err)
	return s.editFallback(func(m map[string]string) bool { m[key] = value; return true })
}

// DeleteSecret forgets key in the keyring and the fallback file.
func (s *Store) DeleteSecret(key string) error {
	if err := keyring.Delete(service, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		s.fallback(err)
	}
	return s.editFallback(func(m map[string]string) bool { return del(m, key) })
}

func del(m map[string]string, key string) bool {
	_, ok := m[key]
	delete(m, key)
	return ok
}

func (s *Store) readFallback() (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]string{}
	return m, readJSON(s.FallbackPath(), &m)
}

// editFallback applies edit to the fallback file's map and writes it back
// when edit reports a change.
func (s *Store) editFallback(edit func(map[string]string) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]string{}
	if err := readJSON(s.FallbackPath(), &m); err != nil {
		return err
	}
	if !edit(m) {
		return nil
	}
	if len(m) == 0 {
		if err := os.Remove(s.FallbackPath()); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("profile: %w", err)
		}
		return nil
	}
	return writeJSON(s.FallbackPath(), m)
}
