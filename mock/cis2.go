package mock

import (
	"cmp"
	"crypto"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// CIS2Path is the path of CIS2 Authentication's Healthcare realm on
// ForgeRock AM (reference §6.1); the local CIS2's issuer is the platform's
// base URL followed by it.
const CIS2Path = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"

// ConnectionManagerPath is the local Connection Manager: registration of
// local CIS2 clients (reference §6.4), nhsauth's own, under /_mock/.
const ConnectionManagerPath = "/_mock/connection-manager"

// cis2KeyName names the local CIS2's signing key among the realms' keys.
const cis2KeyName = "CIS2 Healthcare"

// Lifetimes of the local CIS2's state. CIS2's ID-token and access-token
// lifetimes are unconfirmed (reference §6.3, §11): ForgeRock AM's defaults
// (an hour) are used.
const (
	cis2TokenTTL  = time.Hour
	cis2ClientTTL = 24 * time.Hour  // a registered client lives a day in memory
	logoutTTL     = 2 * time.Minute // a logout token's exp − iat
	bclTimeout    = 5 * time.Second // one back-channel logout delivery
	maxDeliveries = 10              // deliveries remembered per client
)

// cis2State is the local CIS2's memory: registered clients, pending logins,
// codes, sessions, access tokens and used client-assertion jti values, each
// a bounded store.
type cis2State struct {
	mu       sync.Mutex // serialises read-modify-write of a client (deliveries)
	clients  *store[string, cis2Client]
	logins   *store[string, cis2AuthRequest]
	codes    *store[string, cis2Code]
	sessions *store[string, cis2Session]
	access   *store[string, cis2Access]
	jtis     *store[string, struct{}]
}

func newCIS2State(now func() time.Time, limit int) *cis2State {
	return &cis2State{
		clients:  newStore[string, cis2Client](now, limit),
		logins:   newStore[string, cis2AuthRequest](now, limit),
		codes:    newStore[string, cis2Code](now, limit),
		sessions: newStore[string, cis2Session](now, limit),
		access:   newStore[string, cis2Access](now, limit),
		jtis:     newStore[string, struct{}](now, limit),
	}
}

// cis2Routes registers the local CIS2 (reference §6.1) and its Connection
// Manager (§6.4).
func (s *Server) cis2Routes() {
	s.cis2 = newCIS2State(s.now, cmp.Or(s.opts.StoreLimit, storeLimit))
	s.registerPlatformClient()
	p := CIS2Path
	s.mux.HandleFunc("GET "+p+"/.well-known/openid-configuration", s.handleCIS2Discovery)
	s.mux.HandleFunc(p+"/authorize", s.handleCIS2Authorize)
	s.mux.HandleFunc(p+"/login", s.handleCIS2Login)
	s.mux.HandleFunc("POST "+p+"/access_token", s.handleCIS2Token)
	s.mux.HandleFunc(p+"/userinfo", s.handleCIS2Userinfo)
	s.mux.HandleFunc("GET "+p+"/connect/jwk_uri", s.handleCIS2JWKS)
	s.mux.HandleFunc(p+"/connect/endSession", s.handleCIS2EndSession)
	s.mux.HandleFunc("POST "+ConnectionManagerPath+"/clients", s.handleRegister)
	s.mux.HandleFunc("GET "+ConnectionManagerPath+"/clients/{id}", s.handleGetClient)
	s.mux.HandleFunc("DELETE "+ConnectionManagerPath+"/clients/{id}", s.handleDeleteClient)
	s.mux.HandleFunc("GET "+ConnectionManagerPath, s.handleConnectionManagerPage)
}

// CIS2Issuer is the local CIS2's issuer for a platform reached at base
// (http://127.0.0.1:8400): base + CIS2Path. Its ID tokens carry it as iss,
// and the local platform's /oauth2/token trusts it (reference §3.6 step 6).
func CIS2Issuer(base string) string { return base + CIS2Path }

// cis2Issuer is the local CIS2's issuer as this request addressed the
// platform.
func (s *Server) cis2Issuer(r *http.Request) string { return CIS2Issuer(s.baseURL(r)) }

// cis2Discovery is the local CIS2's OpenID Provider Metadata (OpenID Connect
// Discovery 1.0 §3, OpenID Connect Back-Channel Logout 1.0 §2.1). Real
// CIS2's document is unconfirmed (reference §6.1); this one lists what the
// imitation does.
type cis2Discovery struct {
	discovery
	UserinfoSigningAlgs         []string `json:"userinfo_signing_alg_values_supported"`
	TokenEndpointAuthSigningAlg []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	ACRValuesSupported          []string `json:"acr_values_supported"`
	BackchannelLogout           bool     `json:"backchannel_logout_supported"`
	BackchannelLogoutSession    bool     `json:"backchannel_logout_session_supported"`
	RegistrationEndpoint        string   `json:"registration_endpoint"`
}

// cis2ACRValues are the acr_values seen in use with CIS2 (reference §6.3;
// the exact supported list is unconfirmed).
var cis2ACRValues = []string{
	"AAL3_ANY", "AAL2_OR_AAL3_ANY", "AAL2_ANY", "AAL1_USERPASS", "AAL3_IOS", "AAL3_FIDO2",
	"AAL3_N3_SMARTCARD", "AAL3_CIS2_SMARTCARD", "AAL3_SMARTCARD", "AAL2_TOTP", "AAL2_NHSMAIL",
}

// cis2AuthMethods are the four client authentication methods CIS2 offers
// (reference §6.4), client_secret_post first as CIS2 practice.
var cis2AuthMethods = []string{"client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt"}

// handleCIS2Discovery serves {issuer}/.well-known/openid-configuration.
func (s *Server) handleCIS2Discovery(w http.ResponseWriter, r *http.Request) {
	iss := s.cis2Issuer(r)
	writeJSON(w, http.StatusOK, cis2Discovery{
		discovery: discovery{
			Issuer:                            iss,
			AuthorizationEndpoint:             iss + "/authorize",
			TokenEndpoint:                     iss + "/access_token",
			UserinfoEndpoint:                  iss + "/userinfo",
			EndSessionEndpoint:                iss + "/connect/endSession",
			JWKSURI:                           iss + "/connect/jwk_uri",
			GrantTypesSupported:               []string{"authorization_code"},
			ResponseTypesSupported:            []string{"code"},
			ResponseModesSupported:            []string{"query"},
			SubjectTypesSupported:             []string{"public"},
			IDTokenSigningAlgValuesSupported:  []string{"RS256"},
			TokenEndpointAuthMethodsSupported: cis2AuthMethods,
			CodeChallengeMethodsSupported:     []string{"S256"},
			ScopesSupported:                   realmCIS2Def.Scopes,
			ClaimsSupported:                   cis2Claims,
		},
		UserinfoSigningAlgs:         []string{"RS256", "RS512"},
		TokenEndpointAuthSigningAlg: []string{"RS256", "RS512", "HS256", "HS512"},
		ACRValuesSupported:          cis2ACRValues,
		BackchannelLogout:           true,
		BackchannelLogoutSession:    true,
		RegistrationEndpoint:        s.baseURL(r) + ConnectionManagerPath + "/clients",
	})
}

// cis2Claims are the claims of reference §6.2 and §6.3.
var cis2Claims = append(append([]string(nil), realmCIS2Def.Claims...),
	"at_hash", "auditTrackingId", "tokenName", "tokenType", "realm")

// handleCIS2JWKS serves {issuer}/connect/jwk_uri (RFC 7517 §5): the key that
// signs ID tokens, signed userinfo and logout tokens.
func (s *Server) handleCIS2JWKS(w http.ResponseWriter, r *http.Request) {
	k, err := s.cis2Key()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	writeJSON(w, http.StatusOK, k.jwks())
}

// cis2Key returns the local CIS2's signing key, made on first use, with
// its own kid: base64 of the key's SHA-1 JWK thumbprint, the shape of CIS2's
// kids (reference §6.3, "b/O6OvVv1+y+WgrH5Ui9WTioLt0=").
func (s *Server) cis2Key() (*realmKey, error) {
	rk, err := s.oidc.keys.get(cis2KeyName)
	if err != nil {
		return nil, err
	}
	tp, err := (&jose.JSONWebKey{Key: &rk.priv.PublicKey}).Thumbprint(crypto.SHA1)
	if err != nil {
		return nil, fmt.Errorf("mock: cis2 kid: %w", err)
	}
	return &realmKey{priv: rk.priv, kid: base64.StdEncoding.EncodeToString(tp)}, nil
}

// cis2Sign makes a compact JWS of claims with alg (RS256 or RS512) and
// header typ (RFC 7515; ID tokens carry {"typ":"JWT","kid":…,"alg":"RS256"},
// reference §6.3).
func cis2Sign(k *realmKey, alg, typ string, claims map[string]any) (string, error) {
	t := jwt.NewWithClaims(jwt.GetSigningMethod(alg), jwt.MapClaims(claims))
	t.Header["kid"] = k.kid
	t.Header["typ"] = typ
	out, err := t.SignedString(k.priv)
	if err != nil {
		return "", fmt.Errorf("mock: cis2 sign: %w", err)
	}
	return out, nil
}

// writeCIS2Error sends ForgeRock AM's OAuth error body: error_description
// and error (RFC 6749 §5.2), without the platform's message_id.
func writeCIS2Error(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error_description": desc, "error": code})
}
