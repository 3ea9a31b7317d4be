package transcript

import "github.com/nhsauth/nhsauth/steps"

// explainHeader explains a JOSE header parameter (RFC 7515 §4.1) of a
// client assertion (signed by your app) or of a token an issuer signed.
func explainHeader(name string, assertion bool) string {
	switch {
	case name == "alg" && assertion:
		return "Signing algorithm (the NHS platform takes client assertions signed with RS512 only)."
	case name == "alg":
		return "Signing algorithm the issuer used; a verifier accepts only the algorithms it expects."
	case name == "kid" && assertion:
		return "Key ID: which key in your app's published JWKS verifies the signature."
	case name == "kid":
		return "Key ID: which key in the issuer's published JWKS verifies the signature."
	case name == "typ":
		return "Media type of the token: JWT."
	}
	return ""
}

// explainClaim explains an ID token's claim in plain words: steps'
// explanations first (OpenID Connect Core §2, reference §5.6, §6.3, §7), then
// nhsauth's own for the rest.
func explainClaim(name string) string {
	if e := steps.ExplainClaim(name); e != "" {
		return e
	}
	return claimHelp[name]
}

// explainAssertionClaim explains a client assertion's claims (RFC 7523 §3,
// reference §2.3).
func explainAssertionClaim(name string) string {
	if e := assertionHelp[name]; e != "" {
		return e
	}
	return explainClaim(name)
}

var assertionHelp = map[string]string{
	"iss": "Issuer: your app's API key; the platform looks the app up by it.",
	"sub": "Subject: your app's API key again (it must equal iss).",
	"aud": "Audience: the exact token URL this assertion is sent to.",
	"exp": "Expiry: at most 5 minutes after now; the platform refuses a later one.",
	"jti": "JWT ID: unique per assertion; the platform refuses one it has seen before.",
	"iat": "Issued at: when the assertion was signed.",
}

var claimHelp = map[string]string{
	"nbf":           "Not before: the token must be refused before this time.",
	"s_hash":        "Hash of the state value.",
	"name":          "The user's full name.",
	"given_name":    "The user's given name.",
	"family_name":   "The user's family name.",
	"email":         "The user's email address.",
	"scope":         "Scopes granted.",
	"client_id":     "The client the token was issued to.",
	"session_state": "Identity provider session state.",
}
