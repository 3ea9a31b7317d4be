package profile

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Profile is one saved set of app settings. Each field is named after the
// command-line flag it stands in for (Flags), so a profile fills exactly
// what the user would otherwise type. Its secrets are not here: they are
// kept by SetSecret under SecretKey(Name, flag).
type Profile struct {
	Name        string `json:"name"`
	Env         string `json:"env,omitempty"`
	APIKey      string `json:"api_key,omitempty"`
	PrivateKey  string `json:"private_key,omitempty"`
	KID         string `json:"kid,omitempty"`
	Callback    string `json:"callback,omitempty"`
	ClientID    string `json:"client_id,omitempty"`
	ClientAuth  string `json:"client_auth,omitempty"`
	Alg         string `json:"alg,omitempty"`
	Scope       string `json:"scope,omitempty"`
	UserinfoAlg string `json:"userinfo_alg,omitempty"`
}

// SecretFlags are the flags whose values a profile keeps as secrets (in the
// keyring), never in profiles.json.
var SecretFlags = []string{"api-secret", "client-secret"}

// Setting is one flag a profile sets.
type Setting struct {
	Flag  string
	Value *string
}

// Settings lists p's fields by the flag each stands in for, in the order
// profile show prints them. Its pointers write into p.
func (p *Profile) Settings() []Setting {
	return []Setting{
		{"env", &p.Env}, {"api-key", &p.APIKey}, {"private-key", &p.PrivateKey}, {"kid", &p.KID},
		{"callback", &p.Callback}, {"client-id", &p.ClientID}, {"client-auth", &p.ClientAuth},
		{"alg", &p.Alg}, {"scope", &p.Scope}, {"userinfo-alg", &p.UserinfoAlg},
	}
}

// Flags returns p's non-empty settings as flag name → value.
func (p Profile) Flags() map[string]string {
	m := map[string]string{}
	for _, s := range p.Settings() {
		if *s.Value != "" {
			m[s.Flag] = *s.Value
		}
	}
	return m
}

// SecretKey is the keyring entry of a profile's secret for flag.
func SecretKey(name, flag string) string { return "profile/" + name + "/" + flag }

// validName is compiled on first use: its bounded repetition makes a large
// program that every command would otherwise build at start-up.
var validName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`) })

// CheckName refuses a profile name that would not be safe in a file or a
// keyring entry.
func CheckName(name string) error {
	if !validName().MatchString(name) {
		return fmt.Errorf("profile name %q: use letters, digits, '.', '_' and '-' (up to 64, starting with a letter or digit)", name)
	}
	return nil
}

// ErrNoProfile means no profile has the name asked for.
var ErrNoProfile = errors.New("profile: no such profile")

// profilesFile is profiles.json's shape.
type profilesFile struct {
	Profiles []Profile `json:"profiles"`
}

func (s *Store) profilesPath() string { return filepath.Join(s.Dir, "profiles.json") }

// List returns the saved profiles, sorted by name.
func (s *Store) List() ([]Profile, error) {
	var f profilesFile
	if err := readJSON(s.profilesPath(), &f); err != nil {
		return nil, err
	}
	slices.SortFunc(f.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return f.Profiles, nil
}

// Get returns the profile called name, or ErrNoProfile.
func (s *Store) Get(name string) (Profile, error) {
	ps, err := s.List()
	if err != nil {
		return Profile{}, err
	}
	for _, p := range ps {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("%w %q", ErrNoProfile, name)
}

// Save adds p, or replaces the profile of the same name.
func (s *Store) Save(p Profile) error {
	if err := CheckName(p.Name); err != nil {
		return err
	}
	ps, err := s.List()
	if err != nil {
		return err
	}
	ps = slices.DeleteFunc(ps, func(q Profile) bool { return q.Name == p.Name })
	return writeJSON(s.profilesPath(), profilesFile{Profiles: append(ps, p)})
}

// Remove deletes the profile called name and its secrets. It returns
// ErrNoProfile when there is none.
func (s *Store) Remove(name string) error {
	ps, err := s.List()
	if err != nil {
		return err
	}
	n := len(ps)
	ps = slices.DeleteFunc(ps, func(q Profile) bool { return q.Name == name })
	if len(ps) == n {
		return fmt.Errorf("%w %q", ErrNoProfile, name)
	}
	for _, flag := range SecretFlags {
		if err := s.DeleteSecret(SecretKey(name, flag)); err != nil {
			return err
		}
	}
	if ps == nil {
		ps = []Profile{}
	}
	return writeJSON(s.profilesPath(), profilesFile{Profiles: ps})
}
