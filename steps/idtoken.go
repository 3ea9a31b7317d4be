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
	v := newIDTokenCheck(p, t)
	var exs []Exchange
	v.set, v.jwksErr = fetchJWKS(ctx, hc, p.JWKSURL, &exs)

	var hints []Hint
	var failed []string
	for _, check := range idTokenChecks {
		c, h := check(v)
		t.Checks = append(t.Checks, c)
		if !c.OK {
			failed = append(failed, c.Name)
			if h.Cause != "" {
				hints = append(hints, h)
			}
		}
	}
	if len(failed) == 0 {
		return t, exs, nil
	}
	err = fmt.Errorf("%s: %w: %s failed", prefix, ErrIDTokenRefused, strings.Join(failed, ", "))
	if v.jwksErr != nil {
		err = fmt.Errorf("%w (JWKS: %w)", err, v.jwksErr)
		hints = append(HintsOf(v.jwksErr), hints...)
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
