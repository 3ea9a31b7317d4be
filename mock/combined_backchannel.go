package mock

import (
	"net"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Answers of the platform's back-channel logout (reference §4.6).
var (
	bclMalformed = perr(http.StatusBadRequest, "invalid_request", "Malformed JWT in logout_token")
	bclAud       = perr(http.StatusBadRequest, "invalid_request", "Missing/invalid aud claim in JWT")
	bclIss       = perr(http.StatusBadRequest, "invalid_request", "Missing/invalid iss claim in JWT")
	bclSID       = perr(http.StatusBadRequest, "invalid_request", "Missing sid claim in JWT")
	bclEvents    = perr(http.StatusBadRequest, "invalid_request", "Missing/invalid events claim in JWT")
	bclNonce     = perr(http.StatusBadRequest, "invalid_request", "Prohibited nonce claim in JWT")
	bclNoJWKS    = perr(http.StatusNotImplemented, "not_implemented", "Logout Failed")
	bclSignature = perr(http.StatusBadRequest, "bad_request", "Unable to verify JWT")
	bclUnknown   = perr(http.StatusNotImplemented, "not_implemented", "SID not found")
)

// backchannelLogout is POST {base}/oauth2-mock/backchannel_logout and
// {base}/oauth2/backchannel_logout (OpenID Connect Back-Channel Logout 1.0
// §2.5; reference §4.6), allowed from loopback only, for the CIS2 provider
// idp. Order, first failure wins: a decodable logout_token; its claims
// before the signature (aud, iss, sid, events, no nonce); the provider's
// key; the signature; a known sid. Success revokes every platform token of
// that session, refreshed ones included.
func (s *Server) backchannelLogout(idp identityProvider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.handleBackchannelLogout(w, r, idp) }
}

func (s *Server) handleBackchannelLogout(w http.ResponseWriter, r *http.Request, idp identityProvider) {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
		writeError(w, backchannelForbidden)
		return
	}
	form, e := readForm(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	raw := form.Get("logout_token")
	claims, e := logoutTokenClaims(raw)
	if e == nil {
		e = checkLogoutClaims(r, idp, claims)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	if _, err := idp.key(); err != nil {
		writeError(w, bclNoJWKS)
		return
	}
	if !idpSigned(idp, raw) {
		writeError(w, bclSignature)
		return
	}
	sid, _ := claims["sid"].(string)
	if _, ok := s.combined.sids.take(sid); !ok {
		writeError(w, bclUnknown)
		return
	}
	if s.combined.revoked.put(sid, struct{}{}, s.now().Add(cis2RefreshTTL+refreshGrace)) != nil {
		writeError(w, s.storeFull("revoked session"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// logoutTokenClaims decodes a logout token without verifying it (§4.6
// step 1).
func logoutTokenClaims(raw string) (jwt.MapClaims, *platformError) {
	claims := jwt.MapClaims{}
	if raw == "" {
		return nil, bclMalformed
	}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		return nil, bclMalformed
	}
	return claims, nil
}

// checkLogoutClaims is §4.6 step 2, before the signature: aud's first
// element the platform's client at idp, iss the provider's
// (case-insensitive), sid present, events with the back-channel member, no
// nonce. iat, exp, jti and sub are not checked, as on the platform.
func checkLogoutClaims(r *http.Request, idp identityProvider, c jwt.MapClaims) *platformError {
	aud, _ := c.GetAudience()
	if len(aud) == 0 || aud[0] != idp.clientID() {
		return bclAud
	}
	if iss, _ := c["iss"].(string); iss == "" || !strings.EqualFold(iss, idp.issuer(r)) {
		return bclIss
	}
	if sid, _ := c["sid"].(string); sid == "" {
		return bclSID
	}
	ev, ok := c["events"].(map[string]any)
	if _, member := ev[backchannelEvent]; !ok || !member {
		return bclEvents
	}
	if _, has := c["nonce"]; has {
		return bclNonce
	}
	return nil
}
