package tui

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// tokenDoc is a JWT decoded for the Token tab: header and claims in the order
// they were sent. Decoding verifies nothing; the step's Checks say what was
// verified.
type tokenDoc struct {
	raw    string
	header []claim
	claims []claim
	exp    time.Time // zero when there is no exp claim
	err    string    // why it could not be decoded
	checks []steps.Check
	// assertion marks a client assertion (RFC 7523: iss = sub, aud a token
	// URL), whose iss, sub and aud mean something else than an ID token's.
	assertion bool
}

// claim is one member of a JWT header or claims set.
type claim struct {
	name  string
	value json.RawMessage
}

// timeClaims are the claims that hold NumericDate values (RFC 7519 §2).
var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}

// decodeToken splits a compact JWS (RFC 7515 §7.1) and decodes its header and
// claims; an opaque token yields a tokenDoc that says so.
func decodeToken(raw string, checks []steps.Check) tokenDoc {
	d := tokenDoc{raw: raw, checks: checks}
	if raw == "" {
		return d
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		d.err = "This is an opaque token, not a JWT: only the service that issued it can read it."
		return d
	}
	var err error
	if d.header, err = decodeSegment(parts[0]); err != nil {
		d.err = "The header does not decode: " + err.Error()
		return d
	}
	if d.claims, err = decodeSegment(parts[1]); err != nil {
		d.err = "The claims do not decode: " + err.Error()
		return d
	}
	vals := map[string]string{}
	for _, c := range d.claims {
		vals[c.name] = claimValue(c.value)
		if c.name == "exp" {
			if t, ok := numericDate(c.value); ok {
				d.exp = t
			}
		}
	}
	d.assertion = vals["iss"] != "" && vals["iss"] == vals["sub"] && strings.HasSuffix(vals["aud"], "/token")
	return d
}

// decodeSegment reads one base64url JSON object, keeping member order.
func decodeSegment(seg string) ([]claim, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out []claim
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, claim{name: name, value: v})
	}
	return out, nil
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

// live reports whether the token's countdown is still running at now.
func (d tokenDoc) live(now time.Time) bool { return !d.exp.IsZero() && d.exp.After(now) }

// view renders the Token tab at width w. Only the expiry line changes with
// now, so a tick re-renders a few hundred bytes.
func (d tokenDoc) view(s *Styles, w int, now time.Time, reveal bool) string {
	if d.raw == "" && len(d.checks) == 0 {
		return s.Dim.Render("This step produced no token to decode.")
	}
	var b strings.Builder
	if d.raw != "" {
		tok := steps.Mask(d.raw) + s.Dim.Render(fmt.Sprintf("  (%d characters; s shows it)", len(d.raw)))
		if reveal {
			tok = d.raw
		}
		b.WriteString(s.Section.Render("Token") + "\n" + wrap(tok, w) + "\n")
	}
	if len(d.checks) > 0 {
		b.WriteString("\n" + s.Section.Render("Verification") + "\n")
		for _, c := range d.checks {
			mark := s.OK.Render("✓")
			if !c.OK {
				mark = s.Fail.Render("✗")
			}
			line := c.Name
			if c.Detail != "" {
				line += s.Dim.Render(" · " + c.Detail)
			}
			b.WriteString(mark + " " + indentAfterFirst(wrap(line, w-2), 2) + "\n")
		}
	}
	if d.err != "" {
		b.WriteString("\n" + wrap(d.err, w) + "\n")
	}
	if len(d.header) > 0 {
		b.WriteString("\n" + s.Section.Render("Header") + "\n")
		b.WriteString(claimLines(s, d.header, w, now, func(name string) string { return explainHeader(name, d.assertion) }))
	}
	if len(d.claims) > 0 {
		b.WriteString("\n" + s.Section.Render("Claims") + "\n")
		explain := explainClaim
		if d.assertion {
			explain = explainAssertionClaim
		}
		b.WriteString(claimLines(s, d.claims, w, now, explain))
	}
	return strings.TrimRight(b.String(), "\n")
}

func claimLines(s *Styles, cs []claim, w int, now time.Time, explain func(string) string) string {
	nw := 0
	for _, c := range cs {
		nw = max(nw, len(c.name))
	}
	// Names longer than the column (authentication_assurance_level) get
	// their value on the next line rather than a column that crushes every
	// value.
	const maxName = 14
	nw = min(nw, maxName) + 2
	var b strings.Builder
	for _, c := range cs {
		val := claimValue(c.value)
		if timeClaims[c.name] {
			if t, ok := numericDate(c.value); ok {
				val = t.Format("2006-01-02 15:04:05 UTC") + s.Dim.Render(" ("+string(c.value)+")")
				if c.name == "exp" {
					if t.After(now) {
						val += " " + s.OK.Render("expires in "+countdown(t.Sub(now)))
					} else {
						val += " " + s.Fail.Render("expired")
					}
				}
			}
		}
		if e := explain(c.name); e != "" {
			val += s.Dim.Render(" · " + capitalise(e))
		}
		name := s.HeaderName.Render(fit(c.name, nw))
		if len(c.name) > maxName {
			name = s.HeaderName.Render(c.name) + "\n" + strings.Repeat(" ", nw+2)
		}
		b.WriteString("  " + name + indentAfterFirst(wrap(val, max(10, w-nw-2)), nw+2) + "\n")
	}
	return b.String()
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

// indentAfterFirst indents every line of s but the first by n spaces.
func indentAfterFirst(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// explainHeader explains a JOSE header parameter (RFC 7515 §4.1) of a
// client assertion (signed by your app) or of a token an issuer signed.
func explainHeader(name string, assertion bool) string {
	switch {
	case name == "alg" && assertion:
		return "Signing algorithm (the NHS platform takes client assertions signed with RS512 only)."
	case name == "alg":
		return "Signing algorithm the issuer used; a verifier accepts only the algorithms it expects."
	case name == "kid" && assertion:
		return "Key ID: which key in your app's published JWKS verifies the signature."
	case name == "kid":
		return "Key ID: which key in the issuer's published JWKS verifies the signature."
	case name == "typ":
		return "Media type of the token: JWT."
	}
	return ""
}

// explainClaim explains an ID token's claim in plain words: steps'
// explanations first (OpenID Connect Core §2, reference §5.6, §6.3, §7), then
// nhsauth's own for the rest.
func explainClaim(name string) string {
	if e := steps.ExplainClaim(name); e != "" {
		return e
	}
	return claimHelp[name]
}

// explainAssertionClaim explains a client assertion's claims (RFC 7523 §3,
// reference §2.3).
func explainAssertionClaim(name string) string {
	if e := assertionHelp[name]; e != "" {
		return e
	}
	return explainClaim(name)
}

var assertionHelp = map[string]string{
	"iss": "Issuer: your app's API key; the platform looks the app up by it.",
	"sub": "Subject: your app's API key again (it must equal iss).",
	"aud": "Audience: the exact token URL this assertion is sent to.",
	"exp": "Expiry: at most 5 minutes after now; the platform refuses a later one.",
	"jti": "JWT ID: unique per assertion; the platform refuses one it has seen before.",
	"iat": "Issued at: when the assertion was signed.",
}

var claimHelp = map[string]string{
	"nbf":           "Not before: the token must be refused before this time.",
	"s_hash":        "Hash of the state value.",
	"name":          "The user's full name.",
	"given_name":    "The user's given name.",
	"family_name":   "The user's family name.",
	"email":         "The user's email address.",
	"scope":         "Scopes granted.",
	"client_id":     "The client the token was issued to.",
	"session_state": "Identity provider session state.",
}
