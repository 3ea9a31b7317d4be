package steps_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

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
