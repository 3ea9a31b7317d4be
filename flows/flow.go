package flows

import (
	"context"

	"github.com/nhsauth/nhsauth/steps"
)

// Wait says what a step needs besides the journey to finish.
type Wait int

// What a step waits for.
const (
	WaitNone    Wait = iota
	WaitBrowser      // the browser redirect, or a pasted URL
	WaitUser         // an input only the user can give
)

func (w Wait) String() string {
	switch w {
	case WaitBrowser:
		return "browser"
	case WaitUser:
		return "user"
	}
	return "none"
}

// Input is one editable value a step reads from the journey.
type Input struct {
	Key    string // flag-like name: "api-key"
	Label  string
	Help   string
	Secret bool // masked on screen as typed
	Get    func(*Journey) string
	Set    func(*Journey, string) error
}

// Step is one explained step of a flow: what it does, why, and which
// document defines it.
type Step struct {
	ID     string
	Title  string
	What   string // what the step does, one or two sentences
	Why    string // why it matters
	Doc    string // the document that defines it, with a URL
	Wait   Wait
	Inputs []Input
	// PreparedBy is the ID of an earlier step whose work this step uses
	// up: the sign-in step spends the login the authorise step made, since
	// OAuth's state is single-use (RFC 6749 §10.12) and the loopback
	// listener takes one redirect (RFC 8252 §7.3). The Runner re-runs that
	// step first when this one runs again on a spent preparation.
	PreparedBy string
	Run        func(ctx context.Context, j *Journey) Outcome
}

// Outcome is what running a step produced.
type Outcome struct {
	Summary   string           // one line: "Access token issued (expires in 599 s)"
	Details   []string         // further facts learned
	Checks    []steps.Check    // pass/fail lines
	Exchanges []steps.Exchange // every round trip, even on failure
	JWT       string           // a token the Token tab decodes
	Err       error
	Hints     []steps.Hint
}

// Failed reports whether the step failed.
func (o Outcome) Failed() bool { return o.Err != nil }

// Fail builds a failed outcome, gathering the error's hints.
func Fail(err error, exchanges ...steps.Exchange) Outcome {
	return Outcome{Err: err, Hints: steps.HintsOf(err), Exchanges: exchanges}
}

// Flow is an ordered list of steps with the security pattern it teaches.
type Flow struct {
	ID         string // "app-restricted"
	Title      string // "Application-restricted (signed JWT)"
	Pattern    string // one line on what the pattern is for
	Doc        string
	DefaultURL string // the API the last step calls when no --url is given
	Steps      []Step
}

// Index returns the position of the step with this ID, or -1.
func (f *Flow) Index(id string) int {
	for i, st := range f.Steps {
		if st.ID == id {
			return i
		}
	}
	return -1
}

// All returns every flow, in the order the pickers show them.
func All() []*Flow {
	return []*Flow{AppRestricted(), CIS2Separate(), NHSLoginSeparate(), CIS2Combined(), NHSLoginCombined(), CIS2Direct()}
}

// ByID finds a flow.
func ByID(id string) (*Flow, bool) {
	for _, f := range All() {
		if f.ID == id {
			return f, true
		}
	}
	return nil, false
}
