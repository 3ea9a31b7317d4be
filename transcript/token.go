package transcript

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// Token is a JWT made presentable: decoded (steps.DecodeJWT, nothing
// verified; the Checks say what was), each member explained, neutralised.
type Token struct {
	Raw    string // the token itself, for a reveal
	Shown  string // Raw, or its masked form unless the Redactor reveals
	Header []Claim
	Claims []Claim
	Exp    time.Time // zero when there is no exp claim
	Err    string    // why it could not be decoded
	Checks []steps.Check
	// Assertion marks a client assertion (RFC 7523 §3: iss = sub, aud a
	// token URL), whose iss, sub and aud mean something else than an ID
	// token's.
	Assertion bool
}

// Claim is one member of a JWT header or claims set.
type Claim struct {
	Name  string
	Value string // a string without its quotes, anything else as its JSON
	JSON  string // the member's JSON text
	// Time is a NumericDate claim's instant (RFC 7519 §2); zero for any
	// other claim.
	Time    time.Time
	Explain string // what it means, in plain words; "" when unknown
}

// timeClaims are the claims that hold NumericDate values (RFC 7519 §2).
var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}

// PresentToken decodes raw (a compact JWS, RFC 7515 §7.1) for display, with
// the checks a step made of it (already presented, as Step.Checks are); an
// opaque token yields a Token that says so.
func PresentToken(raw string, checks []steps.Check, red *steps.Redactor) Token {
	t := Token{Raw: raw, Shown: steps.Mask(raw), Checks: checks}
	if red != nil && red.Reveal {
		t.Shown = raw
	}
	if raw == "" {
		return t
	}
	if strings.Count(raw, ".") != 2 {
		t.Err = "This is an opaque token, not a JWT: only the service that issued it can read it."
		return t
	}
	d, err := steps.DecodeJWT(raw)
	if err != nil {
		t.Err = "The token does not decode: " + Text(err.Error())
		return t
	}
	vals := map[string]string{}
	for _, m := range d.Claims {
		vals[m.Name] = claimValue(m.Value)
	}
	t.Assertion = vals["iss"] != "" && vals["iss"] == vals["sub"] && strings.HasSuffix(vals["aud"], "/token")
	for _, m := range d.Header {
		t.Header = append(t.Header, newClaim(m, explainHeader(m.Name, t.Assertion)))
	}
	explain := explainClaim
	if t.Assertion {
		explain = explainAssertionClaim
	}
	for _, m := range d.Claims {
		c := newClaim(m, explain(m.Name))
		if m.Name == "exp" {
			t.Exp = c.Time
		}
		t.Claims = append(t.Claims, c)
	}
	return t
}

// Live reports whether the token's countdown is still running at now.
func (t Token) Live(now time.Time) bool { return !t.Exp.IsZero() && t.Exp.After(now) }

func newClaim(m steps.Member, explain string) Claim {
	c := Claim{Name: Line(m.Name), Value: Text(claimValue(m.Value)), JSON: Text(string(m.Value)), Explain: explain}
	if timeClaims[m.Name] {
		c.Time, _ = numericDate(m.Value)
	}
	return c
}

// numericDate reads a NumericDate (RFC 7519 §2): seconds since the epoch.
func numericDate(v json.RawMessage) (time.Time, bool) {
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || f <= 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}

// claimValue shows a string claim without its quotes and anything else as
// the JSON it is.
func claimValue(v json.RawMessage) string {
	var str string
	if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &str) == nil {
		return str
	}
	return string(v)
}
