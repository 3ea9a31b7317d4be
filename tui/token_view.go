package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/transcript"
)

// tokenDoc is a JWT decoded for the Token tab (transcript.PresentToken):
// header and claims in the order they were sent, explained. Decoding
// verifies nothing; the step's Checks say what was verified.
type tokenDoc struct{ transcript.Token }

// live reports whether the token's countdown is still running at now.
func (d tokenDoc) live(now time.Time) bool { return d.Live(now) }

// view renders the Token tab at width w. Only the expiry line changes with
// now, so a tick re-renders a few hundred bytes.
func (d tokenDoc) view(s *Styles, w int, now time.Time, reveal bool) string {
	if d.Raw == "" && len(d.Checks) == 0 {
		return s.Dim.Render("This step produced no token to decode.")
	}
	var b strings.Builder
	if d.Raw != "" {
		tok := d.Shown
		if !reveal {
			tok += s.Dim.Render(fmt.Sprintf("  (%d characters; s shows it)", len(d.Raw)))
		}
		b.WriteString(s.Section.Render("Token") + "\n" + wrap(tok, w) + "\n")
	}
	if len(d.Checks) > 0 {
		b.WriteString("\n" + s.Section.Render("Verification") + "\n")
		for _, c := range d.Checks {
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
	if d.Err != "" {
		b.WriteString("\n" + wrap(d.Err, w) + "\n")
	}
	if len(d.Header) > 0 {
		b.WriteString("\n" + s.Section.Render("Header") + "\n")
		b.WriteString(claimLines(s, d.Header, w, now))
	}
	if len(d.Claims) > 0 {
		b.WriteString("\n" + s.Section.Render("Claims") + "\n")
		b.WriteString(claimLines(s, d.Claims, w, now))
	}
	return strings.TrimRight(b.String(), "\n")
}

func claimLines(s *Styles, cs []transcript.Claim, w int, now time.Time) string {
	nw := 0
	for _, c := range cs {
		nw = max(nw, len(c.Name))
	}
	// Names longer than the column (authentication_assurance_level) get
	// their value on the next line rather than a column that crushes every
	// value.
	const maxName = 14
	nw = min(nw, maxName) + 2
	var b strings.Builder
	for _, c := range cs {
		val := c.Value
		if t := c.Time; !t.IsZero() {
			val = t.Format("2006-01-02 15:04:05 UTC") + s.Dim.Render(" ("+c.JSON+")")
			if c.Name == "exp" {
				if t.After(now) {
					val += " " + s.OK.Render("expires in "+countdown(t.Sub(now)))
				} else {
					val += " " + s.Fail.Render("expired")
				}
			}
		}
		if e := c.Explain; e != "" {
			val += s.Dim.Render(" · " + transcript.Capitalise(e))
		}
		name := s.HeaderName.Render(fit(c.Name, nw))
		if len(c.Name) > maxName {
			name = s.HeaderName.Render(c.Name) + "\n" + strings.Repeat(" ", nw+2)
		}
		b.WriteString("  " + name + indentAfterFirst(wrap(val, max(10, w-nw-2)), nw+2) + "\n")
	}
	return b.String()
}

// indentAfterFirst indents every line of s but the first by n spaces.
func indentAfterFirst(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}
