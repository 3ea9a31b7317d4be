package mock

import (
	"crypto/subtle"
	"net/http"
	"net/url"
)

// grantAuthorizationCode is the combined pattern's grant (reference §4.3).
const grantAuthorizationCode = "authorization_code"

// authorizationCode is the authorization_code grant on {base}/token
// (RFC 6749 §4.1.3; reference §4.3), rows in the platform's order: client_id
// missing, unknown; client_secret missing, wrong; redirect_uri missing, not
// the registered callback; code missing; code unknown, expired, used, for
// another app or base path. Rows 1–6 run before the code is looked up, so a
// request refused there does not spend it. Success answers exactly the six
// members of §4.3 and, for CIS2, remembers the realm session for
// back-channel logout.
func (s *Server) authorizationCode(w http.ResponseWriter, form url.Values, basePath string) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	invalidClient := perr(http.StatusUnauthorized, "invalid_client", "client_id or client_secret is invalid")
	switch {
	case clientID == "":
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_id is missing"))
	case subtle.ConstantTimeCompare([]byte(clientID), []byte(s.opts.APIKey)) != 1:
		writeError(w, invalidClient)
	case secret == "":
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_secret is missing"))
	case subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.APISecret)) != 1:
		writeError(w, invalidClient)
	case form.Get("redirect_uri") == "":
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "redirect_uri is missing"))
	case form.Get("redirect_uri") != s.opts.CallbackURL:
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "redirect_uri is invalid"))
	case form.Get("code") == "":
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "authorization_code is missing"))
	default:
		s.redeemCombinedCode(w, form, basePath, clientID)
	}
}

// redeemCombinedCode spends the platform's code and issues its tokens.
func (s *Server) redeemCombinedCode(w http.ResponseWriter, form url.Values, basePath, clientID string) {
	// Each base path is its own proxy with its own codes: /oauth2 never
	// sees (or spends) the codes /oauth2-mock issued.
	cc, ok := s.combined.codes.get(form.Get("code"))
	if ok = ok && cc.BasePath == basePath; ok {
		cc, ok = s.combined.codes.take(form.Get("code"))
	}
	if !ok || cc.APIKey != clientID || cc.RedirectURI != form.Get("redirect_uri") {
		writeError(w, perr(http.StatusBadRequest, "invalid_grant", "authorization_code is invalid"))
		return
	}
	def := cis2RefreshTTL
	if cc.Grant.Pattern == patternNHSLogin {
		def = nhsLoginRefreshTTL
	}
	now := s.now()
	cc.Grant.APIKey = clientID
	sess := platformSession{
		BasePath: basePath, APIKey: clientID, Grant: cc.Grant,
		FirstIssued: now, WindowEnd: now.Add(def), TokenTTL: def,
	}
	if cc.Grant.SID != "" && s.combined.sids.put(cc.Grant.SID, struct{}{}, sess.WindowEnd.Add(refreshGrace)) != nil {
		writeError(w, s.storeFull("session"))
		return
	}
	s.writeUserTokens(w, sess, userAccessTTL, false)
}
