package mock

import (
	"crypto/subtle"
	"net/http"
)

// The local realms' mock clients (reference §5.5). NHS's mock-jwks service
// hands each app the Keycloak mock clients' credentials; the local platform
// hands out these fixed, documented values, so the seed's curl commands can
// be typed from the README. They are test credentials of a local imitation
// and protect nothing.
const (
	CIS2ClientID         = "nhsauth-cis2-client"
	CIS2ClientSecret     = "nhsauth-cis2-client-secret"
	NHSLoginClientID     = "nhsauth-nhs-login-client"
	NHSLoginClientSecret = "nhsauth-nhs-login-client-secret"
	// MockRedirectURI is the redirect URI the credentials name. The mock
	// clients accept any absolute redirect URI (reference §5.5); the token
	// request's must equal the authorise request's.
	MockRedirectURI = "https://example.org/"
)

// mockClient is one Keycloak mock client as mock-jwks describes it.
type mockClient struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RedirectURI  string `json:"redirect_uri"`
}

// keycloakCredentials is the body of keycloak-client-credentials.
type keycloakCredentials struct {
	CIS2     mockClient `json:"cis2"`
	NHSLogin mockClient `json:"nhs-login"`
}

// handleMockCredentials serves GET /mock-jwks/keycloak-client-credentials
// (reference §5.5): the local app's API key in the apikey header gets the
// mock clients' credentials; anything else gets 401 with an empty body, as
// Apigee's "Access Denied".
func (s *Server) handleMockCredentials(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("apikey")
	if key == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.APIKey)) != 1 {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, keycloakCredentials{
		CIS2:     realmCIS2Def.client(),
		NHSLogin: realmNHSLoginDef.client(),
	})
}
