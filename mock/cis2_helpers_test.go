package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/nhsauth/nhsauth/keystore"
)

// Helpers of the local CIS2 tests, prefixed cd (CIS2 directly).

const cdVerifier = "cd-verifier-0123456789-0123456789-0123456789-abcdef"

// cdEnv is a local platform whose CIS2 signs with saKeys.cis2.
type cdEnv struct{ *saEnv }

func newCDEnv(t testing.TB, tweaks ...func(*Options)) cdEnv {
	t.Helper()
	e := newSAEnv(t, tweaks...)
	rk, err := newRealmKey(saKeys.cis2)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.oidc.keys.keys[cis2KeyName] = rk
	return cdEnv{e}
}

func (e cdEnv) issuer() string { return e.ts.URL + CIS2Path }

// register posts metadata to the Connection Manager.
func (e cdEnv) register(t testing.TB, meta map[string]any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(meta)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+ConnectionManagerPath+"/clients", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	status, _, body := e.do(t, req)
	return status, saJSON(t, body)
}

// client registers a client for method with a loopback redirect URI; a
// private_key_jwt client publishes saKeys.app as kid local-1 in jwks.
func (e cdEnv) client(t testing.TB, method string, extra map[string]any) map[string]any {
	t.Helper()
	meta := map[string]any{"redirect_uris": []string{"http://127.0.0.1:9/callback"}, "token_endpoint_auth_method": method}
	if method == "private_key_jwt" {
		meta["jwks"] = keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&saKeys.app.PublicKey, saAppKID)}}
	}
	for k, v := range extra {
		meta[k] = v
	}
	status, c := e.register(t, meta)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, c)
	}
	return c
}

// authParams are an authorise request for client c with PKCE.
func cdAuthParams(c map[string]any, acr string) url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {c["client_id"].(string)}, "redirect_uri": {"http://127.0.0.1:9/callback"},
		"scope": {"openid profile nationalrbacaccess"}, "state": {"st-" + uuid.NewString()}, "nonce": {"n-1"},
		"code_challenge": {saS256(cdVerifier)}, "code_challenge_method": {"S256"}, "acr_values": {acr},
	}
}

// signIn authorises and posts the login form, returning the redirect.
func (e cdEnv) signIn(t testing.TB, params url.Values, user string) *url.URL {
	t.Helper()
	status, _, page := e.get(t, e.issuer()+"/authorize?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("authorise: %d %s", status, page)
	}
	status, hdr, body := e.postForm(t, saFormActionOf(t, page), url.Values{"username": {user}})
	if status != http.StatusFound {
		t.Fatalf("login: %d %s", status, body)
	}
	loc, _ := url.Parse(hdr.Get("Location"))
	return loc
}

// code signs user in for client c and returns the code.
func (e cdEnv) code(t testing.TB, c map[string]any, user string) string {
	t.Helper()
	return e.signIn(t, cdAuthParams(c, "AAL3_ANY"), user).Query().Get("code")
}

// codeForm is a code request without client authentication.
func cdCodeForm(code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:9/callback"}, "code_verifier": {cdVerifier}}
}

// assertionClaims are valid client-assertion claims for client id.
func (e cdEnv) assertionClaims(id string) jwt.MapClaims {
	return jwt.MapClaims{"iss": id, "sub": id, "aud": e.issuer() + "/access_token", "jti": uuid.NewString(), "exp": e.clock.Now().Add(time.Minute).Unix()}
}

// authenticate adds method's client authentication for client c to form
// (and to req's header for basic); claims tweak an assertion.
func (e cdEnv) token(t testing.TB, c map[string]any, method string, form url.Values, tweak func(jwt.MapClaims), alg string) (int, map[string]any) {
	t.Helper()
	id, _ := c["client_id"].(string)
	secret, _ := c["client_secret"].(string)
	var basic bool
	switch method {
	case "client_secret_post":
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	case "client_secret_basic":
		basic = true
	case "client_secret_jwt", "private_key_jwt":
		claims := e.assertionClaims(id)
		if tweak != nil {
			tweak(claims)
		}
		var signed string
		if method == "client_secret_jwt" {
			signed = ccSign(t, jwt.GetSigningMethod(alg), []byte(secret), nil, claims)
		} else {
			signed = ccSign(t, jwt.GetSigningMethod(alg), saKeys.app, map[string]any{"kid": saAppKID}, claims)
		}
		form.Set("client_assertion_type", clientAssertionTypeJWT)
		form.Set("client_assertion", signed)
	}
	req, _ := http.NewRequest(http.MethodPost, e.issuer()+"/access_token", bytes.NewReader([]byte(form.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	status, _, body := e.do(t, req)
	return status, saJSON(t, body)
}
