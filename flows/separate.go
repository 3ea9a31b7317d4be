package flows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// Pages of NHS's guide that define the separate-authentication flows.
const (
	docCIS2Separate     = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/testing-with-our-mock-authorisation-service-using-nhs-cis2---separate-authentication"
	docNHSLoginSeparate = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/testing-with-our-mock-authorisation-service-using-nhs-login---separate-authentication"
	docCIS2UserSep      = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-separate-authentication-and-authorisation"
	docNHSLoginUserSep  = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-login-separate-authentication-and-authorisation"
	docMockAuthService  = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/testing-apis-with-our-mock-authorisation-service"
)

// CIS2Separate is the CIS2 separate authentication flow: a healthcare worker
// signs in on the CIS2 mock realm, and the app exchanges the ID token for
// platform tokens (reference §3, §5). Its steps call, in order:
//
//  1. steps.MockCredentials: the realm's client from mock-jwks;
//  2. steps.Discover: the realm's endpoints and issuer;
//  3. steps.NewPKCE, steps.ListenCallback and steps.AuthorizeURL: state,
//     nonce, PKCE, the loopback listener and the URL to open;
//  4. steps.FormLogin, or steps.BrowserOpener then Listener.Wait or
//     steps.ParseRedirect: the code;
//  5. steps.ExchangeCode: the realm's tokens, the ID token among them;
//  6. steps.VerifyIDToken: each check of OpenID Connect Core §3.1.3.7;
//  7. ReadyKey, steps.PlatformAuth's Sign and steps.TokenExchange: platform tokens;
//  8. steps.CallAPI: the API with the platform access token;
//  9. steps.RefreshToken: a refresh at the base path that issued the token.
func CIS2Separate() *Flow { return separateFlow(RealmCIS2) }

// NHSLoginSeparate is the NHS login separate authentication flow: a patient
// signs in on the NHS login mock realm, and the app exchanges the ID token
// for platform tokens (reference §3, §5, §7).
func NHSLoginSeparate() *Flow { return separateFlow(RealmNHSLogin) }

// separate describes one of the two flows; the steps read it.
type separate struct {
	kind       RealmKind
	credKind   string // mock-jwks key: cis2 or nhs-login
	scope      string
	defaultURL string
	userWord   string // "user UID" or "NHS number"
}

func separateFlow(kind RealmKind) *Flow {
	s := &separate{kind: kind, credKind: steps.KindCIS2, scope: steps.ScopeCIS2, defaultURL: "/hello-world/hello/user", userWord: "user UID"}
	f := &Flow{
		ID:         "cis2-separate",
		Title:      "CIS2 separate authentication",
		Pattern:    "Healthcare worker signs in with CIS2; the app swaps the ID token for a platform token.",
		Doc:        docCIS2Separate,
		DefaultURL: s.defaultURL,
	}
	userDoc := docCIS2UserSep
	if kind == RealmNHSLogin {
		userDoc = docNHSLoginUserSep
		s.credKind, s.scope, s.userWord = steps.KindNHSLogin, steps.ScopeNHSLogin, "NHS number"
		f.ID, f.Title, f.Doc = "nhs-login-separate", "NHS login separate authentication", docNHSLoginSeparate
		f.Pattern = "Patient signs in with NHS login; the app swaps the ID token for a platform token."
	}
	f.Steps = []Step{
		{
			ID: "credentials", Title: "Obtain the mock client's credentials",
			What:   fmt.Sprintf("Asks the mock-jwks service, with your API key, for the %s mock realm's client: client_id, client_secret and its registered redirect_uri.", kind),
			Why:    "The Keycloak mock realms are a separate identity provider: your app signs users in there as its own client, before the platform is involved.",
			Doc:    "NHS: Testing with our mock authorisation service, step 1 \"Get your client credentials\" (" + f.Doc + ")",
			Inputs: []Input{apiKeyInput()},
			Run:    s.runCredentials,
		},
		{
			ID: "discovery", Title: "Discover the provider",
			What: "Reads the realm's OpenID Connect discovery document: its issuer and every endpoint the later steps use.",
			Why:  "Endpoints come from the provider, not from memory; the issuer found here is the one every ID token must carry.",
			Doc:  "OpenID Connect Discovery 1.0 §4 (https://openid.net/specs/openid-connect-discovery-1_0.html)",
			Run:  s.runDiscovery,
		},
		{
			ID: "authorize", Title: "Build the authorise URL",
			What:   "Makes a fresh state, nonce and PKCE pair, builds the URL the browser opens, and starts the loopback listener that catches the redirect (unless the redirect URI is not a loopback address: then you paste the URL the browser lands on).",
			Why:    "state ties the redirect to this login, nonce ties the ID token to it, and PKCE makes a stolen code useless to anyone but this client.",
			Doc:    "OpenID Connect Core §3.1.2.1; RFC 7636 (PKCE); RFC 8252 §7.3 (loopback redirect)",
			Inputs: []Input{redirectURIInput(), scopeInput(s.scope)},
			Run:    s.runAuthorize,
		},
		{
			ID: "sign-in", Title: "Sign in", PreparedBy: "authorize", // its login is used once
			What:   fmt.Sprintf("Signs in on the realm's login page as a test user (by %s): in the browser, by pasting the redirected URL, or by submitting the login form directly as NHS's own test harness does.", s.userWord),
			Why:    "The user proves who they are to the identity provider, never to your app; the app only gets a one-time code back, with the state it sent.",
			Doc:    "OpenID Connect Core §3.1.2.5; NHS mock authorisation service test users (" + docMockAuthService + ")",
			Wait:   WaitBrowser,
			Inputs: []Input{userInput(s.userWord, s.testUsers())},
			Run:    s.runSignIn,
		},
		{
			ID: "code", Title: "Exchange the code",
			What:   "Redeems the code at the realm's token endpoint with the client's id and secret, the same redirect_uri, and the PKCE verifier.",
			Why:    "Only the client that started the login (it holds the secret and the verifier) can turn the code into tokens.",
			Doc:    "RFC 6749 §4.1.3; RFC 7636 §4.5; NHS: Testing with our mock authorisation service (" + f.Doc + ")",
			Inputs: []Input{clientAuthInput()},
			Run:    s.runCode,
		},
		{
			ID: "id-token", Title: "Verify the ID token",
			What: "Checks the ID token: its signature against the realm's published keys, the algorithm, issuer, audience, expiry, issue time and nonce, each on its own line.",
			Why:  "An ID token is only worth anything once verified; the platform checks it too, but your app must not trust one it has not checked itself.",
			Doc:  "OpenID Connect Core §3.1.3.7 (https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation)",
			Run:  s.runIDToken,
		},
		{
			ID: "token-exchange", Title: "Exchange the ID token for platform tokens",
			What:   "Sends the ID token to the platform's token endpoint with a client assertion signed by your app's key; the platform checks both and issues an access token and a refresh token.",
			Why:    "APIs on the platform accept the platform's tokens, not the identity provider's; the exchange also filters your app's scopes by the user's assurance level.",
			Doc:    "RFC 8693 §2.1 (token exchange); NHS: user-restricted RESTful APIs, separate authentication and authorisation (" + userDoc + ")",
			Inputs: []Input{exchangeURLInput()},
			Run:    s.runTokenExchange,
		},
		{
			ID: "call-api", Title: "Call the API",
			What:   "Calls the API with the platform access token as a bearer token.",
			Why:    "The token's scopes decide which APIs answer: Hello World's /hello/user wants a user-restricted token at CIS2 AAL3 or NHS login P9/P5.",
			Doc:    "RFC 6750 §2.1 (bearer token); NHS Hello World API (https://digital.nhs.uk/developer/api-catalogue/hello-world)",
			Inputs: s.apiInputs(),
			Run:    s.runCallAPI,
		},
		{
			ID: "refresh", Title: "Refresh the platform token",
			What:   "Trades the refresh token for a new access token at the base path that issued it, with your app's API key and secret.",
			Why:    "A user session outlives one 10-minute access token; the refresh window does not restart, so refresh_token_expires_in counts down.",
			Doc:    "RFC 6749 §6 (refreshing an access token); NHS: user-restricted RESTful APIs, separate authentication, refresh (" + userDoc + ")",
			Inputs: []Input{apiSecretInput()},
			Run:    s.runRefresh,
		},
	}
	return f
}

func (s *separate) apiInputs() []Input {
	in := []Input{urlInput(s.defaultURL)}
	if s.kind == RealmCIS2 {
		in = append(in, Input{Key: "session-urid", Label: "NHSD-Session-URID", Help: "The user's role profile id, sent as NHSD-Session-URID (optional; the API platform's header conventions).",
			Get: func(j *Journey) string { return j.Login.SessionURID },
			Set: func(j *Journey, v string) error { j.Login.SessionURID = strings.TrimSpace(v); return nil }})
	}
	return in
}

func apiKeyInput() Input {
	return Input{Key: "api-key", Label: "API key", Help: "Your application's API key (on local: nhsauth-local-api-key).",
		Get: func(j *Journey) string { return j.APIKey },
		Set: func(j *Journey, v string) error { j.APIKey = strings.TrimSpace(v); return nil }}
}

func apiSecretInput() Input {
	return Input{Key: "api-secret", Label: "API secret", Secret: true, Help: "Your application's API secret: a refresh needs it (on local: nhsauth-local-api-secret).",
		Get: func(j *Journey) string { return j.APISecret },
		Set: func(j *Journey, v string) error {
			j.APISecret = strings.TrimSpace(v)
			j.Secret(j.APISecret)
			return nil
		}}
}

func redirectURIInput() Input {
	return Input{Key: "redirect-uri", Label: "Redirect URI", Help: "Empty: the loopback listener's http://127.0.0.1:<port>/callback. A non-loopback URI (https://example.org/) means pasting the redirected URL.",
		Get: func(j *Journey) string { return j.Login.RedirectURI },
		Set: func(j *Journey, v string) error { j.Login.RedirectURI = strings.TrimSpace(v); return nil }}
}

func scopeInput(def string) Input {
	return Input{Key: "scope", Label: "Scope", Help: "Empty: " + def + ".",
		Get: func(j *Journey) string { return j.Login.Scope },
		Set: func(j *Journey, v string) error { j.Login.Scope = strings.Join(strings.Fields(v), " "); return nil }}
}

// testUsers lists the realm's test users for the Test user input's help.
func (s *separate) testUsers() string {
	if s.credKind == steps.KindNHSLogin {
		return steps.NHSLoginTestUsers
	}
	return steps.CIS2TestUsers
}

func userInput(word, users string) Input {
	return Input{Key: "user", Label: "Test user", Help: "The " + word + " to sign in as by submitting the login form, without a browser (--user); empty: sign in in the browser. Test users: " + users + ".",
		Get: func(j *Journey) string { return j.Login.User },
		Set: func(j *Journey, v string) error { j.Login.User = strings.TrimSpace(v); return nil }}
}

func clientAuthInput() Input {
	ms := RealmAuthMethods()
	ms[0] += " (the seed's)"
	return Input{Key: "client-auth", Label: "Client authentication", Help: steps.JoinAuthMethods(ms) + ".",
		Get: func(j *Journey) string { return string(j.Login.ClientAuth) },
		Set: func(j *Journey, v string) error {
			m, err := ParseRealmAuth(v)
			if err != nil {
				return err
			}
			j.Login.ClientAuth = m
			return nil
		}}
}

// RealmAuthMethods are the client authentication methods the mock realms'
// clients take at their token endpoint: the client id and secret from
// mock-jwks (reference §5.5), in the form as NHS's example request sends
// them, or as HTTP Basic (Keycloak's "Client Id and Secret").
func RealmAuthMethods() []steps.AuthMethod {
	return []steps.AuthMethod{steps.AuthClientSecretPost, steps.AuthClientSecretBasic}
}

// ParseRealmAuth reads a client authentication method for the realm's
// token endpoint by any spelling steps.ParseAuthMethod knows ("" keeps the
// default, client_secret_post), refusing one RealmAuthMethods lacks.
func ParseRealmAuth(s string) (steps.AuthMethod, error) {
	m, err := steps.ParseAuthMethod(s)
	if err == nil && (m == "" || slices.Contains(RealmAuthMethods(), m)) {
		return m, nil
	}
	return "", fmt.Errorf("flows: client authentication %q: use %s", strings.TrimSpace(s), steps.JoinAuthMethods(RealmAuthMethods()))
}

func exchangeURLInput() Input {
	return Input{Key: "exchange-url", Label: "Token exchange URL", Help: "Empty: this environment's /oauth2-mock/token, the only one that trusts the mock realms.",
		Get: func(j *Journey) string { return j.Login.ExchangeURL },
		Set: func(j *Journey, v string) error { j.Login.ExchangeURL = strings.TrimSpace(v); return nil }}
}

func urlInput(def string) Input {
	return Input{Key: "url", Label: "API URL", Help: "Empty: " + def + ". A path starting with / is relative to the environment's API host.",
		Get: func(j *Journey) string { return j.APIURL },
		Set: func(j *Journey, v string) error { j.APIURL = strings.TrimSpace(v); return nil }}
}
