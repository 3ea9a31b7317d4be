package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ClientMetadata is the client metadata of a dynamic registration request
// (RFC 7591 §2; OpenID Connect Dynamic Client Registration §2 for
// userinfo_signed_response_alg; Back-Channel Logout 1.0 §2.2 for
// backchannel_logout_uri). It is what CIS2's Connection Manager asks for
// (reference §6.4). See https://datatracker.ietf.org/doc/html/rfc7591#section-2.
type ClientMetadata struct {
	ClientName                string          `json:"client_name,omitempty"`
	RedirectURIs              []string        `json:"redirect_uris"`
	TokenEndpointAuthMethod   AuthMethod      `json:"token_endpoint_auth_method,omitempty"`
	JWKS                      json.RawMessage `json:"jwks,omitempty"`
	JWKSURI                   string          `json:"jwks_uri,omitempty"`
	UserinfoSignedResponseAlg string          `json:"userinfo_signed_response_alg,omitempty"`
	BackchannelLogoutURI      string          `json:"backchannel_logout_uri,omitempty"`
}

// ClientRegistration is a registration's answer (RFC 7591 §3.2.1): the
// metadata as registered, the client_id and, for the secret methods, the
// client_secret.
type ClientRegistration struct {
	ClientMetadata
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret,omitempty"`
	ClientIDIssuedAt      int64  `json:"client_id_issued_at"`
	ClientSecretExpiresAt int64  `json:"client_secret_expires_at"`
}

// Register POSTs client metadata as JSON to a registration endpoint (RFC
// 7591 §3.1) and reads the 201 answer. A 400 comes back as *OAuthError
// (invalid_redirect_uri or invalid_client_metadata, §3.2.2). See
// https://datatracker.ietf.org/doc/html/rfc7591#section-3.
func Register(ctx context.Context, hc *http.Client, endpoint string, m ClientMetadata) (ClientRegistration, []Exchange, error) {
	const prefix = "steps: registration"
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return ClientRegistration{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return ClientRegistration{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	exs, doErr := send(hc, req, "Client registration", "RFC 7591 §3.1", body)
	if doErr != nil {
		return ClientRegistration{}, exs, fmt.Errorf("%s: %w", prefix, TransportError(doErr, endpoint))
	}
	ex := exs[len(exs)-1]
	if ex.Status != http.StatusCreated && ex.Status != http.StatusOK {
		if oe := ParseOAuthError(ex.Status, ex.RespBody); oe != nil {
			return ClientRegistration{}, exs, fmt.Errorf("%s: %w", prefix, oe)
		}
		return ClientRegistration{}, exs, fmt.Errorf("%s: %w", prefix, statusError(ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody, ex.URL))
	}
	var reg ClientRegistration
	if err := json.Unmarshal(ex.RespBody, &reg); err != nil || reg.ClientID == "" {
		return reg, exs, fmt.Errorf("%s: %w", prefix, errors.Join(ErrNotJSON, errors.New("no client_id in the answer")))
	}
	return reg, exs, nil
}
