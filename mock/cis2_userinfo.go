package mock

import (
	"net/http"
	"strings"
)

// handleCIS2Userinfo serves {issuer}/userinfo (OpenID Connect Core §5.3):
// a Bearer access token of the local CIS2 whose session is alive answers
// with the user's claims for its scopes (reference §6.2). For a client
// registered with userinfo_signed_response_alg, the answer is a JWT
// (application/jwt) signed with that algorithm by the key in jwk_uri, with
// iss and no aud, as CIS2 signs it today (§6.5). A query such as
// ?schema=openid, which some callers add, is ignored.
func (s *Server) handleCIS2Userinfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	at, live := s.cis2.access.get(strings.TrimSpace(tok))
	var sess cis2Session
	if live {
		sess, live = s.cis2.sessions.get(at.SID)
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || !live {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token provided is expired, revoked, malformed, or invalid for other reasons."`)
		writeCIS2Error(w, http.StatusUnauthorized, "invalid_token", "The access token provided is expired, revoked, malformed, or invalid for other reasons.")
		return
	}
	user, _ := findUser(cis2Users, sess.UserID)
	claims := user.userinfo(at.Scope)
	c, _ := s.cis2.clients.get(at.ClientID)
	if c.UserinfoSignedResponseAlg == "" {
		writeJSON(w, http.StatusOK, claims)
		return
	}
	k, err := s.cis2Key()
	var signed string
	if err == nil {
		claims["iss"] = s.cis2Issuer(r)
		signed, err = cis2Sign(k, c.UserinfoSignedResponseAlg, "JWT", claims)
	}
	if err != nil {
		writeCIS2Error(w, http.StatusInternalServerError, "server_error", "cannot sign userinfo")
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(signed))
}
