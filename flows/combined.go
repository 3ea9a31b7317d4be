package flows

import (
	"fmt"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// Pages of NHS's guide that define the combined-authentication flows.
const (
	docCIS2Combined     = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation"
	docNHSLoginCombined = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-login-combined-authentication-and-authorisation"
	docCIS2AlongsideCIS = "https://digital.nhs.uk/services/care-identity-service/applications-and-services/cis2-authentication/guidance-for-developers/detailed-guidance/cis2-alongside-cis"
	docBackchannel      = "OpenID Connect Back-Channel Logout 1.0 §2.4–§2.6 (https://openid.net/specs/openid-connect-backchannel-1_0.html)"
)

// CIS2Combined is the CIS2 combined authentication and authorisation flow:
// the app is the API platform's OAuth client, and the platform signs the
// healthcare worker in with CIS2 behind the scenes (reference §4). Its
// steps call, in order:
//
//  1. the local platform's /_mock/info (on local): the app's registered callback;
//  2. steps.ListenCallback and steps.CombinedAuthorizeURL: state, the
//     loopback listener on the registered callback, the URL to open;
//  3. steps.FormLogin, or the browser and Listener.Wait or a pasted URL:
//     every hop to the app's callback, and the code;
//  4. optionally the same again on the kept realm session (single sign-on);
//  5. steps.ExchangePlatformCode: the platform's six-member token answer;
//  6. steps.CallAPI: the API with the platform access token;
//  7. steps.FetchUserinfo: the platform's /userinfo;
//  8. steps.RefreshToken: a refresh, refresh_count and the window;
//  9. steps.EndSession: the realm's logout, then the API and userinfo again.
func CIS2Combined() *Flow { return combinedFlow(RealmCIS2) }

// NHSLoginCombined is the NHS login combined authentication flow: as
// CIS2Combined, with scope=nhs-login sending the patient to NHS login
// (reference §4.1); the platform's /userinfo refuses its tokens (§4.5) and
// NHS login sessions get no back-channel logout (§4.6).
func NHSLoginCombined() *Flow { return combinedFlow(RealmNHSLogin) }

// combined describes one of the two flows. It shares the API call and the
// refresh with the separate flows: both use the platform's tokens.
type combined struct {
	*separate
}

func combinedFlow(kind RealmKind) *Flow {
	c := &combined{separate: &separate{kind: kind, credKind: steps.KindCIS2, defaultURL: "/hello-world/hello/user", userWord: "user UID"}}
	f := &Flow{
		ID:         "cis2-combined",
		Title:      "CIS2 combined authentication",
		Pattern:    "Healthcare worker signs in with CIS2 through the API platform; the app gets platform tokens for a code.",
		Doc:        docCIS2Combined,
		DefaultURL: c.defaultURL,
	}
	if kind == RealmNHSLogin {
		c.credKind, c.userWord = steps.KindNHSLogin, "NHS number"
		f.ID, f.Title, f.Doc = "nhs-login-combined", "NHS login combined authentication", docNHSLoginCombined
		f.Pattern = "Patient signs in with NHS login through the API platform; the app gets platform tokens for a code."
	}
	f.Steps = append(c.signInSteps(f), c.tokenSteps(f)...)
	return f
}

// signInSteps are steps 1–4: registration, authorise, sign-in, single sign-on.
func (c *combined) signInSteps(f *Flow) []Step {
	var authInputs []Input
	if c.kind == RealmCIS2 {
		authInputs = []Input{acrInput(), useCIS2Input()}
	}
	return []Step{
		{
			ID: "registration", Title: "The app's registration",
			What:   "Names the app as the platform knows it: its API key (the client_id), its API secret (the client_secret) and its one registered callback URL (on local: the local app's, from the platform's /_mock/info).",
			Why:    "In combined authentication your app is the API platform's OAuth client, not the identity provider's: the platform compares the callback URL as a plain string, exactly, so scheme, host, port, path and trailing slash all count.",
			Doc:    "NHS: user-restricted RESTful APIs, combined authentication and authorisation (" + f.Doc + ")",
			Inputs: []Input{apiKeyInput(), apiSecretInput(), callbackInput()},
			Run:    c.runRegistration,
		},
		{
			ID: "authorize", Title: "Build the authorise URL",
			What:   fmt.Sprintf("Makes a fresh state, starts the loopback listener on the registered callback (when it is a loopback URL), and builds the platform's %s/authorize URL with client_id = API key, redirect_uri, response_type=code and state%s.", "{api}/oauth2-mock (or /oauth2, through CIS2)", c.scopeNote()),
			Why:    "The platform keeps your request under a state of its own and sends the browser to " + c.kind.String() + "; your state comes back with the code so a forged or stale callback is refused.",
			Doc:    "RFC 6749 §4.1.1; reference: the platform's authorise (" + f.Doc + ")",
			Inputs: authInputs,
			Run:    c.runAuthorize,
		},
		{
			ID: "sign-in", Title: "Sign in", PreparedBy: "authorize", // the platform's state is single use
			What:   fmt.Sprintf("Signs in as a test user (by %s): in the browser, by pasting the URL it lands on, or by submitting the realm's login form as NHS's test harness does. Every hop is shown: the platform's 302 to the realm, the login page, the form post and its 302 to the platform's callback, the platform's 302 to your callback with code and state, and the callback your listener received.", c.userWord),
			Why:    "The user proves who they are to " + c.kind.String() + ", never to your app or the platform; the platform checks the assurance level at its callback and only then sends your app a code.",
			Doc:    "RFC 6749 §4.1.2; OpenID Connect Core §3.1.2.5; NHS mock authorisation service test users (" + docMockAuthService + ")",
			Wait:   WaitBrowser,
			Inputs: []Input{userInput(c.userWord, c.testUsers())},
			Run:    c.runSignIn,
		},
		{
			ID: "sso", Title: "Single sign-on",
			What:   "Authorises a second time, when asked (--sso, or set SSO to yes with e and run this step with r): a second authorise in the same browser session. The realm still has its session, so it sends the browser straight back to the platform's callback: only redirects, no login page.",
			Why:    "This is what a user already signed in (with a smartcard, through CIS's Identity Agent) sees: a redirect to the authorisation service and back. A login page appears again once max_age=300 has passed since the sign-in, with prompt=login, or after the session ended.",
			Doc:    "OpenID Connect Core §3.1.2.1 (max_age, prompt); NHS CIS2 alongside CIS (" + docCIS2AlongsideCIS + ")",
			Inputs: []Input{ssoInput()},
			Run:    c.runSSO,
		},
	}
}

// tokenSteps are steps 5–9: code, API, userinfo, refresh, sign-out.
func (c *combined) tokenSteps(f *Flow) []Step {
	return []Step{
		{
			ID: "code", Title: "Exchange the code",
			What: "Redeems the platform's code at {api}/oauth2-mock/token (or /oauth2/token, through CIS2) with grant_type=authorization_code, code, the same redirect_uri, client_id (API key) and client_secret (API secret).",
			Why:  "Only your app holds the API secret, so only it can turn the code into tokens; the code lives at most 300 s and works once.",
			Doc:  "RFC 6749 §4.1.3; reference: the platform's token endpoint (" + f.Doc + ")",
			Run:  c.runCode,
		},
		{
			ID: "call-api", Title: "Call the API",
			What:   "Calls the API with the platform access token as a bearer token.",
			Why:    "The token's scopes decide which APIs answer: Hello World's /hello/user wants a user-restricted token at CIS2 AAL3 or NHS login P9/P5.",
			Doc:    "RFC 6750 §2.1 (bearer token); NHS Hello World API (https://digital.nhs.uk/developer/api-catalogue/hello-world)",
			Inputs: c.apiInputs(),
			Run:    c.runAPI,
		},
		{
			ID: "userinfo", Title: "Userinfo",
			What: "Calls the platform's {api}/oauth2-mock/userinfo (or /oauth2/userinfo, through CIS2) with the platform access token.",
			Why:  c.userinfoWhy(),
			Doc:  "OpenID Connect Core §5.3; reference: the platform's userinfo (" + f.Doc + ")",
			Run:  c.runUserinfo,
		},
		{
			ID: "refresh", Title: "Refresh the platform token",
			What:   "Trades the refresh token for a new access token at the token endpoint that issued it ({api}/oauth2-mock/token, or /oauth2/token through CIS2), with your API key and secret.",
			Why:    "A user session outlives one 10-minute access token; the refresh window does not restart, so refresh_token_expires_in counts down while refresh_count goes up.",
			Doc:    "RFC 6749 §6; reference: refresh, as for separate authentication (" + f.Doc + ")",
			Inputs: []Input{apiSecretInput()},
			Run:    c.runRefresh,
		},
		{
			ID: "sign-out", Title: "Back-channel logout",
			What: "Ends the realm session: with the session kept from --user, by the realm's end-session page and its confirm form. Otherwise log out yourself, in the browser you signed in with, on {realm}/protocol/openid-connect/logout (--browser opens it); the step waits, up to --login-timeout, until the platform's token stops working. Then it calls the API (and userinfo) again with the platform's tokens.",
			Why:  c.signOutWhy(),
			Doc:  docBackchannel + "; OpenID Connect RP-Initiated Logout 1.0 §2",
			Run:  c.runSignOut,
		},
	}
}

func (c *combined) scopeNote() string {
	if c.kind == RealmNHSLogin {
		return ", plus scope=nhs-login, which sends the user to NHS login"
	}
	return ", plus acr_values when given (passed on to CIS2)"
}

func (c *combined) userinfoWhy() string {
	if c.kind == RealmNHSLogin {
		return "The platform's userinfo answers only for CIS2 combined tokens: for an NHS login token it answers 400 invalid_request, and this step shows that answer."
	}
	return "The platform proxies CIS2's userinfo with the CIS2 access token it kept, and returns CIS2's answer unchanged: the user's UID, name and RBAC roles."
}

func (c *combined) signOutWhy() string {
	if c.kind == RealmNHSLogin {
		return "NHS login sessions get no back-channel logout: ending the NHS login session does not revoke the platform's tokens, which keep working until they expire."
	}
	return "When a CIS2 session ends (logout, or the smartcard removed) CIS2 POSTs a signed logout token to the platform's back-channel logout URI; the platform revokes every token of that session, refreshed ones included, so the API and userinfo answer 401."
}

func callbackInput() Input {
	return Input{Key: "callback", Label: "Callback URL", Help: "The app's registered callback URL, exactly (--callback). Empty on local: the local app's (nhsauth mock --callback, default http://127.0.0.1:8401/callback).",
		Get: func(j *Journey) string { return j.Combined.CallbackURL },
		Set: func(j *Journey, v string) error { j.Combined.CallbackURL = strings.TrimSpace(v); return nil }}
}

// useCIS2Input chooses the platform's base path for cis2-combined
// (CombinedBasePath).
func useCIS2Input() Input {
	return Input{Key: "cis2", Label: "Through /oauth2", Help: "yes: the platform's /oauth2, which sends the user to CIS2 Authentication (on local, the local CIS2); no: /oauth2-mock, in front of NHS's Keycloak mock realm (the default).",
		Get: func(j *Journey) string { return yesNo(j.Combined.UseCIS2) },
		Set: func(j *Journey, v string) error { return setYesNo(&j.Combined.UseCIS2, v, "Through /oauth2") }}
}

func ssoInput() Input {
	return Input{Key: "sso", Label: "SSO", Help: "yes: authorise a second time on the realm session kept from the sign-in (--sso); no: skip.",
		Get: func(j *Journey) string { return yesNo(j.Combined.SSO) },
		Set: func(j *Journey, v string) error { return setYesNo(&j.Combined.SSO, v, "SSO") }}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// setYesNo reads a yes/no answer into dst ("" is no).
func setYesNo(dst *bool, v, name string) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "1":
		*dst = true
	case "no", "n", "false", "0", "":
		*dst = false
	default:
		return fmt.Errorf("flows: %s %q: answer yes or no", name, v)
	}
	return nil
}
