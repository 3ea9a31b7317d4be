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

	// Learned by the steps.
	Registered string         // the callback URL the authorise request sent
	LocalApp   string         // on local: the callback the local app registered (/_mock/info)
	Jar        http.CookieJar // the browser's cookies from a sign-in by form: the realm session's
	Tokens     steps.Token    // the platform's tokens from the code exchange
	Revoked    bool           // the sign-out's back-channel logout revoked the platform's tokens
}

// CombinedBasePath is the platform's base path the combined flows use: the
// one in front of NHS's Keycloak mock (reference §1, §4). An environment
// whose users sign in with the real CIS2 would use /oauth2 here; none in
// the catalogue does yet (the local platform imitates no real CIS2), so
// this is the one place to switch.
func CombinedBasePath(Env) string { return "/oauth2-mock" }

// combinedURL is one of the platform's combined endpoints in env.
func combinedURL(e Env, path string) string {
	return e.APIBase + CombinedBasePath(e) + "/" + strings.TrimPrefix(path, "/")
}
