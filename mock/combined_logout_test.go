package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestPlatformUserinfoRows is reference §4.5.
func TestPlatformUserinfoRows(t *testing.T) {
	e := newSAEnv(t)
	cis2 := newCBBrowser(t, e).cbTokens(t, "656005750104", nil)
	nhs := newCBBrowser(t, e).cbTokens(t, "9912003071", url.Values{"scope": {"nhs-login"}})
	exch := func() string {
		st, tok := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", e.idToken(t, realmCIS2Def, "656005750104")))
		if st != 200 {
			t.Fatalf("exchange %d %v", st, tok)
		}
		return tok["access_token"].(string)
	}()
	t.Run("1 no token", func(t *testing.T) {
		status, _, body := e.get(t, e.ts.URL+"/oauth2-mock/userinfo")
		cbWant(t, status, body, 401, userinfoUnauthorized.Code, userinfoUnauthorized.Description)
	})
	t.Run("1 unknown token", func(t *testing.T) {
		status, body := e.bearer(t, "/oauth2-mock/userinfo", "nope")
		cbWant(t, status, body, 401, userinfoUnauthorized.Code, userinfoUnauthorized.Description)
	})
	t.Run("2 CIS2 combined: the realm's claims", func(t *testing.T) {
		status, body := e.bearer(t, "/oauth2-mock/userinfo", cis2["access_token"].(string))
		got := saJSON(t, body)
		if status != 200 || got["nhsid_useruid"] != "656005750104" || got["nhsid_nrbac_roles"] == nil {
			t.Fatalf("%d %v", status, got)
		}
	})
	for name, tok := range map[string]string{"3 NHS login combined": nhs["access_token"].(string), "3 token exchange": exch} {
		t.Run(name, func(t *testing.T) {
			status, body := e.bearer(t, "/oauth2-mock/userinfo", tok)
			cbWant(t, status, body, 400, "invalid_request", userinfoOnlyCombined.Description)
		})
	}
}

// cbLogoutToken signs a logout token with the given claims changes.
func cbLogoutToken(t *testing.T, e *saEnv, sid string, change map[string]any, header map[string]any) string {
	t.Helper()
	c := map[string]any{
		"iss": e.ts.URL + "/realms/" + RealmCIS2, "aud": PlatformCIS2ClientID, "iat": e.clock.Now().Unix(),
		"exp": e.clock.Now().Add(time.Minute).Unix(), "jti": uuid.NewString(), "sid": sid,
		"events": map[string]any{backchannelEvent: map[string]any{}},
	}
	for k, v := range change {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	h := map[string]any{"alg": "RS256", "kid": e.srv.oidc.keys.keys[RealmCIS2].kid, "typ": "logout+jwt"}
	for k, v := range header {
		h[k] = v
	}
	return saSign(t, saKeys.cis2, h, c)
}

// TestBackchannelLogoutRows is reference §4.6 in order, with forged,
// unsigned and malformed logout tokens, then a good one that revokes the
// session's tokens, refreshed ones included.
func TestBackchannelLogoutRows(t *testing.T) {
	e := newSAEnv(t)
	tok := newCBBrowser(t, e).cbTokens(t, "656005750104", nil)
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultAPIKey}, "client_secret": {DefaultAPISecret}, "refresh_token": {tok["refresh_token"].(string)}}
	st, refreshed := e.platform(t, "/oauth2-mock", refresh)
	if st != 200 {
		t.Fatalf("refresh %d %v", st, refreshed)
	}
	var sid string
	for k := range e.srv.combined.sids.m {
		sid = k
	}
	parts := strings.Split(cbLogoutToken(t, e, sid, nil, nil), ".")
	unsigned := "eyJhbGciOiJub25lIiwidHlwIjoibG9nb3V0K2p3dCJ9." + parts[1] + "."
	tests := []struct {
		name       string
		token      string
		status     int
		code, desc string
	}{
		{"1 not a JWT", "garbage", 400, "invalid_request", "Malformed JWT in logout_token"},
		{"1 missing", "", 400, "invalid_request", "Malformed JWT in logout_token"},
		{"2 aud another client", cbLogoutToken(t, e, sid, map[string]any{"aud": "someone"}, nil), 400, "invalid_request", "Missing/invalid aud claim in JWT"},
		{"2 aud missing (checked before iss)", cbLogoutToken(t, e, sid, map[string]any{"aud": nil, "iss": "x"}, nil), 400, "invalid_request", "Missing/invalid aud claim in JWT"},
		{"2 iss another realm", cbLogoutToken(t, e, sid, map[string]any{"iss": e.ts.URL + "/realms/" + RealmNHSLogin}, nil), 400, "invalid_request", "Missing/invalid iss claim in JWT"},
		{"2 sid missing", cbLogoutToken(t, e, sid, map[string]any{"sid": nil}, nil), 400, "invalid_request", "Missing sid claim in JWT"},
		{"2 events missing member", cbLogoutToken(t, e, sid, map[string]any{"events": map[string]any{"x": 1}}, nil), 400, "invalid_request", "Missing/invalid events claim in JWT"},
		{"2 nonce present", cbLogoutToken(t, e, sid, map[string]any{"nonce": "n"}, nil), 400, "invalid_request", "Prohibited nonce claim in JWT"},
		{"4 unsigned (alg none)", unsigned, 400, "bad_request", "Unable to verify JWT"},
		{"4 forged: signed by another key", saSign(t, saKeys.nhs, map[string]any{"alg": "RS256", "kid": e.srv.oidc.keys.keys[RealmCIS2].kid}, map[string]any{"iss": e.ts.URL + "/realms/" + RealmCIS2, "aud": PlatformCIS2ClientID, "sid": sid, "events": map[string]any{backchannelEvent: map[string]any{}}}), 400, "bad_request", "Unable to verify JWT"},
		{"4 unknown kid", cbLogoutToken(t, e, sid, nil, map[string]any{"kid": "other"}), 400, "bad_request", "Unable to verify JWT"},
		{"5 sid unknown", cbLogoutToken(t, e, "not-a-session", nil, nil), 501, "not_implemented", "SID not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/backchannel_logout", url.Values{"logout_token": {tt.token}})
			cbWant(t, status, body, tt.status, tt.code, tt.desc)
		})
	}
	// Nothing above revoked anything.
	if st, _ := e.bearer(t, "/oauth2-mock/userinfo", refreshed["access_token"].(string)); st != 200 {
		t.Fatalf("userinfo before logout: %d", st)
	}
	t.Run("403 from outside the allow list", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/oauth2-mock/backchannel_logout", strings.NewReader("logout_token="+cbLogoutToken(t, e, sid, nil, nil)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		cbWant(t, rec.Code, rec.Body.Bytes(), 403, backchannelForbidden.Code, backchannelForbidden.Description)
	})
	status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/backchannel_logout", url.Values{"logout_token": {cbLogoutToken(t, e, sid, nil, nil)}})
	if status != 200 || string(body) != `{"success":true}`+"\n" {
		t.Fatalf("logout: %d %s", status, body)
	}
	for name, at := range map[string]string{"first": tok["access_token"].(string), "refreshed": refreshed["access_token"].(string)} {
		if st, _ := e.bearer(t, "/oauth2-mock/userinfo", at); st != 401 {
			t.Errorf("userinfo with the %s access token after logout: %d, want 401", name, st)
		}
		if st, _ := e.helloUser(t, at); st != 401 {
			t.Errorf("hello with the %s access token after logout: %d, want 401", name, st)
		}
	}
	refresh.Set("refresh_token", refreshed["refresh_token"].(string))
	status, _, body = e.postForm(t, e.ts.URL+"/oauth2-mock/token", refresh)
	cbWant(t, status, body, 401, "invalid_grant", "refresh_token is invalid")
	// A replayed logout token finds no session.
	status, _, body = e.postForm(t, e.ts.URL+"/oauth2-mock/backchannel_logout", url.Values{"logout_token": {cbLogoutToken(t, e, sid, nil, nil)}})
	cbWant(t, status, body, 501, "not_implemented", "SID not found")
}

var cbSessionCode = regexp.MustCompile(`name="session_code" value="([^"]+)"`)

// TestRealmSSOAndEndSession: a second authorise in the same browser
// session goes straight back without the login page; the realm's
// end-session with the cookie shows a confirm page whose POST ends the
// session and sends the back-channel logout that revokes the platform's
// tokens; the next authorise shows the login page again.
func TestRealmSSOAndEndSession(t *testing.T) {
	e := newSAEnv(t)
	b := newCBBrowser(t, e)
	tok := b.cbTokens(t, "656005750104", nil)
	cookies := b.hc.Jar.Cookies(mustURL(t, e.ts.URL+"/realms/"+RealmCIS2+"/"))
	if len(cookies) != 1 || cookies[0].Name != sessionCookie {
		t.Fatalf("cookies %v", cookies)
	}
	b.hops = nil
	loc, status, body := b.walk(t, http.MethodGet, cbAuthorize(e, "again", nil), nil)
	if loc == nil || loc.Query().Get("state") != "again" {
		t.Fatalf("SSO stopped at %d %s", status, body)
	}
	if len(b.hops) != 3 {
		t.Errorf("hops %v: want authorize, realm auth, platform callback", b.hops)
	}
	if st, tok2 := e.platform(t, "/oauth2-mock", cbCodeForm(loc.Query().Get("code"))); st != 200 {
		t.Fatalf("second code: %d %v", st, tok2)
	}
	t.Run("prompt=login: the login page again", func(t *testing.T) {
		_, hdr, _ := e.get(t, cbAuthorize(e, "p", nil))
		loc, status, _ := b.walk(t, http.MethodGet, hdr.Get("Location")+"&prompt=login", nil)
		if loc != nil || status != 200 {
			t.Fatalf("got %v %d, want the login page", loc, status)
		}
	})
	t.Run("max_age passed: the login page again", func(t *testing.T) {
		e.clock.Add((platformMaxAge + 1) * time.Second)
		defer e.clock.Add(-(platformMaxAge + 1) * time.Second)
		loc, status, _ := b.walk(t, http.MethodGet, cbAuthorize(e, "late", nil), nil)
		if loc != nil || status != 200 {
			t.Fatalf("got %v %d, want the login page", loc, status)
		}
	})
	logout := e.ts.URL + "/realms/" + RealmCIS2 + "/protocol/openid-connect/logout"
	_, status, page := b.walk(t, http.MethodGet, logout, nil)
	m := cbSessionCode.FindSubmatch(page)
	if status != 200 || m == nil || !strings.Contains(string(page), LogoutFormID) {
		t.Fatalf("confirm page %d %s", status, page)
	}
	if st, _ := e.helloUser(t, tok["access_token"].(string)); st != 200 {
		t.Fatal("the confirm page alone ended the session")
	}
	_, status, page = b.walk(t, http.MethodPost, logout, url.Values{"session_code": {"forged"}})
	if status != 200 || !cbSessionCode.Match(page) {
		t.Fatal("a forged session_code logged out")
	}
	_, status, page = b.walk(t, http.MethodPost, logout, url.Values{"session_code": {string(m[1])}})
	if status != 200 || !strings.Contains(string(page), "/oauth2-mock/backchannel_logout (client test-client-cis2): HTTP 200") {
		t.Fatalf("logout %d %s", status, page)
	}
	if st, _ := e.helloUser(t, tok["access_token"].(string)); st != 401 {
		t.Errorf("hello after logout: %d, want 401", st)
	}
	if loc, status, _ := b.walk(t, http.MethodGet, cbAuthorize(e, "after", nil), nil); loc != nil || status != 200 {
		t.Errorf("after logout got %v %d, want the login page", loc, status)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSessionCookieAttributes: the realm's session cookie is scoped to the
// realm's path, HttpOnly and SameSite=Lax, and Secure only over https.
func TestSessionCookieAttributes(t *testing.T) {
	for _, tt := range []struct {
		public     string
		wantSecure bool
	}{{"", false}, {"https://platform.example", true}} {
		e := newSAEnv(t, func(o *Options) { o.PublicURL = tt.public })
		_, _, page := e.get(t, e.realmURL(realmCIS2Def)+"/protocol/openid-connect/auth?"+saAuthParams(realmCIS2Def, MockRedirectURI).Encode())
		action := saFormActionOf(t, page)
		action = e.ts.URL + action[strings.Index(action, "/realms/"):]
		_, hdr, _ := e.postForm(t, action, url.Values{"username": {"656005750104"}})
		c := hdr.Get("Set-Cookie")
		if !strings.HasPrefix(c, sessionCookie+"=") || !strings.Contains(c, "Path=/realms/"+RealmCIS2+"/") ||
			!strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") != tt.wantSecure {
			t.Errorf("public URL %q: Set-Cookie %q", tt.public, c)
		}
	}
}
