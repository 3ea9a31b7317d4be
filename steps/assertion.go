package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// DefaultAssertionLifetime is how long a client assertion lives when
// ClientAuth.Lifetime is zero: 240 s, as NHS's newer
// mock-authentication.py signs it (5 minutes less a 60 s buffer for clock
// skew; reference §10).
const DefaultAssertionLifetime = 240 * time.Second

// MaxAssertionLifetime is the longest lifetime Sign accepts. The platform
// refuses an exp more than 5 minutes (plus 10 s slack) ahead (reference
// §2.3, §2.6 row 17).
const MaxAssertionLifetime = 5 * time.Minute

// assertionHeader and assertionClaims fix the order in which the decoded
// assertion is shown; the signed token itself is built by golang-jwt.
type assertionHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid,omitempty"`
}

type assertionClaims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Aud string `json:"aud"`
	Jti string `json:"jti"`
	Exp int64  `json:"exp"`
	Iat int64  `json:"iat,omitempty"`
}

// Sign signs the client assertion of a JWT method (client_secret_jwt,
// private_key_jwt) for tokenURL and returns it with a synthetic Exchange
// showing its decoded header and claims.
//
// The header carries alg, typ JWT and, for private_key_jwt, kid; the claims
// are iss = sub = the client id, aud = Audience (or tokenURL), a fresh jti,
// exp and iat (RFC 7523 §3, OpenID Connect Core §9). The NHS platform's
// assertion (Platform) has no iat, exactly as reference §2.2 and §2.3 and
// NHS's own script sign it. The returned assertion is a secret: callers
// register it with their Redactor.
// See https://datatracker.ietf.org/doc/html/rfc7523#section-3.
func (a ClientAuth) Sign(tokenURL string) (string, Exchange, error) {
	d, ok := lookupAuthMethod(a.Method)
	if !ok || d.signKey == nil {
		return "", Exchange{Title: "Client assertion", Synthetic: true},
			fmt.Errorf("steps: client assertion: %s signs no assertion", a.Method)
	}
	signed, ex, err := a.sign(d, tokenURL)
	if err != nil {
		return "", ex, fmt.Errorf("steps: client assertion: %w", err)
	}
	return signed, ex, nil
}

// sign is Sign for a method's definition d; its errors carry no prefix.
func (a ClientAuth) sign(d authMethod, tokenURL string) (string, Exchange, error) {
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	ex := Exchange{Title: "Client assertion", Spec: "RFC 7523 §3; NHS signed JWT guide", Synthetic: true, Start: now}
	if !a.Platform {
		ex.Spec = "RFC 7523 §3; OpenID Connect Core §9"
	}
	key, err := d.signKey(a)
	if err != nil {
		return "", ex, err
	}
	aud := a.Audience
	if aud == "" {
		aud = tokenURL
	}
	alg := a.Alg
	if alg == "" {
		alg = d.algs[0]
	}
	if err := a.checkAssertion(d, alg, aud); err != nil {
		return "", ex, err
	}
	lifetime := a.Lifetime
	if lifetime == 0 {
		lifetime = DefaultAssertionLifetime
	}
	jti := uuid.NewString()
	if a.NewJTI != nil {
		jti = a.NewJTI()
	}
	header := assertionHeader{Alg: alg, Typ: "JWT", Kid: a.KID}
	claims := assertionClaims{Iss: a.ClientID, Sub: a.ClientID, Aud: aud, Jti: jti, Exp: now.Add(lifetime).Unix()}
	if !a.Platform {
		claims.Iat = now.Unix()
	}
	signed, err := signJWT(header, claims, key)
	if err != nil {
		return "", ex, fmt.Errorf("sign: %w", err)
	}
	decoded, _ := json.MarshalIndent(struct {
		Header assertionHeader `json:"header"`
		Claims assertionClaims `json:"claims"`
	}{header, claims}, "", "  ") // plain strings and ints: cannot fail
	ex.ReqBody = decoded
	ex.Note = a.assertionNote(alg, key, claims.Exp, now)
	return signed, ex, nil
}

// checkAssertion refuses an assertion the server would: no client id, no
// audience, an algorithm the method does not use, a lifetime out of range.
func (a ClientAuth) checkAssertion(d authMethod, alg, aud string) error {
	switch {
	case a.ClientID == "" && a.Platform:
		return WithHint(errors.New("empty API key"),
			"The API key is the assertion's iss and sub: the platform looks your application up by it.",
			"Pass --api-key with the key of your application in the developer portal.")
	case a.ClientID == "":
		return errors.New("empty client id (the assertion's iss and sub)")
	case aud == "":
		return errors.New("empty audience (the token URL)")
	case !hasString(d.algs, alg):
		return fmt.Errorf("%s does not sign with %s: use %v", d.name, alg, d.algs)
	case a.Lifetime < 0 || a.Lifetime > MaxAssertionLifetime:
		return WithHint(fmt.Errorf("lifetime %s is out of range: it must be more than 0 and at most 5 minutes", a.Lifetime),
			"The platform refuses an assertion whose exp lies more than 5 minutes ahead (NHS signed JWT guide).",
			"Use a lifetime of at most 5 minutes; 240 s (the default) leaves room for clock skew.")
	}
	return nil
}

// signJWT signs header and claims with key; golang-jwt writes the JSON.
func signJWT(h assertionHeader, c assertionClaims, key any) (string, error) {
	claims := jwt.MapClaims{"iss": c.Iss, "sub": c.Sub, "aud": c.Aud, "jti": c.Jti, "exp": c.Exp}
	if c.Iat != 0 {
		claims["iat"] = c.Iat
	}
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(h.Alg), claims)
	tok.Header["typ"] = h.Typ
	if h.Kid != "" {
		tok.Header["kid"] = h.Kid
	}
	return tok.SignedString(key)
}

// assertionNote says in plain words what was signed and how long it lives.
func (a ClientAuth) assertionNote(alg string, key any, exp int64, now time.Time) string {
	by := fmt.Sprintf("by the private key of kid %q", a.KID)
	if _, hmac := key.([]byte); hmac {
		by = "with the client secret as the HMAC key"
	}
	rules := "the server refuses an expired assertion, and accepts each jti only once."
	if a.Platform {
		rules = "the platform refuses an expired assertion and one whose exp is more than 5 minutes ahead, and accepts each jti only once."
	}
	return fmt.Sprintf("A JWT signed with %s %s. exp is %s, %d s from now: %s "+
		"The signed assertion is a secret: it buys a token until it expires.",
		alg, by, time.Unix(exp, 0).UTC().Format(time.RFC3339), exp-now.Unix(), rules)
}
