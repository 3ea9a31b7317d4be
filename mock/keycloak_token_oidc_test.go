package mock

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// saCode logs user in at d with params and returns the code.
func (e *saEnv) saCode(t *testing.T, d *realmDef, params url.Values, user string) string {
	t.Helper()
	return e.login(t, d, params, user).Query().Get("code")
}

// TestRealmTokenRows walks reference §5.7 and the order of checks: grant
// type, client authentication, code, redirect_uri, PKCE.
func TestRealmTokenRows(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	verifier := strings.Repeat("a1-._~", 8) // 48 unreserved characters
	cases := []struct {
		name       string
		auth       func(p url.Values)          // changes to the authorise request
		form       func(f url.Values)          // changes to the token request
		before     func(e *saEnv, code string) // runs between login and token request
		status     int
		code, desc string
	}{
		{name: "valid", status: 200},
		{name: "grant_type missing", form: func(f url.Values) { f.Del("grant_type") },
			status: 400, code: "invalid_request", desc: "Missing form parameter: grant_type"},
		{name: "grant_type password", form: func(f url.Values) { f.Set("grant_type", "password") },
			status: 400, code: "unsupported_grant_type", desc: "Unsupported grant_type"},
		{name: "client unknown", form: func(f url.Values) { f.Set("client_id", "test-client-cis2") },
			status: 401, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials"},
		{name: "client of the other realm", form: func(f url.Values) {
			f.Set("client_id", NHSLoginClientID)
			f.Set("client_secret", NHSLoginClientSecret)
		}, status: 401, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials"},
		{name: "secret wrong", form: func(f url.Values) { f.Set("client_secret", "nope") },
			status: 401, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials"},
		{name: "secret missing", form: func(f url.Values) { f.Del("client_secret") },
			status: 401, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials"},
		{name: "client checked before the code", form: func(f url.Values) { f.Set("client_secret", "nope"); f.Set("code", "x") },
			status: 401, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials"},
		{name: "code missing", form: func(f url.Values) { f.Del("code") },
			status: 400, code: "invalid_request", desc: "Missing parameter: code"},
		{name: "code unknown", form: func(f url.Values) { f.Set("code", "b1c3.d2.e4") },
			status: 400, code: "invalid_grant", desc: "Code not valid"},
		{name: "code expired after 60 s", before: func(e *saEnv, _ string) { e.clock.Add(61 * time.Second) },
			status: 400, code: "invalid_grant", desc: "Code not valid"},
		{name: "code used", before: func(e *saEnv, code string) {
			if s, body := e.tokens(t, d, saCodeForm(d, code, MockRedirectURI)); s != 200 {
				t.Fatalf("first use: %d %v", s, body)
			}
		}, status: 400, code: "invalid_grant", desc: "Code not valid"},
		{name: "code checked before redirect_uri", form: func(f url.Values) { f.Set("code", "x"); f.Set("redirect_uri", "https://example.org") },
			status: 400, code: "invalid_grant", desc: "Code not valid"},
		{name: "redirect_uri differs by a slash", form: func(f url.Values) { f.Set("redirect_uri", "https://example.org") },
			status: 400, code: "invalid_grant", desc: "Incorrect redirect_uri"},
		{name: "redirect_uri missing", form: func(f url.Values) { f.Del("redirect_uri") },
			status: 400, code: "invalid_grant", desc: "Incorrect redirect_uri"},
		{name: "redirect_uri checked before PKCE", auth: saPKCE(saS256(verifier), "S256"), form: func(f url.Values) { f.Set("redirect_uri", "https://x.example/") },
			status: 400, code: "invalid_grant", desc: "Incorrect redirect_uri"},
		{name: "PKCE S256", auth: saPKCE(saS256(verifier), "S256"), form: func(f url.Values) { f.Set("code_verifier", verifier) }, status: 200},
		{name: "PKCE S256 verifier missing", auth: saPKCE(saS256(verifier), "S256"),
			status: 400, code: "invalid_grant", desc: "PKCE verification failed"},
		{name: "PKCE S256 verifier wrong", auth: saPKCE(saS256(verifier), "S256"), form: func(f url.Values) { f.Set("code_verifier", verifier+"x") },
			status: 400, code: "invalid_grant", desc: "PKCE verification failed"},
		{name: "PKCE S256 challenge sent as verifier", auth: saPKCE(saS256(verifier), "S256"), form: func(f url.Values) { f.Set("code_verifier", saS256(verifier)) },
			status: 400, code: "invalid_grant", desc: "PKCE verification failed"},
		{name: "PKCE plain", auth: saPKCE(verifier, "plain"), form: func(f url.Values) { f.Set("code_verifier", verifier) }, status: 200},
		{name: "PKCE method defaults to plain", auth: saPKCE(verifier, ""), form: func(f url.Values) { f.Set("code_verifier", verifier) }, status: 200},
		{name: "PKCE verifier without a challenge", form: func(f url.Values) { f.Set("code_verifier", verifier) },
			status: 400, code: "invalid_grant", desc: "PKCE verification failed"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := saAuthParams(d, MockRedirectURI)
			if tt.auth != nil {
				tt.auth(p)
			}
			code := e.saCode(t, d, p, "656005750104")
			if tt.before != nil {
				tt.before(e, code)
			}
			f := saCodeForm(d, code, MockRedirectURI)
			if tt.form != nil {
				tt.form(f)
			}
			status, body := e.tokens(t, d, f)
			if tt.status == 200 {
				if status != 200 || body["id_token"] == nil {
					t.Errorf("got %d %v, want tokens", status, body)
				}
				return
			}
			if status != tt.status || body["error"] != tt.code || body["error_description"] != tt.desc || len(body) != 2 {
				t.Errorf("got %d %v, want %d {error %s, error_description %s}", status, body, tt.status, tt.code, tt.desc)
			}
		})
	}
}

func saPKCE(challenge, method string) func(url.Values) {
	return func(p url.Values) {
		p.Set("code_challenge", challenge)
		if method != "" {
			p.Set("code_challenge_method", method)
		}
	}
}

// TestRealmTokenResponse checks the token response and the ID token of each
// realm (reference §5.5, §5.6): Keycloak's fields, RS256 with kid and typ
// JWT, one hour, nonce echoed, the user's claims.
func TestRealmTokenResponse(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		d      *realmDef
		user   string
		claims map[string]any
	}{
		{realmCIS2Def, "656005750108", map[string]any{
			"sub": "656005750108", "uid": "656005750108", "aud": CIS2ClientID, "azp": CIS2ClientID, "typ": "ID",
			"acr": "AAL3_ANY", "authentication_assurance_level": "3", "id_assurance_level": "3", "name": "Amira Shah",
		}},
		{realmCIS2Def, "656005750109", map[string]any{"acr": "AAL2_ANY", "authentication_assurance_level": "2"}},
		{realmCIS2Def, "656005750110", map[string]any{"acr": "AAL1_USERPASS", "authentication_assurance_level": "1"}},
		{realmNHSLoginDef, "9912003071", map[string]any{
			"aud": NHSLoginClientID, "nhs_number": "9912003071", "identity_proofing_level": "P9", "vot": "P9.Cp.Cd",
			"id_status": "verified", "token_use": "id",
		}},
		{realmNHSLoginDef, "9912003073", map[string]any{"identity_proofing_level": "P0", "vot": "P0.Cp.Cd"}},
	}
	for _, tt := range cases {
		t.Run(tt.user, func(t *testing.T) {
			p := saAuthParams(tt.d, MockRedirectURI)
			status, body := e.tokens(t, tt.d, saCodeForm(tt.d, e.saCode(t, tt.d, p, tt.user), MockRedirectURI))
			if status != 200 {
				t.Fatalf("%d %v", status, body)
			}
			for k, want := range map[string]any{"expires_in": 300.0, "refresh_expires_in": 1800.0, "token_type": "Bearer", "not-before-policy": 0.0, "scope": "openid profile"} {
				if body[k] != want {
					t.Errorf("%s = %#v, want %#v", k, body[k], want)
				}
			}
			for _, k := range []string{"access_token", "refresh_token", "session_state", "id_token"} {
				if s, _ := body[k].(string); s == "" {
					t.Errorf("%s missing", k)
				}
			}
			header, claims := saDecode(t, body["id_token"].(string))
			if header["alg"] != "RS256" || header["typ"] != "JWT" || header["kid"] != saKID(e, tt.d.Name) {
				t.Errorf("header %v", header)
			}
			if claims["iss"] != e.realmURL(tt.d) || claims["nonce"] != p.Get("nonce") || claims["sid"] != body["session_state"] {
				t.Errorf("iss/nonce/sid: %v", claims)
			}
			if exp, iat := claims["exp"].(float64), claims["iat"].(float64); exp-iat != 3600 || iat != float64(e.clock.Now().Unix()) {
				t.Errorf("lifetime exp−iat = %v, iat %v", exp-iat, iat)
			}
			for k, want := range tt.claims {
				if claims[k] != want {
					t.Errorf("%s = %#v, want %#v", k, claims[k], want)
				}
			}
			if tt.d == realmNHSLoginDef {
				sub, _ := claims["sub"].(string)
				if len(sub) != 36 || sub == tt.user {
					t.Errorf("NHS login sub = %q, want a UUID", sub)
				}
				// Stable per user.
				if again := saIDClaims(t, e, tt.d, tt.user)["sub"]; again != sub {
					t.Errorf("sub changed between logins: %v, %v", sub, again)
				}
			}
		})
	}
}

func saIDClaims(t *testing.T, e *saEnv, d *realmDef, user string) map[string]any {
	t.Helper()
	_, c := saDecode(t, e.idToken(t, d, user))
	return c
}

// saDecode decodes a JWT's header and claims without verifying it.
func saDecode(t *testing.T, tok string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	var out [2]map[string]any
	for i := range out {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out[0], out[1]
}

// TestRealmTokenBasicAuth: client_secret_basic works, with form-encoded
// credentials (RFC 6749 §2.3.1); a wrong one is refused.
func TestRealmTokenBasicAuth(t *testing.T) {
	e := newSAEnv(t)
	d := realmNHSLoginDef
	for _, tt := range []struct {
		secret string
		status int
	}{{d.ClientSecret, 200}, {"nope", 401}} {
		f := saCodeForm(d, e.saCode(t, d, saAuthParams(d, MockRedirectURI), "9912003071"), MockRedirectURI)
		f.Del("client_id")
		f.Del("client_secret")
		req, _ := http.NewRequest(http.MethodPost, e.realmURL(d)+"/protocol/openid-connect/token", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(d.ClientID), url.QueryEscape(tt.secret))
		if status, _, body := e.do(t, req); status != tt.status {
			t.Errorf("secret %q: %d %s", tt.secret, status, body)
		}
	}
}

// TestRealmRefreshAndLogout: the realm's refresh token renews the tokens once
// (single use); userinfo answers for the access token; logout with the ID
// token ends the session, after which userinfo and refresh refuse.
func TestRealmRefreshAndLogout(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	p := saAuthParams(d, MockRedirectURI)
	p.Set("scope", "openid profile nationalrbacaccess")
	_, first := e.tokens(t, d, saCodeForm(d, e.saCode(t, d, p, "656005750108"), MockRedirectURI))
	refreshForm := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)},
		"client_id": {d.ClientID}, "client_secret": {d.ClientSecret}}
	status, second := e.tokens(t, d, refreshForm)
	if status != 200 || second["id_token"] == nil || second["refresh_token"] == first["refresh_token"] {
		t.Fatalf("refresh: %d %v", status, second)
	}
	if _, c := saDecode(t, second["id_token"].(string)); c["nonce"] != nil || c["sub"] != "656005750108" {
		t.Errorf("refreshed ID token claims %v", c)
	}
	if status, again := e.tokens(t, d, refreshForm); status != 400 || again["error"] != "invalid_grant" || again["error_description"] != "Invalid refresh token" {
		t.Errorf("reused refresh token: %d %v", status, again)
	}

	info := func(tok string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodGet, e.realmURL(d)+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		status, _, body := e.do(t, req)
		return status, saJSON(t, body)
	}
	status, ui := info(second["access_token"].(string))
	roles, _ := ui["nhsid_nrbac_roles"].([]any)
	if status != 200 || ui["sub"] != "656005750108" || ui["nhsid_useruid"] != "656005750108" || ui["name"] != "Amira Shah" || len(roles) != 1 {
		t.Fatalf("userinfo: %d %v", status, ui)
	}
	if role := roles[0].(map[string]any); role["person_roleid"] != "555254242106" || role["role_code"] != "S8000:G8000:R0260" {
		t.Errorf("role %v", role)
	}
	for _, bad := range []string{"", "not-a-token", first["id_token"].(string)} {
		if status, body := info(bad); status != 401 || body["error"] != "invalid_token" {
			t.Errorf("userinfo with %.10q: %d %v", bad, status, body)
		}
	}
	if status, body := info(saSign(t, saKeys.other, map[string]any{"alg": "RS256", "kid": saKID(e, RealmCIS2)}, map[string]any{"sub": "x"})); status != 401 {
		t.Errorf("userinfo with a forged token: %d %v", status, body)
	}

	logout := e.realmURL(d) + "/protocol/openid-connect/logout?" + url.Values{
		"id_token_hint": {second["id_token"].(string)}, "post_logout_redirect_uri": {"https://example.org/bye"}, "state": {"s1"},
	}.Encode()
	status, hdr, _ := e.get(t, logout)
	if status != http.StatusFound || hdr.Get("Location") != "https://example.org/bye?state=s1" {
		t.Errorf("logout: %d %s", status, hdr.Get("Location"))
	}
	if status, _ := info(second["access_token"].(string)); status != 401 {
		t.Errorf("userinfo after logout: %d", status)
	}
	refreshForm.Set("refresh_token", second["refresh_token"].(string))
	if status, body := e.tokens(t, d, refreshForm); status != 400 || body["error_description"] != "Invalid refresh token" {
		t.Errorf("refresh after logout: %d %v", status, body)
	}
	// Logout without a hint just says so; a redirect needs a hint or client_id.
	if status, _, body := e.get(t, e.realmURL(d)+"/protocol/openid-connect/logout"); status != 200 || !strings.Contains(string(body), "You are logged out") {
		t.Errorf("bare logout: %d", status)
	}
	if status, _, _ := e.get(t, e.realmURL(d)+"/protocol/openid-connect/logout?post_logout_redirect_uri=https://example.org/"); status != 400 {
		t.Errorf("logout redirect without hint: %d", status)
	}
}

// TestMockCredentials is GET /mock-jwks/keycloak-client-credentials
// (reference §5.5).
func TestMockCredentials(t *testing.T) {
	e := newSAEnv(t)
	get := func(key string) (int, http.Header, []byte) {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/mock-jwks/keycloak-client-credentials", nil)
		if key != "" {
			req.Header.Set("apikey", key)
		}
		return e.do(t, req)
	}
	status, _, body := get(DefaultAPIKey)
	want := `{"cis2":{"client_id":"nhsauth-cis2-client","client_secret":"nhsauth-cis2-client-secret","redirect_uri":"https://example.org/"},` +
		`"nhs-login":{"client_id":"nhsauth-nhs-login-client","client_secret":"nhsauth-nhs-login-client-secret","redirect_uri":"https://example.org/"}}`
	if status != 200 || strings.TrimSpace(string(body)) != want {
		t.Errorf("got %d %s", status, body)
	}
	for _, key := range []string{"", "wrong", strings.ToUpper(DefaultAPIKey)} {
		if status, _, body := get(key); status != 401 || len(body) != 0 {
			t.Errorf("apikey %q: %d %q, want 401 and an empty body", key, status, body)
		}
	}
}

// TestSeedRequests sends the seed's two requests of reference §5.5 with
// plain net/http, as its curl commands do, after an authorise and login with
// redirect_uri https://example.org.
func TestSeedRequests(t *testing.T) {
	e := newSAEnv(t)
	// curl --location --request GET '{api}/mock-jwks/keycloak-client-credentials' --header 'apikey: {your API key}'
	req, _ := http.NewRequest("GET", e.ts.URL+"/mock-jwks/keycloak-client-credentials", nil)
	req.Header.Set("apikey", DefaultAPIKey)
	status, _, body := e.do(t, req)
	var creds map[string]map[string]string
	if err := json.Unmarshal(body, &creds); status != 200 || err != nil {
		t.Fatalf("credentials: %d %s", status, body)
	}
	cis2 := creds["cis2"]
	p := url.Values{"response_type": {"code"}, "client_id": {cis2["client_id"]}, "redirect_uri": {"https://example.org"}, "scope": {"openid"}}
	code := e.saCode(t, realmCIS2Def, p, "656005750104")

	// curl --location --request POST '{identity}/realms/Cis2-mock-local/protocol/openid-connect/token'
	//   --header 'Content-Type: application/x-www-form-urlencoded' --data-urlencode 'grant_type=authorization_code' ...
	data := "grant_type=" + url.QueryEscape("authorization_code") +
		"&code=" + url.QueryEscape(code) +
		"&redirect_uri=" + url.QueryEscape("https://example.org") +
		"&client_id=" + url.QueryEscape(cis2["client_id"]) +
		"&client_secret=" + url.QueryEscape(cis2["client_secret"])
	req, _ = http.NewRequest("POST", e.ts.URL+"/realms/Cis2-mock-local/protocol/openid-connect/token", strings.NewReader(data))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, body = e.do(t, req)
	tokens := saJSON(t, body)
	if status != 200 || tokens["id_token"] == nil || tokens["access_token"] == nil {
		t.Fatalf("token: %d %s", status, body)
	}
	// And the ID token exchanges at /oauth2-mock/token.
	status, out := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", tokens["id_token"].(string)))
	saWantExchanged(t, status, out, realmCIS2Def)
}
