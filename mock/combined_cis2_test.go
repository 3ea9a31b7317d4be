package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// newCIS2Browser is a browser for the platform's /oauth2, which trusts the
// local CIS2 (issue 12, "The platform trusts it").
func newCIS2Browser(t testing.TB, e *saEnv) *cbBrowser {
	b := newCBBrowser(t, e)
	b.base = "/oauth2"
	return b
}

// TestOAuth2AuthorizeGoesToLocalCIS2: /oauth2/authorize sends the browser
// to the local CIS2's /authorize with the platform's own client, its own
// state, max_age=300, the app's acr_values (default AAL3_ANY) and a PKCE
// S256 challenge (reference §4.1; combined_choices.go).
func TestOAuth2AuthorizeGoesToLocalCIS2(t *testing.T) {
	for _, tt := range []struct{ name, acr, want string }{
		{"default acr_values", "", "AAL3_ANY"},
		{"acr_values passed on", "AAL2_OR_AAL3_ANY", "AAL2_OR_AAL3_ANY"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSAEnv(t)
			extra := url.Values{}
			if tt.acr != "" {
				extra.Set("acr_values", tt.acr)
			}
			status, hdr, body := e.get(t, cbAuthorizeAt(e, "/oauth2", "s1", extra))
			loc, _ := url.Parse(hdr.Get("Location"))
			if status != http.StatusFound || !strings.HasPrefix(loc.String(), CIS2Issuer(e.ts.URL)+"/authorize?") {
				t.Fatalf("%d %s %s", status, loc, body)
			}
			q := loc.Query()
			want := url.Values{
				"response_type": {"code"}, "client_id": {CIS2PlatformClientID}, "redirect_uri": {e.ts.URL + "/oauth2/callback"},
				"max_age": {"300"}, "scope": {"openid nationalrbacaccess"}, "acr_values": {tt.want},
				"code_challenge_method": {"S256"}, "state": q["state"], "code_challenge": q["code_challenge"],
			}
			if q.Get("state") == "" || q.Get("state") == "s1" || len(q.Get("code_challenge")) != 43 {
				t.Errorf("state %q, challenge %q: want the platform's own", q.Get("state"), q.Get("code_challenge"))
			}
			if q.Encode() != want.Encode() {
				t.Errorf("query\n got %s\nwant %s", q.Encode(), want.Encode())
			}
		})
	}
}

// TestOAuth2CallbackRows is reference §4.2 on /oauth2 where the identity
// provider matters: CIS2 refuses a user below acr_values with an error
// redirect, which the platform never reads (500 unknown_error); an AAL2 user
// CIS2 admits has no aal2 product scope in the local app's defaults (401
// unauthorized_client); an AAL3 user reaches the app with exactly code and
// state. No failure reaches the app's callback.
func TestOAuth2CallbackRows(t *testing.T) {
	for _, tt := range []struct {
		name, user, acr string
		status          int
		code            string
	}{
		{"AAL2 user below AAL3_ANY: CIS2's access_denied", "656005750109", "", 500, "unknown_error"},
		{"AAL2 user admitted, refused by assurance", "656005750109", "AAL2_OR_AAL3_ANY", 401, "unauthorized_client"},
		{"AAL3 user", "656005750104", "", http.StatusFound, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSAEnv(t)
			b := newCIS2Browser(t, e)
			extra := url.Values{}
			if tt.acr != "" {
				extra.Set("acr_values", tt.acr)
			}
			loc, status, body := b.signIn(t, tt.user, extra)
			if tt.code == "" {
				if loc == nil {
					t.Fatalf("stopped at %d %s; hops %v", status, body, b.hops)
				}
				if q := loc.Query(); len(q) != 2 || q.Get("state") != "app-state" || q.Get("code") == "" {
					t.Fatalf("app callback %s, want exactly code and state", loc)
				}
				return
			}
			if loc != nil || status != tt.status || saJSON(t, body)["error"] != tt.code {
				t.Fatalf("got %v %d %s, want %d %s to the browser; hops %v", loc, status, body, tt.status, tt.code, b.hops)
			}
		})
	}
}

// TestOAuth2ReplayAndBasePaths: the platform's state and code are single
// use on /oauth2 as on /oauth2-mock, and each base path keeps its own: a
// state or code /oauth2 issued is unknown to /oauth2-mock and is not spent
// there.
func TestOAuth2ReplayAndBasePaths(t *testing.T) {
	e := newSAEnv(t)
	b := newCIS2Browser(t, e)
	_, _, page := b.walk(t, http.MethodGet, cbAuthorizeAt(e, "/oauth2", "app-state", nil), nil)
	// Post the login form by hand to see the platform callback CIS2 sends to.
	req, _ := http.NewRequest(http.MethodPost, saFormActionOf(t, page), strings.NewReader("username=656005750104"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, hdr, _ := e.do(t, req)
	cb := hdr.Get("Location")
	if !strings.HasPrefix(cb, e.ts.URL+"/oauth2/callback?") {
		t.Fatalf("CIS2 sent the browser to %q", cb)
	}
	other := strings.Replace(cb, "/oauth2/callback", "/oauth2-mock/callback", 1)
	if status, _, body := e.get(t, other); status != 400 || saJSON(t, body)["error_description"] != "Invalid state parameter." {
		t.Fatalf("/oauth2 state at /oauth2-mock: %d %s", status, body)
	}
	// The state taken at the wrong base path is gone; start again.
	loc, _, body := b.signIn(t, "656005750104", nil)
	if loc == nil {
		t.Fatalf("sign-in: %s", body)
	}
	code := loc.Query().Get("code")
	if st, got := e.platform(t, "/oauth2-mock", cbCodeForm(code)); st != 400 || got["error"] != "invalid_grant" {
		t.Fatalf("/oauth2 code at /oauth2-mock: %d %v", st, got)
	}
	if st, got := e.platform(t, "/oauth2", cbCodeForm(code)); st != 200 {
		t.Fatalf("code after the other base path: %d %v", st, got)
	}
	if st, got := e.platform(t, "/oauth2", cbCodeForm(code)); st != 400 || got["error_description"] != "authorization_code is invalid" {
		t.Fatalf("replayed code: %d %v", st, got)
	}
	last := b.hops[len(b.hops)-1]
	replay := strings.Fields(last)[1]
	if status, _, body := e.get(t, replay); status != 400 || saJSON(t, body)["error_description"] != "Invalid state parameter." {
		t.Fatalf("replayed callback %s: %d %s", replay, status, body)
	}
}

// TestOAuth2Journey is the whole /oauth2 journey without a browser:
// authorise → CIS2 login form → platform callback → app callback → token
// → Hello World user → userinfo (proxied to CIS2) → refresh → CIS2
// endSession, whose back-channel logout to {base}/oauth2/backchannel_logout
// revokes the session's platform tokens, refreshed ones included.
func TestOAuth2Journey(t *testing.T) {
	e := newSAEnv(t)
	b := newCIS2Browser(t, e)
	tok := b.cbTokens(t, "656005750104", nil)
	access := tok["access_token"].(string)
	if st, body := e.helloUser(t, access); st != 200 || !strings.Contains(string(body), "Hello User!") {
		t.Fatalf("hello user: %d %s", st, body)
	}
	st, body := e.bearer(t, "/oauth2/userinfo", access)
	if st != 200 || saJSON(t, body)["sub"] != "656005750104" {
		t.Fatalf("userinfo: %d %s", st, body)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultAPIKey}, "client_secret": {DefaultAPISecret}, "refresh_token": {tok["refresh_token"].(string)}}
	st, refreshed := e.platform(t, "/oauth2", refresh)
	if st != 200 || refreshed["refresh_count"] != "1" {
		t.Fatalf("refresh %d %v", st, refreshed)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+access)
	g, _ := e.srv.bearerGrant(r)
	k, err := e.srv.cis2Key()
	if err != nil || g.SID == "" {
		t.Fatalf("key %v, sid %q", err, g.SID)
	}
	hint, err := cis2Sign(k, "RS256", "JWT", map[string]any{"iss": CIS2Issuer(e.ts.URL), "aud": CIS2PlatformClientID, "sid": g.SID, "sub": "656005750104"})
	if err != nil {
		t.Fatal(err)
	}
	if st, _, body := e.get(t, CIS2Issuer(e.ts.URL)+"/connect/endSession?id_token_hint="+url.QueryEscape(hint)); st != 200 {
		t.Fatalf("endSession %d %s", st, body)
	}
	c, _ := e.srv.cis2.clients.get(CIS2PlatformClientID)
	if n := len(c.Deliveries); n != 1 || !c.Deliveries[0].Delivered || c.Deliveries[0].URI != e.ts.URL+"/oauth2/backchannel_logout" {
		t.Fatalf("deliveries %+v", c.Deliveries)
	}
	for _, a := range []string{access, refreshed["access_token"].(string)} {
		if st, body := e.helloUser(t, a); st != 401 {
			t.Errorf("hello user after logout: %d %s", st, body)
		}
		if st, body := e.bearer(t, "/oauth2/userinfo", a); st != 401 {
			t.Errorf("userinfo after logout: %d %s", st, body)
		}
	}
	refresh.Set("refresh_token", refreshed["refresh_token"].(string))
	if st, got := e.platform(t, "/oauth2", refresh); st == 200 {
		t.Errorf("refresh after logout: %d %v", st, got)
	}
}

// TestOAuth2EndSessionBySession: without id_token_hint the browser's CIS2
// session cookie names the session, and only a confirm with the page's
// session code ends it (a forged code shows the page again); the platform's
// tokens are then revoked by back-channel logout.
func TestOAuth2EndSessionBySession(t *testing.T) {
	e := newSAEnv(t)
	b := newCIS2Browser(t, e)
	tok := b.cbTokens(t, "656005750104", nil)
	end := CIS2Issuer(e.ts.URL) + "/connect/endSession"
	_, status, page := b.walk(t, http.MethodGet, end, nil)
	m := cbSessionCode.FindSubmatch(page)
	if status != 200 || m == nil || !strings.Contains(string(page), LogoutFormID) {
		t.Fatalf("confirm page %d %s", status, page)
	}
	_, status, page = b.walk(t, http.MethodPost, end, url.Values{"session_code": {"forged"}})
	if st, _ := e.helloUser(t, tok["access_token"].(string)); status != 200 || !cbSessionCode.Match(page) || st != 200 {
		t.Fatalf("a forged session_code: %d, hello %d", status, st)
	}
	if _, status, _ = b.walk(t, http.MethodPost, end, url.Values{"session_code": {string(m[1])}}); status != 200 {
		t.Fatalf("logout %d", status)
	}
	if st, _ := e.helloUser(t, tok["access_token"].(string)); st != 401 {
		t.Errorf("hello after logout: %d, want 401", st)
	}
	if status, _, _ := e.get(t, end); status != 400 {
		t.Errorf("endSession without hint or session: %d, want 400", status)
	}
}
