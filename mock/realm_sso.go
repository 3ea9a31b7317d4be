package mock

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// sessionCookie names the realm's browser session cookie, as Keycloak's
// KEYCLOAK_IDENTITY: it holds the session id and a secret only this
// browser was given.
const sessionCookie = "KEYCLOAK_IDENTITY"

// knowsClient reports whether id is one of the realm's clients.
func (d *realmDef) knowsClient(id string) bool {
	_, ok := d.clientSecret(id)
	return ok
}

// redirectRegistered applies a client's redirect URI registration: the
// platform's client registered exactly {base}/oauth2-mock/callback; the
// mock-jwks clients accept any http(s) URI (reference §5.5).
func (s *Server) redirectRegistered(r *http.Request, d *realmDef, clientID, redirectURI string) bool {
	if clientID == d.platformClientID() {
		return redirectURI == s.platformCallback(r, realmIdP{s, d})
	}
	return true
}

// setSessionCookie gives the browser the realm session: path
// /realms/{realm}/, HttpOnly, SameSite=Lax, Secure only over https.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, d *realmDef, sid string) {
	sess, ok := s.oidc.sessions.get(sid)
	if !ok {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sid + "." + sess.Secret, Path: "/realms/" + d.Name + "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.baseURL(r), "https:"),
	})
}

// clearSessionCookie tells the browser its realm session is over.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request, d *realmDef) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/realms/" + d.Name + "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.baseURL(r), "https:"),
	})
}

// cookieSession returns the live realm session the browser's cookie proves.
func (s *Server) cookieSession(r *http.Request, d *realmDef) (string, realmSession, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", realmSession{}, false
	}
	sid, secret, ok := strings.Cut(c.Value, ".")
	if !ok {
		return "", realmSession{}, false
	}
	sess, ok := s.oidc.sessions.get(sid)
	if !ok || sess.Realm != d.Name || subtle.ConstantTimeCompare([]byte(secret), []byte(sess.Secret)) != 1 {
		return "", realmSession{}, false
	}
	return sid, sess, true
}

// signInBySession is single sign-on (OpenID Connect Core §3.1.2.3): a
// browser with a live session is sent straight back with a code, without
// the login page, unless prompt=login asks for one or the sign-in is older
// than max_age. It reports whether it answered.
func (s *Server) signInBySession(w http.ResponseWriter, r *http.Request, d *realmDef, req authRequest, p url.Values) bool {
	sid, sess, ok := s.cookieSession(r, d)
	if !ok || slices.Contains(strings.Fields(p.Get("prompt")), "login") {
		return false
	}
	if ma, err := strconv.Atoi(p.Get("max_age")); err == nil && s.now().Sub(sess.AuthTime).Seconds() > float64(ma) {
		return false
	}
	if !slices.Contains(sess.Clients, req.ClientID) {
		sess.Clients = append(slices.Clone(sess.Clients), req.ClientID)
		if s.oidc.sessions.put(sid, sess, sess.AuthTime.Add(realmSSOTTL)) != nil {
			return false
		}
	}
	code := uuid.NewString() + "." + sid + "." + uuid.NewString()
	if s.oidc.codes.put(code, authCode{authRequest: req, SID: sid}, s.now().Add(codeTTL)) != nil {
		s.renderRealmBusy(w, d, "code")
		return true
	}
	redirectWith(w, r, req.RedirectURI, [][2]string{{"state", req.State}, {"session_state", sid}, {"code", code}})
	return true
}
