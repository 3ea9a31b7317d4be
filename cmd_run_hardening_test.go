package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// redirectingAPI starts an API and another origin (another port of the same
// host) that counts its hits: the API redirects /away there, /here to its own
// /ok, and answers anything else with {"ok":true}.
func redirectingAPI(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { otherHits.Add(1) }))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		default:
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	t.Cleanup(api.Close)
	return api, &otherHits
}

// TestRunFollow: run's API step fails on a redirect it did not follow
// (exit 1, the Location and --follow named), follows a same-origin one with
// --follow, and never calls another origin.
func TestRunFollow(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	api, otherHits := redirectingAPI(t)
	for _, tt := range []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"not followed", []string{"--url", api.URL + "/here"}, exitFail, "--follow"},
		{"followed within the origin", []string{"--url", api.URL + "/here", "--follow"}, exitOK, ""},
		{"another origin refused", []string{"--url", api.URL + "/away", "--follow"}, exitFail, "another origin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, append([]string{"run", "app-restricted"}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, r.stderr)
			}
			if otherHits.Load() != 0 {
				t.Fatal("the other origin was called")
			}
		})
	}
}

// TestRunBrowserExitFailure: a $BROWSER command that exits with an error is
// reported on stderr while the sign-in still waits (here until a short
// login timeout: stdin stays open and nothing is pasted), not only when it
// ends.
func TestRunBrowserExitFailure(t *testing.T) {
	f, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false command here")
	}
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	stdin, w := io.Pipe() // open, never written: no EOF, no paste
	t.Cleanup(func() { w.Close() })
	r := nhsauth(t, map[string]string{"BROWSER": f}, stdin, "run", "cis2-separate", "--browser", "--login-timeout", "3s")
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1 (the login timed out)\n%v", r.code, r)
	}
	note := strings.Index(r.stderr, "The browser command failed (")
	end := strings.Index(r.stderr, "failed: ")
	if note == -1 || !strings.Contains(r.stderr, "still waiting for the redirect or a pasted URL") {
		t.Fatalf("the browser's failure is not reported:\n%s", r.stderr)
	}
	if end != -1 && end < note {
		t.Errorf("the browser's failure is reported only after the step ended:\n%s", r.stderr)
	}
}
