package steps

import (
	"net/url"
	"strings"
)

// Grant types a diagnosis can be specific to (RFC 6749 §4.1.3, §4.4.2, §6;
// RFC 8693 §2.1).
const (
	GrantClientCredentials = "client_credentials"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// diagnosis is one row of the table in diagnose_table.go: an error code and
// exact description (reference §2.6, §3.4, §3.5, §4, §5.7) and its hint.
type diagnosis struct {
	Code string // "" matches any code (descriptions some providers send with varying codes)
	Desc string // exact error_description; "" is the code's fallback
	// Grant limits the row to replies to that grant_type; "" is any. When
	// the grant is unknown every variant applies.
	Grant string
	// Path limits the row to an endpoint under that base path ("/oauth2/",
	// "/oauth2-mock/"); rows with a Path win over rows without one when the
	// endpoint is known.
	Path string
	Hint Hint // Cause and Fix may hold {endpoint} and {mock_endpoint}
}

// Diagnose maps an OAuth error from the NHS platform or a mock realm to
// plain-language hints. Rows follow reference §2.6, §3.4, §3.5 and §5.7.
//
// It matches the code and the exact description first; when no row has the
// description it falls back to a hint for the code alone (RFC 6749 §4.1.2.1
// and §5.2 codes). OAuthError.Endpoint and Grant, when known, select the
// variant that fits (a row 24 refusal means a missing app-level3 product for
// client credentials but insufficient user assurance for a token exchange).
func Diagnose(e *OAuthError) []Hint {
	if e == nil {
		return nil
	}
	code := strings.TrimSpace(e.Code)
	desc := strings.TrimSpace(e.Description)
	var rows []diagnosis
	if desc != "" {
		for _, d := range diagnoses {
			if d.Desc != "" && strings.EqualFold(d.Desc, desc) && (d.Code == "" || strings.EqualFold(d.Code, code)) && grantFits(d.Grant, e.Grant) {
				rows = append(rows, d)
			}
		}
		rows = preferPath(rows, e.Endpoint)
	}
	if len(rows) == 0 {
		for _, d := range diagnoses {
			if d.Desc == "" && strings.EqualFold(d.Code, code) {
				rows = append(rows, d)
			}
		}
	}
	out := make([]Hint, 0, len(rows))
	for _, d := range rows {
		out = append(out, Hint{Cause: fillEndpoint(d.Hint.Cause, e.Endpoint), Fix: fillEndpoint(d.Hint.Fix, e.Endpoint)})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// grantFits reports whether a row for grant applies to a reply to sent.
func grantFits(grant, sent string) bool {
	return grant == "" || sent == "" || grant == sent
}

// preferPath keeps the rows specific to the endpoint's base path when there
// are any, and otherwise the rows for any path.
func preferPath(rows []diagnosis, endpoint string) []diagnosis {
	path := ""
	if u, err := url.Parse(endpoint); err == nil {
		path = u.Path
	}
	var specific, general []diagnosis
	for _, d := range rows {
		switch {
		case d.Path == "":
			general = append(general, d)
		case path != "" && strings.Contains(path, d.Path):
			specific = append(specific, d)
		}
	}
	if len(specific) > 0 {
		return specific
	}
	return general
}

// fillEndpoint replaces {endpoint} with the URL that answered and
// {mock_endpoint} with its /oauth2-mock twin, or with a description when
// the URL is unknown.
func fillEndpoint(s, endpoint string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	ep, mock := "{base}/oauth2/token (or {base}/oauth2-mock/token, whichever you called)", "{base}/oauth2-mock/token"
	if endpoint != "" {
		ep = endpoint
		mock = strings.Replace(endpoint, "/oauth2/", "/oauth2-mock/", 1)
	}
	return strings.NewReplacer("{endpoint}", ep, "{mock_endpoint}", mock).Replace(s)
}
