package steps

import (
	"context"
	"errors"
	"net/http"
)

// TokenTypeIDToken is the subject_token_type of an ID token (RFC 8693
// §3, reference §3.1); the grant is GrantTokenExchange.
const TokenTypeIDToken = "urn:ietf:params:oauth:token-type:id_token"

// TokenExchangeParams are the inputs of the platform's token exchange.
type TokenExchangeParams struct {
	TokenURL     string     // {api}/oauth2-mock/token for a mock realm's ID token, {api}/oauth2/token for real CIS2 or NHS login
	SubjectToken string     // the ID token
	Auth         ClientAuth // the platform's signed JWT (PlatformAuth, reference §2)
}

// TokenExchange swaps an ID token for platform access and refresh tokens: a
// form POST of grant_type (token exchange), subject_token_type (id_token),
// subject_token, then the client's authentication (client_assertion_type
// and client_assertion for the platform's signed JWT), in the order of
// reference §3.1. The platform's refusals (reference §3.4, §3.6) come
// back as *OAuthError, which Diagnose explains: a mock realm's ID token sent
// to /oauth2/token among them. See
// https://datatracker.ietf.org/doc/html/rfc8693#section-2.1.
func TokenExchange(ctx context.Context, hc *http.Client, p TokenExchangeParams) (Token, []Exchange, error) {
	const prefix = "steps: token exchange"
	if p.SubjectToken == "" {
		return Token{}, nil, WithHint(errors.New(prefix+": no ID token"),
			"There is no ID token to exchange yet.",
			"Sign in and exchange the code first.")
	}
	fields := []formField{
		{"grant_type", GrantTokenExchange},
		{"subject_token_type", TokenTypeIDToken},
		{"subject_token", p.SubjectToken},
		clientAuthHere,
	}
	tok, exs, err := postTokenForm(ctx, hc, p.TokenURL, p.Auth, fields, "Token exchange",
		"RFC 8693 §2.1; NHS separate authentication token exchange", prefix)
	return tok, exs, err
}
