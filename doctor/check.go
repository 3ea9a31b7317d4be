package doctor

import (
	"context"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// Mark is a check's outcome.
type Mark string

// The three outcomes a check line can have: ✓, ✗ and – (information, or a
// check that could not run because an earlier one failed).
const (
	Pass Mark = "pass"
	Fail Mark = "fail"
	Info Mark = "info"
)

// Symbol is the mark as the terminal shows it: ✓, ✗ or –.
func (m Mark) Symbol() string {
	switch m {
	case Pass:
		return "✓"
	case Fail:
		return "✗"
	}
	return "–"
}

// Check is one line of the doctor's report; Cause and Fix are set for a
// failure (and may be for a note).
type Check struct {
	Name   string `json:"name"`
	Status Mark   `json:"status"`
	Detail string `json:"detail"`
	Cause  string `json:"cause"`
	Fix    string `json:"fix"`
}

// Setup is the app's setup as the command line gave it: the journey (the
// environment resolved, the HTTP client, API key and secret, key path and
// kid) and what only the doctor reads.
type Setup struct {
	Journey *flows.Journey
	// JWKSURL is the app's published JWKS (its jwks-resource-url,
	// reference §2.4); "" skips that check.
	JWKSURL string
	// UserRestricted asks for the user-restricted checks: mock-jwks answers
	// with the realm clients (reference §5.5).
	UserRestricted bool
	// Realm is the mock realm whose client mock-jwks must hand out.
	Realm flows.RealmKind
	// Combined asks whether Callback is the app's registered callback
	// (reference §4.1 rows 3–4).
	Combined bool
	Callback string
	// Getenv reads the proxy and CA variables (os.Getenv outside tests).
	Getenv  func(string) string
	Timeout time.Duration
}

// Failed reports whether any check failed.
func Failed(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Run makes every check in order and returns one line each: the clock, the
// key file, the JWKS beside it, on local the platform's keys folder, the
// published JWKS, a real
// client-credentials request, the user-restricted setup, and the proxy and
// CA settings. Every check that can run does, even after one fails. Text
// that came from a server is neutralised here, once.
func Run(ctx context.Context, s Setup) []Check {
	var out []Check
	out = append(out, clockCheck(ctx, s))
	key, keyChecks := keyChecks(s)
	out = append(out, keyChecks...)
	if key != nil {
		out = append(out, jwksFileCheck(s, key))
	}
	if key != nil && s.Journey.Env.Local {
		out = append(out, localKeysCheck(ctx, s))
	}
	if s.JWKSURL != "" {
		out = append(out, publishedJWKSCheck(ctx, s, key))
	}
	out = append(out, tokenCheck(ctx, s, key))
	if s.UserRestricted {
		out = append(out, credentialsCheck(ctx, s))
	}
	if s.Combined {
		out = append(out, callbackCheck(ctx, s))
	}
	out = append(out, networkInfo(s.Getenv)...)
	for i, c := range out {
		out[i] = Check{Name: transcript.Line(c.Name), Status: c.Status, Detail: transcript.Text(c.Detail),
			Cause: transcript.Text(c.Cause), Fix: transcript.Text(c.Fix)}
	}
	return out
}

// failed is a failed check worded from err: its first hint's cause and
// fix (steps.HintsOf, transcript.Wording), or the defaults when it has
// none.
func failed(name string, err error, timeout time.Duration, cause, fix string) Check {
	msg, hints := transcript.Wording(err, timeout)
	c := Check{Name: name, Status: Fail, Detail: msg, Cause: cause, Fix: fix}
	if len(hints) > 0 {
		c.Cause, c.Fix = hints[0].Cause, hints[0].Fix
	}
	return c
}

// lastReply is the last exchange that got a reply, if any.
func lastReply(exs []steps.Exchange) (steps.Exchange, bool) {
	for i := len(exs) - 1; i >= 0; i-- {
		if exs[i].Completed() {
			return exs[i], true
		}
	}
	return steps.Exchange{}, false
}

// statusOf reads the status of a reply to a request the check sends.
func statusOf(exs []steps.Exchange) int {
	if ex, ok := lastReply(exs); ok {
		return ex.Status
	}
	return 0
}
