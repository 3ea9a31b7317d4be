package mock

import "net/http"

// The platform's own clients at the local realms (reference §4.1: "on the
// mock the platform's Keycloak client is test-client-cis2"). Each is
// registered with redirect_uri {base}/oauth2-mock/callback; the CIS2 one also
// with the back-channel logout URI {base}/oauth2-mock/backchannel_logout
// (§4.6: NHS login sessions get no back-channel logout).
const (
	PlatformCIS2ClientID     = "test-client-cis2"
	PlatformNHSLoginClientID = "test-client-nhs-login"
	platformClientSecret     = "nhsauth-platform-client-secret"
)

// combinedBase is the base path of the combined pattern the local realms
// serve (reference §1: /oauth2-mock is the one in front of the mock).
const combinedBase = "/oauth2-mock"

// platformClientID is the platform's client at realm d.
func (d *realmDef) platformClientID() string {
	if d.Pattern == patternNHSLogin {
		return PlatformNHSLoginClientID
	}
	return PlatformCIS2ClientID
}

// clientSecret is the secret of one of the realm's clients, or false for a
// client the realm does not know.
func (d *realmDef) clientSecret(id string) (string, bool) {
	switch id {
	case d.ClientID:
		return d.ClientSecret, true
	case d.platformClientID():
		return platformClientSecret, true
	}
	return "", false
}

// platformCallback is the one redirect URI the platform's client at idp
// registered: {base}/oauth2-mock/callback or {base}/oauth2/callback.
func (s *Server) platformCallback(r *http.Request, idp identityProvider) string {
	return s.baseURL(r) + idp.basePath() + "/callback"
}

// backchannelURI is the back-channel logout URI a client of realm d
// registered, "" for none (OpenID Connect Back-Channel Logout 1.0 §2.2).
func (s *Server) backchannelURI(r *http.Request, d *realmDef, clientID string) string {
	if d.Pattern == patternCIS2 && clientID == d.platformClientID() {
		return s.baseURL(r) + combinedBase + "/backchannel_logout"
	}
	return ""
}
