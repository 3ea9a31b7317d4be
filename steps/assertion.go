package steps

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// DefaultAssertionLifetime is how long a client assertion lives when
// AssertionParams.Lifetime is zero: 240 s, as NHS's newer
// mock-authentication.py signs it (5 minutes less a 60 s buffer for clock
// skew; reference §10).
const DefaultAssertionLifetime = 240 * time.Second

// MaxAssertionLifetime is the longest lifetime SignAssertion accepts. The
// platform refuses an exp more than 5 minutes (plus 10 s slack) ahead
// (reference §2.3, §2.6 row 17).
const MaxAssertionLifetime = 5 * time.Minute

// AssertionParams are the inputs of a client assertion (reference §2.2, §2.3).
type AssertionParams struct {
	Key      *rsa.PrivateKey
	KID      string
	APIKey   string        // iss and sub
	Audience string        // the exact token URL called
	Now      time.Time     // exp = Now + Lifetime
	Lifetime time.Duration // 0 means 240 s
	JTI      string        // "" means a fresh UUID
}

// assertionHeader and assertionClaims fix the order in which the decoded
// assertion is shown; the signed token itself is built by golang-jwt.
type assertionHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

type assertionClaims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Aud string `json:"aud"`
	Jti string `json:"jti"`
	Exp int64  `json:"exp"`
}

// SignAssertion signs an RS512 client assertion (RFC 7523 §3) and returns it
// with a synthetic Exchange showing its decoded header and claims.
//
// The header carries alg RS512, typ JWT and kid; the claims are iss = sub =
// the API key, aud = the token URL, a fresh jti and exp, and no iat, exactly
// as reference §2.2 and §2.3 require. The returned assertion is a secret:
// callers register it with their Redactor.
// See https://datatracker.ietf.org/doc/html/rfc7523#section-3.
func SignAssertion(p AssertionParams) (string, Exchange, error) {
	ex := Exchange{Title: "Client assertion", Spec: "RFC 7523 §3; NHS signed JWT guide", Synthetic: true, Start: p.Now}
	switch {
	case p.Key == nil:
		return "", ex, errors.New("steps: client assertion: no private key to sign with")
	case p.KID == "":
		return "", ex, WithHint(errors.New("steps: client assertion: empty kid"),
			"The platform needs a 'kid' header to find your public key in the registered JWKS (NHS signed JWT guide).",
			"Pass --kid, or name the key file <kid>.pem so the kid is read from it.")
	case p.APIKey == "":
		return "", ex, WithHint(errors.New("steps: client assertion: empty API key"),
			"The API key is the assertion's iss and sub: the platform looks your application up by it.",
			"Pass --api-key with the key of your application in the developer portal.")
	case p.Audience == "":
		return "", ex, errors.New("steps: client assertion: empty audience (the token URL)")
	}
	lifetime := p.Lifetime
	if lifetime == 0 {
		lifetime = DefaultAssertionLifetime
	}
	if lifetime < 0 || lifetime > MaxAssertionLifetime {
		return "", ex, WithHint(fmt.Errorf("steps: client assertion: lifetime %s is out of range: it must be more than 0 and at most 5 minutes", lifetime),
			"The platform refuses an assertion whose exp lies more than 5 minutes ahead (NHS signed JWT guide).",
			"Use a lifetime of at most 5 minutes; 240 s (the default) leaves room for clock skew.")
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	jti := p.JTI
	if jti == "" {
		jti = uuid.NewString()
	}
	exp := now.Add(lifetime).Unix()

	header := assertionHeader{Alg: "RS512", Typ: "JWT", Kid: p.KID}
	claims := assertionClaims{Iss: p.APIKey, Sub: p.APIKey, Aud: p.Audience, Jti: jti, Exp: exp}

	tok := jwt.NewWithClaims(jwt.SigningMethodRS512, jwt.MapClaims{
		"iss": claims.Iss,
		"sub": claims.Sub,
		"aud": claims.Aud,
		"jti": claims.Jti,
		"exp": claims.Exp,
	})
	tok.Header["typ"] = header.Typ
	tok.Header["kid"] = header.Kid
	signed, err := tok.SignedString(p.Key)
	if err != nil {
		return "", ex, fmt.Errorf("steps: client assertion: sign: %w", err)
	}

	decoded, _ := json.MarshalIndent(struct {
		Header assertionHeader `json:"header"`
		Claims assertionClaims `json:"claims"`
	}{header, claims}, "", "  ") // plain strings and ints: cannot fail
	ex.ReqBody = decoded
	ex.Start = now
	ex.Note = fmt.Sprintf("A JWT signed with RS512 by the private key of kid %q. exp is %s, %d s from now: "+
		"the platform refuses an expired assertion and one whose exp is more than 5 minutes ahead, "+
		"and accepts each jti only once. The signed assertion is a secret: it buys a token until it expires.",
		p.KID, time.Unix(exp, 0).UTC().Format(time.RFC3339), exp-now.Unix())
	return signed, ex, nil
}
