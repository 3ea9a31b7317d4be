package mock

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/nhsauth/nhsauth/keystore"
)

// grantWith asks for a token with an assertion signed by key under kid.
func (e *ccEnv) grantWith(t *testing.T, key *rsa.PrivateKey, kid string) (int, map[string]string) {
	t.Helper()
	a := ccSign(t, jwt.SigningMethodRS512, key, map[string]any{"kid": kid}, ccClaims(e.tokenURL("/oauth2")))
	return e.postForm(t, "/oauth2", ccForm(a))
}

// TestInteropKeys: keys and JWKS documents made without keystore are
// accepted, with or without alg and use, and from a PKCS#8 PEM.
func TestInteropKeys(t *testing.T) {
	key := ccKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	parsed8, err := jwt.ParseRSAPrivateKeyFromPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	if err != nil {
		t.Fatalf("PKCS#8 PEM: %v", err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		jwks   []byte
		sign   *rsa.PrivateKey
		kid    string
		status int
		desc   string
	}{
		{name: "go-jose JWKS with alg and use", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &key.PublicKey, algAndUse: true}), sign: key, kid: "a", status: 200},
		{name: "go-jose JWKS without alg and use", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &key.PublicKey}), sign: key, kid: "a", status: 200},
		{name: "PKCS#8 private key", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &key.PublicKey}), sign: parsed8, kid: "a", status: 200},
		{name: "NHS-hosted shape, hand written", jwks: handJWKS(key.N, "a", ""), sign: key, kid: "a", status: 200},
		{name: "second key of a rotated JWKS", jwks: ccJWKS(t, ccJWK{kid: "int-1", pub: &ccOtherKey(t).PublicKey}, ccJWK{kid: "int-2", pub: &key.PublicKey}),
			sign: key, kid: "int-2", status: 200},
		{name: "two keys share a kid", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &ccOtherKey(t).PublicKey}, ccJWK{kid: "a", pub: &key.PublicKey}),
			sign: key, kid: "a", status: 200},
		{name: "private JWK published by mistake still verifies", jwks: ccJWKS(t, ccJWK{kid: "a", pub: key}), sign: key, kid: "a", status: 200},
		{name: "RSA key below 2048 bits", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &small.PublicKey}), sign: small, kid: "a", status: 401, desc: descSig},
		{name: "EC key under the kid", jwks: ccJWKS(t, ccJWK{kid: "a", pub: &ecKey.PublicKey}), sign: key, kid: "a", status: 401, desc: descSig},
		{name: "unparseable key skipped", jwks: []byte(`{"keys":[{"kty":"RSA","kid":"a"}]}`), sign: key, kid: "a", status: 403, desc: descNoJWKS},
		{name: "empty keys array", jwks: []byte(`{"keys":[]}`), sign: key, kid: "a", status: 403, desc: descNoJWKS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ccWriteFile(t, dir, "app.json", tt.jwks)
			opts := ccOptions(t)
			opts.KeysDir = dir
			e := newCCEnv(t, opts)
			status, body := e.grantWith(t, tt.sign, tt.kid)
			if status != tt.status || (tt.desc != "" && body["error_description"] != tt.desc) {
				t.Errorf("got %d %v, want %d %q", status, body, tt.status, tt.desc)
			}
		})
	}
}

// handJWKS writes a JWKS the way a script would, without any JOSE library:
// n base64url of the modulus, e AQAB, and alg only when given.
func handJWKS(n *big.Int, kid, alg string) []byte {
	k := map[string]string{"kty": "RSA", "kid": kid, "n": base64.RawURLEncoding.EncodeToString(n.Bytes()), "e": "AQAB"}
	if alg != "" {
		k["alg"] = alg
	}
	data, _ := json.Marshal(map[string]any{"keys": []any{k}})
	return data
}

// TestInteropOpenSSL: a key made by `openssl genrsa` and a JWKS built from
// the modulus openssl prints are accepted.
func TestInteropOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not on PATH")
	}
	dir := t.TempDir()
	pemPath := filepath.Join(dir, "ossl-1.pem")
	if out, err := exec.Command(openssl, "genrsa", "-out", pemPath, "2048").CombinedOutput(); err != nil {
		t.Fatalf("openssl genrsa: %v\n%s", err, out)
	}
	out, err := exec.Command(openssl, "rsa", "-in", pemPath, "-noout", "-modulus").Output()
	if err != nil {
		t.Fatalf("openssl rsa -modulus: %v", err)
	}
	modHex := strings.TrimPrefix(strings.TrimSpace(string(out)), "Modulus=")
	mod, err := hex.DecodeString(modHex)
	if err != nil {
		t.Fatalf("modulus %q: %v", modHex, err)
	}
	ccWriteFile(t, dir, "ossl-1.json", handJWKS(new(big.Int).SetBytes(mod), "ossl-1", ""))
	pemData, err := os.ReadFile(pemPath)
	if err != nil {
		t.Fatal(err)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(pemData)
	if err != nil {
		t.Fatalf("openssl's PEM: %v", err)
	}
	opts := ccOptions(t)
	opts.KeysDir = dir
	e := newCCEnv(t, opts)
	if status, body := e.grantWith(t, key, "ossl-1"); status != 200 {
		t.Errorf("openssl key: %d %v", status, body)
	}
}

// TestKeysFolder: every JWKS in the folder is merged, other files are
// ignored, and the folder is re-read when it changes, without a restart.
func TestKeysFolder(t *testing.T) {
	dir := t.TempDir()
	a, b := ccKey(t), ccOtherKey(t)
	ccWriteFile(t, dir, "a.json", ccJWKS(t, ccJWK{kid: "a", pub: &a.PublicKey}))
	ccWriteFile(t, dir, "settings.json", []byte(`{"theme":"dark"}`))
	ccWriteFile(t, dir, "broken.json", []byte(`{"keys":`))
	ccWriteFile(t, dir, "b.jwks", ccJWKS(t, ccJWK{kid: "b", pub: &b.PublicKey})) // not *.json
	opts := ccOptions(t)
	opts.KeysDir = dir
	e := newCCEnv(t, opts)

	if status, body := e.grantWith(t, a, "a"); status != 200 {
		t.Fatalf("a: %d %v", status, body)
	}
	if status, body := e.grantWith(t, b, "b"); status != 401 || body["error_description"] != descKID {
		t.Fatalf("b before publishing: %d %v", status, body)
	}

	// generate-keys writes <kid>.pem, <kid>.pem.pub and <kid>.json.
	priv, err := keystore.Generate(2048)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.Write(dir, "local-2", priv, false); err != nil {
		t.Fatal(err)
	}
	if status, body := e.grantWith(t, priv, "local-2"); status != 200 {
		t.Errorf("key written by keystore.Write: %d %v", status, body)
	}
	if status, body := e.grantWith(t, a, "a"); status != 200 {
		t.Errorf("a after the new key: %d %v", status, body)
	}

	// Replaced in place: a.json now holds b under kid a.
	ccWriteFile(t, dir, "a.json", ccJWKS(t, ccJWK{kid: "a", pub: &b.PublicKey}))
	if status, body := e.grantWith(t, b, "a"); status != 200 {
		t.Errorf("after a.json changed: %d %v", status, body)
	}

	// Every JWKS removed: no key registered.
	for _, f := range []string{"a.json", "local-2.json"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if status, body := e.grantWith(t, b, "a"); status != 403 || body["error_description"] != descNoJWKS {
		t.Errorf("after removal: %d %v", status, body)
	}

	// The folder itself gone.
	opts.KeysDir = filepath.Join(dir, "missing")
	gone := newCCEnv(t, opts)
	if status, body := gone.grantWith(t, a, "a"); status != 403 || body["error_description"] != descNoJWKS {
		t.Errorf("missing folder: %d %v", status, body)
	}
}

// TestJWKSURL: --jwks-url is fetched with the platform's client and cached;
// unreachable, non-200 and non-JWKS answers are row 20.
func TestJWKSURL(t *testing.T) {
	key := ccKey(t)
	const unreachable = "The JWKS endpoint, for your client_assertion can't be reached"
	var fetches atomic.Int32
	var body atomic.Value
	body.Store(ccJWKS(t, ccJWK{kid: ccKID, pub: &key.PublicKey}))
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		switch r.URL.Path {
		case "/jwks.json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body.Load().([]byte))
		case "/html":
			_, _ = w.Write([]byte("<html><body>Sign in</body></html>"))
		case "/object":
			_, _ = w.Write([]byte(`{"kty":"RSA"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(jwks.Close)

	for _, tt := range []struct {
		path   string
		status int
		desc   string
	}{
		{"/jwks.json", 200, ""},
		{"/missing", 403, unreachable},
		{"/html", 403, unreachable},
		{"/object", 403, unreachable},
	} {
		t.Run(tt.path, func(t *testing.T) {
			opts := ccOptions(t)
			opts.KeysDir, opts.JWKSURL = "", jwks.URL+tt.path
			e := newCCEnv(t, opts)
			status, resp := e.grantWith(t, key, ccKID)
			if status != tt.status || (tt.desc != "" && resp["error_description"] != tt.desc) {
				t.Errorf("got %d %v, want %d %q", status, resp, tt.status, tt.desc)
			}
		})
	}

	t.Run("cached", func(t *testing.T) {
		opts := ccOptions(t)
		opts.KeysDir, opts.JWKSURL = "", jwks.URL+"/jwks.json"
		e := newCCEnv(t, opts)
		before := fetches.Load()
		for range 3 {
			if status, resp := e.grantWith(t, key, ccKID); status != 200 {
				t.Fatalf("%d %v", status, resp)
			}
		}
		if n := fetches.Load() - before; n != 1 {
			t.Errorf("%d fetches for 3 grants, want 1", n)
		}
		// With the cache expired, a JWKS that no longer holds the kid is seen.
		body.Store([]byte(`{"keys":[]}`))
		e.srv.keys.mu.Lock()
		e.srv.keys.ttl = 0
		e.srv.keys.mu.Unlock()
		if status, resp := e.grantWith(t, key, ccKID); status != 401 || resp["error_description"] != descKID {
			t.Errorf("after refetch: %d %v", status, resp)
		}
	})
}
