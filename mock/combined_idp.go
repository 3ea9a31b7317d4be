package mock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/golang-jwt/jwt/v5"
)

// identityProvider is what differs between the platform's two combined
// base paths (reference §1, §4): /oauth2-mock trusts the local Keycloak
// realms, /oauth2 the local CIS2 Authentication (as the real /oauth2 trusts
// the real CIS2). Everything else — §4's rules, order, statuses and error
// strings — is the same code.
type identityProvider interface {
	// basePath is the platform base path that trusts this provider.
	basePath() string
	// pattern is patternCIS2 or patternNHSLogin.
	pattern() string
	// clientID is the platform's own client at the provider (§4.1).
	clientID() string
	// issuer is the provider's issuer, as the request addressed the platform.
	issuer(r *http.Request) string
	// authorizeURL is the platform's authorise request to the provider (§4.1).
	authorizeURL(r *http.Request, q url.Values) string
	// tokenPath is the provider's token endpoint, served in process.
	tokenPath() string
	// userinfoPath is the provider's userinfo endpoint, served in process (§4.5).
	userinfoPath() string
	// key is the provider's signing key: ID tokens and logout tokens.
	key() (*realmKey, error)
}

// realmIdP is a local Keycloak realm behind /oauth2-mock.
type realmIdP struct {
	s *Server
	d *realmDef
}

func (p realmIdP) basePath() string              { return combinedBase }
func (p realmIdP) pattern() string               { return p.d.Pattern }
func (p realmIdP) clientID() string              { return p.d.platformClientID() }
func (p realmIdP) issuer(r *http.Request) string { return p.s.issuer(r, p.d) }
func (p realmIdP) tokenPath() string             { return "/realms/" + p.d.Name + "/protocol/openid-connect/token" }
func (p realmIdP) userinfoPath() string {
	return "/realms/" + p.d.Name + "/protocol/openid-connect/userinfo"
}
func (p realmIdP) key() (*realmKey, error) { return p.s.oidc.keys.get(p.d.Name) }
func (p realmIdP) authorizeURL(r *http.Request, q url.Values) string {
	return p.issuer(r) + "/protocol/openid-connect/auth?" + q.Encode()
}

// cis2IdP is the local CIS2 Authentication (ForgeRock AM paths, reference
// §6.1) behind /oauth2, with the platform's client of cis2_platform.go.
type cis2IdP struct{ s *Server }

func (p cis2IdP) basePath() string              { return "/oauth2" }
func (p cis2IdP) pattern() string               { return patternCIS2 }
func (p cis2IdP) clientID() string              { return CIS2PlatformClientID }
func (p cis2IdP) issuer(r *http.Request) string { return p.s.cis2Issuer(r) }
func (p cis2IdP) tokenPath() string             { return CIS2Path + "/access_token" }
func (p cis2IdP) userinfoPath() string          { return CIS2Path + "/userinfo" }
func (p cis2IdP) key() (*realmKey, error)       { return p.s.cis2Key() }
func (p cis2IdP) authorizeURL(r *http.Request, q url.Values) string {
	return p.issuer(r) + "/authorize?" + q.Encode()
}

// idpAuthorizeURL is the platform's authorise request to the identity
// provider (reference §4.1): its own client and callback, its own state,
// max_age=300; CIS2 adds scope nationalrbacaccess and acr_values (the app's,
// default AAL3_ANY), NHS login asks for openid profile and no acr_values.
// A PKCE challenge is added when the request carries a verifier (the local
// CIS2 requires PKCE; see combined_choices.go).
func (s *Server) idpAuthorizeURL(r *http.Request, idp identityProvider, req combinedRequest, state, acr string) string {
	q := url.Values{
		"response_type": {"code"}, "client_id": {idp.clientID()},
		"redirect_uri": {s.platformCallback(r, idp)}, "state": {state}, "max_age": {strconv.Itoa(platformMaxAge)},
	}
	if idp.pattern() == patternCIS2 {
		if acr == "" {
			acr = "AAL3_ANY"
		}
		q.Set("scope", "openid nationalrbacaccess")
		q.Set("acr_values", acr)
	} else {
		q.Set("scope", "openid profile")
	}
	if req.Verifier != "" {
		q.Set("code_challenge", pkceS256(req.Verifier))
		q.Set("code_challenge_method", "S256")
	}
	return idp.authorizeURL(r, q)
}

// idpTokens is the part of the provider's token response the platform
// reads (OpenID Connect Core §3.1.3.3).
type idpTokens struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
}

// redeemIdPCode redeems the identity provider's code at its token endpoint
// as the platform's client, with client_secret_post (reference §4.2 step 3;
// see combined_choices.go for NHS login), and the PKCE verifier when one
// was sent. The provider is part of the same local platform, so the request
// is served in process.
func (s *Server) redeemIdPCode(r *http.Request, req combinedRequest, code string) (idpTokens, bool) {
	idp := req.IdP
	secret := platformClientSecret
	if idp.clientID() == CIS2PlatformClientID {
		secret = CIS2PlatformClientSecret
	}
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {s.platformCallback(r, idp)},
		"client_id": {idp.clientID()}, "client_secret": {secret},
	}
	if req.Verifier != "" {
		form.Set("code_verifier", req.Verifier)
	}
	rec := s.serveInternal(r, http.MethodPost, idp.tokenPath(), form.Encode(), "")
	var tok idpTokens
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &tok) != nil {
		return idpTokens{}, false
	}
	return tok, true
}

// idpSigned verifies a JWT's signature with the provider's key, RS256 or
// RS512, its kid naming that key (reference §4.2 step 4, §4.6 step 4).
func idpSigned(idp identityProvider, raw string) bool {
	rk, err := idp.key()
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
