package mock

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"time"
)

// Subject-token errors of the token exchange (reference §3.4), exact.
const (
	subjMissing       = "Missing subject_token"
	subjMalformed     = "Malformed JWT in subject_token"
	subjMissingKid    = "Missing 'kid' header in subject_token JWT"
	subjBadTyp        = "Invalid 'typ' header in subject_token JWT - must be 'JWT'"
	subjMissingAlg    = "Missing 'alg' header in subject_token JWT"
	subjMissingExp    = "Missing 'exp' claim in subject_token JWT"
	subjExpNotInt     = "Invalid 'exp' claim in subject_token JWT - must be an integer"
	subjExpired       = "Invalid 'exp' claim in subject_token JWT - JWT has expired"
	subjMissingIss    = "Missing 'iss' claim in subject_token JWT"
	subjMissingAud    = "Missing 'aud' claim in subject_token JWT"
	subjBadIss        = "Missing or non-matching 'iss' claim in subject_token JWT"
	subjUnknownKid    = "Invalid 'kid' header in subject_token JWT - no matching public key"
	subjBadSignature  = "JWT signature verification failed"
	subjPublicKeyCode = "public_key error"
)

// realIssuers are the identity providers /oauth2 trusts: real CIS2
// (reference §6.1) and NHS login (§7). The local platform holds none of
// their keys, so their tokens fail at the key lookup (§3.6 step 7).
var realIssuers = map[string]string{
	"https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare": patternCIS2,
	"https://am.nhsdev.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare": patternCIS2,
	"https://am.nhsdev.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/oidc":                          patternCIS2,
	"https://am.nhsidentity.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare":          patternCIS2,
	"https://auth.login.nhs.uk":           patternNHSLogin,
	"https://auth.login.nhs.uk/":          patternNHSLogin,
	"https://auth.sandpit.signin.nhs.uk":  patternNHSLogin,
	"https://auth.sandpit.signin.nhs.uk/": patternNHSLogin,
	"https://auth.aos.signin.nhs.uk":      patternNHSLogin,
	"https://auth.aos.signin.nhs.uk/":     patternNHSLogin,
}

// subjectJWT is a decoded, not yet verified, subject token.
type subjectJWT struct {
	header, claims map[string]any
	signingInput   string
	signature      []byte
}

// decodeSubjectJWT splits a compact JWS and decodes its header and claims
// as JSON objects, keeping numbers as json.Number so a number can be told
// from a numeric string. It does not verify anything.
func decodeSubjectJWT(tok string) (*subjectJWT, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, false
	}
	var objs [2]map[string]any
	for i := range objs {
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil {
			return nil, false
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&objs[i]); err != nil || objs[i] == nil || dec.More() {
			return nil, false
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil {
		return nil, false
	}
	return &subjectJWT{header: objs[0], claims: objs[1], signingInput: parts[0] + "." + parts[1], signature: sig}, true
}

// subjectTruthy is JavaScript's truthiness, which the platform's checks use
// (`!header.kid`): null, false, 0, NaN and "" are false; objects and
// arrays, even empty ones, are true.
func subjectTruthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case json.Number:
		f, ok := jsonFloat(v)
		return ok && f != 0
	}
	return true
}

// subjectString is String(v) in JavaScript for the scalar claims the platform
// concatenates into its scope filter: 3 and "3" both give "3".
func subjectString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case json.Number:
		if f, ok := jsonFloat(v); ok {
			if math.IsInf(f, 0) {
				return map[bool]string{true: "Infinity", false: "-Infinity"}[f > 0]
			}
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return "[object Object]"
}

// checkSubjectHeaderAndClaims is §3.6 step 5, as the platform's
// validate-subject-token-claims.js decides it.
func (s *Server) checkSubjectHeaderAndClaims(st *subjectJWT) *platformError {
	return s.checkSubjectHeaderAndClaimsAt(st, s.now())
}

// checkSubjectHeaderAndClaimsAt is checkSubjectHeaderAndClaims at the
// platform's time t (moved by a fault, fault.go).
func (s *Server) checkSubjectHeaderAndClaimsAt(st *subjectJWT, t time.Time) *platformError {
	h, c := st.header, st.claims
	if !subjectTruthy(h["kid"]) {
		return perr(http.StatusBadRequest, "invalid_request", subjMissingKid)
	}
	if typ, ok := h["typ"].(string); !ok || !strings.EqualFold(typ, "JWT") {
		return perr(http.StatusBadRequest, "invalid_request", subjBadTyp)
	}
	if !subjectTruthy(h["alg"]) {
		return perr(http.StatusBadRequest, "invalid_request", subjMissingAlg)
	}
	if !subjectTruthy(c["exp"]) {
		return perr(http.StatusBadRequest, "invalid_request", subjMissingExp)
	}
	exp, ok := c["exp"].(json.Number)
	if !ok {
		return perr(http.StatusBadRequest, "invalid_request", subjExpNotInt)
	}
	// Strict, in milliseconds: `new Date() > new Date(payload.exp * 1000)`.
	if f, ok := jsonFloat(exp); !ok || float64(t.UnixMilli()) > f*1000 {
		return perr(http.StatusBadRequest, "invalid_request", subjExpired)
	}
	if !subjectTruthy(c["iss"]) {
		return perr(http.StatusBadRequest, "invalid_request", subjMissingIss)
	}
	if !subjectTruthy(c["aud"]) {
		return perr(http.StatusUnauthorized, "invalid_request", subjMissingAud)
	}
	return nil
}

// trustedIdP is an identity provider a base path trusts.
type trustedIdP struct {
	pattern   string
	realm     *realmDef // nil for the real CIS2 and NHS login
	localCIS2 bool      // the local CIS2 (cis2.go), trusted by /oauth2 as real CIS2 is
}

// trustedIssuer is §3.6 step 6: /oauth2-mock trusts only the local realms'
// issuers (as this request addresses the platform), /oauth2 only the real
// CIS2 and NHS login issuers, and the local CIS2's in their place.
func (s *Server) trustedIssuer(r *http.Request, basePath string, iss any) (trustedIdP, bool) {
	str, ok := iss.(string)
	if !ok {
		return trustedIdP{}, false
	}
	if basePath == "/oauth2-mock" {
		for _, d := range []*realmDef{realmCIS2Def, realmNHSLoginDef} {
			if str == s.issuer(r, d) {
				return trustedIdP{pattern: d.Pattern, realm: d}, true
			}
		}
		return trustedIdP{}, false
	}
	if str == s.cis2Issuer(r) {
		return trustedIdP{pattern: patternCIS2, localCIS2: true}, true
	}
	p, ok := realIssuers[str]
	return trustedIdP{pattern: p}, ok
}

// checkSubjectSignature is §3.6 step 7: the kid must name a key of the
// issuer's JWKS, and the signature must verify with it; RS256 and RS512 are
// accepted, anything else (none, HMAC, PS, EC) fails as a bad signature.
func (s *Server) checkSubjectSignature(st *subjectJWT, idp trustedIdP) *platformError {
	pub, kid, e := s.idpKey(idp)
	if e != nil {
		return e
	}
	if k, _ := st.header["kid"].(string); k != kid {
		return perr(http.StatusUnauthorized, "invalid_request", subjUnknownKid)
	}
	alg, _ := st.header["alg"].(string)
	if !slices.Contains([]string{"RS256", "RS512"}, alg) {
		return perr(http.StatusUnauthorized, subjPublicKeyCode, subjBadSignature)
	}
	if err := jwt.GetSigningMethod(alg).Verify(st.signingInput, st.signature, pub); err != nil {
		return perr(http.StatusUnauthorized, subjPublicKeyCode, subjBadSignature)
	}
	return nil
}

// idpKey is the signing key and kid of a trusted identity provider the
// local platform holds keys for: a mock realm or the local CIS2.
func (s *Server) idpKey(idp trustedIdP) (*rsa.PublicKey, string, *platformError) {
	switch {
	case idp.localCIS2:
		k, err := s.cis2Key()
		if err != nil {
			return nil, "", unknownError
		}
		return &k.priv.PublicKey, k.kid, nil
	case idp.realm != nil:
		rk, err := s.oidc.keys.get(idp.realm.Name)
		if err != nil {
			return nil, "", unknownError
		}
		return &rk.priv.PublicKey, rk.kid, nil
	}
	return nil, "", perr(http.StatusUnauthorized, "invalid_request", subjUnknownKid)
}

// assuranceScopes is §3.6 step 8, as FilterScopesTokenExchange.js does it:
// CIS2 keeps the product scopes containing ":aal<authentication_assurance_level>:",
// NHS login those containing ":<first two characters of
// identity_proofing_level>:". It returns the surviving scopes and the level
// they were filtered by ("aal3", "P9").
func assuranceScopes(pattern string, claims map[string]any, productScopes []string) ([]string, string) {
	var level string
	if pattern == patternCIS2 {
		level = "aal" + subjectString(claims["authentication_assurance_level"])
	} else {
		level = subjectString(claims["identity_proofing_level"])
		if len(level) > 2 {
			level = level[:2]
		}
	}
	var kept []string
	for _, sc := range productScopes {
		if strings.Contains(sc, ":"+level+":") {
			kept = append(kept, sc)
		}
	}
	return kept, level
}
