package flows

import (
	"crypto/rsa"

	"github.com/nhsauth/nhsauth/steps"
)

// Pages of the CIS2 Authentication guidance the cis2-direct flow follows
// (reference §6, sources S11 and S12).
const (
	docCIS2Guide    = "https://digital.nhs.uk/services/care-identity-service/applications-and-services/cis2-authentication/guidance-for-developers"
	docCIS2Register = docCIS2Guide + " (Register to access an environment: Connection Manager)"
	docBCL          = "OpenID Connect Back-Channel Logout 1.0 §2.5, §2.6, §2.8 (https://openid.net/specs/openid-connect-backchannel-1_0.html)"
)

// Defaults of cis2-direct (reference §6.2, §6.3).
const (
	DefaultCIS2ACR   = "AAL3_ANY"
	DefaultCIS2Scope = "openid profile nationalrbacaccess"
)

// DirectState is cis2-direct's part of the journey: the client at CIS2
// (registered on local, given on the real environments), what the
// userinfo and logout steps learned, and the back-channel logout receiver.
type DirectState struct {
	// Inputs.
	ClientID     string
	ClientSecret string
	ClientAuth   steps.AuthMethod // one of steps.AuthMethods(); "" means client_secret_post
	Alg          string           // a JWT method's algorithm ("" means RS512 or HS256)
	UserinfoAlg  string           // userinfo_signed_response_alg registered on local: RS256 (default) or RS512
	SkipPlatform bool             // leave out the platform token exchange and the API call

	// Learned.
	Registration steps.ClientRegistration
	Receiver     *steps.LogoutReceiver
	Userinfo     steps.Userinfo
	Logout       steps.LogoutResult
	signKey      *rsa.PrivateKey
}

func newDirectState() DirectState {
	return DirectState{ClientAuth: steps.AuthClientSecretPost, UserinfoAlg: "RS256"}
}

// CloseReceiver stops the back-channel logout receiver if one runs.
func (d *DirectState) CloseReceiver() {
	if d.Receiver != nil {
		d.Receiver.Close()
		d.Receiver = nil
	}
}

// CIS2Direct is CIS2 Authentication used directly (reference §6): the app is
// a CIS2 client of its own. Its steps call, in order:
//
//  1. steps.Register at the local Connection Manager (RFC 7591), with a
//     steps.ListenLogout receiver as backchannel_logout_uri; on INT, DEP
//     and PROD the registered client is given instead;
//  2. steps.Discover: CIS2's endpoints and issuer;
//  3. steps.AuthorizeURL with PKCE, nonce, acr_values and scopes;
//  4. steps.FormLogin, or the browser and the loopback listener;
//  5. steps.ExchangeCode with the chosen steps.ClientAuth;
//  6. steps.VerifyIDToken and steps.AssuranceChecks;
//  7. steps.FetchUserinfo, verifying a signed answer;
//  8. steps.TokenExchange at /oauth2/token and steps.CallAPI;
//  9. steps.EndSession and the receiver's steps.ValidateLogoutToken.
func CIS2Direct() *Flow {
	d := &direct{sep: &separate{kind: RealmCIS2, credKind: steps.KindCIS2, scope: DefaultCIS2Scope,
		defaultURL: "/hello-world/hello/user", userWord: "user UID"}}
	f := &Flow{
		ID:         "cis2-direct",
		Title:      "CIS2 Authentication directly",
		Pattern:    "The app is a CIS2 client itself: registration, sign-in, its own client authentication, signed userinfo, back-channel logout.",
		Doc:        docCIS2Guide,
		DefaultURL: d.sep.defaultURL,
	}
	f.Steps = d.steps()
	return f
}

// direct runs cis2-direct's steps; the shared sign-in steps come from the
// CIS2 separate flow.
type direct struct{ sep *separate }
