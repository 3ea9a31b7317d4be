package mock

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// backchannelEvent is the events member of a logout token (OpenID Connect
// Back-Channel Logout 1.0 §2.4).
const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"

// logoutTokenTTL is a logout token's life: BCL §2.4 asks only for exp;
// Keycloak gives it a couple of minutes.
const logoutTokenTTL = 2 * time.Minute

// LogoutFormID is the HTML id of the realm's logout confirm form, which
// posts the logout back with the session's code.
const LogoutFormID = "kc-logout-form"

// sessionCode proves a logout POST came from the confirm page shown to the
// browser holding the session (a cross-site form cannot know it).
func sessionCode(sess realmSession) string { return logoutCode(sess.Secret) }

func validSessionCode(sess realmSession, code string) bool { return validLogoutCode(sess.Secret, code) }

// logoutCode is the confirm form's code of a session with this secret.
func logoutCode(secret string) string {
	sum := sha256.Sum256([]byte("logout:" + secret))
	return hex.EncodeToString(sum[:16])
}

func validLogoutCode(secret, code string) bool {
	return code != "" && subtle.ConstantTimeCompare([]byte(code), []byte(logoutCode(secret))) == 1
}

// endRealmSession ends realm session sid (a no-op for ""), clears the
// browser's cookie, and sends a back-channel logout to each of the session's
// clients that registered a URI for it (BCL §2.5). It returns a sentence
// for the logged-out page saying whom it told and what they answered.
func (s *Server) endRealmSession(w http.ResponseWriter, r *http.Request, d *realmDef, sid string) string {
	s.clearSessionCookie(w, r, d)
	if sid == "" {
		return ""
	}
	sess, ok := s.oidc.sessions.take(sid)
	if !ok {
		return ""
	}
	var notes []string
	for _, client := range sess.Clients {
		uri := s.backchannelURI(r, d, client)
		if uri == "" {
			continue
		}
		status := s.sendBackchannel(r, d, client, sid, uri)
		notes = append(notes, fmt.Sprintf(" Back-channel logout sent to %s (client %s): HTTP %d.", uri, client, status))
	}
	return strings.Join(notes, "")
}

// logoutToken signs the logout token of BCL §2.4: iss, aud, iat, exp, jti,
// events, sid, no nonce, header typ logout+jwt, with the realm's key.
func (s *Server) logoutToken(r *http.Request, d *realmDef, client, sid string) (string, error) {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		return "", err
	}
	now := s.now()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": s.issuer(r, d), "aud": client, "iat": now.Unix(), "exp": now.Add(logoutTokenTTL).Unix(),
		"jti": uuid.NewString(), "sid": sid, "events": map[string]any{backchannelEvent: map[string]any{}},
	})
	t.Header["kid"] = rk.kid
	t.Header["typ"] = "logout+jwt"
	return t.SignedString(rk.priv)
}

// sendBackchannel POSTs logout_token to uri and returns the status. The
// receiver is the local platform itself, so the request is served in
// process, from the loopback address the platform allows (reference §4.6).
func (s *Server) sendBackchannel(r *http.Request, d *realmDef, client, sid, uri string) int {
	tok, err := s.logoutToken(r, d, client, sid)
	if err != nil {
		return http.StatusInternalServerError
	}
	u, err := url.Parse(uri)
	if err != nil {
		return http.StatusInternalServerError
	}
	rec := s.serveInternal(r, http.MethodPost, u.RequestURI(), url.Values{"logout_token": {tok}}.Encode(), "")
	return rec.Code
}

// renderLogoutConfirm asks the browser's user to confirm the logout, as
// Keycloak's logout-confirm page does; the form carries the session code
// and any post_logout_redirect_uri and state.
func (s *Server) renderLogoutConfirm(w http.ResponseWriter, r *http.Request, d *realmDef, sess realmSession, p url.Values) {
	renderHTML(w, http.StatusOK, logoutConfirmTemplate, map[string]any{
		"Title": d.Title, "FormID": LogoutFormID, "User": sess.UserID,
		"Action":   s.issuer(r, d) + "/protocol/openid-connect/logout",
		"Code":     sessionCode(sess),
		"Redirect": p.Get("post_logout_redirect_uri"), "State": p.Get("state"),
	})
}

var logoutConfirmTemplate = lazyTemplate("logout", cardPageTop+`<h1>Do you want to log out?</h1>
<p>You are signed in as {{.User}}. Logging out ends your session here and tells every service you signed in to through it.</p>
<form id="{{.FormID}}" method="post" action="{{.Action}}">
<input type="hidden" name="session_code" value="{{.Code}}">
{{if .Redirect}}<input type="hidden" name="post_logout_redirect_uri" value="{{.Redirect}}">{{end}}
{{if .State}}<input type="hidden" name="state" value="{{.State}}">{{end}}
<button type="submit" id="kc-logout" name="confirmLogout" value="yes">Log out</button>
</form>
`+cardPageEnd)
