package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DefaultLeeway is the clock leeway VerifyIDToken allows on exp and iat.
const DefaultLeeway = 30 * time.Second

// AllowedIDTokenAlgs are the signature algorithms an ID token may use: RSA
// only, because the realm publishes RSA keys. Never none (an unsigned token)
// and never HS* (a forger could "sign" with the realm's public key as the
// HMAC secret). OpenID Connect Core §3.1.3.7 rule 7: "The alg value SHOULD
// be the default of RS256 or the algorithm sent by the Client in the
// id_token_signed_response_alg parameter during Registration."
var AllowedIDTokenAlgs = []string{"RS256", "RS384", "RS512", "PS256"}

// ErrIDTokenRefused means at least one ID token check failed.
var ErrIDTokenRefused = errors.New("ID token refused")

// IDTokenParams are the inputs of ID token validation (OpenID Connect Core
// §3.1.3.7).
type IDTokenParams struct {
	Raw      string // the compact JWT
	JWKSURL  string // the realm's jwks_uri
	Issuer   string // the issuer from discovery
	ClientID string
	Nonce    string // the nonce the authorise request sent
	Now      time.Time
	Leeway   time.Duration // 0 means DefaultLeeway
}

// IDToken is a decoded ID token and the result of each check.
type IDToken struct {
	Raw      string         `json:"-"`
	Header   map[string]any `json:"header"`
	Claims   map[string]any `json:"claims"`
	Checks   []Check        `json:"checks"`
	IssuedAt time.Time      `json:"-"`
	Expiry   time.Time      `json:"-"`
}

// Lifetime is exp − iat, or 0 when either is missing.
func (t IDToken) Lifetime() time.Duration {
	if t.IssuedAt.IsZero() || t.Expiry.IsZero() {
		return 0
	}
	return t.Expiry.Sub(t.IssuedAt)
}

// Claim returns a claim as text ("" when absent): strings as they are,
// numbers without exponent, anything else as JSON.
func (t IDToken) Claim(name string) string { return claimString(t.Claims[name]) }

// Failed lists the checks that did not pass.
func (t IDToken) Failed() []Check {
	var out []Check
	for _, c := range t.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// VerifyIDToken validates an ID token as OpenID Connect Core §3.1.3.7 asks:
// the algorithm against an allow-list, the kid against the realm's JWKS
// (fetched, and recorded as an exchange), the signature, iss, aud and azp,
// exp and iat (with a leeway), and the nonce. Each check is its own Check,
// and every check that can be computed is, even after one fails, so the
// learner sees the whole picture. The error, when any check fails, wraps
// ErrIDTokenRefused and carries one hint per failed check. See
// https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation.
func VerifyIDToken(ctx context.Context, hc *http.Client, p IDTokenParams) (IDToken, []Exchange, error) {
	const prefix = "steps: ID token"
	t := IDToken{Raw: p.Raw}
	leeway := p.Leeway
	if leeway == 0 {
		leeway = DefaultLeeway
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	header, claims, err := decodeJWT(p.Raw)
	if err != nil {
		t.Checks = []Check{{Name: "format", Detail: err.Error()}}
		return t, nil, WithHint(fmt.Errorf("%s: %w: %w", prefix, ErrIDTokenRefused, err),
			"The ID token is not a well-formed JWT (three base64url parts: header, claims, signature).",
			"Use the id_token field of the code exchange's reply, whole and unaltered.")
	}
	t.Header, t.Claims = header, claims
	if v, ok := numericClaim(claims["iat"]); ok {
		t.IssuedAt = time.Unix(v, 0)
	}
	if v, ok := numericClaim(claims["exp"]); ok {
		t.Expiry = time.Unix(v, 0)
	}

	var exs []Exchange
	set, jwksErr := fetchJWKS(ctx, hc, p.JWKSURL, &exs)

	var hints []Hint
	add := func(c Check, cause, fix string) {
		t.Checks = append(t.Checks, c)
		if !c.OK && cause != "" {
			hints = append(hints, Hint{Cause: cause, Fix: fix})
		}
	}
	alg, _ := header["alg"].(string)
	kid, _ := header["kid"].(string)

	// 1. Algorithm.
	algOK := false
	for _, a := range AllowedIDTokenAlgs {
		algOK = algOK || alg == a
	}
	algCheck := Check{Name: "alg", OK: algOK, Detail: fmt.Sprintf("%s (allowed: %s)", orNone(alg), strings.Join(AllowedIDTokenAlgs, ", "))}
	switch {
	case algOK:
		add(algCheck, "", "")
	case strings.EqualFold(alg, "none") || alg == "":
		add(algCheck, "The ID token is unsigned (alg "+orNone(alg)+"): anyone could have written it.",
			"Never accept it. Sign in again against the realm; if something between you and the realm rewrote the token, remove it.")
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		add(algCheck, "The ID token claims "+alg+", an HMAC algorithm: a forger can 'sign' it with the realm's public key as the secret (algorithm confusion).",
			"Refuse it: only RSA signatures made with a key from the realm's JWKS are accepted.")
	default:
		add(algCheck, "The ID token uses "+alg+", which is not on the allow-list.",
			"Refuse it; the realms sign with RS256.")
	}

	// 2. Key id, 3. signature.
	var key *jose.JSONWebKey
	switch {
	case jwksErr != nil:
		add(Check{Name: "kid", Detail: "the realm's JWKS could not be read: " + jwksErr.Error()}, "", "")
	case kid == "" && len(set.Keys) == 1:
		key = &set.Keys[0]
		add(Check{Name: "kid", OK: true, Detail: "no kid; the JWKS holds a single key"}, "", "")
	default:
		if ks := set.Key(kid); len(ks) > 0 {
			key = &ks[0]
			add(Check{Name: "kid", OK: true, Detail: kid + " is in the realm's JWKS"}, "", "")
		} else {
			add(Check{Name: "kid", Detail: fmt.Sprintf("%s is not among the realm's %d keys (%s)", orNone(kid), len(set.Keys), kidList(set))},
				"The ID token was signed by a key the realm's JWKS does not hold: it comes from another realm or environment, or it was forged.",
				"Sign in again against this realm. If the realm has just rotated its keys, run the step again to fetch its JWKS afresh.")
		}
	}
	switch {
	case !algOK:
		add(Check{Name: "signature", Detail: "not verified: alg " + orNone(alg) + " is not allowed"}, "", "")
	case key == nil:
		add(Check{Name: "signature", Detail: "not verified: no key of the realm matches the kid"}, "", "")
	default:
		if err := verifySignature(p.Raw, key); err != nil {
			add(Check{Name: "signature", Detail: "does not verify: " + err.Error()},
				"The signature does not verify with the realm's key "+orNone(kid)+": the token was altered after signing, or signed by another key that reuses the kid.",
				"Refuse it and sign in again.")
		} else {
			add(Check{Name: "signature", OK: true, Detail: alg + " signature verified with key " + orNone(kid)}, "", "")
		}
	}

	// 4. Issuer.
	iss := claimString(claims["iss"])
	if iss == p.Issuer && iss != "" {
		add(Check{Name: "iss", OK: true, Detail: iss + " is the discovered issuer"}, "", "")
	} else {
		add(Check{Name: "iss", Detail: fmt.Sprintf("%s is not the discovered issuer %s", orNone(iss), p.Issuer)},
			"The ID token's issuer ("+orNone(iss)+") is not the issuer discovery named ("+p.Issuer+"): another realm or host issued it (127.0.0.1 and localhost count as different hosts).",
			"Sign in against the realm you discovered, spelling its host the same way throughout.")
	}

	// 5. Audience and authorised party.
	aud := audience(claims["aud"])
	azp := claimString(claims["azp"])
	audOK := hasString(aud, p.ClientID) && p.ClientID != ""
	azpOK := azp == "" || azp == p.ClientID
	detail := fmt.Sprintf("aud %s contains %s", strings.Join(aud, ", "), p.ClientID)
	if azp != "" {
		detail += "; azp " + azp
	}
	if audOK && azpOK {
		add(Check{Name: "aud", OK: true, Detail: detail}, "", "")
	} else {
		got := strings.Join(aud, ", ")
		if !azpOK {
			got += " (azp " + azp + ")"
		}
		add(Check{Name: "aud", Detail: fmt.Sprintf("issued to %s, not to this client %s", orNone(got), orNone(p.ClientID))},
			"The ID token was issued to another client ("+orNone(got)+"), not to this app's client "+orNone(p.ClientID)+": a token meant for someone else must not be accepted.",
			"Use the client_id mock-jwks returned for this realm, in the authorise request and here.")
	}

	// 6. Expiry, 7. issued at.
	switch {
	case t.Expiry.IsZero():
		add(Check{Name: "exp", Detail: "missing"}, "The ID token has no exp claim.", "Refuse it; every ID token must expire (OpenID Connect Core §2).")
	case now.After(t.Expiry.Add(leeway)):
		add(Check{Name: "exp", Detail: fmt.Sprintf("expired at %s, %s ago", t.Expiry.UTC().Format(time.RFC3339), now.Sub(t.Expiry).Round(time.Second))},
			fmt.Sprintf("The ID token expired at %s (the mock's live 1 hour).", t.Expiry.UTC().Format(time.RFC3339)),
			"Sign in again and exchange the new ID token at once. If it expired the moment it arrived, check this machine's clock.")
	default:
		add(Check{Name: "exp", OK: true, Detail: fmt.Sprintf("expires %s, in %s", t.Expiry.UTC().Format(time.RFC3339), t.Expiry.Sub(now).Round(time.Second))}, "", "")
	}
	switch {
	case t.IssuedAt.IsZero():
		add(Check{Name: "iat", Detail: "missing"}, "The ID token has no iat claim.", "Refuse it (OpenID Connect Core §2 requires iat).")
	case t.IssuedAt.After(now.Add(leeway)):
		add(Check{Name: "iat", Detail: fmt.Sprintf("issued %s in the future", t.IssuedAt.Sub(now).Round(time.Second))},
			fmt.Sprintf("The ID token says it was issued %s from now: this machine's clock is probably behind the realm's.", t.IssuedAt.Sub(now).Round(time.Second)),
			"Synchronise this machine's clock (NTP), then sign in again.")
	default:
		add(Check{Name: "iat", OK: true, Detail: fmt.Sprintf("issued %s, %s ago", t.IssuedAt.UTC().Format(time.RFC3339), now.Sub(t.IssuedAt).Round(time.Second))}, "", "")
	}

	// 8. Nonce.
	nonce := claimString(claims["nonce"])
	switch {
	case p.Nonce == "" && nonce == "":
		add(Check{Name: "nonce", OK: true, Detail: "no nonce sent, none returned"}, "", "")
	case nonce == p.Nonce:
		add(Check{Name: "nonce", OK: true, Detail: "matches the nonce this login sent"}, "", "")
	default:
		add(Check{Name: "nonce", Detail: fmt.Sprintf("%s is not this login's nonce", orNone(nonce))},
			"The ID token's nonce is not the one this login sent: it answers another login, or it was replayed (OpenID Connect Core §3.1.3.7 rule 11).",
			"Sign in again, and use the ID token of that login.")
	}

	var failed []string
	for _, c := range t.Checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) == 0 {
		return t, exs, nil
	}
	err = fmt.Errorf("%s: %w: %s failed", prefix, ErrIDTokenRefused, strings.Join(failed, ", "))
	if jwksErr != nil {
		err = fmt.Errorf("%w (JWKS: %w)", err, jwksErr)
		hints = append(HintsOf(jwksErr), hints...)
	}
	return t, exs, &HintError{Err: err, Hints: hints}
}

// fetchJWKS reads the realm's key set, appending the exchange to exs.
func fetchJWKS(ctx context.Context, hc *http.Client, jwksURL string, exs *[]Exchange) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	if jwksURL == "" {
		return set, errors.New("no jwks_uri (run discovery first)")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, jwksURL, nil)
	if err != nil {
		return set, err
	}
	req.Header.Set("Accept", "application/json")
	got, doErr := send(hc, req, "Realm JWKS", "RFC 7517 §5; OpenID Connect Core §10.1.1", nil)
	*exs = append(*exs, got...)
	if doErr != nil {
		return set, TransportError(doErr, jwksURL)
	}
	ex := (*exs)[len(*exs)-1]
	if ex.Status != http.StatusOK {
		return set, statusError(ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody, jwksURL)
	}
	if err := notJSON(ex, "JWKS endpoint"); err != nil {
		return set, err
	}
	if err := json.Unmarshal(ex.RespBody, &set); err != nil {
		return set, fmt.Errorf("not a JWKS: %w", err)
	}
	return set, nil
}

// verifySignature checks the compact JWS with one key, refusing any
// algorithm off the allow-list.
func verifySignature(raw string, key *jose.JSONWebKey) error {
	algs := make([]jose.SignatureAlgorithm, len(AllowedIDTokenAlgs))
	for i, a := range AllowedIDTokenAlgs {
		algs[i] = jose.SignatureAlgorithm(a)
	}
	jws, err := jose.ParseSignedCompact(raw, algs)
	if err != nil {
		return err
	}
	_, err = jws.Verify(key.Public().Key)
	return err
}
