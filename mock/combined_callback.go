package mock

import (
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Errors of the platform's callback (reference §4.2).
var (
	cbInvalidState = perr(http.StatusBadRequest, "invalid_request", "Invalid state parameter.")
	cbMalformed    = perr(http.StatusBadRequest, "invalid_request", "Malformed JWT in External ID token")
	cbBadAud       = perr(http.StatusBadRequest, "invalid_request", "Invalid 'aud' claim in external ID token JWT")
	cbBadIss       = perr(http.StatusBadRequest, "invalid_request", "Invalid iss claim in external ID token JWT")
	cbBadSignature = perr(http.StatusUnauthorized, "public_key error", "JWT signature verification failed")
	cbNoScope      = perr(http.StatusUnauthorized, "unauthorized_client", "you have tried to request authorization but your application is not configured to use this authorization grant type")
)

// combinedCallback is GET {base}/oauth2-mock/callback and
// {base}/oauth2/callback, where the
// identity provider sends the browser back (reference §4.2), in order: look
// the platform's state up and delete it at once (single use); redeem the
// identity provider's code; check its ID token (decodable, aud, iss,
// signature); keep the app's product scopes at the user's assurance level;
// issue the platform's code and send the browser to the app with exactly
// code and state. Every failure is answered to the browser: the app's
// callback is never reached on one. The error parameter is never read.
// A state the other base path issued is unknown here.
func (s *Server) combinedCallback(base string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.handleCombinedCallback(w, r, base) }
}

func (s *Server) handleCombinedCallback(w http.ResponseWriter, r *http.Request, base string) {
	q := r.URL.Query()
	if faultsOf(r)[FaultStateTampered] { // the fault: the state was changed on its way here
		q.Set("state", q.Get("state")+"-tampered")
	}
	req, ok := s.combined.pending.take(q.Get("state"))
	if !ok || req.IdP.basePath() != base {
		writeError(w, cbInvalidState)
		return
	}
	idp := req.IdP
	tok, ok := s.redeemIdPCode(r, req, q.Get("code"))
	if !ok {
		writeError(w, unknownError)
		return
	}
	claims, e := checkExternalIDToken(r, idp, tok.IDToken)
	if e != nil {
		writeError(w, e)
		return
	}
	scopes, level := assuranceScopes(idp.pattern(), claims, s.opts.Scopes)
	if len(scopes) == 0 {
		writeError(w, cbNoScope)
		return
	}
	sub, _ := claims["sub"].(string)
	g := grant{Pattern: idp.pattern(), Level: level, Scopes: scopes, Subject: sub, Combined: true,
		IdPAccess: tok.AccessToken, IdPUserinfo: idp.userinfoPath()}
	if idp.pattern() == patternCIS2 {
		g.SID, _ = claims["sid"].(string)
	}
	code := opaqueToken()
	if s.combined.codes.put(code, combinedCode{BasePath: base, APIKey: req.ClientID, RedirectURI: req.RedirectURI, Grant: g}, s.now().Add(combinedCodeTTL)) != nil {
		writeError(w, s.storeFull("authorization code"))
		return
	}
	redirectWith(w, r, req.RedirectURI, [][2]string{{"code", code}, {"state", req.State}})
}

// serveInternal serves one request to the local platform's own handlers,
// as the platform calling its identity provider: same host, loopback.
func (s *Server) serveInternal(r *http.Request, method, path, form, bearer string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(r.Context(), method, path, strings.NewReader(form))
	req.Host, req.RemoteAddr, req.TLS = r.Host, "127.0.0.1:0", r.TLS
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, req)
	return rec
}

// checkExternalIDToken is §4.2 step 4: a decodable JWT, aud the platform's
// client, iss the provider's (case-insensitive), then the signature (RS256
// or RS512 with the provider's key).
func checkExternalIDToken(r *http.Request, idp identityProvider, raw string) (jwt.MapClaims, *platformError) {
	claims := jwt.MapClaims{}
	// Numbers stay json.Number: CIS2's assurance levels are integers
	// (reference §6.3), which assuranceScopes reads as digits.
	if _, _, err := jwt.NewParser(jwt.WithJSONNumber()).ParseUnverified(raw, claims); err != nil {
		return nil, cbMalformed
	}
	aud, _ := claims.GetAudience()
	if len(aud) == 0 || aud[0] != idp.clientID() || faultsOf(r)[FaultIDTokenAudience] {
		return nil, cbBadAud
	}
	if iss, _ := claims["iss"].(string); !strings.EqualFold(iss, idp.issuer(r)) {
		return nil, cbBadIss
	}
	if !idpSigned(idp, raw) {
		return nil, cbBadSignature
	}
	return claims, nil
}
