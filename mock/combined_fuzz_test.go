package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzLogoutToken posts arbitrary logout tokens to the platform's
// back-channel logout: it must answer one of §4.6's rows, never 200 (no
// fuzzed token is signed by the realm) and never panic.
func FuzzLogoutToken(f *testing.F) {
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsidGVzdC1jbGllbnQtY2lzMiJdLCJpc3MiOiJodHRwOi8vZXhhbXBsZS5jb20vcmVhbG1zL0NpczItbW9jay1sb2NhbCIsInNpZCI6IngiLCJldmVudHMiOnt9fQ.c2ln")
	srv := New(Options{KeysDir: f.TempDir()})
	f.Fuzz(func(t *testing.T, tok string) {
		req := httptest.NewRequest(http.MethodPost, "http://example.com/oauth2-mock/backchannel_logout", strings.NewReader(url.Values{"logout_token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "127.0.0.1:1"
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 400 && rec.Code != 501 {
			t.Fatalf("token %q: status %d %s", tok, rec.Code, rec.Body)
		}
	})
}

// FuzzCombinedCallbackQuery sends arbitrary queries to the platform's
// callback: without a state the platform issued, the answer is always 400
// Invalid state parameter., and the app's callback is never reached.
func FuzzCombinedCallbackQuery(f *testing.F) {
	f.Add("code=x&state=y")
	f.Add("state=&code=")
	f.Add("error=access_denied&state=%00")
	f.Add("state=a&state=b")
	srv := New(Options{KeysDir: f.TempDir()})
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/oauth2-mock/callback", nil)
		req.URL.RawQuery = rawQuery
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Invalid state parameter.") || rec.Header().Get("Location") != "" {
			t.Fatalf("query %q: %d %s", rawQuery, rec.Code, rec.Body)
		}
	})
}
