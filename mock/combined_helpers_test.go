package mock

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// cbBrowser is a browser without a screen: it keeps cookies and follows
// redirects one at a time, stopping at the app's callback, as NHS's test
// harness drives the combined journey.
type cbBrowser struct {
	e    *saEnv
	base string // the platform base path: /oauth2-mock (realms) or /oauth2 (local CIS2)
	hc   *http.Client
	hops []string // METHOD URL -> status, in order
}

func newCBBrowser(t testing.TB, e *saEnv) *cbBrowser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := *e.hc
	hc.Jar = jar
	return &cbBrowser{e: e, base: combinedBase, hc: &hc}
}

// walk sends one request and follows redirects until one goes to the app's
// callback (returned) or a page answers (loc nil).
func (b *cbBrowser) walk(t testing.TB, method, target string, form url.Values) (loc *url.URL, status int, body []byte) {
	t.Helper()
	for range 12 {
		var rd io.Reader
		if form != nil {
			rd = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, target, rd)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := b.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		b.hops = append(b.hops, method+" "+target+" -> "+resp.Status)
		if resp.StatusCode != http.StatusFound {
			return nil, resp.StatusCode, body
		}
		l, err := resp.Location()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(l.String(), DefaultCallbackURL) {
			return l, resp.StatusCode, body
		}
		method, target, form = http.MethodGet, l.String(), nil
	}
	t.Fatal("too many redirects")
	return nil, 0, nil
}

// cbAuthorize is the app's authorise URL on the local platform's
// /oauth2-mock.
func cbAuthorize(e *saEnv, state string, extra url.Values) string {
	return cbAuthorizeAt(e, combinedBase, state, extra)
}

// cbAuthorizeAt is the app's authorise URL at base.
func cbAuthorizeAt(e *saEnv, base, state string, extra url.Values) string {
	q := url.Values{"client_id": {DefaultAPIKey}, "redirect_uri": {DefaultCallbackURL}, "response_type": {"code"}, "state": {state}}
	for k, v := range extra {
		q[k] = v
	}
	return e.ts.URL + base + "/authorize?" + q.Encode()
}

// signIn walks authorise → login page → form post → platform callback and
// returns the redirect to the app's callback, or the page that stopped it.
func (b *cbBrowser) signIn(t testing.TB, user string, extra url.Values) (loc *url.URL, status int, body []byte) {
	t.Helper()
	loc, status, page := b.walk(t, http.MethodGet, cbAuthorizeAt(b.e, b.base, "app-state", extra), nil)
	if loc != nil || status != http.StatusOK {
		return loc, status, page
	}
	return b.walk(t, http.MethodPost, saFormActionOf(t, page), url.Values{"username": {user}})
}

// cbCodeForm is the app's authorization_code request.
func cbCodeForm(code string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {DefaultCallbackURL},
		"client_id": {DefaultAPIKey}, "client_secret": {DefaultAPISecret},
	}
}

// cbTokens signs user in and redeems the code; it fails the test otherwise.
func (b *cbBrowser) cbTokens(t testing.TB, user string, extra url.Values) map[string]any {
	t.Helper()
	loc, status, body := b.signIn(t, user, extra)
	if loc == nil {
		t.Fatalf("sign-in as %s stopped at %d %s", user, status, body)
	}
	st, tok := b.e.platform(t, b.base, cbCodeForm(loc.Query().Get("code")))
	if st != http.StatusOK {
		t.Fatalf("code: %d %v", st, tok)
	}
	return tok
}

// bearer GETs path with a bearer token.
func (e *saEnv) bearer(t testing.TB, path, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, body := e.do(t, req)
	return status, body
}
