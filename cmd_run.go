package main

// nhsauth run FLOW: a flow's steps headless, one after the other, printing
// each step's outcome and exchanges as it finishes (or one JSON document).

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func runHelp() *cmdHelp {
	return &cmdHelp{
		name:    "run",
		short:   "run a flow headless, printing every step and exchange",
		summary: "run a flow headless, printing every step and exchange.",
		usage:   "run FLOW [--env ENV] [--api-key K] [--private-key PEM] [--user UID | --browser | --redirect-uri URI]\n              [--url URL] [--timeout D] [--login-timeout D] [--reveal] [--json] [more flags below]",
		details: flowTable() + `

Each step prints its title and outcome, what it learned, its checks and its
HTTP exchanges; a failed step also prints its diagnosis to stderr. The sign-in
step of a user-restricted flow prints the authorise URL and waits for the
redirect to the loopback listener, or for the URL the browser landed on pasted
on stdin; --user signs in by form instead, --browser opens the browser.
Secrets are masked unless --reveal. Exits 0 when every step succeeded, 1 when
one failed, 2 for a usage error.

--har, --markdown and --curl-script also write the run, failed or not, to
files (mode 0600, secrets masked unless --reveal) for a support desk or a
script: nhsauth run cis2-separate --user 656005750104 --har run.har`,
		examples: []string{
			"nhsauth run app-restricted                             # on the local platform, keys made in ./.auth",
			"nhsauth run cis2-separate --user 656005750104          # CIS2 sign-in by form as an AAL3 test user",
			"nhsauth run cis2-combined --user 656005750104 --sso    # combined authentication, single sign-on",
			"nhsauth run app-restricted --env int --api-key K --private-key .auth/int-1.pem --json",
		},
	}
}

func runFlags() (*pflag.FlagSet, *journeyFlags) {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	o := addJourneyFlags(fs, "local")
	o.exports.add(fs)
	fs.StringVar(&o.breakFault, "break", "", "make the documented failure `FAULT` happen on purpose, on the local platform (nhsauth break --list)")
	return fs, o
}

func newRunCmd(env *cliEnv) *cobra.Command {
	fs, o := runFlags()
	return newCommand(env, spec{help: runHelp(), flags: fs, args: flowIDList, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		return cmdRun(env, o, pos)
	}})
}

func cmdRun(env *cliEnv, o *journeyFlags, pos []string) int {
	switch {
	case len(pos) == 0:
		return usageFail(env, "run", usagef("which flow? give one of %s", flowIDs()))
	case len(pos) > 1:
		return usageFail(env, "run", usagef("unexpected argument %q after the flow %q", pos[1], pos[0]))
	}
	f, found := flows.ByID(pos[0])
	if !found {
		return usageFail(env, "run", unknownFlow(pos[0]))
	}
	o.direct.flowID = f.ID
	if err := o.check("", true); err != nil {
		return usageFail(env, "run", err)
	}
	if err := o.exports.check(); err != nil {
		return usageFail(env, "run", err)
	}
	if err := checkBreak(o.breakFault, f.ID, o.env); err != nil {
		return usageFail(env, "run", err)
	}
	j, cleanup, err := o.journey(env, f, "")
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return usageFail(env, "run", err)
		}
		printFailure(env.stderr, "run", err.Error(), nil, nil)
		return exitFail
	}
	defer cleanup()
	if f, err = breakFlow(o.breakFault, f, j); err != nil {
		printFailure(env.stderr, "run", err.Error(), nil, nil)
		return exitFail
	}
	ctx, stop := signalContext()
	defer stop()
	return runFlow(ctx, env, f, j, o)
}

// runFlow runs every step of f over j through the Runner, reporting as it
// goes.
func runFlow(ctx context.Context, env *cliEnv, f *flows.Flow, j *flows.Journey, o *journeyFlags) int {
	r := flows.NewRunner(f, j)
	out := env.stdout
	if !o.json {
		fmt.Fprintf(out, "%s on %s (%s)\n%s\n\n", f.Title, j.Env.Name, j.Redact.String(j.Env.APIBase), f.Pattern)
	}
	paste := newPasteReader(env.stdin)
	defer paste.close()
	// The sign-in step's news while it waits (the browser failing), at once.
	j.Login.Notify = paste.notifier(env.stderr)
	defer j.Login.CloseListener() // a run that stops between authorise and sign-in

	rp := &runPrinter{env: env, f: f, j: j, o: o, paste: paste, failed: -1}
	err := r.Drive(ctx, flows.Hooks{Around: rp.around})
	switch {
	case rp.failed != -1: // reported as it ended
	case errors.Is(err, flows.ErrNotReady): // an impossible state for a linear run
		printFailure(env.stderr, "run", err.Error(), nil, j.Redact)
		return exitFail
	case err != nil:
		rp.failed = r.Len()
		fmt.Fprintln(env.stderr, "nhsauth run: interrupted.")
	}
	if !o.exports.write(env, r, o.timeout) && rp.failed == -1 {
		rp.failed = r.Len()
	}
	if o.json {
		writeJSON(out, runJSON(r, o.timeout))
	} else if rp.failed == -1 {
		fmt.Fprintf(out, "✓ All %d steps done.\n", r.Len())
	}
	if rp.failed != -1 && o.breakFault != "" && !o.json {
		fmt.Fprintln(env.stderr, breakSummary(o.breakFault, f.ID))
	}
	if ctx.Err() != nil { // Ctrl+C: the listener and platform stop as cmdRun returns
		return exitInterrupted
	}
	if rp.failed != -1 {
		return exitFail
	}
	return exitOK
}

// runPrinter reports each step of a headless run as the Runner runs it:
// the step's line, the sign-in's wait on stderr with pasted URLs handed to
// it, then the outcome and, for a failure, the diagnosis.
type runPrinter struct {
	env    *cliEnv
	f      *flows.Flow
	j      *flows.Journey
	o      *journeyFlags
	paste  *pasteReader
	failed int    // the failed step, or -1
	name   string // the command, in messages; "" means run
}

// around is the Runner's hook for step i: it returns the step's context and
// what to do with its outcome.
func (p *runPrinter) around(ctx context.Context, i int) (context.Context, func(*flows.Outcome)) {
	st, j, total := p.f.Steps[i], p.j, len(p.f.Steps)
	stopPaste := func() {}
	stepCtx, cancelStep := context.WithCancelCause(ctx)
	waits := st.Wait == flows.WaitBrowser && j.Login.Mode != flows.LoginForm
	if waits {
		announceWait(p.env, j)
		// Without a listener only a pasted URL can finish the sign-in:
		// once stdin is closed, waiting for --login-timeout is pointless.
		pasteOnly := j.Login.ListenAddr == ""
		stopPaste = p.paste.pump(j.Login.Pasted, func() {
			if pasteOnly {
				cancelStep(errStdinClosed)
				return
			}
			fmt.Fprintln(p.env.stderr, "(stdin is closed, so nothing can be pasted: waiting for the browser's redirect only.)")
		})
	}
	// The step's line starts before it runs (a 4096-bit key takes
	// seconds), except while it waits for the user on stderr.
	headerDone := !p.o.json && !waits
	if headerDone {
		fmt.Fprint(p.env.stdout, stepHeader(i+1, total, st))
	}
	return stepCtx, func(outcome *flows.Outcome) {
		if outcome.Failed() && errors.Is(outcome.Err, context.Canceled) && ctx.Err() == nil &&
			errors.Is(context.Cause(stepCtx), errStdinClosed) {
			outcome.Err = stdinClosedError(j)
		}
		cancelStep(nil)
		stopPaste()
		registerSecrets(j)
		if !p.o.json {
			printStep(p.env.stdout, i+1, total, st, headerDone, *outcome, p.o.timeout, j.Redact)
		}
		if outcome.Failed() {
			p.failed = i
			msg, hints := plainError(outcome.Err, p.o.timeout)
			printFailure(p.env.stderr, cmp.Or(p.name, "run"), fmt.Sprintf("step %d/%d (%s) failed: %s", i+1, total, st.Title, msg), hints, j.Redact)
		}
	}
}

// registerSecrets makes whatever the steps learned secret from now on,
// wherever it shows; the steps register most themselves, this is the net.
func registerSecrets(j *flows.Journey) {
	l := &j.Login
	j.Secret(j.Assertion, j.APISecret, l.Creds.ClientSecret, l.Code, l.PKCE.Verifier)
	for _, t := range []steps.Token{j.Token, l.Tokens, l.Exchanged, l.Refreshed} {
		j.Secret(t.Secrets()...)
	}
}

// announceWait tells the user, on stderr, how the sign-in step can
// finish: the authorise URL again (the transcript above may be long), and
// what it waits for.
func announceWait(env *cliEnv, j *flows.Journey) {
	l := &j.Login
	if l.AuthURL != "" {
		if l.Mode == flows.LoginBrowser {
			fmt.Fprintf(env.stderr, "Opening the browser at this URL (open it yourself if nothing happens):\n  %s\n", l.AuthURL)
		} else {
			fmt.Fprintf(env.stderr, "Open this URL in a browser and sign in:\n  %s\n", l.AuthURL)
		}
	}
	if l.ListenAddr == "" {
		fmt.Fprintf(env.stderr, "Then paste the URL the browser landed on and press Enter (waiting up to %s).\n", shortDuration(l.LoginTimeout))
		return
	}
	target := l.SentRedirectURI
	if target == "" {
		target = "http://" + l.ListenAddr
	}
	fmt.Fprintf(env.stderr, "Waiting up to %s for the redirect to %s; or paste the URL the browser landed on and press Enter.\n", shortDuration(l.LoginTimeout), target)
}

// errStdinClosed cancels a sign-in that only a pasted URL could finish.
var errStdinClosed = errors.New("stdin closed")

// stdinClosedError says why a paste-only sign-in stopped at once.
func stdinClosedError(j *flows.Journey) error {
	return steps.WithHint(fmt.Errorf("stdin closed before the URL the browser landed on was pasted (redirect URI %s)", j.Login.RedirectURI),
		"The redirect URI is not a loopback address, so no listener can catch the redirect: only a URL pasted on stdin can finish the sign-in, and stdin has ended (it was not a terminal, or its input ran out).",
		"Run it on a terminal and paste the URL, pipe that URL in, sign in by form with --user UID, or leave out --redirect-uri so the loopback listener catches the redirect.")
}

// pasteReader reads lines from stdin in one goroutine for the whole run and
// hands them to the sign-in step while it waits.
type pasteReader struct {
	in    io.Reader
	once  sync.Once
	lines chan string
	eof   chan struct{} // closed when stdin has no more lines
	done  chan struct{}
	stop  sync.Once
	// say serialises what the pump's onEOF and notifier write: both run
	// while the sign-in step waits, on different goroutines.
	say sync.Mutex
}

func newPasteReader(in io.Reader) *pasteReader {
	return &pasteReader{in: in, lines: make(chan string), eof: make(chan struct{}), done: make(chan struct{})}
}

func (p *pasteReader) start() {
	p.once.Do(func() {
		if p.in == nil {
			close(p.eof)
			return
		}
		go func() {
			defer close(p.eof)
			sc := bufio.NewScanner(p.in)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				select {
				case p.lines <- line:
				case <-p.done:
					return
				}
			}
		}()
	})
}

// pump forwards pasted lines to dst until the returned stop is called;
// once stdin has no more lines it calls onEOF (if not nil), once.
func (p *pasteReader) pump(dst chan string, onEOF func()) (stop func()) {
	if dst == nil {
		return func() {}
	}
	p.start()
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		eof := p.eof
		for {
			select {
			case line := <-p.lines:
				select {
				case dst <- line:
				case <-quit:
					return
				}
			case <-eof:
				eof = nil // a nil channel never fires again
				if onEOF != nil {
					p.say.Lock()
					onEOF()
					p.say.Unlock()
				}
			case <-quit:
				return
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}

func (p *pasteReader) close() { p.stop.Do(func() { close(p.done) }) }

// notifier writes a line to w for the sign-in step's news while it waits
// (flows.LoginState.Notify), never at the same time as the pump's onEOF.
func (p *pasteReader) notifier(w io.Writer) func(string) {
	return func(msg string) {
		p.say.Lock()
		defer p.say.Unlock()
		fmt.Fprintln(w, msg)
	}
}
