package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/profile"
	"github.com/nhsauth/nhsauth/tui"
	"github.com/zalando/go-keyring"
)

const testAPISecret = "profile-api-secret-value"

// TestProfileSecretKeptOut: a profile's API secret goes to the keyring,
// not to profiles.json; show masks it unless --reveal.
func TestProfileSecretKeptOut(t *testing.T) {
	_, vars := tokenTestEnv(t)
	r := nhsauth(t, vars, strings.NewReader(testAPISecret+"\n"), "profile", "add", "loc", "--env", "local", "--api-key", "K1",
		"--private-key", ".auth/local-1.pem", "--api-secret", "-", "--client-secret", "client-secret-value")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	st, _ := profile.Open(nil)
	b, err := os.ReadFile(filepath.Join(st.Dir, "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), testAPISecret) || strings.Contains(string(b), "client-secret-value") {
		t.Errorf("profiles.json holds a secret:\n%s", b)
	}
	if fi, _ := os.Stat(filepath.Join(st.Dir, "profiles.json")); fi.Mode().Perm() != 0o600 {
		t.Errorf("profiles.json mode %v", fi.Mode().Perm())
	}
	if v, err := keyring.Get("nhsauth", profile.SecretKey("loc", "api-secret")); err != nil || v != testAPISecret {
		t.Errorf("keyring holds %q, %v", v, err)
	}
	abs, _ := filepath.Abs(".auth/local-1.pem")
	r = nhsauth(t, vars, nil, "profile", "show", "loc")
	if r.code != exitOK || strings.Contains(r.stdout, testAPISecret) || !strings.Contains(r.stdout, "prof…") || !strings.Contains(r.stdout, abs) {
		t.Errorf("show: %v", r)
	}
	r = nhsauth(t, vars, nil, "profile", "show", "loc", "--reveal")
	if !strings.Contains(r.stdout, testAPISecret) || !strings.Contains(r.stdout, "client-secret-value") {
		t.Errorf("show --reveal: %v", r)
	}
	if r = nhsauth(t, vars, nil, "profile", "list"); !strings.Contains(r.stdout, "loc") || !strings.Contains(r.stdout, "K1") {
		t.Errorf("list: %v", r)
	}
	if r = nhsauth(t, vars, nil, "profile", "remove", "loc"); r.code != exitOK {
		t.Fatalf("remove: %v", r)
	}
	if _, err := keyring.Get("nhsauth", profile.SecretKey("loc", "api-secret")); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("remove left the secret: %v", err)
	}
	if r = nhsauth(t, vars, nil, "profile", "show", "loc"); r.code != exitUsage || !strings.Contains(r.stderr, "no profiles yet") {
		t.Errorf("show after remove: %v", r)
	}
}

// TestProfileRunsEveryCommand: --profile (or $NHSAUTH_PROFILE) fills the
// settings of every command that takes them; the environment and flags
// still win over it.
func TestProfileRunsEveryCommand(t *testing.T) {
	_, vars := tokenTestEnv(t)
	dir, _ := os.Getwd()
	if r := nhsauth(t, vars, nil, "profile", "add", "loc", "--env", "local", "--private-key", ".auth/local-1.pem",
		"--api-secret", "nhsauth-local-api-secret"); r.code != exitOK {
		t.Fatalf("%v", r)
	}
	t.Chdir(t.TempDir()) // the profile's key path works from anywhere
	for _, args := range [][]string{
		{"get-token", "--profile", "loc"},
		{"call-api", "--profile", "loc", "--url", "/hello-world/hello/application"},
		{"token", "app-restricted", "--profile", "loc", "--no-cache"},
		{"assertion", "--profile", "loc"},
		{"run", "app-restricted", "--profile", "loc"},
		{"token", "cis2-separate", "--profile", "loc", "--user", "656005750104"},
	} {
		if r := nhsauth(t, vars, nil, args...); r.code != exitOK {
			t.Errorf("%v: %v", args, r)
		}
	}
	withVar := map[string]string{"NHSAUTH_PROFILE": "loc", "NHSAUTH_LOCAL_URL": vars["NHSAUTH_LOCAL_URL"]}
	if r := nhsauth(t, withVar, nil, "get-token"); r.code != exitOK {
		t.Errorf("NHSAUTH_PROFILE: %v", r)
	}
	// Precedence: a profile's wrong API key fails; $NHSAUTH_API_KEY beats it.
	t.Chdir(dir)
	if r := nhsauth(t, vars, nil, "profile", "add", "bad", "--env", "local", "--private-key", ".auth/local-1.pem", "--api-key", "wrong-key"); r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if r := nhsauth(t, vars, nil, "get-token", "--profile", "bad"); r.code != exitFail {
		t.Errorf("the profile's API key was not used: %v", r)
	}
	env := map[string]string{envAPIKey: "nhsauth-local-api-key", "NHSAUTH_LOCAL_URL": vars["NHSAUTH_LOCAL_URL"]}
	if r := nhsauth(t, env, nil, "get-token", "--profile", "bad"); r.code != exitOK {
		t.Errorf("$%s did not beat the profile: %v", envAPIKey, r)
	}
	if r := nhsauth(t, vars, nil, "get-token", "--profile", "bad", "--api-key", "nhsauth-local-api-key"); r.code != exitOK {
		t.Errorf("--api-key did not beat the profile: %v", r)
	}
	if r := nhsauth(t, vars, nil, "run", "app-restricted", "--profile", "nope"); r.code != exitUsage || !strings.Contains(r.stderr, "the profiles are bad, loc") {
		t.Errorf("an unknown profile: %v", r)
	}
	for _, cmd := range []string{"run", "wizard", "get-token", "call-api", "token", "assertion"} {
		if r := nhsauth(t, nil, nil, cmd, "--help"); !strings.Contains(r.stdout, "--profile NAME") {
			t.Errorf("%s --help has no --profile", cmd)
		}
	}
}

// TestProfileWithoutKeyring: with no keyring the secrets go to a 0600
// file beside profiles.json, and the warning shows once.
func TestProfileWithoutKeyring(t *testing.T) {
	_, vars := tokenTestEnv(t)
	keyring.MockInitWithError(errors.New("no secret service"))
	r := nhsauth(t, vars, nil, "profile", "add", "ci", "--env", "local", "--api-secret", testAPISecret, "--client-secret", "client-secret-value")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if n := strings.Count(r.stderr, "no OS keyring answered"); n != 1 {
		t.Errorf("%d warnings:\n%s", n, r.stderr)
	}
	st, _ := profile.Open(nil)
	fi, err := os.Stat(st.FallbackPath())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("fallback file: %v, %v", fi, err)
	}
	b, _ := os.ReadFile(filepath.Join(st.Dir, "profiles.json"))
	if strings.Contains(string(b), testAPISecret) {
		t.Errorf("profiles.json holds the secret")
	}
	r = nhsauth(t, vars, nil, "profile", "show", "ci", "--reveal")
	if !strings.Contains(r.stdout, testAPISecret) || strings.Count(r.stderr, "no OS keyring answered") != 1 {
		t.Errorf("show: %v", r)
	}
	// A token command reads the profile and writes the cache: still one warning.
	r = nhsauth(t, vars, nil, "token", "app-restricted", "--profile", "ci")
	if r.code != exitOK || strings.Count(r.stderr, "no OS keyring answered") != 1 {
		t.Errorf("token: %v", r)
	}
}

// TestWizardProfilesStore: what the wizard saves with P is a profile the
// commands use, its secret in the keyring; and the wizard lists it.
func TestWizardProfilesStore(t *testing.T) {
	_, vars := tokenTestEnv(t)
	w := newWizardProfiles(&cliEnv{stderr: io.Discard, getenv: func(string) string { return "" }})
	if err := w.Save(tui.Profile{Name: "wiz", Env: "local", Creds: tui.Credentials{KeyPath: ".auth/local-1.pem", APISecret: "nhsauth-local-api-secret"}}); err != nil {
		t.Fatal(err)
	}
	ps, err := w.List()
	abs, _ := filepath.Abs(".auth/local-1.pem")
	if err != nil || len(ps) != 1 || ps[0].Creds.KeyPath != abs || ps[0].Creds.APISecret != "nhsauth-local-api-secret" {
		t.Fatalf("list %+v, %v", ps, err)
	}
	if v, _ := keyring.Get("nhsauth", profile.SecretKey("wiz", "api-secret")); v != "nhsauth-local-api-secret" {
		t.Errorf("keyring holds %q", v)
	}
	if r := nhsauth(t, vars, nil, "get-token", "--profile", "wiz"); r.code != exitOK {
		t.Errorf("%v", r)
	}
}
