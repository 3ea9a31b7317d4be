package mock

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// Client assertion rules (reference §2.2, §2.3, §2.7).
const (
	clientAssertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	assertionAlg           = "RS512"
	maxExpAhead            = 310              // seconds: 5 minutes + 10 s slack (row 17)
	signatureLeeway        = 10 * time.Second // clock leeway of the verification step only
	minRSABits             = 2048
)

// The client-assertion rows of reference §2.6, with their exact status, error
// and error_description. Row 24 is in clientcreds.go.
var (
	row4AssertionType = perr(http.StatusBadRequest, "invalid_request", "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'")
	row5NoAssertion   = perr(http.StatusBadRequest, "invalid_request", "Missing client_assertion")
	row6Malformed     = perr(http.StatusBadRequest, "invalid_request", "Malformed JWT in client_assertion")
	row7Alg           = perr(http.StatusBadRequest, "invalid_request", "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'")
	row8Expired       = perr(http.StatusBadRequest, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - JWT has expired")
	row9NoKID         = perr(http.StatusBadRequest, "invalid_request", "Missing 'kid' header in client_assertion JWT")
	row10Typ          = perr(http.StatusBadRequest, "invalid_request", "Invalid 'typ' header in client_assertion JWT - must be 'JWT'")
	row11NoExp        = perr(http.StatusBadRequest, "invalid_request", "Missing 'exp' claim in client_assertion JWT")
	row12ExpType      = perr(http.StatusBadRequest, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - must be an integer")
	row13IssSub       = perr(http.StatusBadRequest, "invalid_request", "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT")
	row14NoJTI        = perr(http.StatusBadRequest, "invalid_request", "Missing 'jti' claim in client_assertion JWT")
	row15JTIType      = perr(http.StatusBadRequest, "invalid_request", "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID")
	row16JTIReused    = perr(http.StatusBadRequest, "invalid_request", "Non-unique 'jti' claim in client_assertion JWT")
	row17ExpTooFar    = perr(http.StatusBadRequest, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future")
	row18UnknownKey   = perr(http.StatusUnauthorized, "invalid_request", "Invalid 'iss'/'sub' claims in client_assertion JWT")
	row19NoJWKS       = perr(http.StatusForbidden, "public_key error", "You need to register a public key to use this authentication method - please contact support to configure")
	row20Unreachable  = perr(http.StatusForbidden, "public_key error", "The JWKS endpoint, for your client_assertion can't be reached")
	row21Aud          = perr(http.StatusUnauthorized, "invalid_request", "Missing or invalid 'aud' claim in client_assertion JWT")
	row22KIDUnknown   = perr(http.StatusUnauthorized, "invalid_request", "Invalid 'kid' header in client_assertion JWT - no matching public key")
	row23Signature    = perr(http.StatusUnauthorized, "public_key error", "JWT signature verification failed")
)

// verifyOrder is the order of the JWT verification step, which yields rows
// 21–23 of §2.6. The platform does it in one policy and their relative order
// is unconfirmed (reference §2.7: likely kid, then signature, then aud), so it
// lives here alone, easy to change.
var verifyOrder = []func(*verification) *platformError{
	(*verification).kid,       // row 22
	(*verification).signature, // row 23
	(*verification).audience,  // row 21
}

// clientAssertion is a decoded, not yet verified, client assertion. Numbers
// stay json.Number so that types can be checked as the platform's JavaScript
// does.
type clientAssertion struct {
	raw    string
	header map[string]any
	claims map[string]any
}

// checkClientAssertion applies every client-assertion rule of reference §2.6
// (rows 4–23) in the order of §2.7, first failure wins, and returns the API
// key (sub) it authenticates. tokenURL is the URL the client called, which
// aud must name. The token-exchange grant (§3.6) calls it too.
//
// As on the platform (§2.7), a jti counts as used as soon as the claim checks
// pass, before the signature is checked, so a corrected retry after a failed
// signature gets row 16. Such unverified attempts go to a memory of their
// own (triedJTI), which a flood of unsigned assertions may fill but never
// empties; a granted jti is recorded, once the signature and every claim
// verify, in a separate store kept until the assertion's exp, and a full
// store refuses new grants with 503 (fail closed) rather than forget one.
func (s *Server) checkClientAssertion(r *http.Request, form url.Values, tokenURL string) (apiKey string, e *platformError) {
	if form.Get("client_assertion_type") != clientAssertionTypeJWT {
		return "", row4AssertionType
	}
	raw := form.Get("client_assertion")
	if raw == "" {
		return "", row5NoAssertion
	}
	ca, err := decodeAssertion(raw)
	if err != nil {
		return "", row6Malformed
	}
	sub, e := s.checkAssertionClaimsAt(ca, s.clock(r))
	if e != nil {
		return "", e
	}
	if sub != s.opts.APIKey {
		return "", row18UnknownKey
	}
	set, err := s.keys.set(r.Context())
	switch fs := faultsOf(r); {
	case fs[FaultKeyNotRegistered]:
		return "", row19NoJWKS
	case fs[FaultJWKSUnreachable]:
		return "", row20Unreachable
	case errors.Is(err, errNoKeyRegistered):
		return "", row19NoJWKS
	case err != nil:
		return "", row20Unreachable
	}
	v := &verification{ca: ca, set: set, tokenURL: tokenURL, now: func() time.Time { return s.clock(r) }}
	for _, step := range verifyOrder {
		if e := step(v); e != nil {
			return "", e
		}
	}
	exp, _ := number(ca.claims["exp"])
	jti, _ := ca.claims["jti"].(string)
	switch fresh, err := s.recordJTI(sub, jti, exp); {
	case err != nil:
		return "", s.storeFull("jti")
	case !fresh:
		return "", row16JTIReused // the same jti raced in concurrently
	}
	return sub, nil
}

// checkAssertionClaims is the platform's one claim-checking function: rows
// 7–17 of §2.6 in the order of §2.7; on success sub is returned and the jti
// is remembered as tried (§2.7); checkClientAssertion records it as granted
// once the assertion is verified. "Missing" follows the platform's JavaScript: absent,
// null, false, 0 and "" are all missing (so exp = 0 is row 11).
func (s *Server) checkAssertionClaims(ca *clientAssertion) (sub string, e *platformError) {
	return s.checkAssertionClaimsAt(ca, s.now())
}

// checkAssertionClaimsAt is checkAssertionClaims at the platform's time t
// (moved by a clock fault, fault.go).
func (s *Server) checkAssertionClaimsAt(ca *clientAssertion, t time.Time) (sub string, e *platformError) {
	h, c := ca.header, ca.claims
	nowMs := t.UnixMilli()
	now := nowMs / 1000

	if alg, _ := h["alg"].(string); alg != assertionAlg {
		return "", row7Alg
	}
	exp, expIsNumber := number(c["exp"])
	// Strict, no leeway, to the millisecond, as the platform's
	// `new Date() > new Date(payload.exp * 1000)`.
	if expIsNumber && exp != 0 && float64(nowMs) > exp*1000 {
		return "", row8Expired
	}
	if missing(h["kid"]) {
		return "", row9NoKID
	}
	if typ, _ := h["typ"].(string); !strings.EqualFold(typ, "JWT") {
		return "", row10Typ
	}
	if missing(c["exp"]) {
		return "", row11NoExp
	}
	if !expIsNumber {
		return "", row12ExpType // a numeric string too
	}
	if missing(c["iss"]) || missing(c["sub"]) || !reflect.DeepEqual(c["iss"], c["sub"]) {
		return "", row13IssSub
	}
	if missing(c["jti"]) {
		return "", row14NoJTI
	}
	jti, ok := c["jti"].(string)
	if !ok {
		return "", row15JTIType
	}
	sub = claimText(c["sub"])
	if s.jtiUsed(sub, jti) {
		return "", row16JTIReused
	}
	if exp > float64(now+maxExpAhead) {
		return "", row17ExpTooFar
	}
	if !s.triedJTI(sub, jti, exp) {
		return "", row16JTIReused // the same jti raced in concurrently
	}
	return sub, nil
}

// verification is the platform's JWT verification step (rows 21–23), run in
// verifyOrder.
type verification struct {
	ca       *clientAssertion
	set      jose.JSONWebKeySet
	tokenURL string
	now      func() time.Time
}

// kidKeys returns the published keys whose kid is the assertion's.
func (v *verification) kidKeys() []jose.JSONWebKey {
	kid, ok := v.ca.header["kid"].(string)
	if !ok {
		return nil
	}
	return v.set.Key(kid)
}

// kid is row 22: no published key has the assertion's kid.
func (v *verification) kid() *platformError {
	if len(v.kidKeys()) == 0 {
		return row22KIDUnknown
	}
	return nil
}

// signature is row 23: the RS512 signature must verify, with golang-jwt,
// against an RSA key of at least 2048 bits with the assertion's kid (several
// keys may share a kid across the folder's JWKS files; any one may match).
// The step also checks exp and nbf with 10 s of clock leeway (reference
// §2.3); a key of another type or a smaller RSA key fails here too.
func (v *verification) signature() *platformError {
	var keys []jwt.VerificationKey
	for _, k := range v.kidKeys() {
		if pub, ok := k.Key.(*rsa.PublicKey); ok && pub.N.BitLen() >= minRSABits {
			keys = append(keys, pub)
		}
	}
	if len(keys) == 0 {
		return row23Signature
	}
	_, err := jwt.Parse(v.ca.raw,
		func(*jwt.Token) (any, error) { return jwt.VerificationKeySet{Keys: keys}, nil },
		jwt.WithValidMethods([]string{assertionAlg}),
		jwt.WithLeeway(signatureLeeway),
		jwt.WithTimeFunc(v.now),
	)
	if err != nil {
		return row23Signature
	}
	return nil
}

// audience is row 21: aud must name the token URL the client called (the
// proxy compares it with its own request URL). An array aud (RFC 7519 §4.1.3)
// holding that URL is accepted too.
func (v *verification) audience() *platformError {
	switch aud := v.ca.claims["aud"].(type) {
	case string:
		if aud == v.tokenURL {
			return nil
		}
	case []any:
		for _, a := range aud {
			if a == v.tokenURL {
				return nil
			}
		}
	}
	return row21Aud
}

// decodeAssertion splits a compact JWS into its three base64url parts and
// decodes the JSON objects of the header and the claims (row 6 otherwise).
func decodeAssertion(raw string) (*clientAssertion, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("mock: client_assertion has %d parts, not 3", len(parts))
	}
	if _, err := base64.RawURLEncoding.DecodeString(parts[2]); err != nil {
		return nil, fmt.Errorf("mock: client_assertion signature: %w", err)
	}
	header, err := decodeSegment(parts[0])
	if err != nil {
		return nil, fmt.Errorf("mock: client_assertion header: %w", err)
	}
	claims, err := decodeSegment(parts[1])
	if err != nil {
		return nil, fmt.Errorf("mock: client_assertion claims: %w", err)
	}
	return &clientAssertion{raw: raw, header: header, claims: claims}, nil
}

// decodeSegment decodes one base64url JSON object, keeping numbers as
// json.Number.
func decodeSegment(seg string) (map[string]any, error) {
	data, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("mock: not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("mock: data after the JSON object")
	}
	return obj, nil
}

// missing is the JavaScript falsiness the platform's checks use: absent,
// null, false, 0 and "".
func missing(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case json.Number:
		f, ok := jsonFloat(v)
		return ok && f == 0
	}
	return false
}

// number returns a JSON number's value; a numeric string is not a number.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	return jsonFloat(n)
}

// jsonFloat is a JSON number's value as JavaScript's JSON.parse gives it: a
// number too large for a float64, such as 1e400, is ±Infinity, still a
// number (so an exp of 1e400 is too far ahead, row 17, not "must be an
// integer").
func jsonFloat(n json.Number) (float64, bool) {
	f, err := n.Float64()
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, !math.IsNaN(f)
}

// unixTime converts seconds since the epoch, clamped to a sane range.
func unixTime(sec float64) time.Time {
	const maxSec = 1 << 40 // far beyond any real exp
	sec = max(min(sec, maxSec), -maxSec)
	return time.Unix(int64(sec), 0)
}

// claimText is a claim's value as text: a string as is, anything else as its
// JSON form.
func claimText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
