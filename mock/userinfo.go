package mock

import (
	"net/http"
	"strings"
)

// handleUserinfo serves the realm's userinfo endpoint (OpenID Connect Core
// §5.3): the realm's own access token, as a Bearer header (or, on POST, the
// access_token form field of RFC 6750 §2.2), answers with the user's claims
// for the token's scopes (reference §5.6). A token that is not this realm's,
// has expired, or whose session has ended gets 401 invalid_token (RFC 6750
// §3.1).
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request, d *realmDef) {
	fail := func(desc string) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+d.Name+`", error="invalid_token", error_description="`+desc+`"`)
		writeKeycloakError(w, http.StatusUnauthorized, "invalid_token", desc)
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		tok = ""
		if r.Method == http.MethodPost {
			tok = r.PostFormValue("access_token")
		}
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		fail("Token not provided")
		return
	}
	claims, ok := s.realmAccessClaims(r, d, tok)
	if !ok {
		fail("Token verification failed")
		return
	}
	username, _ := claims["preferred_username"].(string)
	user, ok := findUser(d.Users, username)
	if !ok {
		fail("Token verification failed")
		return
	}
	scope, _ := claims["scope"].(string)
	writeJSON(w, http.StatusOK, user.userinfo(scope))
}

// realmAccessClaims verifies one of the realm's access tokens: signature and
// kid, issuer as this request addresses the realm, typ Bearer, not expired,
// and its session still alive.
func (s *Server) realmAccessClaims(r *http.Request, d *realmDef, tok string) (map[string]any, bool) {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		return nil, false
	}
	claims, err := rk.verify(tok)
	if err != nil {
		return nil, false
	}
	iss, _ := claims["iss"].(string)
	typ, _ := claims["typ"].(string)
	exp, _ := claims["exp"].(float64)
	sid, _ := claims["sid"].(string)
	if iss != s.issuer(r, d) || typ != "Bearer" || float64(s.now().Unix()) >= exp {
		return nil, false
	}
	if sess, ok := s.oidc.sessions.get(sid); !ok || sess.Realm != d.Name {
		return nil, false
	}
	return claims, true
}
