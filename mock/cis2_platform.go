package mock

import "math"

// The local platform's own client at the local CIS2, for /oauth2/authorize
// (combined authentication, reference §4) to send users to: registered
// when the platform starts, with client_secret_post, and the one redirect
// URI {base}/oauth2/callback of the base the request used, and the
// back-channel logout URI {base}/oauth2/backchannel_logout (reference §4.6),
// so CIS2's endSession revokes that session's platform tokens. This is the one
// place the combined pattern reads what it needs: CIS2Issuer(base) for the
// issuer (discovery at CIS2Issuer(base)+"/.well-known/openid-configuration"),
// and these for the client.
const (
	CIS2PlatformClientID     = "100000000001.apps.national"
	CIS2PlatformClientSecret = "6f1c2b8e-2d7a-4c1e-9f3b-5a8d0e4c7b21"
)

// registerPlatformClient registers the platform's own CIS2 client; it never
// expires.
func (s *Server) registerPlatformClient() {
	zero := int64(0)
	c := cis2Client{
		ClientID: CIS2PlatformClientID, ClientSecret: CIS2PlatformClientSecret, ClientSecretExpiresAt: &zero,
		ClientName: "NHS API platform (local) /oauth2", RedirectURIs: []string{"{base}/oauth2/callback"},
		BackchannelLogoutURI:    "{base}/oauth2/backchannel_logout",
		TokenEndpointAuthMethod: "client_secret_post", GrantTypes: []string{"authorization_code"},
		ResponseTypes: []string{"code"}, ClientIDIssuedAt: s.now().Unix(), platform: true,
	}
	_ = s.cis2.clients.put(c.ClientID, c, s.now().Add(math.MaxInt64/2))
}
