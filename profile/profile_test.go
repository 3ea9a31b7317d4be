package profile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// newStore is a store in a fresh folder, with the keyring mocked: no test
// touches the user's config folder or keyring.
func newStore(t *testing.T) (*Store, *bytes.Buffer) {
	t.Helper()
	keyring.MockInit()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	var warn bytes.Buffer
	s, err := Open(&warn)
	if err != nil {
		t.Fatal(err)
	}
	return s, &warn
}

func TestProfilesSaveListRemove(t *testing.T) {
	s, _ := newStore(t)
	if want := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "nhsauth"); s.Dir != want {
		t.Fatalf("dir %s, want %s", s.Dir, want)
	}
	for _, p := range []Profile{{Name: "int", Env: "int", APIKey: "K"}, {Name: "a-local", Env: "local"}} {
		if err := s.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Save(Profile{Name: "int", Env: "int", APIKey: "K2"}); err != nil { // replaces
		t.Fatal(err)
	}
	ps, err := s.List()
	if err != nil || len(ps) != 2 || ps[0].Name != "a-local" || ps[1].APIKey != "K2" {
		t.Fatalf("list %+v, %v", ps, err)
	}
	for path, mode := range map[string]os.FileMode{s.Dir: 0o700, s.profilesPath(): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v (%v), want %v", path, fi.Mode().Perm(), err, mode)
		}
	}
	if err := s.Remove("int"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("int"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("after remove: %v", err)
	}
	if err := s.Remove("int"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("second remove: %v", err)
	}
	if err := s.Save(Profile{Name: "../x"}); err == nil {
		t.Error("a name with a slash was saved")
	}
}

func TestSecretsInKeyringNotInProfiles(t *testing.T) {
	s, warn := newStore(t)
	if err := s.Save(Profile{Name: "p", APIKey: "K"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret(SecretKey("p", "api-secret"), "s3cret-value"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Secret(SecretKey("p", "api-secret")); err != nil || got != "s3cret-value" {
		t.Fatalf("secret %q, %v", got, err)
	}
	if v, err := keyring.Get(service, SecretKey("p", "api-secret")); err != nil || v != "s3cret-value" {
		t.Errorf("keyring holds %q, %v", v, err)
	}
	b, _ := os.ReadFile(s.profilesPath())
	if bytes.Contains(b, []byte("s3cret-value")) {
		t.Errorf("profiles.json holds the secret:\n%s", b)
	}
	if _, err := os.Stat(s.FallbackPath()); !os.IsNotExist(err) {
		t.Errorf("a fallback file with a working keyring: %v", err)
	}
	if warn.Len() != 0 {
		t.Errorf("warned with a working keyring: %s", warn)
	}
	if err := s.Remove("p"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(service, SecretKey("p", "api-secret")); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("remove left the secret in the keyring: %v", err)
	}
}

// TestNoKeyringFallsBackToFile: without a keyring the secret goes to a 0600
// file, and the warning shows once however many secrets are kept.
func TestNoKeyringFallsBackToFile(t *testing.T) {
	s, warn := newStore(t)
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	for _, k := range []string{"a", "b"} {
		if err := s.SetSecret(k, "value-"+k); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Secret("b"); err != nil || got != "value-b" {
		t.Fatalf("secret %q, %v", got, err)
	}
	fi, err := os.Stat(s.FallbackPath())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("fallback file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if n := strings.Count(warn.String(), "warning:"); n != 1 || !strings.Contains(warn.String(), "dbus: no session bus") || !strings.Contains(warn.String(), s.FallbackPath()) {
		t.Errorf("%d warnings:\n%s", n, warn)
	}
	for _, k := range []string{"a", "b"} {
		if err := s.DeleteSecret(k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(s.FallbackPath()); !os.IsNotExist(err) {
		t.Errorf("the emptied fallback file is still there: %v", err)
	}
}

func TestTokenCache(t *testing.T) {
	s, _ := newStore(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	k := CacheKey{Env: "local", APIBase: "http://127.0.0.1:8400", APIKey: "K", Flow: "cis2-separate", User: "656005750104"}
	other := k
	other.User = "555"
	tok := CachedToken{Key: k, AccessToken: "at", RefreshToken: "rt", Expiry: now.Add(2 * time.Minute), RefreshExpiry: now.Add(time.Hour)}
	if err := s.SaveToken(tok); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveToken(CachedToken{Key: other, AccessToken: "at2", Expiry: now}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Token(k)
	if err != nil || !ok || got.AccessToken != "at" || !got.Expiry.Equal(tok.Expiry) {
		t.Fatalf("token %+v, %v, %v", got, ok, err)
	}
	if !got.Fresh(now, time.Minute) || got.Fresh(now.Add(61*time.Second), time.Minute) {
		t.Error("Fresh ignores the margin")
	}
	if !got.Refreshable(now) || got.Refreshable(now.Add(2*time.Hour)) {
		t.Error("Refreshable ignores the refresh window")
	}
	b, _ := os.ReadFile(s.tokensPath())
	if bytes.Contains(b, []byte(`"at"`)) || bytes.Contains(b, []byte(`"rt"`)) {
		t.Errorf("tokens.json holds a token:\n%s", b)
	}
	gone, err := s.ForgetTokens(func(c CacheKey) bool { return c.User == "555" })
	if err != nil || len(gone) != 1 || gone[0].AccessToken != "at2" {
		t.Fatalf("forgot %+v, %v", gone, err)
	}
	if _, ok, _ := s.Token(other); ok {
		t.Error("a forgotten token is still cached")
	}
	if keys, _ := s.CachedKeys(); len(keys) != 1 || keys[0] != k {
		t.Errorf("keys left %+v", keys)
	}
}
