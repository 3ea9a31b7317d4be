package mock

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

// The local mock realms: the NHS pattern Cis2-mock-{env} and
// NHS-Login-mock-{env} with env "local" (reference §5.1).
const (
	RealmCIS2     = "Cis2-mock-local"
	RealmNHSLogin = "NHS-Login-mock-local"
)

// realmMaxForm caps a form posted to a realm.
const realmMaxForm = 1 << 20

// Patterns of platform tokens the realms' ID tokens exchange for (grant.Pattern).
const (
	patternCIS2     = "cis2"
	patternNHSLogin = "nhs-login"
)

// realmDef describes one Keycloak-shaped mock realm.
type realmDef struct {
	Name          string
	Pattern       string // patternCIS2 or patternNHSLogin
	Title         string // the identity provider it imitates, for the login page
	UsernameLabel string
	ClientID      string
	ClientSecret  string
	Scopes        []string // scopes_supported
	Claims        []string // claims_supported
	Users         []testUser
}

var realmCIS2Def = &realmDef{
	Name:          RealmCIS2,
	Pattern:       patternCIS2,
	Title:         "NHS CIS2 Authentication (mock)",
	UsernameLabel: "User UID",
	ClientID:      CIS2ClientID,
	ClientSecret:  CIS2ClientSecret,
	// reference §6.2
	Scopes: []string{"openid", "profile", "email", "nationalrbacaccess", "nhsperson", "associatedorgs", "selectedrole"},
	Claims: []string{
		"iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "jti", "nonce", "sid", "typ", "acr", "amr",
		"id_assurance_level", "authentication_assurance_level", "uid", "name", "given_name", "family_name",
		"email", "nhsid_useruid", "nhsid_nrbac_roles", "nhsid_user_orgs", "selected_roleid",
		"idassurancelevel", "initials", "display_name",
	},
	Users: cis2Users,
}

var realmNHSLoginDef = &realmDef{
	Name:          RealmNHSLogin,
	Pattern:       patternNHSLogin,
	Title:         "NHS login (mock)",
	UsernameLabel: "NHS number",
	ClientID:      NHSLoginClientID,
	ClientSecret:  NHSLoginClientSecret,
	// reference §7
	Scopes: []string{"openid", "profile", "email", "phone"},
	Claims: []string{
		"iss", "sub", "aud", "exp", "iat", "auth_time", "jti", "nonce", "identity_proofing_level", "vot", "vtm",
		"nhs_number", "id_status", "token_use", "birthdate", "family_name", "given_name", "email",
		"email_verified", "phone_number", "phone_number_verified",
	},
	Users: nhsLoginUsers,
}

// lookupRealm finds a realm by name; names are case-sensitive, as in
// Keycloak.
func lookupRealm(name string) *realmDef {
	switch name {
	case RealmCIS2:
		return realmCIS2Def
	case RealmNHSLogin:
		return realmNHSLoginDef
	}
	return nil
}

// client is the realm's mock client as mock-jwks hands it out.
func (d *realmDef) client() mockClient {
	return mockClient{ClientID: d.ClientID, ClientSecret: d.ClientSecret, RedirectURI: MockRedirectURI}
}

// issuer is the realm's issuer as this request addressed the platform
// (reference §5.1: {base}/realms/{realm}).
func (s *Server) issuer(r *http.Request, d *realmDef) string {
	return s.baseURL(r) + "/realms/" + d.Name
}

// realmRoute is one path of a realm: the methods it allows and its handler.
type realmRoute struct {
	methods []string
	h       func(http.ResponseWriter, *http.Request, *realmDef)
}

// newRealmRoutes is a realm's paths under /realms/{realm}/, the way Keycloak
// lays them out (reference §5.1), built once by New.
func (s *Server) newRealmRoutes() map[string]realmRoute {
	return map[string]realmRoute{
		"":                                 {[]string{http.MethodGet}, s.handleRealmInfo},
		".well-known/openid-configuration": {[]string{http.MethodGet}, s.handleDiscovery},
		"protocol/openid-connect/auth":     {[]string{http.MethodGet, http.MethodPost}, s.handleAuthorize},
		"protocol/openid-connect/token":    {[]string{http.MethodPost}, s.handleRealmToken},
		"protocol/openid-connect/certs":    {[]string{http.MethodGet}, s.handleCerts},
		"protocol/openid-connect/userinfo": {[]string{http.MethodGet, http.MethodPost}, s.handleUserinfo},
		"protocol/openid-connect/logout":   {[]string{http.MethodGet, http.MethodPost}, s.handleLogout},
		"login-actions/authenticate":       {[]string{http.MethodGet, http.MethodPost}, s.handleLoginAction},
	}
}

// handleRealm routes every path under /realms/{realm}/ the way Keycloak lays
// a realm out (reference §5.1).
func (s *Server) handleRealm(w http.ResponseWriter, r *http.Request) {
	d := lookupRealm(r.PathValue("realm"))
	if d == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Realm does not exist"})
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/realms/"+d.Name+"/")
	r.Body = http.MaxBytesReader(w, r.Body, realmMaxForm)
	rt, ok := s.realmRoutes[rest]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Unable to find matching target resource method"})
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if !slices.Contains(rt.methods, method) {
		w.Header().Set("Allow", strings.Join(rt.methods, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "HTTP 405 Method Not Allowed"})
		return
	}
	rt.h(w, r, d)
}

// writeKeycloakError sends Keycloak's own OAuth error body: error and
// error_description, without the platform's message_id (reference §5.7).
func writeKeycloakError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// discovery is a realm's OpenID Provider Metadata (OpenID Connect Discovery
// 1.0 §3), in the shape Keycloak publishes.
type discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	ClaimsParameterSupported          bool     `json:"claims_parameter_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
}

// handleDiscovery serves /.well-known/openid-configuration. Like Keycloak,
// it lists every client authentication method the realm knows; the mock
// clients themselves authenticate with their secret.
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request, d *realmDef) {
	iss := s.issuer(r, d)
	oidc := iss + "/protocol/openid-connect"
	writeJSON(w, http.StatusOK, discovery{
		Issuer:                            iss,
		AuthorizationEndpoint:             oidc + "/auth",
		TokenEndpoint:                     oidc + "/token",
		UserinfoEndpoint:                  oidc + "/userinfo",
		EndSessionEndpoint:                oidc + "/logout",
		JWKSURI:                           oidc + "/certs",
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic", "private_key_jwt", "client_secret_jwt"},
		CodeChallengeMethodsSupported:     []string{"S256", "plain"},
		ScopesSupported:                   d.Scopes,
		ClaimsSupported:                   d.Claims,
	})
}

// handleCerts serves the realm's JWKS (RFC 7517 §5).
func (s *Server) handleCerts(w http.ResponseWriter, r *http.Request, d *realmDef) {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "signing key unavailable")
		return
	}
	writeJSON(w, http.StatusOK, rk.jwks())
}

// handleRealmInfo serves GET /realms/{realm}/, Keycloak's realm summary.
func (s *Server) handleRealmInfo(w http.ResponseWriter, r *http.Request, d *realmDef) {
	rk, err := s.oidc.keys.get(d.Name)
	if err != nil {
		writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "signing key unavailable")
		return
	}
	der, err := x509.MarshalPKIXPublicKey(&rk.priv.PublicKey)
	if err != nil {
		writeKeycloakError(w, http.StatusInternalServerError, "unknown_error", "signing key unavailable")
		return
	}
	iss := s.issuer(r, d)
	writeJSON(w, http.StatusOK, map[string]any{
		"realm":             d.Name,
		"public_key":        base64.StdEncoding.EncodeToString(der),
		"token-service":     iss + "/protocol/openid-connect",
		"account-service":   iss + "/account",
		"tokens-not-before": 0,
	})
}
