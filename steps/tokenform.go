package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// formField is one form parameter; a slice of them keeps the order in which
// NHS's pages show the request, so the Request tab reads like the docs.
type formField struct{ name, value string }

// encodeForm encodes fields as application/x-www-form-urlencoded, in order,
// leaving out empty values.
func encodeForm(fields []formField) string {
	var b strings.Builder
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.name) + "=" + url.QueryEscape(f.value))
	}
	return b.String()
}

// postTokenForm POSTs a grant's form to a token endpoint with the client
// authenticated by auth, records the round trip under title and spec, and
// reads the reply with ReadTokenReply. prefix starts every error ("steps:
// code exchange"). An assertion auth signed here comes first among the
// exchanges, so the panes show what was sent.
func postTokenForm(ctx context.Context, hc *http.Client, tokenURL string, auth ClientAuth, fields []formField, title, spec, prefix string) (Token, []Exchange, error) {
	if tokenURL == "" {
		return Token{}, nil, fmt.Errorf("%s: no token URL", prefix)
	}
	header := http.Header{}
	fields, signed, err := applyClientAuth(auth, tokenURL, fields, header)
	if err != nil {
		return Token{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	var pre []Exchange
	if signed != nil {
		pre = append(pre, *signed)
	}
	body := encodeForm(fields)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(body))
	if err != nil {
		return Token{}, pre, WithHint(fmt.Errorf("%s: %w", prefix, err),
			"The token URL "+tokenURL+" is not a valid URL.",
			"Check --env and the URL's spelling.")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")

	exs, doErr := send(hc, req, title, spec, []byte(body))
	exs = append(pre, exs...)
	if doErr != nil && errors.Is(ctx.Err(), context.Canceled) {
		return Token{}, exs, fmt.Errorf("%s: %w", prefix, context.Canceled)
	}
	last := exs[len(exs)-1]
	if last.Status == 0 && doErr != nil {
		last.Err = doErr
	}
	tok, err := ReadTokenReply(last)
	if err != nil {
		return tok, exs, fmt.Errorf("%s: %w", prefix, err)
	}
	return tok, exs, nil
}
