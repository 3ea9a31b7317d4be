package flows

// Break-it mode: the catalogue of failures nhsauth makes happen on purpose,
// so that a learner meets each documented failure once, safely, on the
// local platform. A client-side fault changes how the flow builds one
// request (a journey input before a step, an assertion re-signed wrong, a
// request sent twice); a platform-side fault asks the local platform to
// misbehave for this run's requests only, by the X-Nhsauth-Fault header
// (mock/fault.go). The flow still runs through the Runner: Break returns the
// same flow with hooks around the steps concerned.

import (
	"slices"
	"strings"
)

// FaultHeader is the request header that names the local platform's faults
// for that one request; the local platform documents the same name (the two
// sides agree by documentation, as LocalAPIKey does).
const FaultHeader = "X-Nhsauth-Fault"

// Where a fault happens.
const (
	SideClient   = "client"   // in how the flow builds a request
	SidePlatform = "platform" // the local platform, asked by FaultHeader
)

// Flow IDs, for the catalogue's Flows lists.
const (
	idAppRestricted = "app-restricted"
	idCIS2Sep       = "cis2-separate"
	idNHSSep        = "nhs-login-separate"
	idCIS2Comb      = "cis2-combined"
	idNHSComb       = "nhs-login-combined"
)

// Fault is one failure break-it mode makes happen: its name, a line on
// what it does, what it breaks, where, the flows it fits and the reply the
// run ends with.
type Fault struct {
	Name   string   // "wrong-kid"
	Line   string   // one line for `nhsauth break --list`
	Breaks string   // the check that fails and the reference row it imitates
	Side   string   // SideClient or SidePlatform
	Flows  []string // the flows it fits, in All's order
	// Want is the platform's exact error_description (or body message) the
	// run ends with, by flow ID; "*" is every flow. "" means no reply at all
	// (a timeout).
	Want map[string]string

	hooks faultHooks
}

// Fits reports whether the fault applies to the flow with this ID.
func (f *Fault) Fits(flowID string) bool { return slices.Contains(f.Flows, flowID) }

// Expect is the reply a run of the flow with this ID ends with.
func (f *Fault) Expect(flowID string) string {
	if w, ok := f.Want[flowID]; ok {
		return w
	}
	return f.Want["*"]
}

// FaultByName finds a fault of Faults.
func FaultByName(name string) (*Fault, bool) {
	for _, f := range Faults() {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// FaultNames lists the faults' names, in Faults' order.
func FaultNames() []string {
	var out []string
	for _, f := range Faults() {
		out = append(out, f.Name)
	}
	return out
}

// FlowsText spells the fault's flows for a message: "a, b or c".
func (f *Fault) FlowsText() string {
	n := len(f.Flows)
	if n < 2 {
		return strings.Join(f.Flows, "")
	}
	return strings.Join(f.Flows[:n-1], ", ") + " or " + f.Flows[n-1]
}

var (
	assertionFlows = []string{idAppRestricted, idCIS2Sep, idNHSSep}
	separateFlows  = []string{idCIS2Sep, idNHSSep}
	combinedFlows  = []string{idCIS2Comb, idNHSComb}
	refreshFlows   = []string{idCIS2Sep, idNHSSep, idCIS2Comb, idNHSComb}
)

// Faults is the break-it catalogue, one row per documented failure
// (reference §2.6, §3.4–§3.6, §4, §5.7).
func Faults() []*Fault {
	return []*Fault{
		{Name: "clock-ahead", Side: SidePlatform, Flows: assertionFlows,
			Line:   "the platform's clock runs 6 minutes ahead of yours (your clock is behind)",
			Breaks: "the assertion's exp is already past by the platform's clock (§2.6 row 8)",
			Want:   map[string]string{"*": "Invalid 'exp' claim in client_assertion JWT - JWT has expired"},
			hooks:  faultHooks{header: "clock-ahead"}},
		{Name: "clock-behind", Side: SidePlatform, Flows: assertionFlows,
			Line:   "the platform's clock runs 6 minutes behind yours (your clock is ahead)",
			Breaks: "the assertion's exp lies more than 5 minutes ahead by the platform's clock (§2.6 row 17)",
			Want:   map[string]string{"*": "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"},
			hooks:  faultHooks{header: "clock-behind"}},
		{Name: "wrong-kid", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the assertion names a kid that is not in the registered JWKS",
			Breaks: "no public key with that kid (§2.6 row 22)",
			Want:   map[string]string{"*": "Invalid 'kid' header in client_assertion JWT - no matching public key"},
			hooks:  faultHooks{resign: func(a *resign) { a.header["kid"] = a.header["kid"].(string) + "-wrong" }}},
		{Name: "key-not-registered", Side: SidePlatform, Flows: assertionFlows,
			Line:   "the app has no public key (JWKS URL) registered",
			Breaks: "no JWKS to verify the assertion with (§2.6 row 19)",
			Want:   map[string]string{"*": "You need to register a public key to use this authentication method - please contact support to configure"},
			hooks:  faultHooks{header: "key-not-registered"}},
		{Name: "aud-other-env", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the assertion's aud is INT's token URL, not the one called",
			Breaks: "aud must be the token URL called (§2.6 row 21)",
			Want:   map[string]string{"*": "Missing or invalid 'aud' claim in client_assertion JWT"},
			hooks:  faultHooks{resign: func(a *resign) { a.claims["aud"] = "https://int.api.service.nhs.uk/oauth2/token" }}},
		{Name: "exp-over-5-minutes", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the assertion's exp is 10 minutes ahead",
			Breaks: "exp at most 5 minutes ahead (§2.6 row 17)",
			Want:   map[string]string{"*": "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"},
			hooks:  faultHooks{resign: func(a *resign) { a.claims["exp"] = a.now.Unix() + 600 }}},
		{Name: "replayed-jti", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the same signed assertion is sent twice",
			Breaks: "each jti is accepted once (§2.6 row 16)",
			Want:   map[string]string{"*": "Non-unique 'jti' claim in client_assertion JWT"},
			hooks:  faultHooks{twice: map[string]func(*Journey) func(){"token": resendAssertion}}},
		{Name: "missing-typ", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the assertion's header has no typ",
			Breaks: "typ must be JWT (§2.6 row 10)",
			Want:   map[string]string{"*": "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"},
			hooks:  faultHooks{resign: func(a *resign) { delete(a.header, "typ") }}},
		{Name: "hs256", Side: SideClient, Flows: []string{idAppRestricted},
			Line:   "the assertion is signed HS256 with a shared secret instead of RS512",
			Breaks: "alg must be RS512 (§2.6 row 7)",
			Want:   map[string]string{"*": "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"},
			hooks:  faultHooks{resign: func(a *resign) { a.alg = "HS256" }}},
		{Name: "state-tampered", Side: SidePlatform, Flows: combinedFlows,
			Line:   "the state is changed on its way back to the platform's callback",
			Breaks: "the platform's state is looked up, once (§4.2 step 1)",
			Want:   map[string]string{"*": "Invalid state parameter."},
			hooks:  faultHooks{header: "state-tampered", byForm: true}},
		{Name: "code-replayed", Side: SideClient, Flows: separateFlows,
			Line:   "the authorization code is redeemed twice",
			Breaks: "codes are single use (§5.7)",
			Want:   map[string]string{"*": "Code not valid"},
			hooks:  faultHooks{twice: map[string]func(*Journey) func(){"code": func(*Journey) func() { return func() {} }}}},
		{Name: "code-expired", Side: SidePlatform, Flows: separateFlows,
			Line:   "the authorization code has expired when it is redeemed",
			Breaks: "codes are short-lived (§5.7)",
			Want:   map[string]string{"*": "Code not valid"},
			hooks:  faultHooks{header: "code-expired"}},
		{Name: "pkce-wrong", Side: SideClient, Flows: separateFlows,
			Line:   "the code exchange sends another login's code_verifier",
			Breaks: "the verifier must hash to the code_challenge (§5.7)",
			Want:   map[string]string{"*": "PKCE verification failed"},
			hooks:  faultHooks{before: map[string]func(*Journey){"code": breakVerifier}}},
		{Name: "redirect-uri-mismatch", Side: SideClient, Flows: separateFlows,
			Line:   "the code exchange sends another redirect_uri than the authorise request",
			Breaks: "redirect_uri must match the authorise request's (§5.7)",
			Want:   map[string]string{"*": "Incorrect redirect_uri"},
			hooks:  faultHooks{before: map[string]func(*Journey){"code": breakRedirect}}},
		{Name: "id-token-expired", Side: SidePlatform, Flows: separateFlows,
			Line:   "the ID token has expired when it is exchanged",
			Breaks: "the subject token's exp (§3.4)",
			Want:   map[string]string{"*": "Invalid 'exp' claim in subject_token JWT - JWT has expired"},
			hooks:  faultHooks{header: "id-token-expired"}},
		{Name: "id-token-other-audience", Side: SidePlatform, Flows: combinedFlows,
			Line:   "the identity provider's ID token was issued to another client",
			Breaks: "the ID token's aud must be the platform's client (§4.2 step 4)",
			Want:   map[string]string{"*": "Invalid 'aud' claim in external ID token JWT"},
			hooks:  faultHooks{header: "id-token-other-audience", byForm: true}},
		{Name: "aal1-user", Side: SideClient, Flows: []string{idCIS2Sep, idCIS2Comb},
			Line:   "signs in as the AAL1 test user 656005750110",
			Breaks: "no product scope at the user's assurance level (§3.2, §4.2 step 5)",
			Want:   map[string]string{"*": row24},
			hooks:  faultHooks{user: "656005750110"}},
		{Name: "p0-user", Side: SideClient, Flows: []string{idNHSSep, idNHSComb},
			Line:   "signs in as the P0 test user 9912003073",
			Breaks: "no product scope at the user's proofing level (§3.2, §4.2 step 5)",
			Want:   map[string]string{"*": row24},
			hooks:  faultHooks{user: "9912003073"}},
		{Name: "refresh-reused", Side: SideClient, Flows: refreshFlows,
			Line:   "the refresh token is used a second time",
			Breaks: "each refresh retires the refresh token (§3.5)",
			Want:   map[string]string{"*": "refresh_token is invalid"},
			hooks:  faultHooks{twice: map[string]func(*Journey) func(){"refresh": reuseRefresh}}},
		{Name: "refresh-window-exceeded", Side: SidePlatform, Flows: refreshFlows,
			Line:   "the refresh comes after the session's refresh window ended",
			Breaks: "the fixed refresh window (§3.5)",
			Want:   map[string]string{"*": "refresh token refresh period has expired"},
			hooks:  faultHooks{header: "refresh-window-exceeded"}},
		{Name: "session-revoked", Side: SidePlatform, Flows: []string{idCIS2Comb},
			Line:   "CIS2 ends the session by back-channel logout before the API call",
			Breaks: "a revoked session's tokens get 401 (§4.6)",
			Want:   map[string]string{"*": "Invalid access token"},
			hooks:  faultHooks{header: "session-revoked"}},
		{Name: "rate-limited", Side: SidePlatform, Flows: []string{idAppRestricted},
			Line:   "the platform answers the token request 429 with Retry-After",
			Breaks: "the app's rate limit (429 body unconfirmed, §2.6)",
			Want:   map[string]string{"*": "Your application has exceeded its rate limit - retry after the number of seconds in the Retry-After header"},
			hooks:  faultHooks{header: "rate-limited"}},
		{Name: "unavailable", Side: SidePlatform, Flows: []string{idAppRestricted},
			Line:   "the platform answers the token request 503 with Retry-After",
			Breaks: "the platform is down or overloaded",
			Want:   map[string]string{"*": "The service is temporarily unavailable - retry after the number of seconds in the Retry-After header"},
			hooks:  faultHooks{header: "unavailable"}},
		{Name: "slow-idp", Side: SidePlatform, Flows: separateFlows,
			Line:   "the identity provider does not answer within --timeout",
			Breaks: "every request's time limit (--timeout)",
			Want:   map[string]string{"*": ""},
			hooks:  faultHooks{header: "slow-idp"}},
		{Name: "jwks-unreachable", Side: SidePlatform, Flows: assertionFlows,
			Line:   "the platform cannot fetch the app's registered JWKS URL",
			Breaks: "the JWKS must be reachable (§2.6 row 20)",
			Want:   map[string]string{"*": "The JWKS endpoint, for your client_assertion can't be reached"},
			hooks:  faultHooks{header: "jwks-unreachable"}},
	}
}

// row24 is the platform's refusal when no product scope fits (§2.6 row 24,
// §3.2, §4.2 step 5).
const row24 = "you have tried to request authorization but your application is not configured to use this authorization grant type"
