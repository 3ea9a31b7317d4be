package mock

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// repeatedParam returns the first parameter, in name order, that form holds
// more than once. RFC 6749 §3.2 (and §3.1 for the authorization endpoint):
// "Request and response parameters MUST NOT be included more than once."
func repeatedParam(form url.Values) (string, bool) {
	var names []string
	for name, vs := range form {
		if len(vs) > 1 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", false
	}
	return slices.Min(names), true
}

// maxEchoedName caps a parameter name echoed in an error description.
const maxEchoedName = 64

// repeatedParamError is the platform's answer to a token form with a
// repeated parameter (RFC 6749 §3.2). Not in the reference: the wording is
// our choice, in the style of the platform's "grant_type is missing".
func repeatedParamError(name string) *platformError {
	if len(name) > maxEchoedName {
		name = strings.ToValidUTF8(name[:maxEchoedName], "") + "…"
	}
	return perr(http.StatusBadRequest, "invalid_request", name+" is included more than once")
}

// kcDuplicatedParam is Keycloak's token-endpoint answer to a repeated form
// parameter (its TokenEndpoint's duplicate check; [obs], unconfirmed for
// NHS's mock realms).
const kcDuplicatedParam = "duplicated parameter"

// httpURL parses an absolute http or https URL with a host. Other schemes
// (javascript:, data:, file:, custom ones) are refused: a realm redirects a
// browser there.
func httpURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

// isLoopbackName reports whether host (without a port) names this machine's
// loopback interface: localhost, or a loopback IP such as 127.0.0.1 or ::1.
func isLoopbackName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}
