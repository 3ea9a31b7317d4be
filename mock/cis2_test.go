package mock

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
)

// The Connection Manager's RFC 7591 validation rows.
func TestCIS2RegistrationRows(t *testing.T) {
	e := newCDEnv(t)
	jwks := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&saKeys.app.PublicKey, saAppKID)}}
	ok := []string{"https://app.example/cb"}
	rows := []struct {
		name     string
		meta     map[string]any
		wantCode string
	}{
		{"no redirect_uris", map[string]any{}, "invalid_redirect_uri"},
		{"empty redirect_uris", map[string]any{"redirect_uris": []string{}}, "invalid_redirect_uri"},
		{"relative", map[string]any{"redirect_uris": []string{"/cb"}}, "invalid_redirect_uri"},
		{"http not loopback", map[string]any{"redirect_uris": []string{"http://app.example/cb"}}, "invalid_redirect_uri"},
		{"fragment", map[string]any{"redirect_uris": []string{"https://app.example/cb#x"}}, "invalid_redirect_uri"},
		{"custom scheme", map[string]any{"redirect_uris": []string{"javascript:alert(1)"}}, "invalid_redirect_uri"},
		{"unknown method", map[string]any{"redirect_uris": ok, "token_endpoint_auth_method": "none"}, "invalid_client_metadata"},
		{"private_key_jwt without keys", map[string]any{"redirect_uris": ok, "token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"},
		{"jwks and jwks_uri", map[string]any{"redirect_uris": ok, "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks, "jwks_uri": "https://app.example/jwks"}, "invalid_client_metadata"},
		{"jwks not a JWKS", map[string]any{"redirect_uris": ok, "token_endpoint_auth_method": "private_key_jwt", "jwks": map[string]any{"keys": []any{}}}, "invalid_client_metadata"},
		{"jwks_uri http remote", map[string]any{"redirect_uris": ok, "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "http://app.example/jwks"}, "invalid_client_metadata"},
		{"userinfo alg HS256", map[string]any{"redirect_uris": ok, "userinfo_signed_response_alg": "HS256"}, "invalid_client_metadata"},
		{"logout uri relative", map[string]any{"redirect_uris": ok, "backchannel_logout_uri": "/logout"}, "invalid_client_metadata"},
		{"logout uri fragment", map[string]any{"redirect_uris": ok, "backchannel_logout_uri": "https://app.example/logout#f"}, "invalid_client_metadata"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			status, body := e.register(t, r.meta)
			if status != http.StatusBadRequest || body["error"] != r.wantCode || body["error_description"] == "" {
				t.Fatalf("got %d %v, want 400 %s", status, body, r.wantCode)
			}
		})
	}
	t.Run("not an object", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+ConnectionManagerPath+"/clients", strings.NewReader(`["x"]`))
		status, _, body := e.do(t, req)
		if status != http.StatusBadRequest || saJSON(t, body)["error"] != "invalid_client_metadata" {
			t.Fatalf("got %d %s", status, body)
		}
	})
}

// A registration answers 201 with the metadata, a 12-digit .apps.supplier
// client id, and a GUID secret for the secret methods only; GET reads it,
// DELETE removes it, and the page lists it.
func TestCIS2RegistrationIssues(t *testing.T) {
	e := newCDEnv(t)
	c := e.client(t, "client_secret_post", map[string]any{"userinfo_signed_response_alg": "RS512"})
	id := c["client_id"].(string)
	if len(id) != len("123456789012.apps.supplier") || !strings.HasSuffix(id, ".apps.supplier") {
		t.Errorf("client_id %q", id)
	}
	if s, _ := c["client_secret"].(string); len(s) != 36 || c["client_secret_expires_at"] != float64(0) {
		t.Errorf("secret %v expires %v", c["client_secret"], c["client_secret_expires_at"])
	}
	if c["userinfo_signed_response_alg"] != "RS512" || c["token_endpoint_auth_method"] != "client_secret_post" {
		t.Errorf("metadata %v", c)
	}
	pk := e.client(t, "private_key_jwt", nil)
	if _, has := pk["client_secret"]; has {
		t.Errorf("private_key_jwt client got a secret: %v", pk)
	}
	if d := e.client(t, "", nil); d["token_endpoint_auth_method"] != "client_secret_post" {
		t.Errorf("default method %v", d["token_endpoint_auth_method"])
	}
	status, _, body := e.get(t, e.ts.URL+ConnectionManagerPath+"/clients/"+id)
	if status != http.StatusOK || saJSON(t, body)["client_id"] != id {
		t.Fatalf("GET: %d %s", status, body)
	}
	if status, _, page := e.get(t, e.ts.URL+ConnectionManagerPath); status != http.StatusOK || !strings.Contains(string(page), id) {
		t.Fatalf("page: %d, lists %s: %v", status, id, strings.Contains(string(page), id))
	}
	req, _ := http.NewRequest(http.MethodDelete, e.ts.URL+ConnectionManagerPath+"/clients/"+id, nil)
	if status, _, _ := e.do(t, req); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", status)
	}
	if status, _, _ := e.get(t, e.ts.URL+ConnectionManagerPath+"/clients/"+id); status != http.StatusNotFound {
		t.Fatalf("GET after DELETE: %d", status)
	}
}

// Each method signs in end to end, and every other method is refused 401
// invalid_client for a client registered with it.
func TestCIS2ClientAuthMethods(t *testing.T) {
	e := newCDEnv(t)
	methods := []string{"client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt"}
	algOf := map[string]string{"client_secret_jwt": "HS256", "private_key_jwt": "RS512"}
	for _, m := range methods {
		c := e.client(t, m, nil)
		for _, other := range methods {
			t.Run(m+" by "+other, func(t *testing.T) {
				alg := algOf[other]
				if other == "client_secret_jwt" && c["client_secret"] == nil {
					alg = "HS256"
				}
				status, body := e.token(t, c, other, cdCodeForm(e.code(t, c, "656005750104")), nil, alg)
				if other == m {
					if status != http.StatusOK || body["id_token"] == nil {
						t.Fatalf("got %d %v", status, body)
					}
					return
				}
				if status != http.StatusUnauthorized || body["error"] != "invalid_client" {
					t.Fatalf("got %d %v, want 401 invalid_client", status, body)
				}
			})
		}
	}
}

// A bad client assertion is 401 {"error_description":"JWT is not valid",
// "error":"invalid_client"} (reference §6.4).
func TestCIS2BadAssertionRows(t *testing.T) {
	e := newCDEnv(t)
	pk := e.client(t, "private_key_jwt", nil)
	sj := e.client(t, "client_secret_jwt", nil)
	rows := []struct {
		name   string
		client map[string]any
		method string
		alg    string
		tweak  func(jwt.MapClaims)
	}{
		{"aud without the exact token endpoint", pk, "private_key_jwt", "RS512", func(c jwt.MapClaims) { c["aud"] = e.ts.URL + "/access_token" }},
		{"iss not the client", pk, "private_key_jwt", "RS512", func(c jwt.MapClaims) { c["iss"] = "999999999999.apps.national" }},
		{"sub not the client", pk, "private_key_jwt", "RS256", func(c jwt.MapClaims) { c["sub"] = "someone" }},
		{"exp missing", pk, "private_key_jwt", "RS512", func(c jwt.MapClaims) { delete(c, "exp") }},
		{"exp past", pk, "private_key_jwt", "RS512", func(c jwt.MapClaims) { c["exp"] = e.clock.Now().Add(-time.Second).Unix() }},
		{"jti missing", sj, "client_secret_jwt", "HS512", func(c jwt.MapClaims) { delete(c, "jti") }},
		{"HMAC with the wrong secret", sj, "client_secret_jwt", "HS256", nil},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			c := r.client
			if r.name == "HMAC with the wrong secret" {
				c = map[string]any{"client_id": sj["client_id"], "client_secret": "not-the-secret"}
			}
			status, body := e.token(t, c, r.method, cdCodeForm(e.code(t, r.client, "656005750104")), r.tweak, r.alg)
			if status != http.StatusUnauthorized || body["error"] != "invalid_client" || body["error_description"] != "JWT is not valid" {
				t.Fatalf("got %d %v", status, body)
			}
		})
	}
	t.Run("jti replayed", func(t *testing.T) {
		claims := e.assertionClaims(pk["client_id"].(string))
		same := func(c jwt.MapClaims) { c["jti"] = claims["jti"] }
		if status, body := e.token(t, pk, "private_key_jwt", cdCodeForm(e.code(t, pk, "656005750104")), same, "RS512"); status != http.StatusOK {
			t.Fatalf("first: %d %v", status, body)
		}
		status, body := e.token(t, pk, "private_key_jwt", cdCodeForm(e.code(t, pk, "656005750104")), same, "RS512")
		if status != http.StatusUnauthorized || body["error_description"] != "JWT is not valid" {
			t.Fatalf("replay: %d %v", status, body)
		}
	})
}

// A private_key_jwt client's keys may come from its jwks_uri.
func TestCIS2JWKSURI(t *testing.T) {
	e := newCDEnv(t)
	jwks := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&saKeys.app.PublicKey, saAppKID)}}
	srv := http.NewServeMux()
	srv.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) { w.Write(jwks.Marshal()) })
	e.srv.mux.Handle("/test-jwks/", http.StripPrefix("/test-jwks", srv))
	c := e.client(t, "private_key_jwt", map[string]any{"jwks": nil, "jwks_uri": e.ts.URL + "/test-jwks/jwks"})
	if status, body := e.token(t, c, "private_key_jwt", cdCodeForm(e.code(t, c, "656005750104")), nil, "RS256"); status != http.StatusOK {
		t.Fatalf("got %d %v", status, body)
	}
}

// The ID token of reference §6.3.
func TestCIS2IDToken(t *testing.T) {
	e := newCDEnv(t)
	c := e.client(t, "client_secret_post", nil)
	_, body := e.token(t, c, "client_secret_post", cdCodeForm(e.code(t, c, "656005750104")), nil, "")
	tok, _, err := jwt.NewParser().ParseUnverified(body["id_token"].(string), jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header["typ"] != "JWT" || tok.Header["alg"] != "RS256" || tok.Header["kid"] == "" {
		t.Errorf("header %v", tok.Header)
	}
	cl := tok.Claims.(jwt.MapClaims)
	for _, k := range []string{"iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "acr", "amr", "sid", "at_hash", "nonce", "id_assurance_level", "authentication_assurance_level"} {
		if cl[k] == nil {
			t.Errorf("claim %s missing: %v", k, cl)
		}
	}
	if cl["iss"] != e.issuer() || cl["sub"] != "656005750104" || cl["acr"] != "AAL3_ANY" || cl["authentication_assurance_level"] != float64(3) {
		t.Errorf("claims %v", cl)
	}
}

// The token endpoint's code rules.
func TestCIS2TokenRows(t *testing.T) {
	e := newCDEnv(t)
	c := e.client(t, "client_secret_post", nil)
	rows := []struct {
		name       string
		form       func(url.Values)
		wantStatus int
		wantCode   string
	}{
		{"no grant_type", func(f url.Values) { f.Del("grant_type") }, 400, "invalid_request"},
		{"client credentials", func(f url.Values) { f.Set("grant_type", "client_credentials") }, 400, "unsupported_grant_type"},
		{"unknown code", func(f url.Values) { f.Set("code", "nope") }, 400, "invalid_grant"},
		{"other redirect_uri", func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9/other") }, 400, "invalid_grant"},
		{"no verifier", func(f url.Values) { f.Del("code_verifier") }, 400, "invalid_grant"},
		{"wrong secret", func(f url.Values) { f.Set("client_secret", "x") }, 401, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", "1.apps.supplier") }, 401, "invalid_client"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			form := cdCodeForm(e.code(t, c, "656005750104"))
			form.Set("client_id", c["client_id"].(string))
			form.Set("client_secret", c["client_secret"].(string))
			r.form(form)
			status, body := e.token(t, c, "", form, nil, "")
			if status != r.wantStatus || body["error"] != r.wantCode {
				t.Fatalf("got %d %v, want %d %s", status, body, r.wantStatus, r.wantCode)
			}
		})
	}
}

// The authorise endpoint's rules: page errors for the client and
// redirect_uri, redirected errors after, and acr_values.
func TestCIS2AuthorizeRows(t *testing.T) {
	e := newCDEnv(t)
	c := e.client(t, "client_secret_post", nil)
	for _, r := range []struct {
		name     string
		tweak    func(url.Values)
		wantPage bool
		wantErr  string
	}{
		{"unknown client", func(p url.Values) { p.Set("client_id", "x") }, true, ""},
		{"unregistered redirect", func(p url.Values) { p.Set("redirect_uri", "http://127.0.0.1:9/other") }, true, ""},
		{"no openid", func(p url.Values) { p.Set("scope", "profile") }, false, "invalid_scope"},
		{"no PKCE", func(p url.Values) { p.Del("code_challenge") }, false, "invalid_request"},
		{"plain PKCE", func(p url.Values) { p.Set("code_challenge_method", "plain") }, false, "invalid_request"},
		{"token response", func(p url.Values) { p.Set("response_type", "token") }, false, "unsupported_response_type"},
		{"prompt none", func(p url.Values) { p.Set("prompt", "none") }, false, "login_required"},
	} {
		t.Run(r.name, func(t *testing.T) {
			p := cdAuthParams(c, "AAL3_ANY")
			r.tweak(p)
			status, hdr, _ := e.get(t, e.issuer()+"/authorize?"+p.Encode())
			if r.wantPage {
				if status != http.StatusBadRequest {
					t.Fatalf("got %d, want an error page", status)
				}
				return
			}
			loc, _ := url.Parse(hdr.Get("Location"))
			if status != http.StatusFound || loc.Query().Get("error") != r.wantErr || loc.Query().Get("state") != p.Get("state") {
				t.Fatalf("got %d %s", status, hdr.Get("Location"))
			}
		})
	}
	for _, r := range []struct {
		acr, user string
		admit     bool
		wantACR   string
	}{
		{"AAL3_ANY", "656005750109", false, ""},
		{"AAL3_ANY", "656005750104", true, "AAL3_ANY"},
		{"AAL2_OR_AAL3_ANY", "656005750109", true, "AAL2_OR_AAL3_ANY"},
		{"AAL2_ANY", "656005750110", false, ""},
		{"AAL3_FIDO2 AAL2_TOTP", "656005750109", true, "AAL2_TOTP"},
		{"", "656005750110", true, "AAL1_USERPASS"},
	} {
		t.Run("acr "+r.acr+" "+r.user, func(t *testing.T) {
			p := cdAuthParams(c, r.acr)
			loc := e.signIn(t, p, r.user)
			q := loc.Query()
			if !r.admit {
				if q.Get("error") != "access_denied" || q.Get("code") != "" || q.Get("state") != p.Get("state") || !strings.Contains(q.Get("error_description"), "AAL") {
					t.Fatalf("got %s", loc)
				}
				return
			}
			_, body := e.token(t, c, "client_secret_post", cdCodeForm(q.Get("code")), nil, "")
			tok, _, _ := jwt.NewParser().ParseUnverified(body["id_token"].(string), jwt.MapClaims{})
			if got := tok.Claims.(jwt.MapClaims)["acr"]; got != r.wantACR {
				t.Fatalf("acr %v, want %s", got, r.wantACR)
			}
		})
	}
}
