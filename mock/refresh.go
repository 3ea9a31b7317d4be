package mock

import (
	"crypto/subtle"
	"net/http"
	"net/url"
)

// refreshToken is the platform's refresh_token grant on /oauth2/token and
// /oauth2-mock/token (RFC 6749 §6; reference §3.5), checked in the order of
// the §3.5 table: client_secret missing, a wrong secret, an unknown
// client_id, client_id missing, then the refresh token (present, known and
// unused at this base path, inside its window). So a wrong secret is
// invalid_client even without a client_id; "client_id is missing" needs the
// app's secret. It answers a new access token and a new refresh token; the old
// one is spent, refresh_count goes up by one, and refresh_token_expires_in
// counts down to the end of the window the token exchange opened.
func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request, form url.Values, basePath string) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	invalidClient := perr(http.StatusUnauthorized, "invalid_client", "client_id or client_secret is invalid")
	switch {
	case secret == "":
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_secret is missing"))
		return
	case subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.APISecret)) != 1: // wrong secret
		writeError(w, invalidClient)
		return
	case clientID != "" && subtle.ConstantTimeCompare([]byte(clientID), []byte(s.opts.APIKey)) != 1: // unknown client_id
		writeError(w, invalidClient)
		return
	case clientID == "":
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_id is missing"))
		return
	}
	tok := form.Get("refresh_token")
	if tok == "" {
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "refresh_token is missing"))
		return
	}
	invalid := perr(http.StatusUnauthorized, "invalid_grant", "refresh_token is invalid")
	sess, ok := s.oidc.platformRefresh.get(tok)
	if !ok || sess.BasePath != basePath || sess.APIKey != clientID || s.revoked(sess.Grant) {
		writeError(w, invalid)
		return
	}
	if !s.now().Before(sess.TokenExpires) || faultsOf(r)[FaultRefreshWindow] {
		s.oidc.platformRefresh.del(tok)
		writeError(w, perr(http.StatusUnauthorized, "invalid_grant", "refresh token refresh period has expired"))
		return
	}
	if _, ok := s.oidc.platformRefresh.take(tok); !ok { // a concurrent refresh won
		writeError(w, invalid)
		return
	}
	sess.Count++
	if validity := userTTL(form, "_refresh_tokens_validity_ms", sess.WindowEnd.Sub(sess.FirstIssued)); sess.FirstIssued.Add(validity).Before(sess.WindowEnd) {
		sess.WindowEnd = sess.FirstIssued.Add(validity)
	}
	sess.TokenTTL = userTTL(form, "_refresh_token_expiry_ms", sess.TokenTTL)
	s.writeUserTokens(w, sess, userTTL(form, "_access_token_expiry_ms", userAccessTTL), false)
}
