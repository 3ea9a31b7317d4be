package mock

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTokenExchangeUsers logs each test user in at the local realm, exchanges
// the ID token and calls /hello-world/hello/user: AAL3, P9 and P5 users get
// platform tokens that work; AAL2, AAL1 and P0 users get 401
// unauthorized_client.
func TestTokenExchangeUsers(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		realm   *realmDef
		user    string
		ok      bool
		level   string
		pattern string
	}{
		{realmCIS2Def, "656005750104", true, "aal3", patternCIS2},
		{realmCIS2Def, "656005750108", true, "aal3", patternCIS2},
		{realmCIS2Def, "656005750109", false, "", ""},
		{realmCIS2Def, "656005750111", false, "", ""},
		{realmCIS2Def, "656005750110", false, "", ""},
		{realmNHSLoginDef, "9912003071", true, "P9", patternNHSLogin},
		{realmNHSLoginDef, "9912003072", true, "P5", patternNHSLogin},
		{realmNHSLoginDef, "9912003073", false, "", ""},
	}
	for _, tt := range cases {
		t.Run(tt.user, func(t *testing.T) {
			status, body := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", e.idToken(t, tt.realm, tt.user)))
			if !tt.ok {
				if status != http.StatusUnauthorized || body["error"] != "unauthorized_client" || body["error_description"] != saRow24 {
					t.Fatalf("got %d %v, want 401 unauthorized_client", status, body)
				}
				return
			}
			saWantExchanged(t, status, body, tt.realm)
			access := body["access_token"].(string)
			g, ok := e.srv.tokens.get(access)
			if !ok || g.Pattern != tt.pattern || g.Level != tt.level || g.APIKey != DefaultAPIKey || len(g.Scopes) == 0 {
				t.Errorf("grant = %+v, %v; want pattern %s level %s", g, ok, tt.pattern, tt.level)
			}
			for _, sc := range g.Scopes {
				if !strings.Contains(sc, ":"+tt.level+":") {
					t.Errorf("scope %q survived filtering at %s", sc, tt.level)
				}
			}
			if status, page := e.helloUser(t, access); status != http.StatusOK || !strings.Contains(string(page), "Hello User!") {
				t.Errorf("/hello/user: %d %s", status, page)
			}
		})
	}
}

// TestTokenExchangeRealFlowErrors: a real mock ID token sent to /oauth2/token
// (the real platform's, which trusts only real CIS2 and NHS login) gets §3.6
// step 6's error; an hour later the same token at /oauth2-mock has expired.
func TestTokenExchangeRealFlowErrors(t *testing.T) {
	e := newSAEnv(t)
	id := e.idToken(t, realmCIS2Def, "656005750104")
	status, body := e.platform(t, "/oauth2", e.exchangeForm(t, "/oauth2", id))
	if status != http.StatusBadRequest || body["error_description"] != "Missing or non-matching 'iss' claim in subject_token JWT" {
		t.Errorf("mock token at /oauth2: %d %v", status, body)
	}
	e.clock.Add(time.Hour + time.Second)
	status, body = e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", id))
	if status != http.StatusBadRequest || body["error_description"] != "Invalid 'exp' claim in subject_token JWT - JWT has expired" {
		t.Errorf("ID token after an hour: %d %v", status, body)
	}
}

// TestTokenExchangeShortenedLifetimes: the shorten-only overrides of
// reference §2.5 and §3.5 apply to the exchange's tokens.
func TestTokenExchangeShortenedLifetimes(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		name                 string
		form                 url.Values
		expiresIn, refreshIn string
	}{
		{"none", url.Values{}, "599", "43199"},
		{"access 60 s", url.Values{"_access_token_expiry_ms": {"60000"}}, "59", "43199"},
		{"access longer than default is ignored", url.Values{"_access_token_expiry_ms": {"900000"}}, "599", "43199"},
		{"access below 2000 ms is ignored", url.Values{"_access_token_expiry_ms": {"1999"}}, "599", "43199"},
		{"refresh token 1 h", url.Values{"_refresh_token_expiry_ms": {"3600000"}}, "599", "3599"},
		{"refresh window 2 h", url.Values{"_refresh_tokens_validity_ms": {"7200000"}}, "599", "7199"},
		{"not a number is ignored", url.Values{"_refresh_token_expiry_ms": {"soon"}}, "599", "43199"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			form := e.exchangeForm(t, "/oauth2-mock", saSign(t, saKeys.cis2,
				map[string]any{"alg": "RS256", "typ": "JWT", "kid": saKID(e, RealmCIS2)}, saSubjectClaims(e, realmCIS2Def)))
			for k, v := range tt.form {
				form[k] = v
			}
			status, body := e.platform(t, "/oauth2-mock", form)
			if status != http.StatusOK || body["expires_in"] != tt.expiresIn || body["refresh_token_expires_in"] != tt.refreshIn {
				t.Errorf("got %d expires_in %v refresh_token_expires_in %v, want %s %s", status, body["expires_in"], body["refresh_token_expires_in"], tt.expiresIn, tt.refreshIn)
			}
		})
	}
}

// TestSubjectHelpers pins the JavaScript semantics the checks rely on.
func TestSubjectHelpers(t *testing.T) {
	st, ok := decodeSubjectJWT(saSign(t, nil, map[string]any{"alg": "none"}, map[string]any{
		"a": 3, "b": "3", "c": 3.0, "d": []any{}, "e": 0, "f": "", "g": nil, "h": false, "i": map[string]any{},
	}))
	if !ok {
		t.Fatal("decode failed")
	}
	c := st.claims
	for k, want := range map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": false, "f": false, "g": false, "h": false, "i": true, "absent": false} {
		if got := subjectTruthy(c[k]); got != want {
			t.Errorf("truthy(%s=%v) = %v, want %v", k, c[k], got, want)
		}
	}
	for k, want := range map[string]string{"a": "3", "b": "3", "c": "3", "g": "null", "absent": "null"} {
		if got := subjectString(c[k]); got != want {
			t.Errorf("String(%s) = %q, want %q", k, got, want)
		}
	}
}
