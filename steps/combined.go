package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CombinedAuthorizeParams are the inputs of the API platform's own
// authorise request in combined authentication (reference §4.1): the app is
// the platform's OAuth client, its API key the client_id.
type CombinedAuthorizeParams struct {
	Endpoint    string // {api}/oauth2-mock/authorize (or /oauth2/authorize)
	APIKey      string // client_id
	RedirectURI string // the app's registered callback URL, exactly
	State       string
	Scope       string // "nhs-login" selects NHS login; "" CIS2
	ACRValues   string // CIS2 only: passed on to CIS2 (default AAL3_ANY there)
}

// combinedExplained says what each parameter of the platform's authorise
// request is for.
var combinedExplained = []struct{ name, what string }{
	{"response_type", "code: the authorization code flow, the only one the platform offers (RFC 6749 §4.1)"},
	{"client_id", "your API key: to the platform your app is an OAuth client"},
	{"redirect_uri", "your app's registered callback URL; the platform compares it as a plain string, exactly"},
	{"state", "random; the platform keeps it and returns it with the code, so a forged or stale callback is refused (RFC 6749 §10.12)"},
	{"scope", "nhs-login sends the user to NHS login; without it the platform uses CIS2 (it is not passed on)"},
	{"acr_values", "passed on to CIS2: the assurance the user must sign in at (platform default AAL3_ANY)"},
}

// CombinedAuthorizeURL builds the URL the browser opens to start combined
// authentication: response_type=code, client_id (the API key),
// redirect_uri, state, and scope and acr_values when given. It sends
// nothing; the synthetic Exchange lists the parameters and what each is
// for. No nonce or PKCE: the platform's authorise takes neither, and it
// runs OpenID Connect with the identity provider itself. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.1.
func CombinedAuthorizeURL(p CombinedAuthorizeParams) (string, Exchange, error) {
	ex := Exchange{Title: "Authorise URL", Spec: "RFC 6749 §4.1.1; NHS combined authentication", Method: "GET", Synthetic: true}
	var missing []string
	for _, f := range []struct{ name, v string }{{"authorize endpoint", p.Endpoint}, {"client_id (API key)", p.APIKey}, {"redirect_uri", p.RedirectURI}, {"state", p.State}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return "", ex, fmt.Errorf("steps: authorise URL: missing %s", strings.Join(missing, ", "))
	}
	u, err := url.Parse(p.Endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", ex, fmt.Errorf("steps: authorise URL: the endpoint %q is not an absolute URL", p.Endpoint)
	}
	vals := map[string]string{"response_type": "code", "client_id": p.APIKey, "redirect_uri": p.RedirectURI, "state": p.State, "scope": p.Scope, "acr_values": p.ACRValues}
	q := u.Query()
	var lines []string
	for _, e := range combinedExplained {
		if v := vals[e.name]; v != "" {
			q.Set(e.name, v)
			lines = append(lines, fmt.Sprintf("%s=%s\n    %s", e.name, v, e.what))
		}
	}
	u.RawQuery = q.Encode()
	ex.URL = u.String()
	ex.Note = "Built locally; the browser opens it."
	ex.ReqBody = []byte(strings.Join(lines, "\n"))
	return u.String(), ex, nil
}

// PlatformCodeParams are the inputs of the platform's authorization_code
// grant (reference §4.3).
type PlatformCodeParams struct {
	TokenURL    string     // {api}/oauth2-mock/token
	Auth        ClientAuth // the API key and secret, client_secret_post
	Code        string
	RedirectURI string // the registered callback, as sent to authorise
}

// ExchangePlatformCode redeems the platform's code: a form POST of
// grant_type=authorization_code, code, redirect_uri, client_id and
// client_secret (reference §4.3). The answer has exactly access_token,
// expires_in, refresh_token, refresh_token_expires_in, refresh_count and
// token_type: no ID token, since the platform keeps the identity
// provider's. See https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.3.
func ExchangePlatformCode(ctx context.Context, hc *http.Client, p PlatformCodeParams) (Token, []Exchange, error) {
	const prefix = "steps: code exchange"
	if p.Code == "" {
		return Token{}, nil, WithHint(errors.New(prefix+": no authorization code"),
			"There is no code to exchange: the sign-in step has not succeeded.",
			"Sign in first (the authorise and sign-in steps).")
	}
	fields := []formField{{"grant_type", "authorization_code"}, {"code", p.Code}, {"redirect_uri", p.RedirectURI}, clientAuthHere}
	return postTokenForm(ctx, hc, p.TokenURL, p.Auth, fields, "Code exchange", "RFC 6749 §4.1.3; NHS combined authentication", prefix)
}
