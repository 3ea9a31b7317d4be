package mock

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// cis2SessionCookie names the local CIS2's browser session cookie, as
// ForgeRock AM's session cookie: it holds the session id and a secret only
// this browser was given, so the browser can end its session at
// endSession without an ID token (OpenID Connect RP-Initiated Logout 1.0
// §2: id_token_hint is recommended, not required). The local CIS2 keeps no
// single sign-on: the cookie serves logout only.
const cis2SessionCookie = "iPlanetDirectoryPro"

// setCIS2Cookie gives the browser its CIS2 session: path {issuer}/,
// HttpOnly, SameSite=Lax, Secure only over https.
func (s *Server) setCIS2Cookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: cis2SessionCookie, Value: value, Path: CIS2Path + "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.baseURL(r), "https:"),
	})
}

// cis2CookieSession returns the live CIS2 session the browser's cookie
// proves.
func (s *Server) cis2CookieSession(r *http.Request) (string, cis2Session, bool) {
	c, err := r.Cookie(cis2SessionCookie)
	if err != nil {
		return "", cis2Session{}, false
	}
	sid, secret, _ := strings.Cut(c.Value, ".")
	sess, ok := s.cis2.sessions.get(sid)
	if !ok || secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(sess.Secret)) != 1 {
		return "", cis2Session{}, false
	}
	return sid, sess, true
}

// confirmedCookieLogout is endSession without id_token_hint for a browser
// with a live CIS2 session: like the realms, the user confirms on a page
// whose form carries the session's code (a cross-site request cannot know
// it). It reports the session and client once confirmed; otherwise it has
// answered (the confirm page, or 400 without a session).
func (s *Server) confirmedCookieLogout(w http.ResponseWriter, r *http.Request) (sid, clientID string, ok bool) {
	sid, sess, ok := s.cis2CookieSession(r)
	if !ok {
		s.renderCIS2Message(w, http.StatusBadRequest, "Invalid or missing id_token_hint, and no CIS2 session in this browser.")
		return "", "", false
	}
	if r.Method != http.MethodPost || !validLogoutCode(sess.Secret, r.PostForm.Get("session_code")) {
		renderHTML(w, http.StatusOK, logoutConfirmTemplate, map[string]any{
			"Title": cis2Title, "FormID": LogoutFormID, "User": sess.UserID,
			"Action": s.cis2Issuer(r) + "/connect/endSession", "Code": logoutCode(sess.Secret),
			"Redirect": r.Form.Get("post_logout_redirect_uri"), "State": r.Form.Get("state"),
		})
		return "", "", false
	}
	return sid, sess.ClientID, true
}

// hasCookie reports whether the request carries a cookie of that name.
func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}
