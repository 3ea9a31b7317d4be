package mock

import (
	"net/url"
	"time"
)

// combinedState is what the platform keeps for combined authentication
// (reference §4): authorise requests under its own state, its codes, and
// the CIS2 sessions whose tokens a back-channel logout revokes.
type combinedState struct {
	pending *store[string, combinedRequest] // platform state → the app's authorise request
	codes   *store[string, combinedCode]    // platform code → what it redeems for
	sids    *store[string, struct{}]        // CIS2 realm sessions with live platform tokens
	revoked *store[string, struct{}]        // realm sessions ended by back-channel logout
}

func newCombinedState(now func() time.Time, limit int) *combinedState {
	return &combinedState{
		pending: newStore[string, combinedRequest](now, limit),
		codes:   newStore[string, combinedCode](now, limit),
		sids:    newStore[string, struct{}](now, limit),
		revoked: newStore[string, struct{}](now, limit),
	}
}

// combinedRequest is the app's authorise request, kept under the platform's
// own state until the identity provider sends the user back (§4.1).
type combinedRequest struct {
	ClientID    string
	RedirectURI string
	State       string // the app's state, returned to it unchanged
	IdP         identityProvider
	Verifier    string // PKCE code_verifier sent to the local CIS2, "" for the realms
}

// combinedCode is the platform's authorization code (§4.2 step 6).
type combinedCode struct {
	BasePath    string // the base path whose token endpoint redeems it
	APIKey      string
	RedirectURI string
	Grant       grant // pattern, level, filtered scopes, subject, sid, IdP access token
}

// combinedRoutes registers the platform's combined-authentication paths
// (reference §1, §4) on both base paths: /oauth2-mock trusts the local
// Keycloak realms, /oauth2 the local CIS2 (as the real /oauth2 trusts the
// real CIS2).
func (s *Server) combinedRoutes() {
	mockRealm := func(q url.Values) identityProvider {
		if q.Get("scope") == "nhs-login" {
			return realmIdP{s, realmNHSLoginDef}
		}
		return realmIdP{s, realmCIS2Def}
	}
	localCIS2 := func(url.Values) identityProvider { return cis2IdP{s} }
	for _, pick := range []func(url.Values) identityProvider{mockRealm, localCIS2} {
		idp := pick(nil)
		base := idp.basePath()
		s.mux.HandleFunc(base+"/authorize", s.combinedAuthorize(pick))
		s.mux.HandleFunc("GET "+base+"/callback", s.combinedCallback(base))
		s.mux.HandleFunc("POST "+base+"/backchannel_logout", s.backchannelLogout(idp))
		s.mux.HandleFunc("GET "+base+"/userinfo", s.handlePlatformUserinfo)
	}
}

// revoked reports whether g belongs to a realm session that a back-channel
// logout ended (reference §4.6 step 6): its access tokens and refresh
// tokens, refreshed ones included, stop working.
func (s *Server) revoked(g grant) bool {
	if g.SID == "" {
		return false
	}
	_, gone := s.combined.revoked.get(g.SID)
	return gone
}
