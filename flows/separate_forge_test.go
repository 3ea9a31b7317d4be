package flows_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// sepResign re-signs an ID token's claims, keeping its kid unless kid is
// given: with key (RS256) it is a forgery by another key; with nil it is an
// unsigned alg none token.
func sepResign(t *testing.T, raw string, key *rsa.PrivateKey, kid ...string) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", raw)
	}
	var header map[string]any
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(hb, &header); err != nil {
		t.Fatal(err)
	}
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims jwt.MapClaims
	if err := json.Unmarshal(cb, &claims); err != nil {
		t.Fatal(err)
	}
	if len(kid) > 0 {
		header["kid"] = kid[0]
	}
	if key == nil {
		h, _ := json.Marshal(map[string]any{"alg": "none", "typ": "JWT", "kid": header["kid"]})
		return base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "."
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = header["kid"]
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
