package mock

import (
	"net/http"
	"net/url"
	"strings"
)

// handleLogout serves the realm's end_session_endpoint (OpenID Connect
// RP-Initiated Logout 1.0 §2, §3). With an id_token_hint it ends that
// token's session (its sid); without one, a browser with a session cookie
// is shown a confirm page whose form posts the logout back with the
// session's code (as Keycloak does), and that POST ends the cookie's
// session. Ending a session stops its realm tokens and sends each of its
// clients with a back-channel logout URI a logout token
// (endRealmSession). With post_logout_redirect_uri (which, as in Keycloak,
// needs id_token_hint or client_id, and must be registered or loopback:
// postLogoutAllowed) it redirects there with state, else it shows a
// "logged out" page. A POST with a refresh_token and the client's
// credentials ends that token's session and answers 204, as Keycloak's
// client logout does.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, d *realmDef) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, d, "Invalid Request")
		return
	}
	if r.Method == http.MethodPost && r.PostForm.Get("refresh_token") != "" {
		s.logoutByRefreshToken(w, r, d)
		return
	}
	p := r.Form
	var sid string
	if hint := p.Get("id_token_hint"); hint != "" {
		var ok bool
		if sid, ok = s.idTokenHintSID(r, d, hint); !ok {
			s.renderError(w, http.StatusBadRequest, d, "Invalid parameter: id_token_hint")
			return
		}
	} else if csid, sess, ok := s.cookieSession(r, d); ok {
		if r.Method != http.MethodPost || !validSessionCode(sess, r.PostForm.Get("session_code")) {
			s.renderLogoutConfirm(w, r, d, sess, p)
			return
		}
		sid = csid
	}
	post := p.Get("post_logout_redirect_uri")
	if post != "" {
		if sid == "" && p.Get("client_id") != d.ClientID {
			s.renderError(w, http.StatusBadRequest, d, "Missing parameters: id_token_hint")
			return
		}
		if !postLogoutAllowed(post) {
			s.renderError(w, http.StatusBadRequest, d, "Invalid redirect uri")
			return
		}
	}
	note := s.endRealmSession(w, r, d, sid)
	if post != "" {
		redirectWith(w, r, post, [][2]string{{"state", p.Get("state")}})
		return
	}
	s.renderMessage(w, http.StatusOK, d, "You are logged out", "Your session at "+d.Title+" has ended."+note)
}

// postLogoutAllowed admits a post_logout_redirect_uri the mock clients
// registered (OpenID Connect RP-Initiated Logout §3: it "MUST have been
// previously registered"): one under MockRedirectURI, as Keycloak's
// "https://example.org/*" pattern, or an http(s) loopback URL, where
// nhsauth's own listeners wait. Anything else would make the realm an open
// redirector.
func postLogoutAllowed(raw string) bool {
	u, ok := httpURL(raw)
	if !ok || u.User != nil {
		return false
	}
	if isLoopbackName(u.Hostname()) {
		return true
	}
	reg, _ := url.Parse(MockRedirectURI)
	return u.Scheme == reg.Scheme && strings.EqualFold(u.Host, reg.Host) && strings.HasPrefix(u.EscapedPath()+"/", reg.Path)
}

// idTokenHintSID verifies an ID token this realm issued (an expired one is
// fine: RP-Initiated Logout §2) and returns its sid.
func (s *Server) idTokenHintSID(r *http.Request, d *realmDef, hint string) (string, bool) {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		return "", false
	}
	claims, err := rk.verify(hint)
	if err != nil {
		return "", false
	}
	iss, _ := claims["iss"].(string)
	sid, _ := claims["sid"].(string)
	return sid, iss == s.issuer(r, d) && sid != ""
}

// logoutByRefreshToken is Keycloak's client logout: POST refresh_token with
// the client's credentials.
func (s *Server) logoutByRefreshToken(w http.ResponseWriter, r *http.Request, d *realmDef) {
	if _, ok := realmClientAuthenticated(r, r.PostForm, d); !ok {
		writeKeycloakError(w, http.StatusUnauthorized, "unauthorized_client", kcInvalidClient)
		return
	}
	rr, ok := s.oidc.realmRefresh.take(r.PostForm.Get("refresh_token"))
	if !ok || rr.Realm != d.Name {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_grant", kcInvalidRefresh)
		return
	}
	s.endRealmSession(w, r, d, rr.SID)
	w.WriteHeader(http.StatusNoContent)
}
