package steps

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
)

// Wire names of the client-credentials grant with a signed JWT (RFC 6749
// §4.4.2, RFC 7521 §4.2, RFC 7523 §2.2).
const (
	grantClientCredentials = "client_credentials"
	// AssertionTypeJWTBearer is RFC 7523 §2.2's client_assertion_type.
	AssertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

	formContentType = "application/x-www-form-urlencoded"
)

// ClientCredentialsParams are the inputs of a client-credentials grant (RFC
// 6749 §4.4); on the NHS platform the client authenticates with a signed JWT
// (PlatformAuth, RFC 7523 §2.2).
type ClientCredentialsParams struct {
	TokenURL string
	Auth     ClientAuth
	Extra    url.Values // more form parameters, e.g. _access_token_expiry_ms
}

// ClientCredentials authenticates the client for an access token: a form
// POST of grant_type=client_credentials and the client's authentication
// (for the platform's signed JWT: client_assertion_type and
// client_assertion; reference §2.1). It returns the token on 200, an
// *OAuthError for an error body (wrapped: steps: token endpoint: %w), and a
// hinted error for HTML, truncated or empty bodies, 5xx replies and
// transport failures. The exchanges come back in every case.
// See https://datatracker.ietf.org/doc/html/rfc6749#section-4.4 and
// https://datatracker.ietf.org/doc/html/rfc7523#section-2.2.
func ClientCredentials(ctx context.Context, hc *http.Client, p ClientCredentialsParams) (Token, []Exchange, error) {
	if p.TokenURL == "" {
		return Token{}, nil, errors.New("steps: token endpoint: no token URL")
	}
	// The order of NHS's guide, so the Request tab reads like the docs;
	// extra parameters follow in name order and cannot override the grant's
	// own or the client's authentication.
	fields := []formField{{"grant_type", grantClientCredentials}, clientAuthHere}
	names := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "grant_type" || authParam(k) {
			continue
		}
		for _, v := range p.Extra[k] {
			fields = append(fields, formField{k, v})
		}
	}
	return postTokenForm(ctx, hc, p.TokenURL, p.Auth, fields, "Token request", "RFC 6749 §4.4; RFC 7523 §2.2", "steps: token endpoint")
}
