package tui

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// The summary left in the scrollback: on quitting the full-screen wizard it
// is printed to the normal screen after the alternate screen is gone, and
// the plain mode ends with it. Plain text, no colour, secrets masked even
// when the wizard showed them.

// QuitSummary is the plain summary of the journey for the normal screen
// after the wizard ends: flow, environment, each step's outcome line, the
// API's status, the token's expiry and where an export was written. It is
// "" before a journey was built. Call it after the program ended and
// before Close.
func (m *Model) QuitSummary() string {
	if m.runner == nil {
		return ""
	}
	if m.running >= 0 {
		// The step's goroutine may still hold the journey: only the
		// Runner's own record is safe to read.
		return plainSummary(m.runner, m.exportPath, nil, true)
	}
	return plainSummary(m.runner, m.exportPath, m.common.now, false)
}

// plainSummary renders the summary of r; statusOnly leaves out what only
// the journey knows (the step that owns it still runs).
func plainSummary(r *flows.Runner, exportPath string, now func() time.Time, statusOnly bool) string {
	if now == nil {
		now = time.Now
	}
	j := r.Journey
	var red *steps.Redactor
	var b strings.Builder
	fmt.Fprintf(&b, "nhsauth: %s (%s)\n", r.Flow.Title, r.Flow.ID)
	if statusOnly {
		// Steps never change the environment: its name is safe to read.
		fmt.Fprintf(&b, "  Environment: %s\n", j.Env.Name)
	} else {
		red = summaryRedactor(j)
		fmt.Fprintf(&b, "  Environment: %s (%s)\n", j.Env.Name, red.String(j.Env.APIBase))
	}
	done := 0
	for i, st := range r.Flow.Steps {
		res := r.Result(i)
		line := fmt.Sprintf("  %s %d %s", glyphs[res.Status], i+1, st.Title)
		if res.Status == flows.StatusDone {
			done++
		}
		if one := outcomeLine(res, red); one != "" {
			line += ": " + one
		} else if res.Status != flows.StatusDone {
			line += " (" + res.Status.String() + ")"
		}
		b.WriteString(line + "\n")
	}
	fmt.Fprintf(&b, "  %d of %d steps done.\n", done, r.Len())
	if statusOnly {
		return b.String()
	}
	if j.API.Status != 0 {
		fmt.Fprintf(&b, "  API: HTTP %d %s\n", j.API.Status, http.StatusText(j.API.Status))
	}
	if exp := tokenExpiry(j.Token); !exp.IsZero() {
		state := "expires in " + countdown(exp.Sub(now()))
		if !exp.After(now()) {
			state = "expired"
		}
		fmt.Fprintf(&b, "  Token: expires at %s (%s)\n", exp.UTC().Format("2006-01-02 15:04:05 UTC"), state)
	} else if t := j.Token; t.AccessToken != "" && t.ExpiresIn > 0 {
		fmt.Fprintf(&b, "  Token: expires %d s after it was issued (expires_in)\n", t.ExpiresIn)
	}
	if exportPath != "" {
		fmt.Fprintf(&b, "  Export: %s\n", transcript.Line(exportPath))
	}
	return b.String()
}

// summaryRedactor masks every secret of the journey, whether or not the
// wizard was showing them.
func summaryRedactor(j *flows.Journey) *steps.Redactor {
	red := j.Redact.Clone()
	red.Reveal = false
	l := &j.Login
	red.Add(j.Assertion, j.APISecret, l.Creds.ClientSecret, l.Code, l.PKCE.Verifier)
	for _, t := range []steps.Token{j.Token, l.Tokens, l.Exchanged, l.Refreshed} {
		red.Add(t.Secrets()...)
	}
	return red
}

// outcomeLine is a step's one-line result, masked, or "" when it has none
// (or red is nil: the journey cannot be read).
func outcomeLine(res flows.Result, red *steps.Redactor) string {
	if red == nil || (res.Status != flows.StatusDone && res.Status != flows.StatusFailed && res.Status != flows.StatusStale) {
		return ""
	}
	p := transcript.PresentStep(res.Outcome, red, 0)
	if p.Summary != "" {
		return p.Summary
	}
	if p.Failed {
		first, _, _ := strings.Cut(p.Failure.Text, "\n")
		return first
	}
	return ""
}

// tokenExpiry is when the platform's access token expires: issued_at (in
// milliseconds, as the platform sends it, reference §2.5) plus expires_in;
// zero when the reply did not say.
func tokenExpiry(t steps.Token) time.Time {
	if t.AccessToken == "" || t.IssuedAt <= 0 || t.ExpiresIn <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(t.IssuedAt)).Add(time.Duration(t.ExpiresIn) * time.Second)
}
