package steps

import (
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// idTokenCheck is what the checks of one ID token see: the token, the
// inputs, the realm's JWKS, and what earlier checks learned (the key the
// kid names, whether the algorithm is allowed) for the signature check.
type idTokenCheck struct {
	p       IDTokenParams
	t       IDToken
	alg     string
	kid     string
	now     time.Time
	leeway  time.Duration
	set     jose.JSONWebKeySet
	jwksErr error

	algOK bool
	key   *jose.JSONWebKey
}

func newIDTokenCheck(p IDTokenParams, t IDToken) *idTokenCheck {
	v := &idTokenCheck{p: p, t: t, now: p.Now, leeway: p.Leeway}
	if v.leeway == 0 {
		v.leeway = DefaultLeeway
	}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	v.alg, _ = t.Header["alg"].(string)
	v.kid, _ = t.Header["kid"].(string)
	return v
}

// idTokenChecks are the checks of OpenID Connect Core §3.1.3.7, in the
// order they are shown. Each returns its pass/fail line and, when it
// fails, the hint that explains it (empty when the failure is explained
// elsewhere, as a JWKS that could not be read).
var idTokenChecks = []func(*idTokenCheck) (Check, Hint){
	(*idTokenCheck).checkAlg,
	(*idTokenCheck).checkKID,
	(*idTokenCheck).checkSignature,
	(*idTokenCheck).checkIssuer,
	(*idTokenCheck).checkAudience,
	(*idTokenCheck).checkExpiry,
	(*idTokenCheck).checkIssuedAt,
	(*idTokenCheck).checkNonce,
}

// checkAlg is rule 7: the algorithm is on the allow-list; never none, and
// never HMAC (algorithm confusion).
func (v *idTokenCheck) checkAlg() (Check, Hint) {
	for _, a := range AllowedIDTokenAlgs {
		v.algOK = v.algOK || v.alg == a
	}
	c := Check{Name: "alg", OK: v.algOK, Detail: fmt.Sprintf("%s (allowed: %s)", orNone(v.alg), strings.Join(AllowedIDTokenAlgs, ", "))}
	switch {
	case v.algOK:
		return c, Hint{}
	case strings.EqualFold(v.alg, "none") || v.alg == "":
		return c, Hint{"The ID token is unsigned (alg " + orNone(v.alg) + "): anyone could have written it.",
			"Never accept it. Sign in again against the realm; if something between you and the realm rewrote the token, remove it."}
	case strings.HasPrefix(strings.ToUpper(v.alg), "HS"):
		return c, Hint{"The ID token claims " + v.alg + ", an HMAC algorithm: a forger can 'sign' it with the realm's public key as the secret (algorithm confusion).",
			"Refuse it: only RSA signatures made with a key from the realm's JWKS are accepted."}
	}
	return c, Hint{"The ID token uses " + v.alg + ", which is not on the allow-list.", "Refuse it; the realms sign with RS256."}
}

// checkKID finds the key the kid names in the realm's JWKS (a single key
// serves a token without kid).
func (v *idTokenCheck) checkKID() (Check, Hint) {
	switch {
	case v.jwksErr != nil:
		return Check{Name: "kid", Detail: "the realm's JWKS could not be read: " + v.jwksErr.Error()}, Hint{}
	case v.kid == "" && len(v.set.Keys) == 1:
		v.key = &v.set.Keys[0]
		return Check{Name: "kid", OK: true, Detail: "no kid; the JWKS holds a single key"}, Hint{}
	}
	if ks := v.set.Key(v.kid); len(ks) > 0 {
		v.key = &ks[0]
		return Check{Name: "kid", OK: true, Detail: v.kid + " is in the realm's JWKS"}, Hint{}
	}
	return Check{Name: "kid", Detail: fmt.Sprintf("%s is not among the realm's %d keys (%s)", orNone(v.kid), len(v.set.Keys), kidList(v.set))},
		Hint{"The ID token was signed by a key the realm's JWKS does not hold: it comes from another realm or environment, or it was forged.",
			"Sign in again against this realm. If the realm has just rotated its keys, run the step again to fetch its JWKS afresh."}
}

// checkSignature is rule 6: the signature verifies with the realm's key,
// when the algorithm is allowed and the kid found one.
func (v *idTokenCheck) checkSignature() (Check, Hint) {
	switch {
	case !v.algOK:
		return Check{Name: "signature", Detail: "not verified: alg " + orNone(v.alg) + " is not allowed"}, Hint{}
	case v.key == nil:
		return Check{Name: "signature", Detail: "not verified: no key of the realm matches the kid"}, Hint{}
	}
	if err := verifySignature(v.p.Raw, v.key); err != nil {
		return Check{Name: "signature", Detail: "does not verify: " + err.Error()},
			Hint{"The signature does not verify with the realm's key " + orNone(v.kid) + ": the token was altered after signing, or signed by another key that reuses the kid.",
				"Refuse it and sign in again."}
	}
	return Check{Name: "signature", OK: true, Detail: v.alg + " signature verified with key " + orNone(v.kid)}, Hint{}
}

// checkIssuer is rule 2: iss is exactly the discovered issuer.
func (v *idTokenCheck) checkIssuer() (Check, Hint) {
	iss := claimString(v.t.Claims["iss"])
	if iss == v.p.Issuer && iss != "" {
		return Check{Name: "iss", OK: true, Detail: iss + " is the discovered issuer"}, Hint{}
	}
	return Check{Name: "iss", Detail: fmt.Sprintf("%s is not the discovered issuer %s", orNone(iss), v.p.Issuer)},
		Hint{"The ID token's issuer (" + orNone(iss) + ") is not the issuer discovery named (" + v.p.Issuer + "): another realm or host issued it (127.0.0.1 and localhost count as different hosts).",
			"Sign in against the realm you discovered, spelling its host the same way throughout."}
}

// checkAudience is rules 3 to 5: aud contains the client id, and azp,
// when present, is the client id.
func (v *idTokenCheck) checkAudience() (Check, Hint) {
	aud := audience(v.t.Claims["aud"])
	azp := claimString(v.t.Claims["azp"])
	clientID := v.p.ClientID
	azpOK := azp == "" || azp == clientID
	if hasString(aud, clientID) && clientID != "" && azpOK {
		detail := fmt.Sprintf("aud %s contains %s", strings.Join(aud, ", "), clientID)
		if azp != "" {
			detail += "; azp " + azp
		}
		return Check{Name: "aud", OK: true, Detail: detail}, Hint{}
	}
	got := strings.Join(aud, ", ")
	if !azpOK {
		got += " (azp " + azp + ")"
	}
	return Check{Name: "aud", Detail: fmt.Sprintf("issued to %s, not to this client %s", orNone(got), orNone(clientID))},
		Hint{"The ID token was issued to another client (" + orNone(got) + "), not to this app's client " + orNone(clientID) + ": a token meant for someone else must not be accepted.",
			"Use the client_id mock-jwks returned for this realm, in the authorise request and here."}
}

// checkExpiry is rule 9: now is before exp (with the leeway).
func (v *idTokenCheck) checkExpiry() (Check, Hint) {
	exp := v.t.Expiry
	switch {
	case exp.IsZero():
		return Check{Name: "exp", Detail: "missing"}, Hint{"The ID token has no exp claim.", "Refuse it; every ID token must expire (OpenID Connect Core §2)."}
	case v.now.After(exp.Add(v.leeway)):
		return Check{Name: "exp", Detail: fmt.Sprintf("expired at %s, %s ago", exp.UTC().Format(time.RFC3339), v.now.Sub(exp).Round(time.Second))},
			Hint{fmt.Sprintf("The ID token expired at %s (the mock's live 1 hour).", exp.UTC().Format(time.RFC3339)),
				"Sign in again and exchange the new ID token at once. If it expired the moment it arrived, check this machine's clock."}
	}
	return Check{Name: "exp", OK: true, Detail: fmt.Sprintf("expires %s, in %s", exp.UTC().Format(time.RFC3339), exp.Sub(v.now).Round(time.Second))}, Hint{}
}

// checkIssuedAt is rule 10: iat is present and not in the future (with
// the leeway).
func (v *idTokenCheck) checkIssuedAt() (Check, Hint) {
	iat := v.t.IssuedAt
	switch {
	case iat.IsZero():
		return Check{Name: "iat", Detail: "missing"}, Hint{"The ID token has no iat claim.", "Refuse it (OpenID Connect Core §2 requires iat)."}
	case iat.After(v.now.Add(v.leeway)):
		ahead := iat.Sub(v.now).Round(time.Second)
		return Check{Name: "iat", Detail: fmt.Sprintf("issued %s in the future", ahead)},
			Hint{fmt.Sprintf("The ID token says it was issued %s from now: this machine's clock is probably behind the realm's.", ahead),
				"Synchronise this machine's clock (NTP), then sign in again."}
	}
	return Check{Name: "iat", OK: true, Detail: fmt.Sprintf("issued %s, %s ago", iat.UTC().Format(time.RFC3339), v.now.Sub(iat).Round(time.Second))}, Hint{}
}

// checkNonce is rule 11: the nonce is the one this login sent.
func (v *idTokenCheck) checkNonce() (Check, Hint) {
	nonce := claimString(v.t.Claims["nonce"])
	switch {
	case v.p.Nonce == "" && nonce == "":
		return Check{Name: "nonce", OK: true, Detail: "no nonce sent, none returned"}, Hint{}
	case nonce == v.p.Nonce:
		return Check{Name: "nonce", OK: true, Detail: "matches the nonce this login sent"}, Hint{}
	}
	return Check{Name: "nonce", Detail: fmt.Sprintf("%s is not this login's nonce", orNone(nonce))},
		Hint{"The ID token's nonce is not the one this login sent: it answers another login, or it was replayed (OpenID Connect Core §3.1.3.7 rule 11).",
			"Sign in again, and use the ID token of that login."}
}
