package mock

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// exchangeIssuedType is the token exchange's issued_token_type (RFC 8693
// §3; reference §3.3). The grant and subject token types are token.go's.
const exchangeIssuedType = "urn:ietf:params:oauth:token-type:access_token"

// Lifetimes of user-restricted platform tokens (reference §3.3, §3.5): the
// access token lives 10 minutes ("599"); the refresh window and each
// refresh token's own life are 12 hours for CIS2 ("43199") and 1 hour for
// NHS login ("3599").
const (
	userAccessTTL      = 600 * time.Second
	cis2RefreshTTL     = 12 * time.Hour
	nhsLoginRefreshTTL = time.Hour
	// refreshGrace keeps a platform refresh session a while past its window,
	// so a late refresh hears "refresh period has expired", not "invalid".
	refreshGrace = time.Hour
)

// userTokenResponse is the platform's token-exchange and refresh response
// (reference §3.3, §3.5): every value a string; issued_token_type only on
// the exchange.
type userTokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             string `json:"expires_in"`
	TokenType             string `json:"token_type"`
	IssuedTokenType       string `json:"issued_token_type,omitempty"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn string `json:"refresh_token_expires_in"`
	RefreshCount          string `json:"refresh_count"`
}

// tokenExchange is the platform's token-exchange route on /oauth2/token and
// /oauth2-mock/token (RFC 8693; reference §3), taken when subject_token_type
// is the id_token URN. Checks in the order of reference §3.6, first failure
// wins:
//  1. client_assertion_type (§2.6 row 4);
//  2. grant_type is the token-exchange grant;
//  3. the client assertion (§2.6 rows 5–23, checkClientAssertion);
//  4. subject_token present and a decodable JWT;
//  5. its header and claims (kid, typ, alg, exp, iss, aud);
//  6. iss trusted at this base path;
//  7. kid in that issuer's JWKS, then the signature;
//  8. the app's product scopes filtered by the user's assurance.
func (s *Server) tokenExchange(w http.ResponseWriter, r *http.Request, form url.Values, basePath, tokenURL string) {
	if form.Get("client_assertion_type") != clientAssertionTypeJWT {
		writeError(w, row4AssertionType)
		return
	}
	if form.Get("grant_type") != grantTokenExchange {
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "grant_type is invalid"))
		return
	}
	apiKey, e := s.checkClientAssertion(r, form, tokenURL)
	if e != nil {
		writeError(w, e)
		return
	}
	g, e := s.checkSubjectToken(r, form.Get("subject_token"), basePath)
	if e != nil {
		writeError(w, e)
		return
	}
	g.APIKey = apiKey
	def := cis2RefreshTTL
	if g.Pattern == patternNHSLogin {
		def = nhsLoginRefreshTTL
	}
	now := s.now()
	sess := platformSession{
		BasePath:    basePath,
		APIKey:      apiKey,
		Grant:       g,
		FirstIssued: now,
		WindowEnd:   now.Add(userTTL(form, "_refresh_tokens_validity_ms", def)),
		TokenTTL:    userTTL(form, "_refresh_token_expiry_ms", def),
	}
	s.writeUserTokens(w, sess, userTTL(form, "_access_token_expiry_ms", userAccessTTL), true)
}

// checkSubjectToken is §3.6 steps 4–8 and returns the grant the exchange
// yields (without its API key and expiry).
func (s *Server) checkSubjectToken(r *http.Request, tok, basePath string) (grant, *platformError) {
	if tok == "" {
		return grant{}, perr(http.StatusBadRequest, "invalid_request", subjMissing)
	}
	st, ok := decodeSubjectJWT(tok)
	if !ok {
		return grant{}, perr(http.StatusBadRequest, "invalid_request", subjMalformed)
	}
	if e := s.checkSubjectHeaderAndClaimsAt(st, s.subjectClock(r)); e != nil {
		return grant{}, e
	}
	idp, ok := s.trustedIssuer(r, basePath, st.claims["iss"])
	if !ok {
		return grant{}, perr(http.StatusBadRequest, "invalid_request", subjBadIss)
	}
	if e := s.checkSubjectSignature(st, idp); e != nil {
		return grant{}, e
	}
	scopes, level := assuranceScopes(idp.pattern, st.claims, s.opts.Scopes)
	if len(scopes) == 0 {
		return grant{}, row24NoAppScope
	}
	sub, _ := st.claims["sub"].(string)
	return grant{Pattern: idp.pattern, Level: level, Scopes: scopes, Subject: sub}, nil
}

// writeUserTokens issues a platform access token for sess's grant and a
// fresh refresh token that expires at its own TTL or at the window's end,
// whichever comes first (the platform's calculate-refresh-token-expires-in.js),
// and answers with them.
func (s *Server) writeUserTokens(w http.ResponseWriter, sess platformSession, accessTTL time.Duration, exchange bool) {
	now := s.now()
	g := sess.Grant
	g.Expires = now.Add(accessTTL)
	access, err := s.issueToken(g)
	if err != nil {
		writeError(w, s.storeFull("access token"))
		return
	}
	sess.TokenExpires = now.Add(sess.TokenTTL)
	if sess.WindowEnd.Before(sess.TokenExpires) {
		sess.TokenExpires = sess.WindowEnd
	}
	refresh := opaqueToken()
	if err := s.oidc.platformRefresh.put(refresh, sess, sess.WindowEnd.Add(refreshGrace)); err != nil {
		s.tokens.del(access)
		writeError(w, s.storeFull("refresh token"))
		return
	}

	resp := userTokenResponse{
		AccessToken:           access,
		ExpiresIn:             userExpiresIn(accessTTL),
		TokenType:             "Bearer",
		RefreshToken:          refresh,
		RefreshTokenExpiresIn: refreshExpiresIn(sess.TokenExpires.Sub(now)),
		RefreshCount:          strconv.Itoa(sess.Count),
	}
	if exchange {
		resp.IssuedTokenType = exchangeIssuedType
	}
	writeJSON(w, http.StatusOK, resp)
}

// userTTL applies a shorten-only override such as _access_token_expiry_ms
// (reference §2.5, §3.5): a positive whole number of milliseconds, at least
// 2000 and below the default, replaces it; anything else is ignored.
func userTTL(form url.Values, param string, def time.Duration) time.Duration {
	ms, err := strconv.ParseInt(form.Get(param), 10, 64)
	if err != nil || ms < 2000 || ms >= def.Milliseconds() {
		return def
	}
	return time.Duration(ms) * time.Millisecond
}

// userExpiresIn renders a new token's lifetime as the platform does: whole
// seconds minus one, as a string (600 s → "599"; reference §2.5).
func userExpiresIn(d time.Duration) string {
	secs := int64(d/time.Second) - 1
	if secs < 0 {
		secs = 0
	}
	return strconv.FormatInt(secs, 10)
}

// refreshExpiresIn renders the time left to a refresh token's expiry the
// same way, counted from a moment just after the token was made: a
// remainder of 12 h gives "43199", and so does 12 h less a few
// milliseconds, so a refresh made at once still reads "43199"; 12 h less
// 100 s reads "43099".
func refreshExpiresIn(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	return strconv.FormatInt(int64((d-1)/time.Second), 10)
}
