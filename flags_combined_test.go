package main

import (
	"io"
	"net"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/mock"
)

// TestMockCallbackFlag: nhsauth mock registers --callback (default
// mock.DefaultCallbackURL) and refuses one that is not an http(s) URL.
func TestMockCallbackFlag(t *testing.T) {
	inTempDir(t)
	env := &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	cfg, ok := mockConfigOf(t, env, "--addr", "127.0.0.1:0")
	if !ok || cfg.opts.CallbackURL != mock.DefaultCallbackURL {
		t.Fatalf("default callback %q", cfg.opts.CallbackURL)
	}
	cfg, ok = mockConfigOf(t, env, "--addr", "127.0.0.1:0", "--callback", "http://127.0.0.1:9999/cb")
	if !ok || cfg.opts.CallbackURL != "http://127.0.0.1:9999/cb" {
		t.Fatalf("callback %q", cfg.opts.CallbackURL)
	}
	r := nhsauth(t, nil, nil, "mock", "--addr", "127.0.0.1:0", "--callback", "not a url")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--callback") {
		t.Errorf("bad --callback: %v", r)
	}
}

// mockConfigOf parses nhsauth mock's flags as the command does.
func mockConfigOf(t *testing.T, env *cliEnv, args ...string) (mockConfig, bool) {
	t.Helper()
	fs, v := mockFlags()
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	cfg, err := v.config(fs, fs.Args(), env)
	return cfg, err == nil
}

// TestRunCombinedFlags: run refuses a --callback that is not a URL, and
// with a --callback the local app did not register, stops at the sign-in
// with redirect_uri is invalid, the registered and the sent value side by
// side.
func TestRunCombinedFlags(t *testing.T) {
	inTempDir(t)
	r := nhsauth(t, nil, nil, "run", "cis2-combined", "--callback", "nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, `--callback "nope" is not an http(s) URL`) {
		t.Errorf("bad --callback: %v", r)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sent := "http://" + ln.Addr().String() + "/callback"
	ln.Close()
	r = nhsauth(t, nil, nil, "run", "cis2-combined", "--user", "656005750104", "--callback", sent, "--acr-values", "AAL3_ANY")
	for _, want := range []string{"redirect_uri is invalid", "sent:       " + sent, "registered: " + mock.DefaultCallbackURL} {
		if r.code != exitFail || !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %v", want, r)
		}
	}
	if !strings.Contains(r.stdout, "acr_values=AAL3_ANY") {
		t.Errorf("--acr-values not sent: %s", r.stdout)
	}
}

// TestRunCombinedThroughCIS2: --cis2 sends cis2-combined through the
// platform's /oauth2, which hands the user to the local CIS2 Authentication.
func TestRunCombinedThroughCIS2(t *testing.T) {
	inTempDir(t)
	r := nhsauth(t, nil, nil, "run", "cis2-combined", "--env", "local", "--user", "656005750104", "--cis2")
	if r.code != exitOK || !strings.Contains(r.stdout, "/oauth2/authorize?") ||
		!strings.Contains(r.stdout, "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/authorize?") ||
		!strings.Contains(r.stdout, "Hello User!") {
		t.Errorf("run cis2-combined --cis2: %v", r)
	}
}
