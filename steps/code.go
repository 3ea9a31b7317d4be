package steps

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Client authentication methods at a realm's token endpoint (OpenID Connect
// Core §9).
const (
	AuthClientSecretPost  = "client_secret_post"
	AuthClientSecretBasic = "client_secret_basic"
)

// CodeParams are the inputs of an authorization code exchange at the realm's
// token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5).
type CodeParams struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	AuthStyle    string // client_secret_post (default) or client_secret_basic; "post" and "basic" also do
	Code         string
	RedirectURI  string // exactly the authorise request's
	Verifier     string // the PKCE code_verifier
}

// ExchangeCode redeems an authorization code for the realm's tokens, the ID
// token among them. The form is NHS's own example request (reference §5.5:
// grant_type=authorization_code, code, redirect_uri, client_id,
// client_secret) plus code_verifier (RFC 7636 §4.5); with client_secret_basic
// the client's id and secret go in an Authorization: Basic header instead
// (RFC 6749 §2.3.1). Keycloak's refusals (reference §5.7) come back as
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
	}
	header := http.Header{}
	switch strings.TrimPrefix(p.AuthStyle, "client_secret_") {
	case "", "post":
		fields = append(fields, formField{"client_id", p.ClientID}, formField{"client_secret", p.ClientSecret})
	case "basic":
		// RFC 6749 §2.3.1: the id and secret are form-encoded, then joined
		// with a colon and base64-encoded.
		cred := url.QueryEscape(p.ClientID) + ":" + url.QueryEscape(p.ClientSecret)
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
	default:
		return Token{}, nil, errors.New(prefix + ": client authentication " + p.AuthStyle + " is not client_secret_post or client_secret_basic")
	}
	fields = append(fields, formField{"code_verifier", p.Verifier})

	tok, exs, err := postTokenForm(ctx, hc, p.TokenURL, fields, header, "Code exchange",
		"RFC 6749 §4.1.3; RFC 7636 §4.5; OpenID Connect Core §3.1.3.1", prefix)
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
