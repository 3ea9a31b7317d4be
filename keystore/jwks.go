package keystore

import (
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"

	jose "github.com/go-jose/go-jose/v4"
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

// PublicKey decodes an RSA JWK back into a public key. The members are
// parsed by go-jose (RFC 7517 §4, RFC 7518 §6.3.1: n and e base64url without
// padding); only the checks nhsauth adds (kty RSA, a usable exponent) are
// its own.
func (k JWK) PublicKey() (*rsa.PublicKey, error) {
	if k.Kty != "RSA" {
		return nil, fmt.Errorf("keystore: kid %q: kty %q: %w", k.Kid, k.Kty, ErrNotRSA)
	}
	raw, _ := json.Marshal(k) // only strings: cannot fail
	var jk jose.JSONWebKey
	if err := jk.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("keystore: kid %q: not a valid RSA JWK: %w", k.Kid, err)
	}
	pub, ok := jk.Key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("keystore: kid %q: %w (found %T)", k.Kid, ErrNotRSA, jk.Key)
	}
	if pub.N.Sign() <= 0 || pub.E <= 1 || pub.E > math.MaxInt32 {
		return nil, fmt.Errorf("keystore: kid %q: n or e out of range", k.Kid)
	}
	return pub, nil
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of an RSA public key,
// base64url without padding, computed by go-jose. RFC 7638 §3: the hash of
// the required members "in lexicographic order", with no whitespace.
func Thumbprint(pub *rsa.PublicKey) (string, error) {
	sum, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("keystore: thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// ReadJWKS reads a JWKS document from a file: a regular file of at most
// MaxFileSize bytes.
func ReadJWKS(path string) (JWKS, error) {
	data, err := readFile(path)
	if err != nil {
		return JWKS{}, err
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
