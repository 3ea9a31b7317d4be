package flows

import (
	"context"
	"errors"
	"fmt"
)

// Status is where a step stands in a run.
type Status int

// Step statuses.
const (
	StatusPending Status = iota
	StatusRunning
	StatusDone
	StatusFailed
	StatusSkipped
	StatusStale // done, but an earlier step ran again since
)

func (s Status) String() string {
	return [...]string{"pending", "running", "done", "failed", "skipped", "stale"}[s]
}

// Result is a step's status and its latest outcome.
type Result struct {
	Status  Status
	Outcome Outcome
	Runs    int
}

// ErrNotReady means a step was started before the steps it depends on.
var ErrNotReady = errors.New("flows: an earlier step has not succeeded yet")

// Runner knows which step is next, which may be re-run, and which went stale
// when an earlier one ran again; it is the only driver of a flow. It is not
// safe for concurrent use: the wizard calls Begin and Finish from its Update
// loop and only the step's Run from a goroutine; headless callers use Drive.
type Runner struct {
	Flow    *Flow
	Journey *Journey
	results []Result
	// preparedAt records, for each step with a preparer that started, how
	// many times its preparer had run then: a preparation is used once.
	preparedAt map[int]int
	// chainTo is the step Begin is leading to by re-running its preparer
	// and the steps between, or -1.
	chainTo int
}

// NewRunner prepares a run of f over j.
func NewRunner(f *Flow, j *Journey) *Runner {
	return &Runner{Flow: f, Journey: j, results: make([]Result, len(f.Steps)), preparedAt: map[int]int{}, chainTo: -1}
}

// Len is the number of steps.
func (r *Runner) Len() int { return len(r.results) }

// Result returns step i's status and outcome.
func (r *Runner) Result(i int) Result { return r.results[i] }

// Next returns the first step not yet done (stale counts as not done), or -1
// when every step is done.
func (r *Runner) Next() int {
	for i, res := range r.results {
		if res.Status != StatusDone && res.Status != StatusSkipped {
			return i
		}
	}
	return -1
}

// Finished reports whether every step is done.
func (r *Runner) Finished() bool { return r.Next() == -1 }

// CanRun reports whether step i may run now: every earlier step is done.
func (r *Runner) CanRun(i int) bool {
	if i < 0 || i >= len(r.results) {
		return false
	}
	for _, res := range r.results[:i] {
		if res.Status != StatusDone && res.Status != StatusSkipped {
			return false
		}
	}
	return r.results[i].Status != StatusRunning
}

// Start marks step i running. Re-running a step makes every later step that
// had finished stale.
func (r *Runner) Start(i int) error {
	if !r.CanRun(i) {
		return fmt.Errorf("%w: step %d (%s)", ErrNotReady, i+1, r.Flow.Steps[i].Title)
	}
	r.results[i].Status = StatusRunning
	r.Invalidate(i + 1)
	if p := r.preparer(i); p >= 0 {
		r.preparedAt[i] = r.results[p].Runs
	}
	return nil
}

// Invalidate marks step i and every later step that had run as stale.
func (r *Runner) Invalidate(i int) {
	for k := i; k < len(r.results); k++ {
		if s := r.results[k].Status; s == StatusDone || s == StatusFailed {
			r.results[k].Status = StatusStale
		}
	}
}

// Finish records step i's outcome. A failure, or the end of the step Begin
// was leading to, ends the chain Begin started.
func (r *Runner) Finish(i int, o Outcome) {
	if r.chainTo >= 0 && (o.Failed() || i >= r.chainTo) {
		r.chainTo = -1
	}
	res := &r.results[i]
	res.Outcome, res.Runs = o, res.Runs+1
	if o.Failed() {
		res.Status = StatusFailed
	} else {
		res.Status = StatusDone
	}
}

// RunStep runs exactly step i synchronously: Start, Run, Finish. Unlike
// Begin it never re-runs a spent preparation first, so a test sees what the
// step itself does on one.
func (r *Runner) RunStep(ctx context.Context, i int) (Outcome, error) {
	if err := r.Start(i); err != nil {
		return Outcome{}, err
	}
	o := r.exec(ctx, i, nil)
	r.Finish(i, o)
	return o, nil
}

// RunAll runs every remaining step in order until one fails or the flow
// ends, calling each after every step. It returns the failing step's error.
func (r *Runner) RunAll(ctx context.Context, each func(i int, o Outcome)) error {
	var h Hooks
	if each != nil {
		h.Around = func(ctx context.Context, i int) (context.Context, func(*Outcome)) {
			return ctx, func(o *Outcome) { each(i, *o) }
		}
	}
	return r.Drive(ctx, h)
}
