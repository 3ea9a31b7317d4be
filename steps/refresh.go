package steps

import (
	"context"
	"errors"
	"net/http"
)

// RefreshParams are the inputs of a refresh at the platform (reference §3.5).
type RefreshParams struct {
	TokenURL     string     // the base path that issued the token: …/oauth2/token or …/oauth2-mock/token
	Auth         ClientAuth // the platform's: client_secret_post with the app's API key and secret
	RefreshToken string
}

// RefreshToken trades a platform refresh token for a new access token and a
// new refresh token: a form POST of grant_type=refresh_token, client_id,
// client_secret and refresh_token (reference §3.5). The refresh window does
// not restart: refresh_token_expires_in counts down across refreshes, and
// refresh_count goes up. The platform wants the app's secret here even for
// apps that otherwise sign JWTs. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-6.
func RefreshToken(ctx context.Context, hc *http.Client, p RefreshParams) (Token, []Exchange, error) {
	const prefix = "steps: refresh"
	if p.RefreshToken == "" {
		return Token{}, nil, WithHint(errors.New(prefix+": no refresh token"),
			"There is no platform refresh token yet.",
			"Exchange the ID token for platform tokens first.")
	}
	fields := []formField{
		{"grant_type", "refresh_token"},
		clientAuthHere,
		{"refresh_token", p.RefreshToken},
	}
	tok, exs, err := postTokenForm(ctx, hc, p.TokenURL, p.Auth, fields, "Refresh", "RFC 6749 §6; NHS API platform refresh", prefix)
	// The platform's refusals (reference §3.5) are explained by Diagnose.
	return tok, exs, err
}
