package transcript

import (
	"context"
	"errors"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// Step is what a step's outcome shows besides its exchanges, masked and
// neutralised: the one-line summary, further details, the pass/fail checks
// and, on failure, the failure worded as the CLI and the wizard both show
// it.
type Step struct {
	Summary string
	Details []string
	Checks  []steps.Check
	Failed  bool
	// Cancelled marks a failure that is only the user's interruption: it
	// needs no diagnosis.
	Cancelled bool
	Failure   Failure
}

// PresentStep makes a step's outcome presentable, masked with red; timeout
// is the per-request limit a "no reply" failure names (0 when unknown).
// The exchanges are presented on their own (PresentAll), since a large body
// is better formatted off a user interface's update loop.
func PresentStep(o flows.Outcome, red *steps.Redactor, timeout time.Duration) Step {
	st := Step{
		Summary: red.String(Text(o.Summary)),
		Details: make([]string, 0, len(o.Details)),
		Checks:  make([]steps.Check, 0, len(o.Checks)),
		Failed:  o.Failed(),
	}
	for _, d := range o.Details {
		st.Details = append(st.Details, red.String(Text(d)))
	}
	for _, c := range o.Checks {
		c.Name, c.Detail = red.String(Text(c.Name)), red.String(Text(c.Detail))
		st.Checks = append(st.Checks, c)
	}
	if o.Failed() {
		st.Cancelled = errors.Is(o.Err, context.Canceled)
		st.Failure = Fail(o.Err, red, timeout)
		if len(o.Hints) > 0 {
			// The step's own diagnoses (a clock-skew hint read from the
			// reply's Date header) beside those the error carries.
			st.Failure.Hints = maskHints(o.Hints, red)
		}
	}
	return st
}
