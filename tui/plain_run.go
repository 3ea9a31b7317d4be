package tui

import (
	"context"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// run runs step i as the Runner decides (first the step that prepares it,
// when its login was used up), then any step chained on the way to it, and
// prints each as nhsauth run does.
func (p *plainWalk) run(ctx context.Context, i int) error {
	r := p.runner
	started, err := r.Begin(i)
	if err != nil {
		p.out.printf("✗ %s\n", err)
		return nil
	}
	if started != i {
		p.out.printf("Step %d's login was used up: step %d runs again first for a fresh one.\n", i+1, started+1)
	}
	for {
		o := p.exec(ctx, started)
		r.Finish(started, o)
		p.o.PrintStep(p.out, started+1, r.Len(), r.Flow.Steps[started], o, r.Journey)
		if err := ctx.Err(); err != nil {
			return err
		}
		next := r.Chained()
		if o.Failed() || next < 0 {
			if o.Failed() {
				p.shown[started] = false // explain it again before the retry
			}
			return nil
		}
		if started, err = r.Begin(next); err != nil {
			p.out.printf("✗ %s\n", err)
			return nil
		}
	}
}

// exec runs step i in a goroutine of its own; while a browser sign-in
// waits, each line typed is handed to it as the URL the browser landed on.
func (p *plainWalk) exec(ctx context.Context, i int) flows.Outcome {
	st, j := p.runner.Flow.Steps[i], p.runner.Journey
	stepCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan flows.Outcome, 1)
	waits := st.Wait == flows.WaitBrowser && j.Login.Mode != flows.LoginForm
	if waits {
		j.Login.Notify = func(msg string) { p.out.printf("%s\n", transcript.Text(msg)) }
		p.announce(j)
	}
	go func() {
		if st.Run == nil {
			done <- flows.Outcome{Summary: "Nothing to do."}
			return
		}
		done <- st.Run(stepCtx, j)
	}()
	if !waits {
		return <-done
	}
	return p.forwardPastes(stepCtx, j, done)
}

// forwardPastes hands each line read while the sign-in waits to the step,
// until it finishes.
func (p *plainWalk) forwardPastes(ctx context.Context, j *flows.Journey, done <-chan flows.Outcome) flows.Outcome {
	lines := make(chan string)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			s, err := p.in.next(ctx)
			if err != nil {
				return
			}
			select {
			case lines <- s:
			case <-stop:
				p.in.unread(s) // the step ended first: the line is the next prompt's
				return
			}
		}
	}()
	for {
		select {
		case o := <-done:
			return o
		case s := <-lines:
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			select {
			case j.Login.Pasted <- s:
				p.out.printf("Pasted URL handed to the sign-in step.\n")
			default:
				p.out.printf("A pasted URL is already waiting to be read; wait a moment.\n")
			}
		}
	}
}

// announce says how the waiting sign-in can finish: the authorise URL on a
// line of its own, and what the step waits for.
func (p *plainWalk) announce(j *flows.Journey) {
	l := &j.Login
	if l.AuthURL != "" {
		p.out.printf("Open this address in a browser and sign in:\n%s\n", l.AuthURL)
	}
	if l.ListenAddr != "" {
		p.out.printf("Waiting for the redirect on %s; or paste the URL the browser landed on and press Enter.\n", l.ListenAddr)
		return
	}
	p.out.printf("Then paste the URL the browser landed on and press Enter.\n")
}
