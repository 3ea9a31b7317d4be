package mock

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Keycloak's token-endpoint errors (reference §5.7).
const (
	kcInvalidClient  = "Invalid client or Invalid client credentials"
	kcCodeNotValid   = "Code not valid"
	kcBadRedirect    = "Incorrect redirect_uri"
	kcPKCEFailed     = "PKCE verification failed"
	kcInvalidRefresh = "Invalid refresh token"
)

// realmTokenResponse is Keycloak's token response (RFC 6749 §5.1, OpenID
// Connect Core §3.1.3.3; reference §5.6): numbers are JSON numbers here,
// unlike the API platform's.
type realmTokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshExpiresIn int    `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token"`
	TokenType        string `json:"token_type"`
	IDToken          string `json:"id_token,omitempty"`
	NotBeforePolicy  int    `json:"not-before-policy"`
	SessionState     string `json:"session_state"`
	Scope            string `json:"scope"`
}

// handleRealmToken serves the realm's token endpoint
// (/protocol/openid-connect/token). Order of checks, first failure wins:
// grant_type (missing, unsupported), then client authentication
// (client_secret_post or client_secret_basic), then the grant: for
// authorization_code the code (unknown, used, expired), the redirect_uri
// (must equal the authorise request's, RFC 6749 §4.1.3), then PKCE (RFC
// 7636 §4.6); for refresh_token the refresh token.
func (s *Server) handleRealmToken(w http.ResponseWriter, r *http.Request, d *realmDef) {
	if err := r.ParseForm(); err != nil {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_request", "Invalid form")
		return
	}
	form := r.PostForm
	if _, ok := repeatedParam(form); ok {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_request", kcDuplicatedParam)
		return
	}
	grantType := form.Get("grant_type")
	switch grantType {
	case "":
		writeKeycloakError(w, http.StatusBadRequest, "invalid_request", "Missing form parameter: grant_type")
		return
	case "authorization_code", "refresh_token":
	default:
		writeKeycloakError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
		return
	}
	client, ok := realmClientAuthenticated(r, form, d)
	if !ok {
		writeKeycloakError(w, http.StatusUnauthorized, "unauthorized_client", kcInvalidClient)
		return
	}
	if grantType == "refresh_token" {
		s.realmRefreshGrant(w, r, form, d, client)
		return
	}
	code := form.Get("code")
	if code == "" {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_request", "Missing parameter: code")
		return
	}
	// A code is spent by its first use, even when a later check fails.
	ac, sess, ok := redeemInSession(s.oidc, s.oidc.codes, code, d, client)
	if !ok || faultsOf(r)[FaultCodeExpired] { // the fault: a code left past its lifetime
		writeKeycloakError(w, http.StatusBadRequest, "invalid_grant", kcCodeNotValid)
		return
	}
	if form.Get("redirect_uri") != ac.RedirectURI {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_grant", kcBadRedirect)
		return
	}
	if !pkceVerified(ac.Challenge, ac.Method, form.Get("code_verifier")) {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_grant", kcPKCEFailed)
		return
	}
	s.writeRealmTokens(w, r, d, ac.SID, sess, client, ac.Scope, ac.Nonce)
}

// realmClientAuthenticated checks the mock client's credentials, sent
// either as HTTP Basic (form-encoded id and secret, RFC 6749 §2.3.1) or as
// client_id and client_secret in the body, and returns the client's id. The
// realm knows the mock-jwks client and the platform's own
// (combined_clients.go).
func realmClientAuthenticated(r *http.Request, form url.Values, d *realmDef) (string, bool) {
	id, secret, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return "", false
		}
		if fid := form.Get("client_id"); fid != "" && fid != id {
			return "", false
		}
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	want, known := d.clientSecret(id)
	return id, known && secret != "" &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
}

// pkceVerified applies RFC 7636 §4.6. Without a challenge at the authorise
// step, a verifier is refused too, as Keycloak does: the client and the
// server disagree about PKCE.
func pkceVerified(challenge, method, verifier string) bool {
	if challenge == "" {
		return verifier == ""
	}
	if !pkceValue().MatchString(verifier) {
		return false
	}
	want := verifier
	if method == "S256" {
		want = pkceS256(verifier)
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// realmRefreshGrant renews the realm's tokens (RFC 6749 §6). Refresh tokens
// are single use here, and die with their session.
func (s *Server) realmRefreshGrant(w http.ResponseWriter, r *http.Request, form url.Values, d *realmDef, client string) {
	tok := form.Get("refresh_token")
	if tok == "" {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_request", "Missing parameter: refresh_token")
		return
	}
	rr, sess, ok := redeemInSession(s.oidc, s.oidc.realmRefresh, tok, d, client)
	if !ok {
		writeKeycloakError(w, http.StatusBadRequest, "invalid_grant", kcInvalidRefresh)
		return
	}
	// OpenID Connect Core §12.2: a refreshed ID token "SHOULD NOT" carry a nonce.
	s.writeRealmTokens(w, r, d, rr.SID, sess, client, rr.Scope, "")
}

// writeRealmTokens issues the access, refresh and (for scope openid) ID
// tokens of a session. The ID token is RS256, lives one hour and echoes the
// authorise request's nonce (reference §5.5, §5.6).
func (s *Server) writeRealmTokens(w http.ResponseWriter, r *http.Request, d *realmDef, sid string, sess realmSession, client, scope, nonce string) {
	user, ok := findUser(d.Users, sess.UserID)
	rk, err := s.oidc.keys.get(d.Name)
	if !ok || err != nil {
		writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "cannot issue tokens")
		return
	}
	now := s.now()
	iss := s.issuer(r, d)
	scope = grantedScope(scope, d.Scopes)
	access, err := rk.sign(map[string]any{
		"iss": iss, "sub": user.sub(), "aud": client, "azp": client, "typ": "Bearer",
		"exp": now.Add(realmAccessTTL).Unix(), "iat": now.Unix(), "auth_time": sess.AuthTime.Unix(),
		"jti": uuid.NewString(), "sid": sid, "session_state": sid, "scope": scope,
		"preferred_username": user.ID,
	})
	if err != nil {
		writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "cannot issue tokens")
		return
	}
	resp := realmTokenResponse{
		AccessToken:      access,
		ExpiresIn:        int(realmAccessTTL.Seconds()),
		RefreshExpiresIn: int(realmRefreshTTL.Seconds()),
		RefreshToken:     randomHex(32),
		TokenType:        "Bearer",
		SessionState:     sid,
		Scope:            scope,
	}
	if slices.Contains(strings.Fields(scope), "openid") {
		claims := user.idClaims(iss, client, sid, nonce, sess.AuthTime, now)
		claims["at_hash"] = halfHash(access)
		if resp.IDToken, err = rk.sign(claims); err != nil {
			writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "cannot issue tokens")
			return
		}
	}
	if err := s.oidc.realmRefresh.put(resp.RefreshToken, realmRefresh{Realm: d.Name, SID: sid, ClientID: client, Scope: scope}, now.Add(realmRefreshTTL)); err != nil {
		s.writeRealmBusy(w, "realm refresh token")
		return
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// grantedScope keeps the requested scopes the realm supports, in order,
// once each.
func grantedScope(requested string, supported []string) string {
	var out []string
	for _, sc := range strings.Fields(requested) {
		if slices.Contains(supported, sc) && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return strings.Join(out, " ")
}

// halfHash is at_hash: the left half of the SHA-256 of the token, base64url
// (OpenID Connect Core §3.1.3.6).
func halfHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// pkceS256 is the S256 code_challenge of a verifier (RFC 7636 §4.2).
func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sessionBound is a single-use value a realm issued inside a session: a code
// or a refresh token.
type sessionBound interface {
	bound() (realm, clientID, sid string)
}

func (c authCode) bound() (string, string, string)     { return c.Realm, c.ClientID, c.SID }
func (r realmRefresh) bound() (string, string, string) { return r.Realm, r.ClientID, r.SID }

// redeemInSession spends key from st (its first use spends it, even when a
// later check fails, as Keycloak does) and reports whether it was issued by
// realm d to client inside a session that is still live, and that session.
func redeemInSession[V sessionBound](o *oidcState, st *store[string, V], key string, d *realmDef, client string) (V, realmSession, bool) {
	v, ok := st.take(key)
	if !ok {
		return v, realmSession{}, false
	}
	realm, clientID, sid := v.bound()
	if realm != d.Name || clientID != client {
		return v, realmSession{}, false
	}
	sess, ok := o.sessions.get(sid)
	return v, sess, ok
}
