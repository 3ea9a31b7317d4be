package mock

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/nhsauth/nhsauth/keystore"
)

// Helpers of the user-restricted (separate authentication) tests, prefixed
// sa. Keys are made once per package run: RSA generation is slow under -race.

const saAppKID = "local-1"

var saKeys struct {
	once                  sync.Once
	app, cis2, nhs, other *rsa.PrivateKey
	err                   error
}

func saLoadKeys(t testing.TB) {
	t.Helper()
	saKeys.once.Do(func() {
		for _, k := range []**rsa.PrivateKey{&saKeys.app, &saKeys.cis2, &saKeys.nhs, &saKeys.other} {
			if *k, saKeys.err = keystore.Generate(2048); saKeys.err != nil {
				return
			}
		}
	})
	if saKeys.err != nil {
		t.Fatalf("generate test keys: %v", saKeys.err)
	}
}

// saClock is a settable platform clock.
type saClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *saClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *saClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// saEnv is a local platform on an httptest server with the shared keys: the
// app publishes saKeys.app as local-1, the realms sign with saKeys.cis2 and
// saKeys.nhs.
type saEnv struct {
	srv   *Server
	ts    *httptest.Server
	clock *saClock
	hc    *http.Client // follows no redirects
}

func newSAEnv(t testing.TB, tweaks ...func(*Options)) *saEnv {
	t.Helper()
	saLoadKeys(t)
	dir := t.TempDir()
	jwks := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&saKeys.app.PublicKey, saAppKID)}}
	if err := os.WriteFile(filepath.Join(dir, saAppKID+".json"), jwks.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := &saClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	opts := Options{KeysDir: dir, Now: clock.Now, Version: "test"}
	for _, tweak := range tweaks {
		tweak(&opts)
	}
	srv := New(opts)
	for name, priv := range map[string]*rsa.PrivateKey{RealmCIS2: saKeys.cis2, RealmNHSLogin: saKeys.nhs} {
		rk, err := newRealmKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		srv.oidc.keys.keys[name] = rk
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	hc := ts.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &saEnv{srv: srv, ts: ts, clock: clock, hc: hc}
}

// realmURL is a realm's issuer on this server.
func (e *saEnv) realmURL(d *realmDef) string { return e.ts.URL + "/realms/" + d.Name }

// do sends a request and returns status, headers and body.
func (e *saEnv) do(t testing.TB, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func (e *saEnv) get(t testing.TB, rawURL string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e.do(t, req)
}

func (e *saEnv) postForm(t testing.TB, rawURL string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

var saFormAction = regexp.MustCompile(`<form id="kc-form-login" action="([^"]+)"`)

// formAction finds kc-form-login's action in a login page.
func saFormActionOf(t testing.TB, page []byte) string {
	t.Helper()
	m := saFormAction.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no kc-form-login in page:\n%s", page)
	}
	return html.UnescapeString(string(m[1]))
}

// authParams are an authorise request's parameters for d's client.
func saAuthParams(d *realmDef, redirectURI string) url.Values {
	return url.Values{
		"response_type": {"code"},
		"client_id":     {d.ClientID},
		"redirect_uri":  {redirectURI},
		"scope":         {"openid profile"},
		"state":         {"st-" + uuid.NewString()},
		"nonce":         {"n-" + uuid.NewString()},
	}
}

// login runs authorise and posts the login form as username, returning the
// redirect's Location.
func (e *saEnv) login(t testing.TB, d *realmDef, params url.Values, username string) *url.URL {
	t.Helper()
	status, _, page := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("authorise: %d %s", status, page)
	}
	status, hdr, body := e.postForm(t, saFormActionOf(t, page), url.Values{"username": {username}})
	if status != http.StatusFound {
		t.Fatalf("login as %s: %d %s", username, status, body)
	}
	loc, err := url.Parse(hdr.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// tokens redeems a code at d's token endpoint with client_secret_post.
func (e *saEnv) tokens(t testing.TB, d *realmDef, form url.Values) (int, map[string]any) {
	t.Helper()
	status, _, body := e.postForm(t, e.realmURL(d)+"/protocol/openid-connect/token", form)
	return status, saJSON(t, body)
}

// codeForm is an authorization_code token request.
func saCodeForm(d *realmDef, code, redirectURI string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {redirectURI},
		"client_id":     {d.ClientID},
		"client_secret": {d.ClientSecret},
	}
}

// idToken logs username in at d and returns the ID token the realm issues.
func (e *saEnv) idToken(t testing.TB, d *realmDef, username string) string {
	t.Helper()
	loc := e.login(t, d, saAuthParams(d, MockRedirectURI), username)
	status, body := e.tokens(t, d, saCodeForm(d, loc.Query().Get("code"), MockRedirectURI))
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, body)
	}
	return body["id_token"].(string)
}

// assertion is a valid RS512 client assertion for tokenURL.
func (e *saEnv) assertion(t testing.TB, tokenURL string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS512, jwt.MapClaims{
		"iss": DefaultAPIKey, "sub": DefaultAPIKey, "aud": tokenURL,
		"jti": uuid.NewString(), "exp": e.clock.Now().Add(240 * time.Second).Unix(),
	})
	tok.Header["kid"] = saAppKID
	s, err := tok.SignedString(saKeys.app)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// exchangeForm is a token-exchange request for subject at basePath.
func (e *saEnv) exchangeForm(t testing.TB, basePath, subject string) url.Values {
	return url.Values{
		"grant_type":            {grantTokenExchange},
		"subject_token_type":    {tokenTypeIDToken},
		"subject_token":         {subject},
		"client_assertion_type": {clientAssertionTypeJWT},
		"client_assertion":      {e.assertion(t, e.ts.URL+basePath+"/token")},
	}
}

// platform posts a form to basePath's token endpoint.
func (e *saEnv) platform(t testing.TB, basePath string, form url.Values) (int, map[string]any) {
	t.Helper()
	status, _, body := e.postForm(t, e.ts.URL+basePath+"/token", form)
	return status, saJSON(t, body)
}

// helloUser calls /hello-world/hello/user with a bearer token.
func (e *saEnv) helloUser(t testing.TB, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/hello-world/hello/user", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, body := e.do(t, req)
	return status, body
}

func saJSON(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	return m
}

// saSign builds a compact JWS by hand, so a test controls every header
// byte: alg RS256/RS512 sign with key, alg "none" or a missing alg get an
// empty signature, HS256 uses the key's modulus bytes as the secret.
func saSign(t testing.TB, key *rsa.PrivateKey, header, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(claims)
	var sig []byte
	alg, _ := header["alg"].(string)
	switch alg {
	case "RS256", "RS512":
		h := crypto.SHA256
		if alg == "RS512" {
			h = crypto.SHA512
		}
		hh := h.New()
		hh.Write([]byte(input))
		var err error
		if sig, err = rsa.SignPKCS1v15(rand.Reader, key, h, hh.Sum(nil)); err != nil {
			t.Fatal(err)
		}
	case "HS256":
		m, err := jwt.SigningMethodHS256.Sign(input, key.PublicKey.N.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		sig = m
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// saS256 is a PKCE S256 challenge.
func saS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
