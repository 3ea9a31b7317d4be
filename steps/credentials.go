package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Kinds of mock client mock-jwks hands out (reference §5.5).
const (
	KindCIS2     = "cis2"
	KindNHSLogin = "nhs-login"
)

// CredentialsParams are the inputs of the mock-jwks credentials request.
type CredentialsParams struct {
	URL    string // {api}/mock-jwks/keycloak-client-credentials
	APIKey string // the app's API key, sent as the apikey header
	Kind   string // "cis2" or "nhs-login"
}

// MockClient is one Keycloak mock client's registration: its client_id,
// client_secret and registered redirect_uri.
type MockClient struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RedirectURI  string `json:"redirect_uri"`
}

// MockCredentials fetches the Keycloak mock clients' credentials from the
// mock-jwks service with the app's API key (GET with header apikey) and
// returns the one of p.Kind. A 401 means the key is unknown or the app lacks
// the mock-jwks API. See reference §5.5 and "Testing with our mock
// authorisation service using NHS CIS2 - separate authentication", step 1.
func MockCredentials(ctx context.Context, hc *http.Client, p CredentialsParams) (MockClient, []Exchange, error) {
	const prefix = "steps: mock credentials"
	if p.APIKey == "" {
		return MockClient{}, nil, WithHint(errors.New(prefix+": no API key"),
			"mock-jwks identifies your application by its API key (the apikey header).",
			"Pass --api-key with your application's key from the developer portal.")
	}
	kind := p.Kind
	if kind == "" {
		kind = KindCIS2
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return MockClient{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	req.Header.Set("apikey", p.APIKey)
	req.Header.Set("Accept", "application/json")
	exs, doErr := send(hc, req, "Mock client credentials", "NHS mock authorisation service: mock-jwks keycloak-client-credentials", nil)
	if doErr != nil {
		return MockClient{}, exs, fmt.Errorf("%s: %w", prefix, TransportError(doErr, p.URL))
	}
	ex := exs[len(exs)-1]
	switch {
	case ex.Status == http.StatusUnauthorized || ex.Status == http.StatusForbidden:
		return MockClient{}, exs, WithHint(fmt.Errorf("%s: %w", prefix, &HTTPError{Status: ex.Status, ContentType: ex.RespHeader.Get("Content-Type"), Snippet: snippet(ex.RespBody)}),
			"The API key is not recognised, or the app lacks the mock-jwks API.",
			"Check --api-key; on INT enable 'mock-jwks (Int Environment)' for your app in the developer portal (on local the key is nhsauth-local-api-key unless nhsauth mock was given --api-key).")
	case ex.Status < 200 || ex.Status > 299:
		return MockClient{}, exs, fmt.Errorf("%s: %w", prefix, statusError(ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody, ex.URL))
	}
	if err := notJSON(ex, "mock-jwks service"); err != nil {
		return MockClient{}, exs, fmt.Errorf("%s: %w", prefix, err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(ex.RespBody, &all); err != nil {
		return MockClient{}, exs, fmt.Errorf("%s: %w: %v", prefix, ErrNotJSON, err)
	}
	raw, ok := all[kind]
	if !ok {
		var have []string
		for k := range all {
			have = append(have, k)
		}
		sort.Strings(have)
		return MockClient{}, exs, WithHint(fmt.Errorf("%s: no %q client in the reply (it has: %s)", prefix, kind, strings.Join(have, ", ")),
			"mock-jwks answered, but without the client this flow needs.",
			"Check the URL is the keycloak-client-credentials endpoint of this environment.")
	}
	mc, err := decodeMockClient(raw)
	if err != nil {
		return MockClient{}, exs, fmt.Errorf("%s: %s client: %w", prefix, kind, err)
	}
	if mc.ClientID == "" || mc.ClientSecret == "" {
		return mc, exs, fmt.Errorf("%s: the %s client lacks a client_id or client_secret", prefix, kind)
	}
	return mc, exs, nil
}

// decodeMockClient reads one client. The service stores it as an opaque
// value, so it may arrive as an object or as a JSON string holding one.
func decodeMockClient(raw json.RawMessage) (MockClient, error) {
	var mc MockClient
	if err := json.Unmarshal(raw, &mc); err == nil {
		return mc, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return mc, fmt.Errorf("%w: not an object", ErrNotJSON)
	}
	if err := json.Unmarshal([]byte(s), &mc); err != nil {
		return mc, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	return mc, nil
}
