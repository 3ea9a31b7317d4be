package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// handleCombinedCallback is GET {base}/oauth2-mock/callback, where the
// identity provider sends the browser back (reference §4.2), in order: look
// the platform's state up and delete it at once (single use); redeem the
// identity provider's code; check its ID token (decodable, aud, iss,
// signature); keep the app's product scopes at the user's assurance level;
// issue the platform's code and send the browser to the app with exactly
// code and state. Every failure is answered to the browser: the app's
// callback is never reached on one. The error parameter is never read.
func (s *Server) handleCombinedCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, ok := s.combined.pending.take(q.Get("state"))
	if !ok {
		writeError(w, cbInvalidState)
		return
	}
	d := req.Realm
	tok, ok := s.redeemIdPCode(r, d, q.Get("code"))
	if !ok {
		writeError(w, unknownError)
		return
	}
	claims, e := s.checkExternalIDToken(r, d, tok.IDToken)
	if e != nil {
		writeError(w, e)
		return
	}
	scopes, level := assuranceScopes(d.Pattern, claims, s.opts.Scopes)
	if len(scopes) == 0 {
		writeError(w, cbNoScope)
		return
	}
	sub, _ := claims["sub"].(string)
	g := grant{Pattern: d.Pattern, Level: level, Scopes: scopes, Subject: sub, Combined: true, IdPAccess: tok.AccessToken}
	if d.Pattern == patternCIS2 {
		g.SID, _ = claims["sid"].(string)
	}
	code := opaqueToken()
	if s.combined.codes.put(code, combinedCode{APIKey: req.ClientID, RedirectURI: req.RedirectURI, Grant: g}, s.now().Add(combinedCodeTTL)) != nil {
		writeError(w, s.storeFull("authorization code"))
		return
	}
	redirectWith(w, r, req.RedirectURI, [][2]string{{"code", code}, {"state", req.State}})
}

// redeemIdPCode redeems the identity provider's code at the realm's token
// endpoint as the platform's client, with client_secret_post (reference
// §4.2 step 3; see combined_choices.go for NHS login). The realm is part of
// the same local platform, so the request is served in process.
func (s *Server) redeemIdPCode(r *http.Request, d *realmDef, code string) (realmTokenResponse, bool) {
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {s.platformCallback(r)},
		"client_id": {d.platformClientID()}, "client_secret": {platformClientSecret},
	}
	rec := s.serveInternal(r, http.MethodPost, "/realms/"+d.Name+"/protocol/openid-connect/token", form.Encode(), "")
	var tok realmTokenResponse
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &tok) != nil {
		return realmTokenResponse{}, false
	}
	return tok, true
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
// client, iss the realm's (case-insensitive), then the signature (RS256 or
// RS512 with the realm's key).
func (s *Server) checkExternalIDToken(r *http.Request, d *realmDef, raw string) (jwt.MapClaims, *platformError) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		return nil, cbMalformed
	}
	aud, _ := claims.GetAudience()
	if len(aud) == 0 || aud[0] != d.platformClientID() {
		return nil, cbBadAud
	}
	if iss, _ := claims["iss"].(string); !strings.EqualFold(iss, s.issuer(r, d)) {
		return nil, cbBadIss
	}
	if !s.realmSigned(d, raw) {
		return nil, cbBadSignature
	}
	return claims, nil
}

// realmSigned verifies a JWT's signature with realm d's key, RS256 or
// RS512, its kid naming that key.
func (s *Server) realmSigned(d *realmDef, raw string) bool {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		return false
	}
	_, err = jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != rk.kid {
			return nil, jwt.ErrTokenUnverifiable
		}
		return &rk.priv.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256", "RS512"}), jwt.WithoutClaimsValidation())
	return err == nil
}
