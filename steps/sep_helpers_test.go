package steps_test

import (
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// sepKeys are two 2048-bit keys shared by the separate-authentication tests,
// made once because RSA generation is slow under -race.
var (
	sepKeysOnce sync.Once
	sepKeyA     *rsa.PrivateKey
	sepKeyB     *rsa.PrivateKey
	sepKeysErr  error
)

func sepKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	sepKeysOnce.Do(func() {
		sepKeyA, sepKeysErr = keystore.Generate(2048)
		if sepKeysErr == nil {
			sepKeyB, sepKeysErr = keystore.Generate(2048)
		}
	})
	if sepKeysErr != nil {
		t.Fatalf("generate keys: %v", sepKeysErr)
	}
	return sepKeyA, sepKeyB
}

// sepHints joins every hint of err, for substring checks.
func sepHints(err error) string {
	var b strings.Builder
	for _, h := range steps.HintsOf(err) {
		b.WriteString(h.Cause + " | " + h.Fix + "\n")
	}
	return b.String()
}

// sepRequest is what a test server saw.
type sepRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
	Form                   url.Values
}

// sepServer answers every request with status and body (JSON), and hands
// each request it saw to the test.
func sepServer(t *testing.T, status int, body string) (*httptest.Server, <-chan sepRequest) {
	t.Helper()
	seen := make(chan sepRequest, 8)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		seen <- sepRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b), Form: form}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(ts.Close)
	return ts, seen
}

// sepFormEqual fails unless form holds exactly want (one value each).
func sepFormEqual(t *testing.T, form url.Values, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := form[k]; len(got) != 1 || got[0] != v {
			t.Errorf("form %s = %q, want [%q]", k, got, v)
		}
	}
	for k := range form {
		if _, ok := want[k]; !ok {
			t.Errorf("form has unexpected parameter %s=%q", k, form[k])
		}
	}
}
