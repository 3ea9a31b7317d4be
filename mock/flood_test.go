package mock

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestJTIFloodCannotFlush (issue 14, medium 3): refused assertions never
// enter the granted-jti store (only the bounded memory of tried ones, which
// fills and stops remembering), so a flood of them cannot push a used jti
// out nor block grants; and a
// memory full of live jti values refuses new grants (503, logged) rather
// than forget one. The store is small so the flood is too.
func TestJTIFloodCannotFlush(t *testing.T) {
	const limit = 4
	var logged bytes.Buffer
	opts := ccOptions(t)
	opts.StoreLimit = limit
	opts.Log = log.New(&logged, "", 0)
	e := newCCRecorderEnv(t, opts) // handlers run on this goroutine: logged needs no lock
	used := e.validForm(t, "/oauth2")
	if status, body := e.postForm(t, "/oauth2", used); status != http.StatusOK {
		t.Fatalf("first grant: %d %v", status, body)
	}
	head := `{"alg":"RS512","typ":"JWT","kid":"not-published"}`
	for i := range 10 * limit { // unsigned, unknown kid: all refused
		c := `{"iss":"` + DefaultAPIKey + `","sub":"` + DefaultAPIKey + `","jti":"flood-` + strconv.Itoa(i) +
			`","aud":"` + e.tokenURL("/oauth2") + `","exp":` + strconv.FormatInt(ccClock.Unix()+60, 10) + `}`
		status, body := e.postForm(t, "/oauth2", ccForm(rawJWT(head, c, "c2ln")))
		if status != http.StatusUnauthorized || body["error_description"] != descKID {
			t.Fatalf("flood %d: %d %v", i, status, body)
		}
	}
	if n := e.srv.jtis.len(); n != 1 {
		t.Errorf("jti memory holds %d after the flood, want 1", n)
	}
	if n := e.srv.tried.len(); n != limit {
		t.Errorf("tried-jti memory holds %d after the flood, want its limit %d", n, limit)
	}
	status, body := e.postForm(t, "/oauth2", used)
	ccWantError(t, status, body, http.StatusBadRequest, "invalid_request", descReused)

	for i := 1; i < limit; i++ { // fill the memory with live jti values
		if status, body := e.postForm(t, "/oauth2", e.validForm(t, "/oauth2")); status != http.StatusOK {
			t.Fatalf("grant %d: %d %v", i, status, body)
		}
	}
	status, body = e.postForm(t, "/oauth2", e.validForm(t, "/oauth2"))
	ccWantError(t, status, body, http.StatusServiceUnavailable, "temporarily_unavailable", busyDesc)
	if !strings.Contains(logged.String(), "jti store is full") {
		t.Errorf("no reason in the log: %q", logged.String())
	}
	status, body = e.postForm(t, "/oauth2", used)
	ccWantError(t, status, body, http.StatusBadRequest, "invalid_request", descReused)
}

// TestFloodKeepsLoginsAndSpentValues (issue 14): a flood of unauthenticated
// authorise requests fills the pending-login store; it is refused (503)
// rather than evict the login in progress, which completes afterwards; and a
// spent realm code and a spent platform refresh token stay spent.
func TestFloodKeepsLoginsAndSpentValues(t *testing.T) {
	const limit = 5
	e := newSAEnv(t, func(o *Options) { o.StoreLimit = limit })
	d := realmCIS2Def
	code := e.login(t, d, saAuthParams(d, MockRedirectURI), "656005750104").Query().Get("code")
	status, tokens := e.tokens(t, d, saCodeForm(d, code, MockRedirectURI))
	if status != http.StatusOK {
		t.Fatalf("code: %d %v", status, tokens)
	}
	status, ex := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", tokens["id_token"].(string)))
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, ex)
	}
	spentRefresh := ex["refresh_token"].(string)
	if status, body := e.platform(t, "/oauth2-mock", saRefreshForm(spentRefresh)); status != http.StatusOK {
		t.Fatalf("refresh: %d %v", status, body)
	}

	authURL := e.realmURL(d) + "/protocol/openid-connect/auth?"
	status, _, page := e.get(t, authURL+saAuthParams(d, MockRedirectURI).Encode())
	if status != http.StatusOK {
		t.Fatalf("authorise: %d", status)
	}
	action := saFormActionOf(t, page) // the login in progress

	refused := 0
	for range 4 * limit {
		status, _, body := e.get(t, authURL+saAuthParams(d, "https://flood.example/").Encode())
		if status == http.StatusServiceUnavailable && strings.Contains(string(body), busyDesc) {
			refused++
		} else if status != http.StatusOK {
			t.Fatalf("flood: %d %s", status, body)
		}
	}
	if refused != 3*limit+1 {
		t.Errorf("%d flood requests refused, want %d", refused, 3*limit+1)
	}

	if status, body := e.tokens(t, d, saCodeForm(d, code, MockRedirectURI)); status != http.StatusBadRequest || body["error_description"] != kcCodeNotValid {
		t.Errorf("spent code after the flood: %d %v", status, body)
	}
	if status, body := e.platform(t, "/oauth2-mock", saRefreshForm(spentRefresh)); status != http.StatusUnauthorized || body["error_description"] != "refresh_token is invalid" {
		t.Errorf("spent refresh token after the flood: %d %v", status, body)
	}
	status, hdr, body := e.postForm(t, action, url.Values{"username": {"656005750104"}})
	if status != http.StatusFound {
		t.Fatalf("login in progress after the flood: %d %s", status, body)
	}
	loc, _ := url.Parse(hdr.Get("Location"))
	if status, body := e.tokens(t, d, saCodeForm(d, loc.Query().Get("code"), MockRedirectURI)); status != http.StatusOK {
		t.Errorf("its code: %d %v", status, body)
	}
}

// hangingJWKS is a JWKS URL that answers nothing until released (or until
// its client gives up), counting the fetches it received.
type hangingJWKS struct {
	*httptest.Server
	fetches atomic.Int32
	release chan struct{}
}

func newHangingJWKS(t *testing.T) *hangingJWKS {
	h := &hangingJWKS{release: make(chan struct{})}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fetches.Add(1)
		select {
		case <-h.release:
			http.Error(w, "gave up", http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// TestJWKSURLSingleFlight (issue 14): concurrent grants that need a hanging
// --jwks-url wait on one fetch, and a fetch is bounded by JWKSTimeout.
// Nothing here measures time: it counts the fetches.
func TestJWKSURLSingleFlight(t *testing.T) {
	t.Run("concurrent grants share one fetch", func(t *testing.T) {
		h := newHangingJWKS(t)
		e := newCCEnv(t, Options{JWKSURL: h.URL, JWKSTimeout: time.Hour, Now: func() time.Time { return ccClock }})
		const grants = 5
		var wg sync.WaitGroup
		statuses := make([]int, grants)
		for i := range grants {
			form := e.validForm(t, "/oauth2")
			wg.Go(func() { statuses[i], _ = e.postForm(t, "/oauth2", form) })
		}
		for waiting := int32(0); waiting < grants; { // wait until every grant waits on the flight
			time.Sleep(time.Millisecond)
			e.srv.keys.mu.Lock()
			if f := e.srv.keys.flight; f != nil {
				waiting = f.waiting.Load()
			}
			e.srv.keys.mu.Unlock()
		}
		close(h.release)
		wg.Wait()
		for i, s := range statuses {
			if s != http.StatusForbidden {
				t.Errorf("grant %d: %d, want 403 (row 20)", i, s)
			}
		}
		if n := h.fetches.Load(); n != 1 {
			t.Errorf("%d fetches for %d concurrent grants, want 1", n, grants)
		}
	})
	t.Run("a hanging fetch times out", func(t *testing.T) {
		h := newHangingJWKS(t)
		e := newCCEnv(t, Options{JWKSURL: h.URL, JWKSTimeout: 20 * time.Millisecond, Now: func() time.Time { return ccClock }})
		for i := range 2 { // failures are not cached: each grant fetches again
			status, body := e.postForm(t, "/oauth2", e.validForm(t, "/oauth2"))
			ccWantError(t, status, body, http.StatusForbidden, "public_key error", "The JWKS endpoint, for your client_assertion can't be reached")
			if n := h.fetches.Load(); n != int32(i+1) {
				t.Errorf("after grant %d: %d fetches", i+1, n)
			}
		}
	})
}

// TestRepeatedParameters (RFC 6749 §3.2): the platform's token endpoint
// refuses a form that repeats any parameter, before any other check of the
// form; so does a realm's token endpoint, in Keycloak's words.
func TestRepeatedParameters(t *testing.T) {
	e := newCCEnv(t, ccOptions(t))
	valid := e.validForm(t, "/oauth2")
	names := []string{"grant_type", "client_assertion", "client_assertion_type", "subject_token", "subject_token_type",
		"code", "refresh_token", "client_id", "client_secret", "_access_token_expiry_ms"}
	for _, name := range names {
		form := url.Values{}
		for k, v := range valid {
			form[k] = v
		}
		form[name] = append(form[name], "x", "x")
		status, body := e.postForm(t, "/oauth2", form)
		ccWantError(t, status, body, http.StatusBadRequest, "invalid_request", name+" is included more than once")
	}
	status, body := e.postForm(t, "/oauth2", valid) // none of those spent the jti
	if status != http.StatusOK {
		t.Errorf("the valid form afterwards: %d %v", status, body)
	}
	long := strings.Repeat("p", 1000)
	status, body = e.postForm(t, "/oauth2", url.Values{long: {"1", "2"}})
	if status != http.StatusBadRequest || len(body["error_description"]) > maxEchoedName+40 {
		t.Errorf("long name echoed whole: %d %d bytes", status, len(body["error_description"]))
	}

	sa := newSAEnv(t)
	d := realmCIS2Def
	form := saCodeForm(d, "a", MockRedirectURI)
	form.Add("code", "b")
	if status, body := sa.tokens(t, d, form); status != http.StatusBadRequest || body["error_description"] != kcDuplicatedParam {
		t.Errorf("realm token endpoint: %d %v", status, body)
	}
}

// TestRealmRedirectSchemes (issue 14): a realm redirects the browser only
// to http(s) URLs, and after logout only to a registered or loopback URL.
func TestRealmRedirectSchemes(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	for _, bad := range []string{"javascript:alert(1)", "JavaScript://example.org/%0aalert(1)", "data:text/html,<p>x", "file:///etc/passwd", "myapp://cb", "http:///nohost"} {
		status, _, body := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+saAuthParams(d, bad).Encode())
		if status != http.StatusBadRequest || !strings.Contains(string(body), "Invalid parameter: redirect_uri") {
			t.Errorf("redirect_uri %q: %d", bad, status)
		}
	}
	for _, good := range []string{"http://127.0.0.1:8080/callback", "https://app.example/cb"} {
		if status, _, _ := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+saAuthParams(d, good).Encode()); status != http.StatusOK {
			t.Errorf("redirect_uri %q: %d", good, status)
		}
	}

	logout := func(post string) (int, string) {
		q := url.Values{"client_id": {d.ClientID}, "post_logout_redirect_uri": {post}, "state": {"s"}}
		status, hdr, _ := e.get(t, e.realmURL(d)+"/protocol/openid-connect/logout?"+q.Encode())
		return status, hdr.Get("Location")
	}
	for _, bad := range []string{"https://evil.example/", "https://example.org.evil.example/", "https://user@example.org/", "javascript:alert(1)", "data:,x", "file:///tmp/x", "http://example.org/"} {
		if status, loc := logout(bad); status != http.StatusBadRequest {
			t.Errorf("post_logout_redirect_uri %q: %d %s", bad, status, loc)
		}
	}
	for _, good := range []string{"https://example.org/", "https://example.org/bye", "http://127.0.0.1:9000/done", "http://localhost:9000/", "http://[::1]:9000/"} {
		if status, loc := logout(good); status != http.StatusFound || !strings.HasPrefix(loc, good) {
			t.Errorf("post_logout_redirect_uri %q: %d %s", good, status, loc)
		}
	}
}

// TestHostGuard (issue 14): the served platform answers only a loopback Host
// or its public URL's host, with 421 otherwise (DNS rebinding), unless
// AllowRemote; an httptest server on 127.0.0.1 is unaffected.
func TestHostGuard(t *testing.T) {
	get := func(srv *Server, host string) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/_ping", nil)
		req.Host = host
		srv.HTTPServer().Handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	guarded := New(Options{KeysDir: t.TempDir(), PublicURL: "http://devbox.example:8400"})
	for _, host := range []string{"127.0.0.1", "127.0.0.1:8400", "localhost", "LOCALHOST:8400", "[::1]", "[::1]:8400", "devbox.example", "devbox.example:8400"} {
		if status, body := get(guarded, host); status != http.StatusOK {
			t.Errorf("Host %q: %d %s", host, status, body)
		}
	}
	for _, host := range []string{"attacker.example", "attacker.example:8400", "127.0.0.1.nip.io", "", "localhost.attacker.example"} {
		status, body := get(guarded, host)
		if status != http.StatusMisdirectedRequest || strings.Count(body, "\n") != 1 || !strings.Contains(body, "DNS rebinding") {
			t.Errorf("Host %q: %d %q", host, status, body)
		}
	}
	open := New(Options{KeysDir: t.TempDir(), AllowRemote: true})
	if status, _ := get(open, "attacker.example"); status != http.StatusOK {
		t.Errorf("AllowRemote: %d", status)
	}

	srv := New(Options{KeysDir: t.TempDir()})
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = srv.HTTPServer()
	ts.Start()
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/_ping")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("httptest server on 127.0.0.1: %d", resp.StatusCode)
	}
}

// TestHTTPServerTimeouts (issue 14): the served platform bounds slow
// headers, slow bodies and idle connections.
func TestHTTPServerTimeouts(t *testing.T) {
	hs := New(Options{KeysDir: t.TempDir()}).HTTPServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Errorf("timeouts: header %v, read %v, idle %v", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.IdleTimeout)
	}
}
