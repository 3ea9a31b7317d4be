package keystore_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/nhsauth/nhsauth/keystore"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// newRSAKey returns one shared 2048-bit key: RSA key generation is slow
// under -race, and no test here needs two.
func newRSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := keystore.Generate(2048)
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		testKey = k
	})
	return testKey
}

func TestWriteFilesAndModes(t *testing.T) {
	key := newRSAKey(t)
	dir := filepath.Join(t.TempDir(), "nested", ".auth")
	f, err := keystore.Write(dir, "int-1", key, false)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if got, want := f, keystore.PathsFor(dir, "int-1"); got != want {
		t.Fatalf("files = %+v, want %+v", got, want)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, f.Private: 0o600, f.Public: 0o644, f.JWKS: 0o644} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s mode = %o, want %o", filepath.Base(path), got, want)
			}
		}
	}
	priv, _ := os.ReadFile(f.Private)
	if !bytes.HasPrefix(priv, []byte("-----BEGIN RSA PRIVATE KEY-----\n")) {
		t.Errorf("private key is not PKCS#1 PEM: %.40q", priv)
	}
	pub, _ := os.ReadFile(f.Public)
	if !bytes.HasPrefix(pub, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Errorf("public key is not SPKI PEM: %.40q", pub)
	}
	jwks, _ := os.ReadFile(f.JWKS)
	if !bytes.Contains(jwks, []byte("{\n  \"keys\": [\n    {\n      \"kty\": \"RSA\",")) {
		t.Errorf("JWKS is not indented by two spaces in the guide's order:\n%s", jwks)
	}
	loaded, err := keystore.LoadPrivateKey(f.Private)
	if err != nil {
		t.Fatalf("LoadPrivateKey: %v", err)
	}
	if !loaded.Equal(key) {
		t.Error("the key read back differs from the key written")
	}
}

// TestJWKSParsedByThirdParty checks the JWKS against go-jose, an independent
// parser, as the platform would read it.
func TestJWKSParsedByThirdParty(t *testing.T) {
	key := newRSAKey(t)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&key.PublicKey, "test-1")}}.Marshal(), &set); err != nil {
		t.Fatalf("go-jose cannot parse the JWKS: %v", err)
	}
	ks := set.Key("test-1")
	if len(ks) != 1 {
		t.Fatalf("go-jose found %d keys with kid test-1, want 1", len(ks))
	}
	pub, ok := ks[0].Key.(*rsa.PublicKey)
	if !ok || !pub.Equal(&key.PublicKey) {
		t.Errorf("go-jose read a different public key")
	}
	if ks[0].Algorithm != "RS512" || ks[0].Use != "sig" {
		t.Errorf("alg/use = %q/%q, want RS512/sig", ks[0].Algorithm, ks[0].Use)
	}
	jwk := keystore.PublicJWK(&key.PublicKey, "test-1")
	if strings.ContainsAny(jwk.N+jwk.E, "=+/") || jwk.E != "AQAB" {
		t.Errorf("n/e are not base64url without padding: e=%q", jwk.E)
	}
	back, err := jwk.PublicKey()
	if err != nil || !back.Equal(&key.PublicKey) {
		t.Errorf("JWK.PublicKey round trip failed: %v", err)
	}
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	key := newRSAKey(t)
	dir := t.TempDir()
	f := keystore.PathsFor(dir, "local-1")
	// Only the JWKS exists: nothing at all may be written.
	if err := os.WriteFile(f.JWKS, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := keystore.Write(dir, "local-1", key, false)
	var ee *keystore.ExistsError
	if !errors.As(err, &ee) || !errors.Is(err, keystore.ErrExists) || ee.Path != f.JWKS {
		t.Fatalf("Write = %v, want ExistsError for %s", err, f.JWKS)
	}
	for _, p := range []string{f.Private, f.Public} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was written although Write refused", p)
		}
	}
	if b, _ := os.ReadFile(f.JWKS); string(b) != "keep me" {
		t.Errorf("the existing JWKS was changed: %q", b)
	}
	if _, err := keystore.Write(dir, "local-1", key, true); err != nil {
		t.Fatalf("Write with force: %v", err)
	}
	if set, err := keystore.ReadJWKS(f.JWKS); err != nil || len(set.Keys) != 1 {
		t.Errorf("force did not replace the JWKS: %v", err)
	}
}

func TestWriteRejectsBadKID(t *testing.T) {
	key := newRSAKey(t)
	for _, kid := range []string{"", "../x", `a\b`, ".."} {
		if _, err := keystore.Write(t.TempDir(), kid, key, false); err == nil {
			t.Errorf("Write(kid %q) succeeded, want an error", kid)
		}
	}
}

func TestParsePrivateKey(t *testing.T) {
	key := newRSAKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ec8, _ := x509.MarshalPKCS8PrivateKey(ec)
	pub, _ := keystore.EncodePublicPEM(&key.PublicKey)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	//nolint:staticcheck // legacy encryption is exactly what the test needs to produce.
	legacy, _ := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), []byte("pw"), x509.PEMCipherAES256)
	enc := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }

	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"PKCS#1", keystore.EncodePrivatePEM(key), nil},
		{"PKCS#8", enc("PRIVATE KEY", pkcs8), nil},
		{"not PEM", []byte("hello"), keystore.ErrNoPEM},
		{"public key", pub, keystore.ErrPublicKey},
		{"EC key", enc("EC PRIVATE KEY", ecDER), keystore.ErrNotRSA},
		{"EC key in PKCS#8", enc("PRIVATE KEY", ec8), keystore.ErrNotRSA},
		{"encrypted PKCS#8", enc("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}), keystore.ErrEncrypted},
		{"encrypted PKCS#1", pem.EncodeToMemory(legacy), keystore.ErrEncrypted},
		{"1024-bit key", keystore.EncodePrivatePEM(small), keystore.ErrTooSmall},
		{"damaged PKCS#1", enc("RSA PRIVATE KEY", []byte("garbage, not DER")), keystore.ErrDamaged},
		{"damaged PKCS#8", enc("PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01}), keystore.ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := keystore.ParsePrivateKey(tt.data)
			if tt.wantErr == nil {
				if err != nil || !got.Equal(key) {
					t.Fatalf("ParsePrivateKey = %v, want the key", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParsePrivateKey error = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "asn1") {
				t.Errorf("ParsePrivateKey error shows Go's asn1 detail: %v", err)
			}
		})
	}
}

func TestLoadPrivateKeyNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.pem")
	_, err := keystore.LoadPrivateKey(path)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadPrivateKey(missing) = %v, want a not-exist error naming the file", err)
	}
}

func TestKIDFromPath(t *testing.T) {
	for path, want := range map[string]string{".auth/int-1.pem": "int-1", "/k/test-2.pem": "test-2", "key": "key"} {
		if got := keystore.KIDFromPath(path); got != want {
			t.Errorf("KIDFromPath(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestGenerateRefusesSmallKeys(t *testing.T) {
	if _, err := keystore.Generate(1024); !errors.Is(err, keystore.ErrTooSmall) {
		t.Errorf("Generate(1024) = %v, want ErrTooSmall", err)
	}
}

// BenchmarkGenerateKeys times what generate-keys does: a 4096-bit key and
// its three files.
func BenchmarkGenerateKeys(b *testing.B) {
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		key, err := keystore.Generate(keystore.DefaultBits)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := keystore.Write(dir, "bench", key, true); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWriteLeavesNoTemporaryFiles(t *testing.T) {
	key := newRSAKey(t)
	dir := t.TempDir()
	for _, force := range []bool{false, true} {
		if _, err := keystore.Write(dir, "k-1", key, force); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "k-1.json k-1.pem k-1.pem.pub"; got != want {
		t.Errorf("folder holds %q, want %q", got, want)
	}
}

// rfc7638N and rfc7638E are the RSA key of RFC 7638 §3.1's example, whose
// SHA-256 thumbprint the RFC gives.
const (
	rfc7638N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	rfc7638E = "AQAB"
)

// TestThumbprintRFC7638: the thumbprint of RFC 7638 §3.1's key is the one
// the RFC prints, and the JWK parser reads that key back.
func TestThumbprintRFC7638(t *testing.T) {
	pub, err := keystore.JWK{Kty: "RSA", N: rfc7638N, E: rfc7638E, Kid: "2011-04-29"}.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	got, err := keystore.Thumbprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
}

// TestJWKPublicKeyRefusals: a JWK that is not a usable RSA public key is an
// error naming its kid, never a key.
func TestJWKPublicKeyRefusals(t *testing.T) {
	for _, tt := range []struct {
		name string
		jwk  keystore.JWK
		want string
	}{
		{"EC", keystore.JWK{Kty: "EC", Kid: "k"}, "not an RSA key"},
		{"n not base64url", keystore.JWK{Kty: "RSA", N: "***", E: rfc7638E, Kid: "k"}, `kid "k"`},
		{"no n", keystore.JWK{Kty: "RSA", E: rfc7638E, Kid: "k"}, `kid "k"`},
		{"no e", keystore.JWK{Kty: "RSA", N: rfc7638N, Kid: "k"}, `kid "k"`},
		{"e of 9 bytes", keystore.JWK{Kty: "RSA", N: rfc7638N, E: "AQEBAQEBAQEB", Kid: "k"}, `kid "k"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := tt.jwk.PublicKey()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an error containing %q", pub, err, tt.want)
			}
		})
	}
}
