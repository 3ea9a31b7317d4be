package mock

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Test helpers of the client-credentials tests. Keys are made with crypto/rsa
// and JWKS documents with go-jose, never with keystore, so these tests do not
// share a bug with the client side.

const ccKID = "test-1"

// ccClock is the fixed platform clock of these tests.
var ccClock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var ccKeys struct {
	once        sync.Once
	main, other *rsa.PrivateKey
	err         error
}

// ccKey is the published 2048-bit key (kid test-1), made once per package run.
func ccKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	ccLoadKeys(t)
	return ccKeys.main
}

// ccOtherKey is a 2048-bit key that is not published.
func ccOtherKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	ccLoadKeys(t)
	return ccKeys.other
}

func ccLoadKeys(t testing.TB) {
	ccKeys.once.Do(func() {
		if ccKeys.main, ccKeys.err = rsa.GenerateKey(rand.Reader, 2048); ccKeys.err != nil {
			return
		}
		ccKeys.other, ccKeys.err = rsa.GenerateKey(rand.Reader, 2048)
	})
	if ccKeys.err != nil {
		t.Fatalf("generate test keys: %v", ccKeys.err)
	}
}

// ccJWK describes one published key.
type ccJWK struct {
	kid       string
	pub       any
	algAndUse bool // write alg RS512 and use sig
}

// ccJWKS writes a JWKS document with go-jose.
func ccJWKS(t testing.TB, keys ...ccJWK) []byte {
	t.Helper()
	var set jose.JSONWebKeySet
	for _, k := range keys {
		jwk := jose.JSONWebKey{Key: k.pub, KeyID: k.kid}
		if k.algAndUse {
			jwk.Algorithm, jwk.Use = "RS512", "sig"
		}
		set.Keys = append(set.Keys, jwk)
	}
	data, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	return data
}

// ccWriteFile writes a file in dir.
func ccWriteFile(t testing.TB, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ccKeysDir is a keys folder publishing ccKey as test-1 (with alg and use).
func ccKeysDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	ccWriteFile(t, dir, ccKID+".json", ccJWKS(t, ccJWK{kid: ccKID, pub: &ccKey(t).PublicKey, algAndUse: true}))
	return dir
}

// ccOptions are the options of a local platform at ccClock publishing ccKey.
func ccOptions(t testing.TB) Options {
	return Options{KeysDir: ccKeysDir(t), Now: func() time.Time { return ccClock }, Version: "test"}
}

// ccEnv is a local platform reached either through a real listener (ts set)
// or by calling ServeHTTP with a recorder.
type ccEnv struct {
	srv  *Server
	ts   *httptest.Server
	base string // base URL as the platform sees it
}

// newCCEnv starts the platform as a real httptest server.
func newCCEnv(t testing.TB, opts Options) *ccEnv {
	t.Helper()
	srv := New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &ccEnv{srv: srv, ts: ts, base: ts.URL}
}

// newCCRecorderEnv uses the handler directly; httptest.NewRequest's host is
// example.com.
func newCCRecorderEnv(t testing.TB, opts Options) *ccEnv {
	return &ccEnv{srv: New(opts), base: "http://example.com"}
}

// tokenURL is the token URL of a base path.
func (e *ccEnv) tokenURL(basePath string) string { return e.base + basePath + "/token" }

// do sends one request and returns the status, headers and body.
func (e *ccEnv) do(t testing.TB, method, path, contentType, body string, hdr http.Header) (int, http.Header, []byte) {
	t.Helper()
	var req *http.Request
	if e.ts != nil {
		var err error
		req, err = http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	var resp *http.Response
	if e.ts != nil {
		var err error
		if resp, err = e.ts.Client().Do(req); err != nil {
			t.Fatal(err)
		}
	} else {
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		resp = rec.Result()
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, data
}

// postForm posts a form to basePath's token endpoint.
func (e *ccEnv) postForm(t testing.TB, basePath string, form url.Values) (int, map[string]string) {
	t.Helper()
	status, _, body := e.do(t, http.MethodPost, basePath+"/token", "application/x-www-form-urlencoded", form.Encode(), nil)
	return status, ccDecode(t, body)
}

// ccDecode reads a JSON object of strings.
func ccDecode(t testing.TB, body []byte) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object of strings: %v", body, err)
	}
	return m
}

// ccClaims are a valid assertion's claims for tokenURL at ccClock.
func ccClaims(tokenURL string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": DefaultAPIKey,
		"sub": DefaultAPIKey,
		"aud": tokenURL,
		"jti": uuid.NewString(),
		"exp": ccClock.Add(240 * time.Second).Unix(),
	}
}

// ccSign signs claims with golang-jwt. Header entries set to nil are
// deleted; kid defaults to test-1.
func ccSign(t testing.TB, method jwt.SigningMethod, key any, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = ccKID
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign assertion: %v", err)
	}
	return s
}

// ccForm is a client-credentials form carrying assertion.
func ccForm(assertion string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

// ccValidForm is a form with a valid assertion signed by ccKey for basePath.
func (e *ccEnv) validForm(t testing.TB, basePath string) url.Values {
	return ccForm(ccSign(t, jwt.SigningMethodRS512, ccKey(t), nil, ccClaims(e.tokenURL(basePath))))
}

// ccWantError asserts a platform error body.
func ccWantError(t testing.TB, status int, body map[string]string, wantStatus int, wantCode, wantDesc string) {
	t.Helper()
	if status != wantStatus || body["error"] != wantCode || body["error_description"] != wantDesc {
		t.Errorf("got %d %q / %q, want %d %q / %q", status, body["error"], body["error_description"], wantStatus, wantCode, wantDesc)
	}
	if body["message_id"] == "" {
		t.Errorf("message_id is empty in %v", body)
	}
}
