package mock

import (
	"crypto/rsa"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// exchangeCase is one row of the token-exchange table: a subject token made
// from a valid one by changing its header, claims, key or bytes, and the
// form around it, and the answer reference §3.4 gives, in §3.6's order.
type exchangeCase struct {
	name     string
	realm    *realmDef                        // issuer of the subject token; CIS2 by default
	basePath string                           // /oauth2-mock by default
	key      *rsa.PrivateKey                  // signing key; the realm's by default
	header   func(h map[string]any)           // changes to {alg RS256, typ JWT, kid}
	claims   func(e *saEnv, c map[string]any) // changes to a valid ID token's claims
	raw      string                           // replaces the subject token
	mangle   func(tok string) string          // changes the signed token
	form     func(e *saEnv, f url.Values)

	status     int // 200: success
	code, desc string
}

func (tt exchangeCase) run(t *testing.T, e *saEnv) {
	d := tt.realm
	if d == nil {
		d = realmCIS2Def
	}
	base := tt.basePath
	if base == "" {
		base = "/oauth2-mock"
	}
	rk, err := e.srv.oidc.keys.get(d.Name)
	if err != nil {
		t.Fatal(err)
	}
	key := rk.priv
	if tt.key != nil {
		key = tt.key
	}
	h := map[string]any{"alg": "RS256", "typ": "JWT", "kid": rk.kid}
	if tt.header != nil {
		tt.header(h)
	}
	c := saSubjectClaims(e, d)
	if tt.claims != nil {
		tt.claims(e, c)
	}
	subject := saSign(t, key, h, c)
	if tt.mangle != nil {
		subject = tt.mangle(subject)
	}
	if tt.raw != "" {
		subject = tt.raw
	}
	form := e.exchangeForm(t, base, subject)
	if tt.form != nil {
		tt.form(e, form)
	}
	status, body := e.platform(t, base, form)
	if tt.status == http.StatusOK {
		saWantExchanged(t, status, body, d)
		return
	}
	if status != tt.status || body["error"] != tt.code || body["error_description"] != tt.desc {
		t.Errorf("got %d %q / %q\nwant %d %q / %q", status, body["error"], body["error_description"], tt.status, tt.code, tt.desc)
	}
	if id, _ := body["message_id"].(string); id == "" {
		t.Errorf("message_id missing in %v", body)
	}
}

// saSubjectClaims are a valid ID token's claims from realm d.
func saSubjectClaims(e *saEnv, d *realmDef) map[string]any {
	now := e.clock.Now()
	c := map[string]any{
		"iss": e.realmURL(d), "aud": d.ClientID, "sub": "656005750104",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "id-1",
	}
	if d == realmNHSLoginDef {
		c["sub"] = "0f0d58e0-7c7b-4a5b-9a55-3b1f0f7d1b71"
		c["identity_proofing_level"] = "P9"
		c["nhs_number"] = "9912003071"
	} else {
		c["authentication_assurance_level"] = "3"
	}
	return c
}

// saWantExchanged asserts the success body of reference §3.3: exactly these
// keys, every value a string.
func saWantExchanged(t *testing.T, status int, body map[string]any, d *realmDef) {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("got %d %v, want 200", status, body)
	}
	want := map[string]string{
		"expires_in": "599", "token_type": "Bearer",
		"issued_token_type":        "urn:ietf:params:oauth:token-type:access_token",
		"refresh_token_expires_in": "43199", "refresh_count": "0",
	}
	if d == realmNHSLoginDef {
		want["refresh_token_expires_in"] = "3599"
	}
	keys := []string{"access_token", "refresh_token"}
	for k, v := range want {
		keys = append(keys, k)
		if body[k] != v {
			t.Errorf("%s = %#v, want %q", k, body[k], v)
		}
	}
	if len(body) != len(keys) {
		t.Errorf("body has keys %v, want exactly %v", slices.Sorted(maps.Keys(body)), slices.Sorted(slices.Values(keys)))
	}
	for _, k := range []string{"access_token", "refresh_token"} {
		if s, _ := body[k].(string); len(s) != 28 {
			t.Errorf("%s = %#v, want a 28-character opaque token", k, body[k])
		}
	}
}

const (
	saRow4  = "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"
	saRow24 = "you have tried to request authorization but your application is not configured to use this authorization grant type"
)

func saDel(keys ...string) func(map[string]any) {
	return func(m map[string]any) {
		for _, k := range keys {
			delete(m, k)
		}
	}
}

func saSet(kv ...any) func(*saEnv, map[string]any) {
	return func(_ *saEnv, m map[string]any) {
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
	}
}

func saSetForm(kv ...string) func(*saEnv, url.Values) {
	return func(_ *saEnv, f url.Values) {
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				f.Del(kv[i])
			} else {
				f.Set(kv[i], kv[i+1])
			}
		}
	}
}

// TestTokenExchangeRows walks every row of reference §3.4 in the order of
// §3.6, with the order itself checked where two faults meet.
func TestTokenExchangeRows(t *testing.T) {
	e := newSAEnv(t)
	b64 := base64.RawURLEncoding.EncodeToString
	past := func(e *saEnv) int64 { return e.clock.Now().Add(-time.Second).Unix() }
	const bad = http.StatusBadRequest
	const unauth = http.StatusUnauthorized
	cases := []exchangeCase{
		{name: "valid CIS2 AAL3 ID token", status: 200},
		{name: "valid NHS login P9 ID token", realm: realmNHSLoginDef, status: 200},

		// Routing (token.go): the exchange grant without the id_token subject type.
		{name: "subject_token_type missing", form: saSetForm("subject_token_type", ""),
			status: bad, code: "invalid_request", desc: "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'"},
		{name: "subject_token_type access_token", form: saSetForm("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
			status: bad, code: "invalid_request", desc: "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'"},

		// 1. client_assertion_type.
		{name: "1 client_assertion_type missing", form: saSetForm("client_assertion_type", ""),
			status: bad, code: "invalid_request", desc: saRow4},
		{name: "1 client_assertion_type wrong beats grant_type", form: saSetForm("client_assertion_type", "jwt", "grant_type", "password"),
			status: bad, code: "invalid_request", desc: saRow4},

		// 2. grant_type.
		{name: "2 grant_type missing", form: saSetForm("grant_type", ""),
			status: bad, code: "invalid_request", desc: "grant_type is invalid"},
		{name: "2 grant_type password", form: saSetForm("grant_type", "password"),
			status: bad, code: "invalid_request", desc: "grant_type is invalid"},
		{name: "2 grant_type client_credentials", form: saSetForm("grant_type", "client_credentials"),
			status: bad, code: "invalid_request", desc: "grant_type is invalid"},
		{name: "2 grant_type beats client_assertion", form: saSetForm("grant_type", "", "client_assertion", ""),
			status: bad, code: "invalid_request", desc: "grant_type is invalid"},

		// 3. the client assertion (§2.6 rows 5–23).
		{name: "3 client_assertion missing", form: saSetForm("client_assertion", ""),
			status: bad, code: "invalid_request", desc: "Missing client_assertion"},
		{name: "3 client_assertion aud names the other base path", form: func(e *saEnv, f url.Values) {
			f.Set("client_assertion", e.assertion(t, e.ts.URL+"/oauth2/token"))
		}, status: unauth, code: "invalid_request", desc: "Missing or invalid 'aud' claim in client_assertion JWT"},
		{name: "3 client assertion beats subject_token", form: saSetForm("client_assertion", "x", "subject_token", ""),
			status: bad, code: "invalid_request", desc: "Malformed JWT in client_assertion"},

		// 4. subject_token present and decodable.
		{name: "4 subject_token missing", form: saSetForm("subject_token", ""),
			status: bad, code: "invalid_request", desc: "Missing subject_token"},
		{name: "4 subject_token not a JWT", raw: "not-a-jwt",
			status: bad, code: "invalid_request", desc: "Malformed JWT in subject_token"},
		{name: "4 subject_token of two segments", raw: b64([]byte(`{"alg":"RS256"}`)) + "." + b64([]byte(`{}`)),
			status: bad, code: "invalid_request", desc: "Malformed JWT in subject_token"},
		{name: "4 subject_token header not JSON", raw: b64([]byte(`kid`)) + "." + b64([]byte(`{}`)) + ".",
			status: bad, code: "invalid_request", desc: "Malformed JWT in subject_token"},
		{name: "4 subject_token claims an array", raw: b64([]byte(`{"alg":"RS256"}`)) + "." + b64([]byte(`[1]`)) + ".",
			status: bad, code: "invalid_request", desc: "Malformed JWT in subject_token"},

		// 5. header and claims, in order.
		{name: "5 kid missing", header: saDel("kid"),
			status: bad, code: "invalid_request", desc: "Missing 'kid' header in subject_token JWT"},
		{name: "5 kid empty", header: func(h map[string]any) { h["kid"] = "" },
			status: bad, code: "invalid_request", desc: "Missing 'kid' header in subject_token JWT"},
		{name: "5 kid missing beats typ", header: func(h map[string]any) { delete(h, "kid"); h["typ"] = "JWS" },
			status: bad, code: "invalid_request", desc: "Missing 'kid' header in subject_token JWT"},
		{name: "5 typ missing", header: saDel("typ"),
			status: bad, code: "invalid_request", desc: "Invalid 'typ' header in subject_token JWT - must be 'JWT'"},
		{name: "5 typ JWS", header: func(h map[string]any) { h["typ"] = "JWS" },
			status: bad, code: "invalid_request", desc: "Invalid 'typ' header in subject_token JWT - must be 'JWT'"},
		{name: "5 typ lower-case jwt is accepted", header: func(h map[string]any) { h["typ"] = "jwt" }, status: 200},
		{name: "5 alg missing", header: saDel("alg"),
			status: bad, code: "invalid_request", desc: "Missing 'alg' header in subject_token JWT"},
		{name: "5 alg missing beats expired", header: saDel("alg"), claims: func(e *saEnv, c map[string]any) { c["exp"] = past(e) },
			status: bad, code: "invalid_request", desc: "Missing 'alg' header in subject_token JWT"},
		{name: "5 exp missing", claims: saSet("exp", nil),
			status: bad, code: "invalid_request", desc: "Missing 'exp' claim in subject_token JWT"},
		{name: "5 exp zero counts as missing", claims: saSet("exp", 0),
			status: bad, code: "invalid_request", desc: "Missing 'exp' claim in subject_token JWT"},
		{name: "5 exp a numeric string", claims: func(e *saEnv, c map[string]any) { c["exp"] = "1999999999" },
			status: bad, code: "invalid_request", desc: "Invalid 'exp' claim in subject_token JWT - must be an integer"},
		{name: "5 expired a second ago", claims: func(e *saEnv, c map[string]any) { c["exp"] = past(e) },
			status: bad, code: "invalid_request", desc: "Invalid 'exp' claim in subject_token JWT - JWT has expired"},
		{name: "5 exp equal to now is not yet expired (strict)", claims: func(e *saEnv, c map[string]any) { c["exp"] = e.clock.Now().Unix() },
			status: 200},
		{name: "5 expired beats iss missing", claims: func(e *saEnv, c map[string]any) { c["exp"] = past(e); delete(c, "iss") },
			status: bad, code: "invalid_request", desc: "Invalid 'exp' claim in subject_token JWT - JWT has expired"},
		{name: "5 iss missing", claims: saSet("iss", nil),
			status: bad, code: "invalid_request", desc: "Missing 'iss' claim in subject_token JWT"},
		{name: "5 iss missing beats aud missing", claims: saSet("iss", nil, "aud", nil),
			status: bad, code: "invalid_request", desc: "Missing 'iss' claim in subject_token JWT"},
		{name: "5 aud missing is 401", claims: saSet("aud", nil),
			status: unauth, code: "invalid_request", desc: "Missing 'aud' claim in subject_token JWT"},
		{name: "5 aud empty is 401", claims: saSet("aud", ""),
			status: unauth, code: "invalid_request", desc: "Missing 'aud' claim in subject_token JWT"},
		{name: "5 aud's value is not compared", claims: saSet("aud", "someone-else"), status: 200},
		{name: "5 aud missing beats untrusted iss", claims: saSet("aud", nil, "iss", "https://evil.example/realms/Cis2-mock-local"),
			status: unauth, code: "invalid_request", desc: "Missing 'aud' claim in subject_token JWT"},

		// 6. iss trusted at this base path.
		{name: "6 iss of another host", claims: saSet("iss", "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int"),
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 iss of the realm under another host name", claims: func(e *saEnv, c map[string]any) {
			c["iss"] = strings.Replace(e.realmURL(realmCIS2Def), "127.0.0.1", "localhost", 1)
		}, status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 iss of a realm that does not exist", claims: func(e *saEnv, c map[string]any) { c["iss"] = e.ts.URL + "/realms/Cis2-mock-int" },
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 iss not a string", claims: saSet("iss", 7),
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 real CIS2 issuer at /oauth2-mock", claims: saSet("iss", "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"),
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 mock realm token at /oauth2", basePath: "/oauth2",
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},
		{name: "6 untrusted iss beats unknown kid", claims: saSet("iss", "https://example.org/"), header: func(h map[string]any) { h["kid"] = "nope" },
			status: bad, code: "invalid_request", desc: "Missing or non-matching 'iss' claim in subject_token JWT"},

		// 7. kid in the issuer's JWKS, then the signature.
		{name: "7 real CIS2 issuer at /oauth2: no key held locally", basePath: "/oauth2",
			claims: saSet("iss", "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"),
			status: unauth, code: "invalid_request", desc: "Invalid 'kid' header in subject_token JWT - no matching public key"},
		{name: "7 kid unknown", header: func(h map[string]any) { h["kid"] = "another-kid" },
			status: unauth, code: "invalid_request", desc: "Invalid 'kid' header in subject_token JWT - no matching public key"},
		{name: "7 kid of the other realm", header: func(h map[string]any) {
			h["kid"] = saKID(e, RealmNHSLogin)
		}, status: unauth, code: "invalid_request", desc: "Invalid 'kid' header in subject_token JWT - no matching public key"},
		{name: "7 unknown kid beats bad signature", key: saKeys.other, header: func(h map[string]any) { h["kid"] = "another-kid" },
			status: unauth, code: "invalid_request", desc: "Invalid 'kid' header in subject_token JWT - no matching public key"},
		{name: "7 signed by another key", key: saKeys.other,
			status: unauth, code: "public_key error", desc: "JWT signature verification failed"},
		{name: "7 alg none", header: func(h map[string]any) { h["alg"] = "none" },
			status: unauth, code: "public_key error", desc: "JWT signature verification failed"},
		{name: "7 HS256 with the public key as secret", header: func(h map[string]any) { h["alg"] = "HS256" },
			status: unauth, code: "public_key error", desc: "JWT signature verification failed"},
		{name: "7 claims changed after signing", mangle: func(tok string) string {
			p := strings.Split(tok, ".")
			p[1] = b64([]byte(`{"iss":"` + e.realmURL(realmCIS2Def) + `","aud":"x","exp":1999999999,"authentication_assurance_level":"3"}`))
			return strings.Join(p, ".")
		}, status: unauth, code: "public_key error", desc: "JWT signature verification failed"},
		{name: "7 RS512 is accepted", header: func(h map[string]any) { h["alg"] = "RS512" }, status: 200},
		{name: "7 bad signature beats insufficient assurance", key: saKeys.other, claims: saSet("authentication_assurance_level", "1"),
			status: unauth, code: "public_key error", desc: "JWT signature verification failed"},

		// 8. scopes filtered by assurance.
		{name: "8 CIS2 AAL3 as a number", claims: saSet("authentication_assurance_level", 3), status: 200},
		{name: "8 CIS2 AAL2", claims: saSet("authentication_assurance_level", "2"),
			status: unauth, code: "unauthorized_client", desc: saRow24},
		{name: "8 CIS2 AAL2 as a number", claims: saSet("authentication_assurance_level", 2),
			status: unauth, code: "unauthorized_client", desc: saRow24},
		{name: "8 CIS2 AAL1", claims: saSet("authentication_assurance_level", "1"),
			status: unauth, code: "unauthorized_client", desc: saRow24},
		{name: "8 CIS2 no assurance claim", claims: saSet("authentication_assurance_level", nil),
			status: unauth, code: "unauthorized_client", desc: saRow24},
		{name: "8 NHS login P5", realm: realmNHSLoginDef, claims: saSet("identity_proofing_level", "P5"), status: 200},
		{name: "8 NHS login P0", realm: realmNHSLoginDef, claims: saSet("identity_proofing_level", "P0"),
			status: unauth, code: "unauthorized_client", desc: saRow24},
		{name: "8 NHS login without a proofing level", realm: realmNHSLoginDef, claims: saSet("identity_proofing_level", nil),
			status: unauth, code: "unauthorized_client", desc: saRow24},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, e) })
	}
}

func saKID(e *saEnv, realm string) string {
	rk, err := e.srv.oidc.keys.get(realm)
	if err != nil {
		panic(err) // keys are preset in tests
	}
	return rk.kid
}
