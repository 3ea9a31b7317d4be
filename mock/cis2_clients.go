package mock

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
)

// maxRegistration caps a registration body.
const maxRegistration = 64 << 10

// cis2Client is a registered local CIS2 client: the RFC 7591 §2 metadata
// the Connection Manager took, plus what it issued (§3.2.1).
type cis2Client struct {
	ClientID                  string          `json:"client_id"`
	ClientIDIssuedAt          int64           `json:"client_id_issued_at"`
	ClientSecret              string          `json:"client_secret,omitempty"`
	ClientSecretExpiresAt     *int64          `json:"client_secret_expires_at,omitempty"`
	ClientName                string          `json:"client_name,omitempty"`
	RedirectURIs              []string        `json:"redirect_uris"`
	TokenEndpointAuthMethod   string          `json:"token_endpoint_auth_method"`
	GrantTypes                []string        `json:"grant_types"`
	ResponseTypes             []string        `json:"response_types"`
	JWKS                      json.RawMessage `json:"jwks,omitempty"`
	JWKSURI                   string          `json:"jwks_uri,omitempty"`
	UserinfoSignedResponseAlg string          `json:"userinfo_signed_response_alg,omitempty"`
	BackchannelLogoutURI      string          `json:"backchannel_logout_uri,omitempty"`
	// Deliveries are the latest back-channel logouts sent to
	// BackchannelLogoutURI (nhsauth's own member, for learners and tests).
	Deliveries []logoutDelivery `json:"nhsauth_backchannel_logout_deliveries,omitempty"`

	keys     jose.JSONWebKeySet // parsed JWKS
	platform bool               // the platform's own client: redirect_uri {base}/oauth2/callback
}

// logoutDelivery records one back-channel logout POST (OpenID Connect
// Back-Channel Logout 1.0 §2.5).
type logoutDelivery struct {
	At        time.Time `json:"at"`
	URI       string    `json:"uri"`
	SID       string    `json:"sid"`
	JTI       string    `json:"jti"`
	Status    int       `json:"status,omitempty"`
	Error     string    `json:"error,omitempty"`
	Delivered bool      `json:"delivered"`
}

// registration is the metadata a registration request may send (RFC 7591
// §2, OpenID Connect Registration §2, Back-Channel Logout §2.2).
type registration struct {
	RedirectURIs              []string        `json:"redirect_uris"`
	TokenEndpointAuthMethod   string          `json:"token_endpoint_auth_method"`
	JWKS                      json.RawMessage `json:"jwks"`
	JWKSURI                   string          `json:"jwks_uri"`
	UserinfoSignedResponseAlg string          `json:"userinfo_signed_response_alg"`
	BackchannelLogoutURI      string          `json:"backchannel_logout_uri"`
	ClientName                string          `json:"client_name"`
}

// regError is an RFC 7591 §3.2.2 error: invalid_redirect_uri or
// invalid_client_metadata.
type regError struct{ code, desc string }

func badMetadata(format string, a ...any) *regError {
	return &regError{"invalid_client_metadata", fmt.Sprintf(format, a...)}
}

// parseRegistration reads and checks a registration body, in this order:
// a JSON object; redirect_uris (required; each https, or http on a loopback
// host for a native app, RFC 8252 §7.3, without a fragment); the
// authentication method (client_secret_post by default); jwks or jwks_uri
// (one, never both, required for private_key_jwt); the userinfo algorithm
// (RS256 or RS512); the back-channel logout URI (absolute, no fragment).
func parseRegistration(body []byte) (cis2Client, *regError) {
	var m registration
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil || dec.More() || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		return cis2Client{}, badMetadata("the body must be one JSON object of client metadata (RFC 7591 §2)")
	}
	if len(m.RedirectURIs) == 0 {
		return cis2Client{}, &regError{"invalid_redirect_uri", "redirect_uris is required"}
	}
	for _, u := range m.RedirectURIs {
		if msg := checkRedirectURI(u); msg != "" {
			return cis2Client{}, &regError{"invalid_redirect_uri", msg}
		}
	}
	c := cis2Client{
		RedirectURIs: slices.Clone(m.RedirectURIs), TokenEndpointAuthMethod: m.TokenEndpointAuthMethod,
		JWKSURI: m.JWKSURI, UserinfoSignedResponseAlg: m.UserinfoSignedResponseAlg,
		BackchannelLogoutURI: m.BackchannelLogoutURI, ClientName: m.ClientName,
		GrantTypes: []string{"authorization_code"}, ResponseTypes: []string{"code"},
	}
	if c.TokenEndpointAuthMethod == "" {
		c.TokenEndpointAuthMethod = "client_secret_post"
	}
	if e := checkClientKeys(&c, m.JWKS); e != nil {
		return cis2Client{}, e
	}
	if a := c.UserinfoSignedResponseAlg; a != "" && a != "RS256" && a != "RS512" {
		return cis2Client{}, badMetadata("userinfo_signed_response_alg must be RS256 or RS512")
	}
	if u := c.BackchannelLogoutURI; u != "" {
		if p, ok := httpURL(u); !ok || p.Fragment != "" || p.User != nil {
			return cis2Client{}, badMetadata("backchannel_logout_uri must be an absolute http(s) URL without a fragment (Back-Channel Logout §2.2)")
		}
	}
	return c, nil
}

// checkRedirectURI says what is wrong with one redirect URI, or "".
func checkRedirectURI(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return "redirect_uris: not an absolute URL: " + clip(raw)
	case u.Fragment != "" || u.RawFragment != "" || u.User != nil:
		return "redirect_uris: no fragment or user info allowed: " + clip(raw)
	case u.Scheme == "https":
		return ""
	case u.Scheme == "http" && isLoopbackName(u.Hostname()):
		return "" // a native app's own loopback listener (RFC 8252 §7.3)
	}
	return "redirect_uris: https only, or http on a loopback host for a native app: " + clip(raw)
}

// checkClientKeys is the key material rule: private_key_jwt needs jwks or
// jwks_uri, never both (RFC 7591 §2); jwks must hold an RSA public key.
func checkClientKeys(c *cis2Client, jwks json.RawMessage) *regError {
	if !slices.Contains(cis2AuthMethods, c.TokenEndpointAuthMethod) {
		return badMetadata("token_endpoint_auth_method must be one of client_secret_post, client_secret_basic, client_secret_jwt, private_key_jwt")
	}
	hasJWKS := len(bytes.TrimSpace(jwks)) > 0 && string(bytes.TrimSpace(jwks)) != "null"
	switch {
	case hasJWKS && c.JWKSURI != "":
		return badMetadata("jwks and jwks_uri must not both be present (RFC 7591 §2)")
	case c.TokenEndpointAuthMethod == "private_key_jwt" && !hasJWKS && c.JWKSURI == "":
		return badMetadata("private_key_jwt needs jwks or jwks_uri")
	}
	if c.JWKSURI != "" {
		if msg := checkRedirectURI(c.JWKSURI); msg != "" {
			return badMetadata("jwks_uri must be https, or http on a loopback host")
		}
	}
	if hasJWKS {
		set, ok := parseJWKS(jwks)
		if !ok || !slices.ContainsFunc(set.Keys, func(k jose.JSONWebKey) bool { _, ok := k.Key.(*rsa.PublicKey); return ok }) {
			return badMetadata("jwks must be a JWK Set holding an RSA public key (RFC 7517 §5)")
		}
		c.JWKS, c.keys = slices.Clone(jwks), set
	}
	return nil
}

// clip cuts a value echoed in an error description.
func clip(s string) string {
	if len(s) > maxEchoedName {
		return s[:maxEchoedName] + "…"
	}
	return s
}

// handleRegister is POST /_mock/connection-manager/clients: RFC 7591 §3.1
// registration, answered 201 with the client's metadata and what was
// issued (§3.2.1), or 400 with an RFC 7591 §3.2.2 error.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRegistration))
	if err != nil {
		writeCIS2Error(w, http.StatusBadRequest, "invalid_client_metadata", "the body is too large or unreadable")
		return
	}
	c, e := parseRegistration(body)
	if e != nil {
		writeCIS2Error(w, http.StatusBadRequest, e.code, e.desc)
		return
	}
	now := s.now()
	c.ClientID = twelveDigits() + ".apps.supplier"
	c.ClientIDIssuedAt = now.Unix()
	if c.TokenEndpointAuthMethod != "private_key_jwt" {
		zero := int64(0)
		c.ClientSecret, c.ClientSecretExpiresAt = uuid.NewString(), &zero
	}
	if s.cis2.clients.put(c.ClientID, c, now.Add(cis2ClientTTL)) != nil {
		writeCIS2Error(w, http.StatusServiceUnavailable, "temporarily_unavailable", "too many registered clients")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", s.baseURL(r)+ConnectionManagerPath+"/clients/"+c.ClientID)
	writeJSON(w, http.StatusCreated, c)
}

// twelveDigits is a random client-id number (reference §6.4: "<12 digits>").
func twelveDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(900_000_000_000))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%012d", n.Int64()+100_000_000_000)
}

// handleGetClient is GET …/clients/{id} (RFC 7592 §2.1, without its access
// token: the local Connection Manager is for a person at their machine).
func (s *Server) handleGetClient(w http.ResponseWriter, r *http.Request) {
	c, ok := s.cis2.clients.get(r.PathValue("id"))
	if !ok {
		writeCIS2Error(w, http.StatusNotFound, "invalid_client", "no such client")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
}

// handleDeleteClient is DELETE …/clients/{id} (RFC 7592 §2.3): 204.
func (s *Server) handleDeleteClient(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.cis2.clients.take(r.PathValue("id")); !ok {
		writeCIS2Error(w, http.StatusNotFound, "invalid_client", "no such client")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
