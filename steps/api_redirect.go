package steps

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxAPIRedirects bounds the same-origin redirects an API call follows.
const maxAPIRedirects = 10

// redirectClient is hc with the API call's redirect policy: with follow
// unset no redirect is followed; with it set only a redirect to the first
// request's origin is, at most maxAPIRedirects times and never back to a URL
// already visited. Go's own policy follows any redirect, and forwards
// Authorization to another port of the same host: a bearer token would go
// wherever an API points. Refused redirects end the call with the 3xx as
// its last exchange (http.ErrUseLastResponse), for redirectError to explain.
func redirectClient(hc *http.Client, follow bool) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !follow || len(via) > maxAPIRedirects || !sameOrigin(req.URL, via[0].URL) || visited(req.URL, via) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &c
}

// sameOrigin compares the origins of two URLs (RFC 6454 §4: scheme, host
// and port, the default port made explicit).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func visited(u *url.URL, via []*http.Request) bool {
	for _, r := range via {
		if r.URL.String() == u.String() {
			return true
		}
	}
	return false
}

// redirectError explains a call that ended on a 3xx: a redirect not
// followed, one to another origin, or a loop. The Location is quoted (%q)
// because the server wrote it.
func redirectError(exs []Exchange, follow bool) error {
	last := exs[len(exs)-1]
	he := &HTTPError{Status: last.Status, ContentType: last.RespHeader.Get("Content-Type"), Snippet: snippet(last.RespBody)}
	loc := last.RespHeader.Get("Location")
	if loc == "" {
		return WithHint(he,
			fmt.Sprintf("The API answered HTTP %d, a redirect, but named no Location to go to.", last.Status),
			"Check --url against the API's specification: the API expected another address.")
	}
	from, _ := url.Parse(last.URL)
	to, err := url.Parse(loc)
	if err == nil && from != nil {
		to = from.ResolveReference(to)
		loc = to.String()
	}
	switch {
	case !follow:
		return WithHint(he,
			fmt.Sprintf("The API answered HTTP %d, redirecting to %q. API redirects are not followed unless asked, so the access token goes only to the URL you named.", last.Status, loc),
			"If that is where you meant to call, follow same-origin redirects with --follow (call-api, run), or call that URL directly with --url.")
	case err != nil || from == nil || !sameOrigin(from, to):
		return WithHint(he,
			fmt.Sprintf("The API redirected to %q, another origin (scheme, host or port) than %s: a redirect there is never followed, so neither the access token nor cookies leave the origin you named.", loc, originOf(from)),
			"Check that the address is the API you mean, then call it directly with --url.")
	}
	for _, ex := range exs {
		if ex.URL == loc {
			return WithHint(he,
				fmt.Sprintf("The API redirected back to %q, an address this call already visited: a redirect loop.", loc),
				"Check --url against the API's specification; on --env local, look at the local platform's output.")
		}
	}
	return WithHint(he,
		fmt.Sprintf("The API was still redirecting after %d redirects (the last to %q).", len(exs)-1, loc),
		"Check --url against the API's specification, or call the last address directly with --url.")
}

func originOf(u *url.URL) string {
	if u == nil {
		return "the URL you named"
	}
	return u.Scheme + "://" + u.Host
}
