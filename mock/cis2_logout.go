package mock

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// BackchannelLogoutEvent is the events member of a logout token (OpenID
// Connect Back-Channel Logout 1.0 §2.4).
const BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// handleCIS2EndSession serves {issuer}/connect/endSession (reference §6.5;
// OpenID Connect RP-Initiated Logout 1.0 §2): id_token_hint names the
// session (an expired ID token is fine), or without one the browser's
// session cookie once the user confirms (cis2_session.go); the session ends, its access tokens
// stop working, and when the client registered a backchannel_logout_uri a
// logout token is POSTed there (Back-Channel Logout §2.5) before the answer,
// the delivery recorded on the client. A post_logout_redirect_uri that is
// one of the client's redirect URIs gets a redirect with state; otherwise a
// page says the session ended.
func (s *Server) handleCIS2EndSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderCIS2Message(w, http.StatusBadRequest, "Invalid request")
		return
	}
	var sid, clientID string
	var ok bool
	if hint := r.Form.Get("id_token_hint"); hint != "" || !hasCookie(r, cis2SessionCookie) {
		if sid, clientID, ok = s.endSessionHint(r, hint); !ok {
			s.renderCIS2Message(w, http.StatusBadRequest, "Invalid or missing id_token_hint: give an ID token this CIS2 issued.")
			return
		}
	} else if sid, clientID, ok = s.confirmedCookieLogout(w, r); !ok {
		return
	}
	s.setCIS2Cookie(w, r, "", -1)
	sess, live := s.cis2.sessions.take(sid)
	c, _ := s.cis2.clients.get(clientID)
	if live && c.BackchannelLogoutURI != "" {
		s.deliverLogout(r, c, sid, sess.UserID)
	}
	if post := r.Form.Get("post_logout_redirect_uri"); post != "" && slices.Contains(c.RedirectURIs, post) {
		redirectWith(w, r, post, [][2]string{{"state", r.Form.Get("state")}})
		return
	}
	s.renderCIS2Message(w, http.StatusOK, "You are signed out of CIS2 Authentication.")
}

// endSessionHint verifies an ID token the local CIS2 issued (signature and
// issuer; exp is not checked, RP-Initiated Logout §2) and returns its sid
// and client.
func (s *Server) endSessionHint(r *http.Request, hint string) (sid, clientID string, ok bool) {
	k, err := s.cis2Key()
	if err != nil || hint == "" {
		return "", "", false
	}
	claims, err := k.verify(hint)
	if err != nil {
		return "", "", false
	}
	iss, _ := claims["iss"].(string)
	sid, _ = claims["sid"].(string)
	clientID, _ = claims["aud"].(string)
	return sid, clientID, iss == s.cis2Issuer(r) && sid != ""
}

// deliverLogout POSTs a logout token (Back-Channel Logout §2.4: iss, aud,
// iat, exp, jti, events, sid and sub, no nonce; header typ logout+jwt) as
// logout_token to the client's backchannel_logout_uri, and records how it
// went (§2.8: a 200 is success).
func (s *Server) deliverLogout(r *http.Request, c cis2Client, sid, sub string) {
	now := s.now()
	d := logoutDelivery{At: now, URI: s.logoutURI(r, c), SID: sid, JTI: uuid.NewString()}
	k, err := s.cis2Key()
	var tok string
	if err == nil {
		tok, err = cis2Sign(k, "RS256", "logout+jwt", map[string]any{
			"iss": s.cis2Issuer(r), "aud": c.ClientID, "iat": now.Unix(), "exp": now.Add(logoutTTL).Unix(),
			"jti": d.JTI, "sid": sid, "sub": sub, "events": map[string]any{BackchannelLogoutEvent: map[string]any{}},
		})
	}
	if err == nil {
		d.Status, err = s.postLogoutToken(r, c, d.URI, tok)
		d.Delivered = err == nil && d.Status == http.StatusOK
	}
	if err != nil {
		d.Error = err.Error()
	}
	s.recordDelivery(c.ClientID, d)
}

// logoutURI is the client's backchannel_logout_uri; the platform's own
// client registered {base}/oauth2/backchannel_logout of the base the request
// used (cis2_platform.go).
func (s *Server) logoutURI(r *http.Request, c cis2Client) string {
	if c.platform {
		return strings.Replace(c.BackchannelLogoutURI, "{base}", s.baseURL(r), 1)
	}
	return c.BackchannelLogoutURI
}

// postLogoutToken POSTs logout_token to uri and returns the status. The
// platform's own client is this local platform, so its delivery is served
// in process, from the loopback address the platform allows (reference
// §4.6); any other client's goes over HTTP.
func (s *Server) postLogoutToken(r *http.Request, c cis2Client, uri, tok string) (int, error) {
	form := url.Values{"logout_token": {tok}}.Encode()
	if c.platform {
		return s.serveInternal(r, http.MethodPost, strings.TrimPrefix(uri, s.baseURL(r)), form, "").Code, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), bclTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, uri, strings.NewReader(form))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// recordDelivery keeps the client's latest deliveries, newest last.
func (s *Server) recordDelivery(clientID string, d logoutDelivery) {
	s.cis2.mu.Lock()
	defer s.cis2.mu.Unlock()
	c, ok := s.cis2.clients.get(clientID)
	if !ok {
		return
	}
	c.Deliveries = append(slices.Clone(c.Deliveries), d)
	if len(c.Deliveries) > maxDeliveries {
		c.Deliveries = c.Deliveries[len(c.Deliveries)-maxDeliveries:]
	}
	_ = s.cis2.clients.put(clientID, c, time.Unix(c.ClientIDIssuedAt, 0).Add(cis2ClientTTL))
}
