package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// cbWant checks a platform error body.
func cbWant(t *testing.T, status int, body []byte, wantStatus int, wantCode, wantDesc string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d (%s)", status, wantStatus, body)
	}
	got := saJSON(t, body)
	if got["error"] != wantCode || got["error_description"] != wantDesc || got["message_id"] == nil {
		t.Fatalf("body %v, want %s / %s with message_id", got, wantCode, wantDesc)
	}
}

// TestCombinedAuthorizeRows is reference §4.1, row by row in the platform's
// order: each case breaks one more rule than the one before it is fixed.
// Both base paths follow the same rows (/oauth2 trusts the local CIS2).
func TestCombinedAuthorizeRows(t *testing.T) {
	e := newSAEnv(t)
	for _, base := range []string{"/oauth2-mock", "/oauth2"} {
		t.Run(base, func(t *testing.T) {
			full := url.Values{"client_id": {DefaultAPIKey}, "redirect_uri": {DefaultCallbackURL}, "response_type": {"code"}, "state": {"xyz"}}
			with := func(mod func(url.Values)) string {
				q := url.Values{}
				for k, v := range full {
					q[k] = v
				}
				mod(q)
				return base + "/authorize?" + q.Encode()
			}
			json := []struct {
				name, path string
				status     int
				code, desc string
			}{
				{"1 client_id missing (before everything else)", base + "/authorize?redirect_uri=x", 401, "invalid_request", "client_id is missing"},
				{"2 client_id unknown", with(func(q url.Values) { q.Set("client_id", "nope"); q.Del("redirect_uri") }), 401, "invalid_request", "client_id is invalid"},
				{"3 redirect_uri missing", with(func(q url.Values) { q.Del("redirect_uri"); q.Del("state") }), 400, "invalid_request", "redirect_uri is missing"},
				{"4 redirect_uri not the registered one", with(func(q url.Values) { q.Set("redirect_uri", DefaultCallbackURL+"/"); q.Del("state") }), 400, "invalid_request", "redirect_uri is invalid"},
			}
			for _, tt := range json {
				t.Run(tt.name, func(t *testing.T) {
					status, _, body := e.get(t, e.ts.URL+tt.path)
					cbWant(t, status, body, tt.status, tt.code, tt.desc)
				})
			}
			redirects := []struct {
				name, path, want string
			}{
				{"5 state missing", with(func(q url.Values) { q.Del("state"); q.Del("response_type") }), DefaultCallbackURL + "?error=invalid_request&error_description=state+is+missing"},
				{"6 response_type missing", with(func(q url.Values) { q.Del("response_type") }), DefaultCallbackURL + "?error=invalid_request&error_description=response_type+is+missing&state=xyz"},
				{"7 response_type not code", with(func(q url.Values) { q.Set("response_type", "token") }), DefaultCallbackURL + "?error=unsupported_response_type&error_description=response_type+is+invalid&state=xyz"},
			}
			for _, tt := range redirects {
				t.Run(tt.name, func(t *testing.T) {
					status, hdr, body := e.get(t, e.ts.URL+tt.path)
					if status != http.StatusFound || hdr.Get("Location") != tt.want {
						t.Fatalf("got %d %q %s, want 302 %q", status, hdr.Get("Location"), body, tt.want)
					}
				})
			}
			t.Run("POST is 405 with Allow GET and no body", func(t *testing.T) {
				status, hdr, body := e.postForm(t, e.ts.URL+with(func(url.Values) {}), url.Values{})
				if status != http.StatusMethodNotAllowed || hdr.Get("Allow") != "GET" || len(body) != 0 {
					t.Fatalf("got %d %q %q", status, hdr.Get("Allow"), body)
				}
			})
		})
	}
}

// TestCombinedCallbackRows is reference §4.2: an unknown state, a replayed
// state (single use, even after the first callback failed), an identity
// provider error, and the assurance refusal.
func TestCombinedCallbackRows(t *testing.T) {
	e := newSAEnv(t)
	t.Run("1 unknown state", func(t *testing.T) {
		status, _, body := e.get(t, e.ts.URL+"/oauth2-mock/callback?code=c&state=nope")
		cbWant(t, status, body, 400, "invalid_request", "Invalid state parameter.")
	})
	t.Run("2 state deleted at once: a replay after a failure", func(t *testing.T) {
		_, hdr, _ := e.get(t, cbAuthorize(e, "s", nil))
		loc, _ := url.Parse(hdr.Get("Location"))
		own := loc.Query().Get("state")
		// The realm's error redirect is never read: a missing code ends in 500.
		status, _, body := e.get(t, e.ts.URL+"/oauth2-mock/callback?error=access_denied&state="+own)
		cbWant(t, status, body, 500, "unknown_error", unknownError.Description)
		status, _, body = e.get(t, e.ts.URL+"/oauth2-mock/callback?code=x&state="+own)
		cbWant(t, status, body, 400, "invalid_request", "Invalid state parameter.")
	})
	t.Run("2 replay of a successful callback", func(t *testing.T) {
		b := newCBBrowser(t, e)
		if loc, status, body := b.signIn(t, "656005750104", nil); loc == nil {
			t.Fatalf("%d %s", status, body)
		}
		var cb string
		for _, h := range b.hops {
			if strings.Contains(h, "/oauth2-mock/callback?") {
				cb = strings.Fields(h)[1]
			}
		}
		status, _, body := e.get(t, cb)
		cbWant(t, status, body, 400, "invalid_request", "Invalid state parameter.")
	})
	t.Run("5 assurance: AAL1 user", func(t *testing.T) {
		_, status, body := newCBBrowser(t, e).signIn(t, "656005750110", nil)
		cbWant(t, status, body, 401, "unauthorized_client", cbNoScope.Description)
	})
}

// TestExternalIDTokenChecks is §4.2 step 4, in order.
func TestExternalIDTokenChecks(t *testing.T) {
	e := newSAEnv(t)
	iss := e.ts.URL + "/realms/" + RealmCIS2
	good := map[string]any{"iss": iss, "aud": PlatformCIS2ClientID, "sub": "u", "sid": "s"}
	kid := e.srv.oidc.keys.keys[RealmCIS2].kid
	mod := func(k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range good {
			c[kk] = vv
		}
		c[k] = v
		return c
	}
	hdr := map[string]any{"alg": "RS256", "kid": kid}
	tests := []struct {
		name string
		raw  string
		want *platformError
	}{
		{"malformed", "not.a.jwt", cbMalformed},
		{"aud another client", saSign(t, saKeys.cis2, hdr, mod("aud", "other")), cbBadAud},
		{"aud array, first element wrong", saSign(t, saKeys.cis2, hdr, mod("aud", []string{"other", PlatformCIS2ClientID})), cbBadAud},
		{"iss another realm", saSign(t, saKeys.cis2, hdr, mod("iss", e.ts.URL+"/realms/"+RealmNHSLogin)), cbBadIss},
		{"iss case differs: fine, then signature by another key", saSign(t, saKeys.nhs, hdr, mod("iss", strings.ToUpper(iss))), cbBadSignature},
		{"RS512 accepted", saSign(t, saKeys.cis2, map[string]any{"alg": "RS512", "kid": kid}, good), nil},
		{"valid", saSign(t, saKeys.cis2, hdr, good), nil},
	}
	r := httptest.NewRequest(http.MethodGet, e.ts.URL+"/oauth2-mock/callback", nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := checkExternalIDToken(r, realmIdP{e.srv, realmCIS2Def}, tt.raw)
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCombinedTokenRows is reference §4.3 in the platform's order; rows 1–6
// do not spend the code, and a used code is refused.
func TestCombinedTokenRows(t *testing.T) {
	e := newSAEnv(t)
	b := newCBBrowser(t, e)
	loc, _, _ := b.signIn(t, "656005750104", nil)
	code := loc.Query().Get("code")
	with := func(k, v string) url.Values {
		f := cbCodeForm(code)
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name       string
		form       url.Values
		status     int
		code, desc string
	}{
		{"grant_type missing", with("grant_type", ""), 400, "invalid_request", "grant_type is missing"},
		{"1 client_id missing", with("client_id", ""), 401, "invalid_request", "client_id is missing"},
		{"2 client_id unknown", with("client_id", "nope"), 401, "invalid_client", "client_id or client_secret is invalid"},
		{"3 client_secret missing", with("client_secret", ""), 401, "invalid_request", "client_secret is missing"},
		{"4 client_secret wrong", with("client_secret", "nope"), 401, "invalid_client", "client_id or client_secret is invalid"},
		{"5 redirect_uri missing", with("redirect_uri", ""), 400, "invalid_request", "redirect_uri is missing"},
		{"5 redirect_uri not registered", with("redirect_uri", "https://example.org/"), 400, "invalid_request", "redirect_uri is invalid"},
		{"6 code missing", with("code", ""), 400, "invalid_request", "authorization_code is missing"},
		{"7 code unknown", with("code", "nope"), 400, "invalid_grant", "authorization_code is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/token", tt.form)
			cbWant(t, status, body, tt.status, tt.code, tt.desc)
		})
	}
	t.Run("415 before all", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth2-mock/token", strings.NewReader(cbCodeForm(code).Encode()))
		req.Header.Set("Content-Type", "application/json")
		status, _, _ := e.do(t, req)
		if status != http.StatusUnsupportedMediaType {
			t.Fatalf("got %d", status)
		}
	})
	t.Run("at /oauth2/token the mock's code is unknown, and stays unspent", func(t *testing.T) {
		status, _, body := e.postForm(t, e.ts.URL+"/oauth2/token", cbCodeForm(code))
		cbWant(t, status, body, 400, "invalid_grant", "authorization_code is invalid")
	})
	t.Run("the code was not spent by rows 1–6; then it is used once", func(t *testing.T) {
		if st, body := e.platform(t, "/oauth2-mock", cbCodeForm(code)); st != http.StatusOK {
			t.Fatalf("first use: %d %v", st, body)
		}
		status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/token", cbCodeForm(code))
		cbWant(t, status, body, 400, "invalid_grant", "authorization_code is invalid")
	})
}

// TestCombinedCodeExpires: the platform's code lives 300 s.
func TestCombinedCodeExpires(t *testing.T) {
	e := newSAEnv(t)
	loc, _, _ := newCBBrowser(t, e).signIn(t, "656005750104", nil)
	e.clock.Add(combinedCodeTTL + 1)
	status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/token", cbCodeForm(loc.Query().Get("code")))
	cbWant(t, status, body, 400, "invalid_grant", "authorization_code is invalid")
}

// TestCombinedRefresh is §4.4: refresh_count goes up, the window counts
// down, and a used refresh token is refused.
func TestCombinedRefresh(t *testing.T) {
	e := newSAEnv(t)
	tok := newCBBrowser(t, e).cbTokens(t, "656005750104", nil)
	e.clock.Add(100e9)
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultAPIKey}, "client_secret": {DefaultAPISecret}, "refresh_token": {tok["refresh_token"].(string)}}
	st, r1 := e.platform(t, "/oauth2-mock", form)
	if st != 200 || r1["refresh_count"] != "1" || r1["refresh_token_expires_in"] != "43099" || len(r1) != 6 {
		t.Fatalf("refresh: %d %v", st, r1)
	}
	status, _, body := e.postForm(t, e.ts.URL+"/oauth2-mock/token", form)
	cbWant(t, status, body, 401, "invalid_grant", "refresh_token is invalid")
}
