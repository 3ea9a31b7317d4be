package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Number is a JSON number the NHS platform sends as a string ("599") and
// Keycloak as a number (3600); it reads both.
type Number int64

// UnmarshalJSON accepts 599, "599" and "".
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*n = 0
			return nil
		}
		b = []byte(s)
	}
	if string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil {
			return fmt.Errorf("not a number: %s", b)
		}
		v = int64(f)
	}
	*n = Number(v)
	return nil
}

// Token is a token endpoint's success reply: the platform's (reference §2.5,
// §3.3, §3.5) or Keycloak's (§5.6). Raw keeps every field as sent.
type Token struct {
	AccessToken           string `json:"access_token"`
	TokenType             string `json:"token_type"`
	ExpiresIn             Number `json:"expires_in"`
	IssuedAt              Number `json:"issued_at"`
	IssuedTokenType       string `json:"issued_token_type"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn Number `json:"refresh_token_expires_in"`
	RefreshExpiresIn      Number `json:"refresh_expires_in"` // Keycloak's name
	RefreshCount          Number `json:"refresh_count"`
	IDToken               string `json:"id_token"`
	Scope                 string `json:"scope"`
	SessionState          string `json:"session_state"`

	Raw map[string]any `json:"-"`
}

// Secrets lists the token values a renderer must mask.
func (t Token) Secrets() []string { return []string{t.AccessToken, t.RefreshToken, t.IDToken} }

// Check is one verification a step performed, shown as a pass or fail line
// (for example each ID token check of OpenID Connect Core §3.1.3.7).
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}
