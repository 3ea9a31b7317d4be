package mock

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// CIS2's token-endpoint errors. "JWT is not valid" is observed for a bad
// client assertion (reference §6.4); the others are ForgeRock AM's wording
// as recalled (unconfirmed).
const (
	cis2JWTNotValid   = "JWT is not valid"
	cis2ClientFailed  = "Client authentication failed"
	cis2GrantInvalid  = "The provided access grant is invalid, expired, or revoked."
	cis2RedirectWrong = "The redirection URI provided does not match a pre-registered value."
	cis2PKCEFailed    = "The request failed the PKCE code verifier check"
)

// cis2TokenResponse is the local CIS2's token response (RFC 6749 §5.1,
// OpenID Connect Core §3.1.3.3).
type cis2TokenResponse struct {
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
	IDToken     string `json:"id_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// handleCIS2Token serves {issuer}/access_token. Order, first failure wins:
// the form (no repeated parameter), grant_type (authorization_code only,
// reference §6.1), client authentication by the client's registered method
// (cis2Authenticate), then the code (unknown, spent, expired, another
// client's), redirect_uri, and PKCE (RFC 7636 §4.6).
func (s *Server) handleCIS2Token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeCIS2Error(w, http.StatusBadRequest, "invalid_request", "Invalid form")
		return
	}
	form := r.PostForm
	if name, ok := repeatedParam(form); ok {
		writeCIS2Error(w, http.StatusBadRequest, "invalid_request", clip(name)+" is included more than once")
		return
	}
	switch form.Get("grant_type") {
	case "":
		writeCIS2Error(w, http.StatusBadRequest, "invalid_request", "Grant type is not set")
		return
	case "authorization_code":
	default:
		writeCIS2Error(w, http.StatusBadRequest, "unsupported_grant_type", "Grant type is not supported: "+clip(form.Get("grant_type")))
		return
	}
	c, desc := s.cis2Authenticate(r, form)
	if desc != "" {
		writeCIS2Error(w, http.StatusUnauthorized, "invalid_client", desc)
		return
	}
	ac, ok := s.cis2.codes.take(form.Get("code"))
	var sess cis2Session
	if ok && ac.ClientID == c.ClientID {
		sess, ok = s.cis2.sessions.get(ac.SID)
	} else {
		ok = false
	}
	switch {
	case !ok:
		writeCIS2Error(w, http.StatusBadRequest, "invalid_grant", cis2GrantInvalid)
	case form.Get("redirect_uri") != ac.RedirectURI:
		writeCIS2Error(w, http.StatusBadRequest, "invalid_grant", cis2RedirectWrong)
	case !pkceVerified(ac.Challenge, "S256", form.Get("code_verifier")):
		writeCIS2Error(w, http.StatusBadRequest, "invalid_grant", cis2PKCEFailed)
	default:
		s.writeCIS2Tokens(w, r, ac, sess)
	}
}

// presentedMethod tells which client authentication method a request
// used: HTTP Basic, a client assertion (client_secret_jwt or
// private_key_jwt, told apart by its alg), or a secret in the form. ids are
// where the client may be named, in the order tried: the Basic user or the
// form's client_id, then an assertion's iss and sub (unverified until the
// client is known).
func presentedMethod(r *http.Request, form url.Values) (method string, ids []string) {
	if id, _, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id)
		return "client_secret_basic", []string{id}
	}
	ids = []string{form.Get("client_id")}
	if raw := form.Get("client_assertion"); raw != "" || form.Get("client_assertion_type") != "" {
		t, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
		if err != nil {
			return "client_assertion", ids
		}
		claims := t.Claims.(jwt.MapClaims)
		iss, _ := claims["iss"].(string)
		sub, _ := claims["sub"].(string)
		ids = append(ids, iss, sub)
		if alg, _ := t.Header["alg"].(string); strings.HasPrefix(alg, "HS") {
			return "client_secret_jwt", ids
		}
		return "private_key_jwt", ids
	}
	if form.Has("client_secret") {
		return "client_secret_post", ids
	}
	return "none", ids
}

// findClient is the first registered client ids name.
func (s *Server) findClient(ids []string) (cis2Client, bool) {
	for _, id := range ids {
		if c, ok := s.cis2.clients.get(id); ok && id != "" {
			return c, true
		}
	}
	return cis2Client{}, false
}

// cis2Authenticate enforces the client's registered
// token_endpoint_auth_method (reference §6.4): an unknown client, another
// method or a wrong secret is "Client authentication failed"; a bad
// assertion is "JWT is not valid".
func (s *Server) cis2Authenticate(r *http.Request, form url.Values) (cis2Client, string) {
	method, ids := presentedMethod(r, form)
	c, ok := s.findClient(ids)
	if !ok || method != c.TokenEndpointAuthMethod {
		if ok && method == "client_assertion" && strings.HasSuffix(c.TokenEndpointAuthMethod, "_jwt") {
			return cis2Client{}, cis2JWTNotValid
		}
		return cis2Client{}, cis2ClientFailed
	}
	if fid := form.Get("client_id"); fid != "" && fid != c.ClientID {
		return cis2Client{}, cis2ClientFailed
	}
	switch method {
	case "client_secret_basic":
		_, secret, _ := r.BasicAuth()
		secret, _ = url.QueryUnescape(secret)
		return c, secretMatches(c, secret)
	case "client_secret_post":
		return c, secretMatches(c, form.Get("client_secret"))
	}
	if form.Get("client_assertion_type") != clientAssertionTypeJWT {
		return cis2Client{}, cis2JWTNotValid
	}
	if err := s.verifyCIS2Assertion(r, c, form.Get("client_assertion")); err != nil {
		return cis2Client{}, cis2JWTNotValid
	}
	return c, ""
}

func secretMatches(c cis2Client, secret string) string {
	if secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.ClientSecret)) != 1 {
		return cis2ClientFailed
	}
	return ""
}

// verifyCIS2Assertion checks a client assertion (RFC 7523 §3, OpenID
// Connect Core §9): the signature (HS256/HS512 with the secret for
// client_secret_jwt; RS256/RS512 with a key of the client's jwks or
// jwks_uri for private_key_jwt), iss = sub = the client id, aud = the token
// endpoint exactly as discovery states it, exp present and not past, and a
// jti not used before.
func (s *Server) verifyCIS2Assertion(r *http.Request, c cis2Client, raw string) error {
	algs := []string{"RS256", "RS512"}
	if c.TokenEndpointAuthMethod == "client_secret_jwt" {
		algs = []string{"HS256", "HS512"}
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		if c.TokenEndpointAuthMethod == "client_secret_jwt" {
			return []byte(c.ClientSecret), nil
		}
		return s.clientKey(r.Context(), c, t)
	}, jwt.WithValidMethods(algs), jwt.WithoutClaimsValidation())
	if err != nil {
		return err
	}
	iss, _ := claims["iss"].(string)
	sub, _ := claims["sub"].(string)
	jti, _ := claims["jti"].(string)
	exp, err := claims.GetExpirationTime()
	switch {
	case iss != c.ClientID || sub != c.ClientID:
		return errors.New("iss and sub must be the client id")
	case !audienceHas(claims["aud"], s.cis2Issuer(r)+"/access_token"):
		return errors.New("aud is not the token endpoint")
	case err != nil || exp == nil || !exp.After(s.now()):
		return errors.New("exp missing or past")
	case jti == "":
		return errors.New("jti missing")
	}
	added, err := s.cis2.jtis.add(c.ClientID+"\x00"+jti, struct{}{}, exp.Add(time.Second))
	if err != nil || !added {
		return errors.New("jti replayed")
	}
	return nil
}

// audienceHas: aud is the string want, or an array holding it (RFC 7519 §4.1.3).
func audienceHas(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		return slices.ContainsFunc(a, func(v any) bool { s, _ := v.(string); return s == want })
	}
	return false
}

// clientKey is the public key of a private_key_jwt client named by the
// assertion's kid (or its only key when none is named), from the client's
// registered jwks or fetched from its jwks_uri.
func (s *Server) clientKey(ctx context.Context, c cis2Client, t *jwt.Token) (any, error) {
	set := c.keys
	if c.JWKSURI != "" {
		ctx, cancel := context.WithTimeout(ctx, s.opts.JWKSTimeout)
		defer cancel()
		var err error
		if set, err = fetchJWKS(ctx, s.opts.HTTPClient, c.JWKSURI); err != nil {
			return nil, err
		}
	}
	kid, _ := t.Header["kid"].(string)
	var found []jose.JSONWebKey
	for _, k := range set.Keys {
		if kid == "" || k.KeyID == kid {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("no single key for kid %q", kid)
	}
	return found[0].Key, nil
}

// writeCIS2Tokens issues the access token and the ID token of reference
// §6.3: header {"typ":"JWT","kid":…,"alg":"RS256"}; iss, sub, aud, azp,
// exp, iat, auth_time, nonce (when sent), acr, amr, sid, both assurance
// levels (integers, as in NHS's fixtures), at_hash, and ForgeRock AM's
// auditTrackingId, tokenName, tokenType and realm.
func (s *Server) writeCIS2Tokens(w http.ResponseWriter, r *http.Request, ac cis2Code, sess cis2Session) {
	user, ok := findUser(cis2Users, sess.UserID)
	k, err := s.cis2Key()
	if !ok || err != nil {
		writeCIS2Error(w, http.StatusInternalServerError, "server_error", "cannot issue tokens")
		return
	}
	now := s.now()
	access := randomHex(32)
	scope := grantedScope(ac.Scope, realmCIS2Def.Scopes)
	if s.cis2.access.put(access, cis2Access{ClientID: ac.ClientID, SID: ac.SID, Scope: scope}, now.Add(cis2TokenTTL)) != nil {
		writeCIS2Error(w, http.StatusServiceUnavailable, "temporarily_unavailable", "too many tokens")
		return
	}
	claims := map[string]any{
		"iss": s.cis2Issuer(r), "sub": user.ID, "aud": ac.ClientID, "azp": ac.ClientID,
		"exp": now.Add(cis2TokenTTL).Unix(), "iat": now.Unix(), "auth_time": sess.AuthTime.Unix(),
		"acr": sess.ACR, "amr": sess.AMR, "sid": ac.SID, "at_hash": halfHash(access),
		"id_assurance_level": 3, "authentication_assurance_level": user.AAL,
		"auditTrackingId": uuid.NewString(), "tokenName": "id_token", "tokenType": "JWTToken",
		"realm": "/NHSIdentity/Healthcare",
	}
	if ac.Nonce != "" {
		claims["nonce"] = ac.Nonce
	}
	idt, err := cis2Sign(k, "RS256", "JWT", claims)
	if err != nil {
		writeCIS2Error(w, http.StatusInternalServerError, "server_error", "cannot issue tokens")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, cis2TokenResponse{AccessToken: access, Scope: scope, IDToken: idt, TokenType: "Bearer", ExpiresIn: int(cis2TokenTTL.Seconds()) - 1})
}
