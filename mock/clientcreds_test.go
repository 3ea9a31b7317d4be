package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// rowCase is one row of reference §2.6: the request that triggers it and
// the exact answer.
type rowCase struct {
	row  int
	name string
	opts func(t *testing.T, o *Options)
	// send makes the triggering request and returns the answer.
	send   func(t *testing.T, e *ccEnv) (int, map[string]string)
	status int
	code   string
	desc   string
}

// signed posts a form whose assertion is built from the valid claims and
// header, changed by mod.
func signed(mod func(h map[string]any, c jwt.MapClaims)) func(t *testing.T, e *ccEnv) (int, map[string]string) {
	return func(t *testing.T, e *ccEnv) (int, map[string]string) {
		h, c := map[string]any{}, ccClaims(e.tokenURL("/oauth2"))
		mod(h, c)
		return e.postForm(t, "/oauth2", ccForm(ccSign(t, jwt.SigningMethodRS512, ccKey(t), h, c)))
	}
}

// withForm posts the valid form changed by mod.
func withForm(mod func(f url.Values)) func(t *testing.T, e *ccEnv) (int, map[string]string) {
	return func(t *testing.T, e *ccEnv) (int, map[string]string) {
		f := e.validForm(t, "/oauth2")
		mod(f)
		return e.postForm(t, "/oauth2", f)
	}
}

func rowCases() []rowCase {
	const badReq, unauth, forbidden = http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden
	return []rowCase{
		{row: 1, name: "content type json", send: func(t *testing.T, e *ccEnv) (int, map[string]string) {
			status, _, body := e.do(t, http.MethodPost, "/oauth2/token", "application/json", `{"grant_type":"client_credentials"}`, nil)
			return status, ccDecode(t, body)
		}, status: http.StatusUnsupportedMediaType, code: "invalid_request", desc: "Content-Type header must be application/x-www-form-urlencoded"},
		{row: 2, name: "grant_type missing", send: withForm(func(f url.Values) { f.Del("grant_type") }),
			status: badReq, code: "invalid_request", desc: "grant_type is missing"},
		{row: 3, name: "grant_type password", send: withForm(func(f url.Values) { f.Set("grant_type", "password") }),
			status: badReq, code: "unsupported_grant_type", desc: "grant_type is invalid"},
		{row: 4, name: "client_assertion_type wrong", send: withForm(func(f url.Values) {
			f.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
		}),
			status: badReq, code: "invalid_request", desc: "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"},
		{row: 5, name: "client_assertion missing", send: withForm(func(f url.Values) { f.Del("client_assertion") }),
			status: badReq, code: "invalid_request", desc: "Missing client_assertion"},
		{row: 6, name: "client_assertion not a JWT", send: withForm(func(f url.Values) { f.Set("client_assertion", "not-a-jwt") }),
			status: badReq, code: "invalid_request", desc: "Malformed JWT in client_assertion"},
		{row: 7, name: "alg RS256", send: func(t *testing.T, e *ccEnv) (int, map[string]string) {
			a := ccSign(t, jwt.SigningMethodRS256, ccKey(t), nil, ccClaims(e.tokenURL("/oauth2")))
			return e.postForm(t, "/oauth2", ccForm(a))
		}, status: badReq, code: "invalid_request", desc: "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"},
		{row: 8, name: "exp in the past", send: signed(func(h map[string]any, c jwt.MapClaims) { c["exp"] = ccClock.Unix() - 1 }),
			status: badReq, code: "invalid_request", desc: "Invalid 'exp' claim in client_assertion JWT - JWT has expired"},
		{row: 9, name: "kid missing", send: signed(func(h map[string]any, c jwt.MapClaims) { h["kid"] = nil }),
			status: badReq, code: "invalid_request", desc: "Missing 'kid' header in client_assertion JWT"},
		{row: 10, name: "typ missing", send: signed(func(h map[string]any, c jwt.MapClaims) { h["typ"] = nil }),
			status: badReq, code: "invalid_request", desc: "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"},
		{row: 11, name: "exp missing", send: signed(func(h map[string]any, c jwt.MapClaims) { delete(c, "exp") }),
			status: badReq, code: "invalid_request", desc: "Missing 'exp' claim in client_assertion JWT"},
		{row: 12, name: "exp a numeric string", send: signed(func(h map[string]any, c jwt.MapClaims) { c["exp"] = strconv.FormatInt(ccClock.Unix()+240, 10) }),
			status: badReq, code: "invalid_request", desc: "Invalid 'exp' claim in client_assertion JWT - must be an integer"},
		{row: 13, name: "iss differs from sub", send: signed(func(h map[string]any, c jwt.MapClaims) { c["iss"] = "another-key" }),
			status: badReq, code: "invalid_request", desc: "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"},
		{row: 14, name: "jti missing", send: signed(func(h map[string]any, c jwt.MapClaims) { delete(c, "jti") }),
			status: badReq, code: "invalid_request", desc: "Missing 'jti' claim in client_assertion JWT"},
		{row: 15, name: "jti a number", send: signed(func(h map[string]any, c jwt.MapClaims) { c["jti"] = 42 }),
			status: badReq, code: "invalid_request", desc: "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"},
		{row: 16, name: "jti reused", send: func(t *testing.T, e *ccEnv) (int, map[string]string) {
			f := e.validForm(t, "/oauth2")
			if status, body := e.postForm(t, "/oauth2", f); status != http.StatusOK {
				t.Fatalf("first use: %d %v", status, body)
			}
			return e.postForm(t, "/oauth2", f)
		}, status: badReq, code: "invalid_request", desc: "Non-unique 'jti' claim in client_assertion JWT"},
		{row: 17, name: "exp 311 s ahead", send: signed(func(h map[string]any, c jwt.MapClaims) { c["exp"] = ccClock.Unix() + 311 }),
			status: badReq, code: "invalid_request", desc: "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"},
		{row: 18, name: "unknown API key", send: signed(func(h map[string]any, c jwt.MapClaims) { c["iss"], c["sub"] = "unknown-key", "unknown-key" }),
			status: unauth, code: "invalid_request", desc: "Invalid 'iss'/'sub' claims in client_assertion JWT"},
		{row: 19, name: "no key published", opts: func(t *testing.T, o *Options) { o.KeysDir = t.TempDir() },
			send:   signed(func(map[string]any, jwt.MapClaims) {}),
			status: forbidden, code: "public_key error", desc: "You need to register a public key to use this authentication method - please contact support to configure"},
		{row: 20, name: "JWKS URL unreachable", opts: func(t *testing.T, o *Options) { o.KeysDir, o.JWKSURL = "", ccClosedURL(t) },
			send:   signed(func(map[string]any, jwt.MapClaims) {}),
			status: forbidden, code: "public_key error", desc: "The JWKS endpoint, for your client_assertion can't be reached"},
		{row: 21, name: "aud another host", send: signed(func(h map[string]any, c jwt.MapClaims) { c["aud"] = "https://int.api.service.nhs.uk/oauth2/token" }),
			status: unauth, code: "invalid_request", desc: "Missing or invalid 'aud' claim in client_assertion JWT"},
		{row: 22, name: "kid not published", send: signed(func(h map[string]any, c jwt.MapClaims) { h["kid"] = "int-9" }),
			status: unauth, code: "invalid_request", desc: "Invalid 'kid' header in client_assertion JWT - no matching public key"},
		{row: 23, name: "signed by another key", send: func(t *testing.T, e *ccEnv) (int, map[string]string) {
			a := ccSign(t, jwt.SigningMethodRS512, ccOtherKey(t), nil, ccClaims(e.tokenURL("/oauth2")))
			return e.postForm(t, "/oauth2", ccForm(a))
		}, status: unauth, code: "public_key error", desc: "JWT signature verification failed"},
		{row: 24, name: "no app-level3 scope", opts: func(t *testing.T, o *Options) {
			o.Scopes = []string{"urn:nhsd:apim:user-nhs-cis2:aal3:hello-world"}
		}, send: signed(func(map[string]any, jwt.MapClaims) {}),
			status: unauth, code: "unauthorized_client", desc: "you have tried to request authorization but your application is not configured to use this authorization grant type"},
	}
}

// ccClosedURL is the URL of a server that has gone away.
func ccClosedURL(t *testing.T) string {
	ts := httptest.NewServer(http.NotFoundHandler())
	u := ts.URL + "/jwks.json"
	ts.Close()
	return u
}

// TestTokenErrorRows sends one request per row of reference §2.6 and checks
// the exact status and body, both through a listener and through a recorder.
func TestTokenErrorRows(t *testing.T) {
	cases := rowCases()
	for i, tt := range cases {
		if tt.row != i+1 {
			t.Fatalf("case %d is row %d: the table must cover rows 1–24 in order", i, tt.row)
		}
	}
	if len(cases) != 24 {
		t.Fatalf("%d rows, want 24", len(cases))
	}
	for _, mode := range []string{"server", "recorder"} {
		for _, tt := range cases {
			t.Run(mode+"/row"+strconv.Itoa(tt.row)+" "+tt.name, func(t *testing.T) {
				opts := ccOptions(t)
				if tt.opts != nil {
					tt.opts(t, &opts)
				}
				e := newCCEnv(t, opts)
				if mode == "recorder" {
					e = newCCRecorderEnv(t, opts)
				}
				status, body := tt.send(t, e)
				ccWantError(t, status, body, tt.status, tt.code, tt.desc)
			})
		}
	}
}

// TestClientCredentialsSuccess checks the success body of reference §2.5 on
// both base paths, and that the token works on Hello World.
func TestClientCredentialsSuccess(t *testing.T) {
	e := newCCEnv(t, ccOptions(t))
	for _, base := range []string{"/oauth2", "/oauth2-mock"} {
		t.Run(base, func(t *testing.T) {
			status, body := e.postForm(t, base, e.validForm(t, base))
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, body)
			}
			if len(body["access_token"]) != 28 || body["expires_in"] != "599" || body["token_type"] != "Bearer" ||
				body["issued_at"] != strconv.FormatInt(ccClock.UnixMilli(), 10) || len(body) != 4 {
				t.Errorf("body %v", body)
			}
			st, _, hello := e.do(t, http.MethodGet, "/hello-world/hello/application", "", "",
				http.Header{"Authorization": {"Bearer " + body["access_token"]}})
			if st != http.StatusOK || ccDecode(t, hello)["message"] != "Hello Application!" {
				t.Errorf("hello/application: %d %s", st, hello)
			}
			g, ok := e.srv.tokens.get(body["access_token"])
			if !ok || g.Pattern != "app" || g.Level != "level3" || g.APIKey != DefaultAPIKey || !g.Expires.Equal(ccClock.Add(600*time.Second)) {
				t.Errorf("grant %+v", g)
			}
			for _, sc := range g.Scopes {
				if sc[:len(appLevel3Prefix)] != appLevel3Prefix {
					t.Errorf("grant holds a non-app scope %q", sc)
				}
			}
		})
	}
}

// TestTokenMethodNotAllowed: GET on a token endpoint is 405 with Allow: POST
// and an empty text/plain body.
func TestTokenMethodNotAllowed(t *testing.T) {
	e := newCCEnv(t, ccOptions(t))
	for _, base := range []string{"/oauth2", "/oauth2-mock"} {
		status, hdr, body := e.do(t, http.MethodGet, base+"/token", "", "", nil)
		if status != http.StatusMethodNotAllowed || hdr.Get("Allow") != "POST" || len(body) != 0 ||
			hdr.Get("Content-Type") != "text/plain" {
			t.Errorf("%s: %d Allow=%q Content-Type=%q body=%q", base, status, hdr.Get("Allow"), hdr.Get("Content-Type"), body)
		}
	}
}

// TestAccessTokenExpiryOverride covers _access_token_expiry_ms (reference
// §2.5): it only shortens, to floor(ms/1000) − 1 seconds.
func TestAccessTokenExpiryOverride(t *testing.T) {
	tests := []struct {
		ms   string
		want string
	}{
		{"", "599"},
		{"60000", "59"},
		{"2000", "1"},
		{"2999", "1"},
		{"599999", "598"},
		{"1999", "599"},
		{"0", "599"},
		{"-5000", "599"},
		{"abc", "599"},
		{"1.5e4", "599"},
		{"600000", "599"},
		{"900000", "599"},
	}
	e := newCCEnv(t, ccOptions(t))
	for _, tt := range tests {
		t.Run("ms="+tt.ms, func(t *testing.T) {
			f := e.validForm(t, "/oauth2")
			if tt.ms != "" {
				f.Set("_access_token_expiry_ms", tt.ms)
			}
			status, body := e.postForm(t, "/oauth2", f)
			if status != http.StatusOK || body["expires_in"] != tt.want {
				t.Errorf("got %d expires_in %q, want %q", status, body["expires_in"], tt.want)
			}
		})
	}
}

// TestShortenedTokenExpires: a token shortened to 2 s is refused by the
// sample API once the platform clock passes it.
func TestShortenedTokenExpires(t *testing.T) {
	now := ccClock
	opts := ccOptions(t)
	opts.Now = func() time.Time { return now }
	e := newCCRecorderEnv(t, opts) // one goroutine: the clock changes between requests
	f := e.validForm(t, "/oauth2")
	f.Set("_access_token_expiry_ms", "2000")
	status, body := e.postForm(t, "/oauth2", f)
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, body)
	}
	auth := http.Header{"Authorization": {"Bearer " + body["access_token"]}}
	now = ccClock.Add(1500 * time.Millisecond)
	if st, _, _ := e.do(t, http.MethodGet, "/hello-world/hello/application", "", "", auth); st != http.StatusOK {
		t.Errorf("within lifetime: %d", st)
	}
	now = ccClock.Add(2100 * time.Millisecond)
	if st, _, _ := e.do(t, http.MethodGet, "/hello-world/hello/application", "", "", auth); st != http.StatusUnauthorized {
		t.Errorf("after lifetime: %d, want 401", st)
	}
}
