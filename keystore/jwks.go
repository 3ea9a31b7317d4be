package keystore

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
)

// JWK is one RSA public key as RFC 7517 §4 and RFC 7518 §6.3.1 define it, in
// the field order NHS's guide shows.
type JWK struct {
	Kty string `json:"kty"`
	N   string `json:"n"`
	E   string `json:"e"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid"`
	Use string `json:"use,omitempty"`
}

// JWKS is a JSON Web Key Set (RFC 7517 §5).
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK describes pub as the JWK the platform expects: kty RSA, n and e
// base64url without padding, alg RS512, use sig.
func PublicJWK(pub *rsa.PublicKey, kid string) JWK {
	return JWK{
		Kty: "RSA",
		N:   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		Alg: "RS512",
		Kid: kid,
		Use: "sig",
	}
}

// Marshal encodes the set with a 2-space indent, as the NHS script writes it.
func (s JWKS) Marshal() []byte {
	out, _ := json.MarshalIndent(s, "", "  ") // only strings: cannot fail
	return append(out, '\n')
}

// Find returns the key with the given kid.
func (s JWKS) Find(kid string) (JWK, bool) {
	for _, k := range s.Keys {
		if k.Kid == kid {
			return k, true
		}
	}
	return JWK{}, false
}

// PublicKey decodes an RSA JWK back into a public key.
func (k JWK) PublicKey() (*rsa.PublicKey, error) {
	if k.Kty != "RSA" {
		return nil, fmt.Errorf("keystore: kid %q: kty %q: %w", k.Kid, k.Kty, ErrNotRSA)
	}
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	if err != nil {
		return nil, fmt.Errorf("keystore: kid %q: n is not base64url without padding: %w", k.Kid, err)
	}
	e, err := base64.RawURLEncoding.DecodeString(k.E)
	if err != nil {
		return nil, fmt.Errorf("keystore: kid %q: e is not base64url without padding: %w", k.Kid, err)
	}
	if len(n) == 0 || len(e) == 0 || len(e) > 4 {
		return nil, fmt.Errorf("keystore: kid %q: n or e out of range", k.Kid)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
}

// ReadJWKS reads a JWKS document from a file.
func ReadJWKS(path string) (JWKS, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return JWKS{}, fmt.Errorf("keystore: %w", err)
	}
	var s JWKS
	if err := json.Unmarshal(data, &s); err != nil {
		return JWKS{}, fmt.Errorf("keystore: %s is not a JWKS: %w", path, err)
	}
	if s.Keys == nil {
		return JWKS{}, fmt.Errorf("keystore: %s: %w", path, errNoKeysArray)
	}
	return s, nil
}

var errNoKeysArray = errors.New(`no "keys" array`)
