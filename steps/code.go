package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// CodeParams are the inputs of an authorization code exchange at the realm's
// token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5).
type CodeParams struct {
	TokenURL    string
	Auth        ClientAuth // the realm's client: NHS's example sends client_secret_post
	Code        string
	RedirectURI string // exactly the authorise request's
	Verifier    string // the PKCE code_verifier
}

// ExchangeCode redeems an authorization code for the realm's tokens, the ID
// token among them. The form is NHS's own example request (reference §5.5:
// grant_type=authorization_code, code, redirect_uri, client_id,
// client_secret) plus code_verifier (RFC 7636 §4.5); the client
// authentication parameters sit where NHS's example has client_id and
// client_secret, whichever method p.Auth names. Keycloak's refusals (reference §5.7) come back as
// *OAuthError, which Diagnose explains. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.3.
func ExchangeCode(ctx context.Context, hc *http.Client, p CodeParams) (Token, []Exchange, error) {
	const prefix = "steps: code exchange"
	if p.Code == "" {
		return Token{}, nil, WithHint(errors.New(prefix+": no authorization code"),
			"There is no code to exchange: the sign-in step has not succeeded.",
			"Sign in first (the authorise and sign-in steps).")
	}
	fields := []formField{
		{"grant_type", "authorization_code"},
		{"code", p.Code},
		{"redirect_uri", p.RedirectURI},
		clientAuthHere,
		{"code_verifier", p.Verifier},
	}
	tok, exs, err := postTokenForm(ctx, hc, p.TokenURL, p.Auth, fields, "Code exchange",
		"RFC 6749 §4.1.3; RFC 7636 §4.5; OpenID Connect Core §3.1.3.1", prefix)
	var he *HTTPError
	if errors.As(err, &he) && he.Status >= 500 {
		return tok, exs, fmt.Errorf("%s: %w", prefix, idpFailure(p.TokenURL, he))
	}
	if err != nil {
		// Keycloak's refusals (reference §5.7) are explained by Diagnose.
		return tok, exs, err
	}
	if tok.IDToken == "" {
		return tok, exs, WithHint(errors.New(prefix+": the reply has no id_token"),
			"The realm issued tokens but no ID token: the authorise request's scope lacked openid, or this is not an OpenID Connect provider.",
			"Keep openid in the scope and sign in again.")
	}
	return tok, exs, nil
}
