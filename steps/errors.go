package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// OAuthError is an error body from a token or authorise endpoint: the RFC
// 6749 §5.2 fields plus the NHS platform's message_id. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-5.2.
type OAuthError struct {
	Status      int    // HTTP status
	Code        string `json:"error"`
	Description string `json:"error_description"`
	URI         string `json:"error_uri"`
	MessageID   string `json:"message_id"`

	// Endpoint is the URL that answered and Grant the grant_type sent, when
	// known (ReadTokenReply fills them), so Diagnose can be specific.
	Endpoint string `json:"-"`
	Grant    string `json:"-"`
}

func (e *OAuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", e.Code)
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	return b.String()
}

// ParseOAuthError reads an RFC 6749 §5.2 error body. It returns nil when the
// body is not one.
func ParseOAuthError(status int, body []byte) *OAuthError {
	var e OAuthError
	if json.Unmarshal(body, &e) != nil || e.Code == "" {
		return nil
	}
	e.Status = status
	return &e
}

// HTTPError is a non-2xx reply that is not an OAuth error body.
type HTTPError struct {
	Status      int
	ContentType string
	Snippet     string // the start of the body, for the message
}

func (e *HTTPError) Error() string {
	if e.Snippet == "" {
		return fmt.Sprintf("HTTP %d with an empty body", e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Snippet)
}

// ErrNotJSON means a reply that should be JSON was not (an HTML error page,
// a proxy's login screen, JSON cut short).
var ErrNotJSON = errors.New("the reply is not valid JSON")
