package flows

import (
	"net/http"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// CombinedState is the combined flows' part of the journey (reference §4).
type CombinedState struct {
	// Inputs.
	CallbackURL string // the app's registered callback URL; "" on local means the local app's
	SSO         bool   // authorise a second time on the kept realm session (--sso)
	// UseCIS2 runs cis2-combined through the platform's /oauth2, which
	// trusts CIS2 Authentication (on local, the local CIS2), instead of
	// /oauth2-mock, which trusts NHS's Keycloak mock realm (reference §1, §4).
	UseCIS2 bool

	// Learned by the steps.
	Registered string         // the callback URL the authorise request sent
	LocalApp   string         // on local: the callback the local app registered (/_mock/info)
	Jar        http.CookieJar // the browser's cookies from a sign-in by form: the realm session's
	Tokens     steps.Token    // the platform's tokens from the code exchange
	Revoked    bool           // the sign-out's back-channel logout revoked the platform's tokens
}

// CombinedBasePath is the platform's base path the combined flows use
// (reference §1, §4): /oauth2-mock, in front of NHS's Keycloak mock, unless
// the journey asks for CIS2 Authentication (Combined.UseCIS2): then /oauth2,
// which sends users to CIS2 (on local, the local CIS2 that the local
// platform trusts there). This is the one place to switch.
func CombinedBasePath(j *Journey) string {
	if j.Combined.UseCIS2 {
		return "/oauth2"
	}
	return "/oauth2-mock"
}

// combinedURL is one of the platform's combined endpoints in the journey's
// environment.
func combinedURL(j *Journey, path string) string {
	return j.Env.APIBase + CombinedBasePath(j) + "/" + strings.TrimPrefix(path, "/")
}
