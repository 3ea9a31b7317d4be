package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
