package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/mock"
)

// TestLocalURLUntrustedCertificate: an https NHSAUTH_LOCAL_URL whose
// certificate the system does not trust says so and names the fix
// (SSL_CERT_FILE, or the http URL `nhsauth mock` prints), not "start a mock
// there", which is already running.
func TestLocalURLUntrustedCertificate(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	ts.StartTLS()
	defer ts.Close()
	for _, args := range [][]string{
		{"get-token", "--env", "local", "--private-key", files.Private},
		{"run", "app-restricted", "--env", "local", "--private-key", files.Private},
	} {
		r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": ts.URL}, nil, args...)
		if r.code != exitFail {
			t.Fatalf("%s: %v", args[0], r)
		}
		for _, want := range []string{"not trusted", "SSL_CERT_FILE", "http URL 'nhsauth mock' prints"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: stderr lacks %q: %q", args[0], want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "start 'nhsauth mock") {
			t.Errorf("%s: tells to start a platform that already runs: %q", args[0], r.stderr)
		}
	}
}

// TestRunKeyFolderDiffersFromRunningPlatform: a running local platform that
// reads its keys from folder A cannot verify a key whose JWKS is in folder
// B, so the JWKS step fails at once with the folder and the fix, rather
// than passing with a warning and failing the signature two steps later.
func TestRunKeyFolderDiffersFromRunningPlatform(t *testing.T) {
	dir := inTempDir(t)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	files := writeTestKey(t, b, "local-1")
	if err := os.Mkdir(a, 0o700); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock.New(mock.Options{KeysDir: a, Version: "test"}))
	defer ts.Close()
	r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": ts.URL}, nil, "run", "app-restricted", "--env", "local", "--private-key", files.Private)
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	for _, want := range []string{"[2/5] JWKS published … ✗", "reads its keys from " + a, "nhsauth mock --keys " + b, "--private-key"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q:\n%v", want, r)
		}
	}
	if strings.Contains(r.stdout, "[3/5]") {
		t.Errorf("the run went on past the JWKS step:\n%v", r)
	}

	// The same key's JWKS copied into A is published: the step passes.
	writeTestKey(t, a, "local-1")
	r = nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": ts.URL}, nil, "run", "app-restricted", "--env", "local", "--private-key", files.Private)
	if r.code != exitOK {
		t.Errorf("a JWKS for this key in the platform's folder:\n%v", r)
	}
}
