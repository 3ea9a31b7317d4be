package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// APIParams describe one API call with a bearer token (RFC 6750 §2.1;
// reference §8 for the NHS headers).
type APIParams struct {
	Method      string
	URL         string
	AccessToken string
	Header      http.Header
	Body        []byte
	// FollowRedirects follows redirects to the same origin (scheme, host
	// and port) as the URL; a redirect elsewhere is never followed, so the
	// bearer token and cookies never leave that origin. Without it no
	// redirect is followed. Either way a 3xx at the end is an error.
	FollowRedirects bool
}

// APIResponse is an API's reply, whatever its status (reference §8, §9).
type APIResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// CallAPI calls an API with Authorization: Bearer and a fresh X-Request-ID
// unless one is given (reference §8). The method defaults to GET; the
// Authorization header is left out when AccessToken is empty (an API-key or
// open call); every header in p.Header is sent as given, a Host header as
// the request's host.
//
// Any reply is returned as an APIResponse. A transport failure is an error
// with a hint. A status of 400 or more is also returned as an error (an
// *HTTPError with a hint for 401, 403, 404, 429 and 5xx) beside the full
// response, so a flow's API step fails with a diagnosis while the panes
// still show the body. A redirect (RFC 9110 §15.4) is followed only when
// p.FollowRedirects is set and only within the URL's origin (RFC 6454): a
// 3xx left at the end is an error with its Location, since RFC 6750 §5.3
// says bearer tokens must not be sent where they are not meant to go. See
// RFC 6750 §2.1 for the bearer header.
func CallAPI(ctx context.Context, hc *http.Client, p APIParams) (APIResponse, []Exchange, error) {
	method := strings.ToUpper(strings.TrimSpace(p.Method))
	if method == "" {
		method = http.MethodGet
	}
	if p.URL == "" {
		return APIResponse{}, nil, errors.New("steps: API call: no URL")
	}
	var body io.Reader
	if len(p.Body) > 0 {
		body = bytes.NewReader(p.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.URL, body)
	if err != nil {
		return APIResponse{}, nil, WithHint(fmt.Errorf("steps: API call: %w", err),
			"The URL or method is not valid: "+method+" "+p.URL+".",
			"Pass a full URL (https://…) or a path starting with / to resolve it against the environment.")
	}
	for k, vs := range p.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	// Go sends req.Host, never a Host in the header map (RFC 9110 §7.2):
	// move it there, so what is sent and what the exchange shows agree.
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	req.Header.Del("Host")
	if p.AccessToken != "" {
		req.Header.Set("Authorization", "Bearer "+p.AccessToken)
	}
	// Reference §8: a GUID per request, echoed back; reuse the caller's on
	// a retry so the platform can tell it is one.
	if !hasHeader(req.Header, "X-Request-ID") {
		// Spelled as NHS's documentation spells it; header names are
		// case-insensitive on the wire.
		req.Header["X-Request-ID"] = []string{uuid.NewString()}
	}

	exs, doErr := send(redirectClient(hc, p.FollowRedirects), req, "API call", "RFC 6750 §2.1; NHS API platform conventions", p.Body)
	last := exs[len(exs)-1]
	if last.Status == 0 {
		err := doErr
		if err == nil {
			err = last.Err
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			return APIResponse{}, exs, fmt.Errorf("steps: API call: %w", context.Canceled)
		}
		return APIResponse{}, exs, fmt.Errorf("steps: API call: %w", TransportError(err, p.URL))
	}
	out := APIResponse{Status: last.Status, Header: last.RespHeader, Body: last.RespBody}
	if last.Status >= 400 {
		return out, exs, fmt.Errorf("steps: API call: %w", apiStatusError(last, p.AccessToken != ""))
	}
	if last.Status >= 300 {
		return out, exs, fmt.Errorf("steps: API call: %w", redirectError(exs, p.FollowRedirects))
	}
	return out, exs, nil
}

// apiStatusError explains an API's refusal (reference §8, §9).
func apiStatusError(ex Exchange, withToken bool) error {
	he := &HTTPError{Status: ex.Status, ContentType: ex.RespHeader.Get("Content-Type"), Snippet: snippet(ex.RespBody)}
	switch s := ex.Status; {
	case s == http.StatusUnauthorized && !withToken:
		return WithHint(he,
			"The API wants credentials and none were sent.",
			"Run the token step first, or send the apikey header for an API-key (app-level0) endpoint.")
	case s == http.StatusUnauthorized:
		return WithHint(he,
			"The API refused the access token: it has expired (platform tokens live 10 minutes), or its pattern or level does not match what this endpoint accepts (for example an application-restricted token on /hello/user, or a user-restricted one on /hello/application), or the user's session ended: CIS2 revokes a combined-pattern token by back-channel logout when the user signs out or a smartcard session ends.",
			"Get a fresh token with the flow this API's endpoint expects (after a logout, sign the user in again), then call again.")
	case s == http.StatusForbidden:
		return WithHint(he,
			"The token is valid but not allowed here: your app is not subscribed to this API's product, or a header such as NHSD-Session-URID names a role the user does not hold.",
			"Check the app's products in the developer portal, and the role headers sent.")
	case s == http.StatusNotFound:
		return WithHint(he,
			"Nothing was found: a wrong path (check the API base, for example /hello-world/hello/application), or the resource does not exist (on PDS, an NHS number with no patient).",
			"Check --url against the API's specification.")
	case s == http.StatusTooManyRequests:
		return WithHint(he,
			"Rate limited: the app sent more requests than its quota allows.",
			"Wait and retry with the same X-Request-ID (the platform treats it as the same request).")
	case s == http.StatusBadRequest:
		return WithHint(he,
			"The API rejected the request itself: a missing or invalid header (PDS needs X-Request-ID) or parameter (an invalid NHS number).",
			"Read the error body of the response: it names the field.")
	case s >= 500:
		return WithHint(he,
			fmt.Sprintf("The API or a gateway failed on its side (HTTP %d).", s),
			"Retry in a minute; on --env local, look at the local platform's output.")
	}
	return he
}

// hasHeader reports whether h holds name under any spelling: a header map
// built by hand need not use canonical keys.
func hasHeader(h http.Header, name string) bool {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}
