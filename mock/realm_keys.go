package mock

import (
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"sync"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
)

// realmKeyBits is the size of the realms' RS256 keys, Keycloak's default
// (RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used").
const realmKeyBits = 2048

// realmKey is one realm's signing key and its key id.
type realmKey struct {
	priv *rsa.PrivateKey
	kid  string
}

// realmKeys holds each realm's own RS256 signing key. A key is made the
// first time its realm signs or publishes anything, once per Server, so a
// platform that only serves client credentials never pays for RSA key
// generation.
type realmKeys struct {
	mu       sync.Mutex
	keys     map[string]*realmKey
	generate func(bits int) (*rsa.PrivateKey, error)
}

func newRealmKeys() *realmKeys {
	return &realmKeys{keys: map[string]*realmKey{}, generate: keystore.Generate}
}

// get returns the realm's key, making it on first use. Generation happens
// under the lock: concurrent first requests wait for the one key instead of
// racing to make several.
func (k *realmKeys) get(realm string) (*realmKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if rk, ok := k.keys[realm]; ok {
		return rk, nil
	}
	priv, err := k.generate(realmKeyBits)
	if err != nil {
		return nil, fmt.Errorf("mock: realm %s signing key: %w", realm, err)
	}
	rk, err := newRealmKey(priv)
	if err != nil {
		return nil, fmt.Errorf("mock: realm %s signing key: %w", realm, err)
	}
	k.keys[realm] = rk
	return rk, nil
}

// newRealmKey names priv by its RFC 7638 JWK thumbprint, the way Keycloak's
// key ids are derived from the key itself.
func newRealmKey(priv *rsa.PrivateKey) (*realmKey, error) {
	tp, err := (&jose.JSONWebKey{Key: &priv.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("thumbprint: %w", err)
	}
	return &realmKey{priv: priv, kid: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

// jwks is the realm's published key set (RFC 7517 §5): kid, kty, alg RS256,
// use sig, n, e.
func (rk *realmKey) jwks() keystore.JWKS {
	jwk := keystore.PublicJWK(&rk.priv.PublicKey, rk.kid)
	jwk.Alg = "RS256"
	return keystore.JWKS{Keys: []keystore.JWK{jwk}}
}

// sign makes a compact JWS of claims with RS256, header kid and typ JWT, as
// Keycloak signs its tokens (OpenID Connect Core §2, RFC 7515).
func (rk *realmKey) sign(claims map[string]any) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(claims))
	t.Header["kid"] = rk.kid
	t.Header["typ"] = "JWT"
	s, err := t.SignedString(rk.priv)
	if err != nil {
		return "", fmt.Errorf("mock: sign: %w", err)
	}
	return s, nil
}

// verify checks a realm-issued JWT's signature (RS256 with this realm's
// kid) and returns its claims; time claims are the caller's business.
func (rk *realmKey) verify(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != rk.kid {
			return nil, fmt.Errorf("mock: unknown kid %q", kid)
		}
		return &rk.priv.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return nil, fmt.Errorf("mock: realm token: %w", err)
	}
	return claims, nil
}
