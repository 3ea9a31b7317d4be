package doctor

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// tokenCheck makes a real client-credentials request (reference §2.1) with
// the key: it proves at once that the API key is known (§2.6 row 18), that
// the key is registered under the kid (rows 19–23) and that the app has an
// app-level3 product (row 24). A refusal is named with the platform's
// exact error and what it means (steps.Diagnose).
func tokenCheck(ctx context.Context, s Setup, key *rsa.PrivateKey) Check {
	const name = "token request"
	j := s.Journey
	switch {
	case key == nil:
		return Check{Name: name, Status: Info, Detail: "not sent: it needs a usable private key (see above)"}
	case j.APIKey == "":
		return Check{Name: name, Status: Fail, Detail: "no API key",
			Cause: "The client assertion's iss and sub are the app's API key; without one the platform cannot find the app.",
			Fix:   "Pass --api-key (or set $NHSAUTH_API_KEY) with your app's key from the NHS developer portal."}
	}
	_, kid := keyFile(j)
	tok, _, err := steps.ClientCredentials(ctx, j.HTTP, steps.ClientCredentialsParams{
		TokenURL: j.Env.TokenURL(), Auth: steps.PlatformAuth(key, kid, j.APIKey, j.Now)})
	if err != nil {
		return failed(name, err, s.Timeout, "The platform refused the client-credentials request.",
			"Read the platform's error above; quote its message_id if you ask NHS support.")
	}
	return Check{Name: name, Status: Pass, Detail: fmt.Sprintf("POST %s answered a token (expires in %d s): API key %s is known, kid %s is registered with this key, and the app has an app-level3 product",
		j.Env.TokenURL(), int64(tok.ExpiresIn), j.APIKey, kid)}
}

// credentialsCheck asks mock-jwks for the realm clients with the API key
// (reference §5.5): it answers when the app has the mock-jwks API enabled.
func credentialsCheck(ctx context.Context, s Setup) Check {
	const name = "mock-jwks credentials"
	j := s.Journey
	if j.Env.IdentityBase == "" {
		return Check{Name: name, Status: Info, Detail: j.Env.Name + " has no mock authorisation service: sign in with the real identity provider"}
	}
	kind := steps.KindCIS2
	if s.Realm == flows.RealmNHSLogin {
		kind = steps.KindNHSLogin
	}
	mc, _, err := steps.MockCredentials(ctx, j.HTTP, steps.CredentialsParams{URL: j.Env.MockCredentialsURL(), APIKey: j.APIKey, Kind: kind})
	if err != nil {
		return failed(name, err, s.Timeout, "mock-jwks did not hand out the realm clients.",
			"Enable the mock-jwks API for your app in the developer portal.")
	}
	return Check{Name: name, Status: Pass, Detail: fmt.Sprintf("mock-jwks answers for API key %s: %s client %s (redirect_uri %s)", j.APIKey, kind, mc.ClientID, orAbsent(mc.RedirectURI))}
}

// callbackCheck asks the platform's authorise endpoint whether the
// callback the user passes is the app's registered one (reference §4.1:
// rows 3–4 answer 400 "redirect_uri is invalid"; a match is a 302 to the
// identity provider). Nothing is signed in: the redirect is not followed.
func callbackCheck(ctx context.Context, s Setup) Check {
	const name = "registered callback"
	j := s.Journey
	if s.Callback == "" {
		return Check{Name: name, Status: Info, Detail: "no --callback given: nothing to compare with the app's registration"}
	}
	authURL, _, err := steps.CombinedAuthorizeURL(steps.CombinedAuthorizeParams{
		Endpoint: j.Env.APIBase + flows.CombinedBasePath(j) + "/authorize", APIKey: j.APIKey, RedirectURI: s.Callback, State: "nhsauth-doctor"})
	if err != nil {
		return failed(name, err, s.Timeout, "The authorise request cannot be built without the API key (its client_id).", "Pass --api-key with your app's key.")
	}
	_, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: authURL})
	ex, ok := lastReply(exs)
	switch {
	case !ok:
		return failed(name, err, s.Timeout, "The platform's authorise endpoint did not answer.", "Check the network path to the platform.")
	case ex.Status == http.StatusFound || ex.Status == http.StatusSeeOther:
		return Check{Name: name, Status: Pass, Detail: s.Callback + " is the app's registered callback (the platform's authorise answered a redirect to the identity provider)"}
	}
	if oe := steps.ParseOAuthError(ex.Status, ex.RespBody); oe != nil {
		oe.Endpoint = ex.URL
		err = oe
	} else if err == nil {
		err = errors.New("unexpected reply")
	}
	return failed(name, err, s.Timeout, "The platform did not accept "+s.Callback+" as the app's callback.",
		"Pass --callback with the callback URL registered for your app, exactly (scheme, host, port, path, trailing slash).")
}
