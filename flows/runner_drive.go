package flows

import (
	"context"
	"errors"
	"fmt"
)

// The Runner's rules beyond order and staleness: a step whose preparation
// was used up runs its preparer again first, steps a caller does not need
// are skipped, and a headless caller runs the steps it needs with Drive.

// ErrNoStep means a step ID named to the Runner is not in its flow.
var ErrNoStep = errors.New("flows: no such step")

// preparer is the index of the step that prepares step i, or -1.
func (r *Runner) preparer(i int) int {
	id := r.Flow.Steps[i].PreparedBy
	if id == "" {
		return -1
	}
	return r.Flow.Index(id)
}

// Spent reports whether step i's preparation is used up: i started since
// its preparer last ran. (The sign-in step spends its login: OAuth's state
// is single-use, RFC 6749 §10.12, and the loopback listener takes one
// redirect, RFC 8252 §7.3.)
func (r *Runner) Spent(i int) bool {
	p := r.preparer(i)
	if p < 0 {
		return false
	}
	used, ok := r.preparedAt[i]
	return ok && used == r.results[p].Runs
}

// Begin starts step i and returns the step it started, which the caller
// runs and hands to Finish. When step i's preparation is spent it starts
// the preparer instead and returns its index: the caller tells the user so,
// and Chained then leads on to step i.
func (r *Runner) Begin(i int) (int, error) {
	if i < 0 || i >= len(r.results) {
		return i, fmt.Errorf("%w: step %d of %d", ErrNotReady, i+1, len(r.results))
	}
	if r.chainTo >= 0 && i > r.chainTo {
		r.chainTo = -1
	}
	if r.chainTo < 0 && r.Spent(i) {
		p := r.preparer(i)
		if err := r.Start(p); err != nil {
			return p, err
		}
		r.chainTo = i
		return p, nil
	}
	return i, r.Start(i)
}

// Chained returns the step to run next on the way to the one Begin was
// asked for, after it started that step's preparer; -1 when there is none.
func (r *Runner) Chained() int {
	if r.chainTo < 0 {
		return -1
	}
	if n := r.Next(); n >= 0 && n <= r.chainTo {
		return n
	}
	return -1
}

// Skip marks the step with this ID as not needed in this run (get-token
// shows no JWKS): Next passes over it and later steps may run without it.
func (r *Runner) Skip(id string) error {
	i := r.Flow.Index(id)
	if i < 0 {
		return fmt.Errorf("%w: %q in flow %s", ErrNoStep, id, r.Flow.ID)
	}
	r.results[i].Status = StatusSkipped
	return nil
}

// Hooks are how a headless caller takes part in Drive.
type Hooks struct {
	// Through is the ID of the last step to run; "" runs to the flow's end.
	Through string
	// Around, when set, is called as step i starts. It returns the context
	// the step runs with and a function called with the step's outcome
	// before the Runner records it, which may amend it (explain why a
	// cancelled step stopped, or fail a step on a check of the caller's).
	Around func(ctx context.Context, i int) (context.Context, func(*Outcome))
}

// Drive runs the remaining steps in order, as Begin decides, until one
// fails, the step named by h.Through is done, or ctx ends. It returns the
// failing step's error, or ctx's error when ctx ended after a step
// succeeded.
func (r *Runner) Drive(ctx context.Context, h Hooks) error {
	last := len(r.results) - 1
	if h.Through != "" {
		if last = r.Flow.Index(h.Through); last < 0 {
			return fmt.Errorf("%w: %q in flow %s", ErrNoStep, h.Through, r.Flow.ID)
		}
	}
	for i := r.Next(); i != -1 && i <= last; i = r.Next() {
		started, err := r.Begin(i)
		if err != nil {
			return err
		}
		o := r.exec(ctx, started, h.Around)
		r.Finish(started, o)
		if o.Failed() {
			return o.Err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// exec runs step i inside around, if any.
func (r *Runner) exec(ctx context.Context, i int, around func(context.Context, int) (context.Context, func(*Outcome))) Outcome {
	done := func(*Outcome) {}
	if around != nil {
		ctx, done = around(ctx, i)
	}
	o := r.Flow.Steps[i].Run(ctx, r.Journey)
	done(&o)
	return o
}
