package flows_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
)

// stepLog records which steps ran, in order.
type stepLog []string

// testFlow builds a flow of steps named by ids; "id<prep" makes a step
// prepared by step prep; fail lists steps that fail.
func testFlow(log *stepLog, fail map[string]bool, ids ...string) *flows.Flow {
	f := &flows.Flow{ID: "test"}
	for _, spec := range ids {
		id, prep, _ := strings.Cut(spec, "<")
		f.Steps = append(f.Steps, flows.Step{ID: id, Title: id, PreparedBy: prep,
			Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
				*log = append(*log, id)
				if fail[id] {
					return flows.Fail(errors.New(id + " failed"))
				}
				return flows.Outcome{Summary: id + " done"}
			}})
	}
	return f
}

// step runs what Begin(i) starts, then follows Chained as the wizard does,
// returning the index Begin started first.
func step(t *testing.T, r *flows.Runner, i int) (int, error) {
	t.Helper()
	first, err := r.Begin(i)
	for s := first; err == nil && s >= 0; {
		o := r.Flow.Steps[s].Run(context.Background(), r.Journey)
		r.Finish(s, o)
		if s, err = r.Chained(), nil; s >= 0 {
			s, err = r.Begin(s)
		}
	}
	return first, err
}

func TestRunnerBegin(t *testing.T) {
	for _, tt := range []struct {
		name        string
		steps       []string
		fail        map[string]bool // steps failing from the start
		before      []int           // steps run (through Begin) first
		then        func(r *flows.Runner, fail map[string]bool)
		begin       int
		wantStarted int
		wantErr     error
		wantLog     string // every step run, before included
		wantSpent   bool   // step begin is spent afterwards
	}{
		{name: "a first sign-in runs itself", steps: []string{"auth", "sign<auth"}, before: []int{0},
			begin: 1, wantStarted: 1, wantLog: "auth,sign", wantSpent: true},
		{name: "a spent sign-in runs its preparer first", steps: []string{"auth", "sign<auth", "use"}, before: []int{0, 1, 2},
			begin: 1, wantStarted: 0, wantLog: "auth,sign,use,auth,sign", wantSpent: true},
		{name: "a preparer re-run by hand makes a fresh preparation", steps: []string{"auth", "sign<auth"}, before: []int{0, 1, 0},
			begin: 1, wantStarted: 1, wantLog: "auth,sign,auth,sign", wantSpent: true},
		{name: "a failed sign-in is spent too", steps: []string{"auth", "sign<auth"}, fail: map[string]bool{"sign": true}, before: []int{0, 1},
			begin: 1, wantStarted: 0, wantLog: "auth,sign,auth,sign", wantSpent: true},
		{name: "the chain runs the steps between preparer and target", steps: []string{"auth", "mid", "sign<auth"}, before: []int{0, 1, 2},
			begin: 2, wantStarted: 0, wantLog: "auth,mid,sign,auth,mid,sign", wantSpent: true},
		{name: "a failing preparer ends the chain", steps: []string{"auth", "sign<auth"}, before: []int{0, 1},
			then:  func(_ *flows.Runner, fail map[string]bool) { fail["auth"] = true },
			begin: 1, wantStarted: 0, wantLog: "auth,sign,auth"},
		{name: "steps without a preparer are never spent", steps: []string{"a", "b"}, before: []int{0, 1},
			begin: 1, wantStarted: 1, wantLog: "a,b,b"},
		{name: "a step before its steps is not ready", steps: []string{"a", "b"},
			begin: 1, wantStarted: 1, wantErr: flows.ErrNotReady},
		{name: "a spent step whose preparer cannot run names the preparer", steps: []string{"a", "auth", "sign<auth"}, before: []int{0, 1, 2},
			then:  func(r *flows.Runner, _ map[string]bool) { r.Invalidate(0) }, // "a" is stale: "auth" cannot run
			begin: 2, wantStarted: 1, wantErr: flows.ErrNotReady, wantLog: "a,auth,sign", wantSpent: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var log stepLog
			fail := map[string]bool{}
			r := flows.NewRunner(testFlow(&log, fail, tt.steps...), &flows.Journey{})
			for k, v := range tt.fail {
				fail[k] = v
			}
			for _, i := range tt.before {
				if _, err := step(t, r, i); err != nil {
					t.Fatalf("before: step %d: %v", i, err)
				}
			}
			if tt.then != nil {
				tt.then(r, fail)
			}
			started, err := step(t, r, tt.begin)
			if started != tt.wantStarted || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Begin(%d) started %d, err %v; want %d, %v", tt.begin, started, err, tt.wantStarted, tt.wantErr)
			}
			if got := strings.Join(log, ","); got != tt.wantLog {
				t.Errorf("ran %s, want %s", got, tt.wantLog)
			}
			if got := r.Spent(tt.begin); got != tt.wantSpent {
				t.Errorf("Spent(%d) = %v, want %v", tt.begin, got, tt.wantSpent)
			}
			if c := r.Chained(); c != -1 {
				t.Errorf("Chained() = %d after the walk, want -1", c)
			}
		})
	}
}

func TestRunnerDrive(t *testing.T) {
	errKID := errors.New("the kid is not in the JWKS")
	for _, tt := range []struct {
		name       string
		steps      []string
		fail       map[string]bool
		skip       []string
		through    string
		amend      map[string]error // Around fails these steps after they ran
		cancelWhen string           // ctx ends once this step ran
		wantErr    error
		wantLog    string
		wantStatus string // each step's status after the run
	}{
		{name: "every step in order", steps: []string{"a", "b", "c"},
			wantLog: "a,b,c", wantStatus: "done,done,done"},
		{name: "through a step", steps: []string{"a", "b", "c"}, through: "b",
			wantLog: "a,b", wantStatus: "done,done,pending"},
		{name: "skipped steps do not run", steps: []string{"key", "jwks", "assertion", "token", "api"}, skip: []string{"jwks"}, through: "token",
			wantLog: "key,assertion,token", wantStatus: "done,skipped,done,done,pending"},
		{name: "a failure stops the run", steps: []string{"a", "b", "c"}, fail: map[string]bool{"b": true},
			wantErr: errAny, wantLog: "a,b", wantStatus: "done,failed,pending"},
		{name: "Around can fail a step that succeeded", steps: []string{"key", "token"}, amend: map[string]error{"key": errKID},
			wantErr: errKID, wantLog: "key", wantStatus: "failed,pending"},
		{name: "an ended context stops after the step", steps: []string{"a", "b"}, cancelWhen: "a",
			wantErr: context.Canceled, wantLog: "a", wantStatus: "done,pending"},
		{name: "an unknown through step", steps: []string{"a"}, through: "b",
			wantErr: flows.ErrNoStep, wantStatus: "pending"},
		{name: "an unknown skipped step", steps: []string{"a"}, skip: []string{"b"},
			wantErr: flows.ErrNoStep, wantStatus: "pending"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var log stepLog
			r := flows.NewRunner(testFlow(&log, tt.fail, tt.steps...), &flows.Journey{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := func() error {
				for _, id := range tt.skip {
					if err := r.Skip(id); err != nil {
						return err
					}
				}
				return r.Drive(ctx, flows.Hooks{Through: tt.through, Around: func(ctx context.Context, i int) (context.Context, func(*flows.Outcome)) {
					id := r.Flow.Steps[i].ID
					if r.Result(i).Status != flows.StatusRunning {
						t.Errorf("Around(%s): status %s, want running", id, r.Result(i).Status)
					}
					return ctx, func(o *flows.Outcome) {
						if err := tt.amend[id]; err != nil {
							*o = flows.Fail(err, o.Exchanges...)
						}
						if id == tt.cancelWhen {
							cancel()
						}
					}
				}})
			}()
			if tt.wantErr == errAny {
				if err == nil {
					t.Errorf("err = nil, want the failing step's")
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if got := strings.Join(log, ","); got != tt.wantLog {
				t.Errorf("ran %q, want %q", got, tt.wantLog)
			}
			var st []string
			for i := range r.Len() {
				st = append(st, r.Result(i).Status.String())
			}
			if got := strings.Join(st, ","); got != tt.wantStatus {
				t.Errorf("statuses %s, want %s", got, tt.wantStatus)
			}
		})
	}
}

// errAny stands for "some error" in a table.
var errAny = errors.New("any error")

func TestRunnerSkippedStepCountsAsDone(t *testing.T) {
	var log stepLog
	r := flows.NewRunner(testFlow(&log, nil, "a", "b", "c"), &flows.Journey{})
	if err := r.Skip("b"); err != nil {
		t.Fatal(err)
	}
	if r.CanRun(2) {
		t.Fatal("c can run before a")
	}
	if _, err := r.RunStep(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if !r.CanRun(2) || r.Next() != 2 {
		t.Fatalf("after a with b skipped: CanRun(c) %v, Next %d; want true, 2", r.CanRun(2), r.Next())
	}
	r.Invalidate(0)
	if got := r.Result(1).Status; got != flows.StatusSkipped {
		t.Fatalf("a re-run made the skipped step %s", got)
	}
}

func TestRunnerDriveAgainAfterAFailedSignIn(t *testing.T) {
	var log stepLog
	fail := map[string]bool{"sign": true}
	r := flows.NewRunner(testFlow(&log, fail, "auth", "sign<auth", "use"), &flows.Journey{})
	if err := r.Drive(context.Background(), flows.Hooks{}); err == nil {
		t.Fatal("the first run did not fail")
	}
	fail["sign"] = false
	if err := r.Drive(context.Background(), flows.Hooks{}); err != nil {
		t.Fatal(err)
	}
	// The failed sign-in spent its login: the second run makes a new one.
	if got, want := strings.Join(log, ","), "auth,sign,auth,sign,use"; got != want {
		t.Fatalf("ran %s, want %s", got, want)
	}
}

// Every flow's sign-in names the step that prepares its login, and each
// preparer comes earlier in its flow.
func TestPreparedByNamesAnEarlierStep(t *testing.T) {
	for _, f := range flows.All() {
		for i, st := range f.Steps {
			if st.Wait == flows.WaitBrowser && st.PreparedBy == "" {
				t.Errorf("%s: the browser step %s names no step that prepares its login", f.ID, st.ID)
			}
			if st.PreparedBy == "" {
				continue
			}
			if p := f.Index(st.PreparedBy); p < 0 || p >= i {
				t.Errorf("%s: step %s is prepared by %q, at %d: want an earlier step", f.ID, st.ID, st.PreparedBy, p)
			}
		}
	}
}
