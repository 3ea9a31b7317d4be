package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Wire names of the client-credentials grant with a signed JWT (RFC 6749
// §4.4.2, RFC 7521 §4.2, RFC 7523 §2.2).
const (
	grantClientCredentials = "client_credentials"
	// AssertionTypeJWTBearer is RFC 7523 §2.2's client_assertion_type.
	AssertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

	formContentType = "application/x-www-form-urlencoded"
)

// ClientCredentialsParams are the inputs of a client-credentials grant with a
// signed JWT (RFC 6749 §4.4, RFC 7523 §2.2).
type ClientCredentialsParams struct {
	TokenURL  string
	Assertion string
	Extra     url.Values // more form parameters, e.g. _access_token_expiry_ms
}

// ClientCredentials exchanges a client assertion for an access token: a form
// POST of grant_type=client_credentials, client_assertion_type and
// client_assertion (reference §2.1). It returns the token on 200, an
// *OAuthError for an error body (wrapped: steps: token endpoint: %w), and a
// hinted error for HTML, truncated or empty bodies, 5xx replies and
// transport failures. The exchanges come back in every case.
// See https://datatracker.ietf.org/doc/html/rfc6749#section-4.4 and
// https://datatracker.ietf.org/doc/html/rfc7523#section-2.2.
func ClientCredentials(ctx context.Context, hc *http.Client, p ClientCredentialsParams) (Token, []Exchange, error) {
	if p.TokenURL == "" {
		return Token{}, nil, errors.New("steps: token endpoint: no token URL")
	}
	if p.Assertion == "" {
		return Token{}, nil, errors.New("steps: token endpoint: no client assertion to send")
	}
	// The order of NHS's guide, so the Request tab reads like the docs;
	// extra parameters follow in name order.
	form := url.Values{
		"grant_type":            {grantClientCredentials},
		"client_assertion_type": {AssertionTypeJWTBearer},
		"client_assertion":      {p.Assertion},
	}
	body := encodeOrdered(form, "grant_type", "client_assertion_type", "client_assertion")
	if extra := withoutKeys(p.Extra, form); len(extra) > 0 {
		body += "&" + extra.Encode()
	}
	return postToken(ctx, hc, p.TokenURL, body, "RFC 6749 §4.4; RFC 7523 §2.2")
}

// encodeOrdered form-encodes the named parameters of v in the given order.
func encodeOrdered(v url.Values, names ...string) string {
	var b strings.Builder
	for _, n := range names {
		for _, val := range v[n] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(n) + "=" + url.QueryEscape(val))
		}
	}
	return b.String()
}

// withoutKeys returns the parameters of extra that fixed does not set: the
// grant's own parameters cannot be overridden by accident.
func withoutKeys(extra, fixed url.Values) url.Values {
	out := url.Values{}
	for k, vs := range extra {
		if _, ok := fixed[k]; !ok {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// postToken sends a form to a token endpoint, records it as "Token request"
// and reads the reply with ReadTokenReply.
func postToken(ctx context.Context, hc *http.Client, tokenURL, body, spec string) (Token, []Exchange, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(body))
	if err != nil {
		return Token{}, nil, WithHint(fmt.Errorf("steps: token endpoint: %w", err),
			"The token URL "+tokenURL+" is not a valid URL.",
			"Check --env and the URL's spelling.")
	}
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")

	rc, rec := Recorder(hc, "Token request", spec)
	resp, doErr := rc.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	exs := rec.Exchanges()
	if len(exs) == 0 {
		// The request never reached the transport (cancelled before it
		// started, or refused by the client): record it anyway.
		exs = []Exchange{{Title: "Token request", Spec: spec, Method: req.Method, URL: tokenURL,
			ReqHeader: req.Header.Clone(), ReqBody: []byte(body), Err: doErr}}
	}
	if doErr != nil && errors.Is(ctx.Err(), context.Canceled) {
		return Token{}, exs, fmt.Errorf("steps: token endpoint: %w", context.Canceled)
	}
	last := exs[len(exs)-1]
	if last.Status == 0 && doErr != nil {
		// The client's error says more (a *url.Error knows about its
		// own timeout) and still wraps the transport's.
		last.Err = doErr
	}
	tok, err := ReadTokenReply(last)
	if err != nil {
		return tok, exs, fmt.Errorf("steps: token endpoint: %w", err)
	}
	return tok, exs, nil
}
