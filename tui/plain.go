package tui

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nhsauth/nhsauth/flows"
)

// The plain line mode (nhsauth wizard --plain, and TERM=dumb): the same
// flows walked through the same Runner, one line after another, with no
// alternate screen, no cursor addressing and no colour, so everything stays
// in the scrollback and a screen reader reads it in order. huh's accessible
// mode (charmbracelet/huh v0.8.0, accessibility/) is the model: numbered
// choices, a default in brackets, input read a line at a time.

// PlainOptions are what the plain mode needs: the command line's choices,
// its input and output, and the seams the full-screen wizard has too.
type PlainOptions struct {
	FlowID, Env string
	Reveal      bool
	In          io.Reader
	Out         io.Writer
	// Echo repeats each line read after its prompt: set it when In is not
	// a terminal (a script), whose lines the terminal does not echo.
	Echo bool
	// HideInput turns the terminal's echo off while a secret is typed and
	// returns what turns it on again; nil where it cannot.
	HideInput func() (restore func())
	// PrintStep writes a finished step as nhsauth run prints it (through
	// transcript): its outcome, checks, exchanges and diagnosis.
	PrintStep func(w io.Writer, n, total int, st flows.Step, o flows.Outcome, j *flows.Journey)
	Journey   JourneyFunc
	Flows     []*flows.Flow // default flows.All()
	Envs      []string      // default flows.EnvNames()
}

// plainWalk is one plain-mode session.
type plainWalk struct {
	o      PlainOptions
	in     *lineInput
	out    *plainWriter
	runner *flows.Runner
	shown  map[int]bool // steps whose explanation was printed
	built  flows.LoginMode
}

// RunPlain walks a flow in the plain line mode until it is done or the
// user quits (q, or the end of the input), and returns the summary that
// the full-screen wizard prints on leaving, or "" when no journey was
// built. It returns ctx's error when ctx ended (Ctrl+C).
func RunPlain(ctx context.Context, o PlainOptions) (string, error) {
	if o.Flows == nil {
		o.Flows = flows.All()
	}
	if o.Envs == nil {
		o.Envs = flows.EnvNames()
	}
	p := &plainWalk{o: o, in: newLineInput(o.In), out: &plainWriter{w: o.Out}, shown: map[int]bool{}}
	p.out.printf("nhsauth wizard, plain mode: one line after another, all of it left in the scrollback.\nType q and press Enter at any question to quit.\n\n")
	cleanup, err := p.prepare(ctx)
	if cleanup != nil {
		defer cleanup()
	}
	if err == nil {
		err = p.walk(ctx)
	}
	summary := ""
	if p.runner != nil {
		summary = plainSummary(p.runner, "", nil, false)
	}
	if errors.Is(err, errPlainQuit) {
		err = nil
	}
	return summary, err
}

// prepare asks for the flow, the environment and its credentials, and
// builds the journey.
func (p *plainWalk) prepare(ctx context.Context) (func(), error) {
	flowID, env := p.o.FlowID, p.o.Env
	var err error
	if flowID == "" {
		if flowID, err = p.choose(ctx, "Flows:", "Flow", flowItems(p.o.Flows), ""); err != nil {
			return nil, err
		}
	}
	f, ok := findFlow(p.o.Flows, flowID)
	if !ok {
		return nil, fmt.Errorf("tui: unknown flow %q", flowID)
	}
	if env == "" {
		p.out.printf("\n")
		if env, err = p.choose(ctx, "Environments:", "Environment", envItems(p.o.Envs), "local"); err != nil {
			return nil, err
		}
	}
	creds, err := p.credentials(ctx, env)
	if err != nil {
		return nil, err
	}
	p.out.printf("\nPreparing %s on %s (a new 4096-bit key takes a few seconds)…\n", f.Title, env)
	j, cleanup, err := p.o.Journey(ctx, f.ID, env, creds)
	if err != nil {
		return cleanup, fmt.Errorf("could not prepare %s on %s: %w", f.Title, env, err)
	}
	if p.o.Reveal {
		j.Redact.Reveal = true
	}
	p.runner, p.built = flows.NewRunner(f, j), j.Login.Mode
	p.out.printf("\n%s on %s (%s)\n%s\nDoc: %s\n", f.Title, j.Env.Name, j.Redact.String(j.Env.APIBase), f.Pattern, f.Doc)
	return cleanup, nil
}

// credentials asks a real environment for the app's API key, key file and
// secret, each left to its flag (or the profile) when empty.
func (p *plainWalk) credentials(ctx context.Context, env string) (Credentials, error) {
	var c Credentials
	if env == "local" {
		return c, nil
	}
	p.out.printf("\n%s needs your app's credentials; press Enter to keep what the command line gave.\n", env)
	var err error
	if c.APIKey, err = p.ask(ctx, "API key (--api-key)", ""); err != nil {
		return c, err
	}
	if c.KeyPath, err = p.ask(ctx, "Private key file (--private-key)", ""); err != nil {
		return c, err
	}
	c.APISecret, err = p.askSecret(ctx, "API secret (--api-secret), for refreshes")
	return c, err
}

// walk offers each next step until the flow is done or the user quits.
func (p *plainWalk) walk(ctx context.Context) error {
	r := p.runner
	for {
		i := r.Next()
		if i < 0 {
			p.out.printf("✓ All %d steps done.\n\n", r.Len())
			return nil
		}
		p.describe(i)
		st := r.Flow.Steps[i]
		if !p.shown[i] && (st.Wait != flows.WaitNone) && len(st.Inputs) > 0 {
			if err := p.editInputs(ctx, i); err != nil {
				return err
			}
		}
		p.shown[i] = true
		if err := p.offer(ctx, i); err != nil {
			return err
		}
	}
}

// describe prints step i's title and explanation, once.
func (p *plainWalk) describe(i int) {
	if p.shown[i] {
		return
	}
	st := p.runner.Flow.Steps[i]
	p.out.printf("\nStep %d of %d: %s\n", i+1, p.runner.Len(), st.Title)
	for _, l := range [][2]string{{"What", st.What}, {"Why", st.Why}, {"Doc", st.Doc}} {
		if l[1] != "" {
			p.out.printf("  %s: %s\n", l[0], l[1])
		}
	}
}

// offer asks whether to run step i (or edit its inputs first), and runs it.
func (p *plainWalk) offer(ctx context.Context, i int) error {
	st := p.runner.Flow.Steps[i]
	verb := "runs"
	if p.runner.Result(i).Status == flows.StatusFailed {
		verb = "runs again"
	}
	prompt := fmt.Sprintf("Enter %s step %d, q quits", verb, i+1)
	if len(st.Inputs) > 0 {
		prompt = fmt.Sprintf("Enter %s step %d, e edits its inputs, q quits", verb, i+1)
	}
	ans, err := p.ask(ctx, prompt, "")
	switch {
	case err != nil:
		return err
	case ans == "e" && len(st.Inputs) > 0:
		return p.editInputs(ctx, i)
	case ans != "":
		p.out.printf("Type nothing and press Enter to run the step, or q to quit.\n")
		return nil
	}
	return p.run(ctx, i)
}

// editInputs asks for each of step i's inputs in turn, showing its value
// (masked when secret) as the default.
func (p *plainWalk) editInputs(ctx context.Context, i int) error {
	st, j := p.runner.Flow.Steps[i], p.runner.Journey
	vals := map[string]string{}
	for _, in := range st.Inputs {
		if in.Set == nil {
			continue
		}
		cur := ""
		if in.Get != nil {
			cur = in.Get(j)
		}
		p.out.printf("  %s\n", in.Help)
		var v string
		var err error
		if in.Secret {
			v, err = p.askSecret(ctx, in.Label)
			if v == "" {
				v = cur
			}
		} else {
			v, err = p.ask(ctx, in.Label+" (-: none)", cur)
			if v == "-" {
				v = ""
			}
		}
		if err != nil {
			return err
		}
		vals[in.Key] = v
	}
	changed, err := applyInputs(st, j, vals)
	if err != nil {
		p.out.printf("✗ %s\n", err)
		return nil
	}
	if changed {
		j.Login.Mode = loginModeFor(j.Login.User, p.built)
		p.runner.Invalidate(i)
		p.out.printf("Saved: step %d %s.\n", i+1, signInHow(j.Login))
	}
	return nil
}
