package main

// nhsauth wizard (and nhsauth alone, on a terminal): the full-screen
// step-by-step wizard of package tui. main wires the flows, the journey flags
// shared with run, and the local platform; tui only renders and drives.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/tui"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func wizardHelp() *cmdHelp {
	return &cmdHelp{
		name:    "wizard",
		short:   "open the step-by-step wizard (the default)",
		summary: "open the step-by-step wizard (the default when nhsauth runs on a terminal with no command).",
		usage:   "wizard [--flow FLOW] [--env ENV] [flags of run]",
		details: flowTable() + `

Without --flow the wizard starts with a flow picker, and without --env with an
environment picker (local first: fully offline; int, sandbox, dev and prod ask
for your app's API key, key file and secret). Each step shows what it does,
why, the document that defines it, its inputs, and its HTTP exchanges:
enter runs the next step, a runs them all, r re-runs one, e edits its
inputs, s shows secrets, c copies the curl command (C with its secrets,
after a warning), u prints the authorise URL to the scrollback, m turns
mouse mode on, ? lists every key. Quitting leaves a summary on the screen.
--plain walks the same steps line by line, with no full screen (the
default when TERM=dumb): for screen readers, logs and scripted input.
The sign-in step opens the browser ($BROWSER when set) and waits for its
redirect; --no-browser only prints the URL, --user signs in by form.
Set NHSAUTH_LOG=FILE to log to FILE.`,
		examples: []string{
			"nhsauth                                                # the wizard, fully offline",
			"nhsauth wizard --flow app-restricted --env local       # straight to the signed-JWT steps",
			"nhsauth wizard --flow cis2-separate --user 656005750104 # CIS2 without a browser",
			"nhsauth wizard --plain --flow app-restricted --env local # line by line, for screen readers",
			"nhsauth wizard --flow app-restricted --env int --api-key K --private-key .auth/int-1.pem",
		},
	}
}

// wizardOptions are the wizard's flags: run's, and the two of its own.
type wizardOptions struct {
	*journeyFlags
	flowID    string
	noBrowser bool
	plain     bool   // the plain line mode (cmd_wizard_plain.go)
	theme     string // light, dark, or "" to ask the terminal
}

func wizardFlags() (*pflag.FlagSet, *wizardOptions) {
	fs := pflag.NewFlagSet("wizard", pflag.ContinueOnError)
	o := &wizardOptions{}
	fs.StringVar(&o.flowID, "flow", "", "start on flow `FLOW` instead of the flow picker: "+flowIDs())
	fs.BoolVar(&o.noBrowser, "no-browser", false, "do not open a browser for the sign-in step: print the URL and wait for its redirect or a pasted URL")
	o.journeyFlags = addJourneyFlags(fs, "local")
	addWizardTerminalFlags(fs, o)
	wizardFlagHelp(fs)
	return fs, o
}

// newWizardCmd is nhsauth wizard; bare, it is the root command, which opens
// the wizard only when stdin and stdout are both terminals.
func newWizardCmd(env *cliEnv, bare bool) *cobra.Command {
	fs, o := wizardFlags()
	return newCommand(env, spec{help: wizardHelp(), flags: fs, args: flowIDList, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		if bare && fs.NFlag() == 0 {
			switch {
			case !env.isTerminal:
				usage(env.stdout)
				return exitOK
			case !env.stdinTerminal:
				fmt.Fprintln(env.stderr, "nhsauth: stdin is not a terminal, so the wizard cannot read keys: run it from a terminal, or use 'nhsauth run FLOW' in scripts.")
				return exitUsage
			}
		}
		return cmdWizard(env, fs, o, pos)
	}})
}

func cmdWizard(env *cliEnv, fs *pflag.FlagSet, o *wizardOptions, pos []string) int {
	flowID := o.flowID
	if len(pos) == 1 && flowID == "" {
		flowID = pos[0] // nhsauth wizard app-restricted
	} else if len(pos) > 0 {
		return usageFail(env, "wizard", usagef("unexpected argument %q: choose a flow with --flow", pos[0]))
	}
	if flowID != "" {
		if _, found := flows.ByID(flowID); !found {
			return usageFail(env, "wizard", unknownFlow(flowID))
		}
	}
	envName := ""
	if fs.Changed("env") {
		envName = o.env
	}
	if o.json {
		return usageFail(env, "wizard", usagef("--json is for headless runs: use nhsauth run FLOW --json"))
	}
	o.direct.flowID = flowID
	if err := o.check(envName, false); err != nil {
		return usageFail(env, "wizard", err)
	}
	if err := checkTheme(env, o); err != nil {
		return usageFail(env, "wizard", err)
	}
	if o.plain || plainTerminal(env) {
		return openPlain(env, o, flowID, envName)
	}
	if !env.isTerminal || !env.stdinTerminal {
		fmt.Fprintln(env.stderr, "nhsauth wizard: the wizard needs a terminal on stdin and stdout; in scripts use 'nhsauth run FLOW', or 'nhsauth wizard --plain' for the line-by-line wizard.")
		return exitFail
	}
	return openWizard(env, o, flowID, envName)
}

// openWizard runs the full-screen wizard until the user quits: 0, or 130
// after Ctrl+C, with the terminal restored and every listener closed.
func openWizard(env *cliEnv, o *wizardOptions, flowID, envName string) int {
	logFile, err := startLog(env)
	if err != nil {
		fmt.Fprintf(env.stderr, "nhsauth wizard: cannot open the log file: %v; unset NHSAUTH_LOG or fix the path.\n", err)
		return exitFail
	}
	defer logFile()

	// What building a journey prints (a warning about the local platform's
	// API key, say) would tear the full screen: keep it and print it after.
	var notes lockedBuffer
	quiet := *env
	quiet.stdout, quiet.stderr = &notes, &notes
	var cleanups cleanupList
	defer cleanups.run()
	build := wizardJourneys(&quiet, o.journeyFlags, o.noBrowser, &cleanups)

	// Ask the terminal for its background before Bubble Tea reads the
	// input, so the adaptive colours never race it for the reply, and
	// never wait more than backgroundTimeout for it.
	useTerminalColours(env, o.theme)
	prewarmLocalKey(env, o, envName)
	m := tui.New(tui.Config{FlowID: flowID, Env: envName, Reveal: o.reveal, Version: shortVersion(), Hyperlinks: hyperlinks(env)}, tui.Deps{Journey: build})
	if p := newWizardProfiles(&quiet); p != nil {
		m.UseProfiles(p)
	}
	var interrupted atomic.Bool
	// No mouse capture (m turns it on), so the terminal's own selection
	// works; a low frame rate, since the screen changes only on a key, a
	// spinner frame or a countdown second.
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithFPS(wizardFPS), tea.WithOutput(env.stdout),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyCtrlC {
				interrupted.Store(true)
			}
			return msg
		})}
	if env.stdin != nil {
		opts = append(opts, tea.WithInput(env.stdin))
	}
	final, err := tea.NewProgram(m, opts...).Run()
	if fm, ok := final.(*tui.Model); ok {
		// The alternate screen is gone: what the run achieved stays in
		// the scrollback.
		if s := fm.QuitSummary(); s != "" {
			fmt.Fprint(env.stdout, s)
		}
		fm.Close()
	}
	cleanups.run()
	if s := notes.String(); s != "" {
		fmt.Fprint(env.stderr, s)
	}
	if interrupted.Load() || errors.Is(err, tea.ErrInterrupted) {
		return exitInterrupted
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(env.stderr, "nhsauth wizard: the terminal interface stopped: %v.\n", err)
		return exitFail
	}
	return exitOK
}

// wizardJourneys is the wizard's JourneyFunc: the builder of run, with the
// credentials typed in the wizard in place of their flags, the browser
// opened for the sign-in unless --no-browser, and each journey's cleanup
// kept in cleanups.
func wizardJourneys(env *cliEnv, flags *journeyFlags, noBrowser bool, cleanups *cleanupList) tui.JourneyFunc {
	return func(ctx context.Context, id, name string, creds tui.Credentials) (*flows.Journey, func(), error) {
		f, found := flows.ByID(id)
		if !found {
			return nil, nil, fmt.Errorf("unknown flow %q", id)
		}
		o := *flags
		d := *o.direct
		d.flowID, o.direct = id, &d
		o.appCreds = o.appCreds.over(appCreds{apiKey: creds.APIKey, privateKey: creds.KeyPath, apiSecret: creds.APISecret})
		j, cleanup, err := o.journey(env, f, name)
		if err != nil {
			return nil, cleanup, err
		}
		if j.Login.Mode == flows.LoginWait && !noBrowser {
			j.Login.Mode = flows.LoginBrowser // issue 4: a opens the browser and waits
		}
		j.KeyBits = localKeyBits(env, j.KeyBits)
		return j, cleanups.add(cleanup), nil
	}
}

// wizardFlagHelp rewords the journey flags shared with run where the wizard
// treats them differently: no --env means the environment picker, the
// browser opens by default, and --json has no place on a full screen.
func wizardFlagHelp(fs *pflag.FlagSet) {
	if f := fs.Lookup("env"); f != nil {
		f.Usage = "start on environment `ENV` instead of the environment picker: " + strings.Join(flows.EnvNames(), ", ")
		f.DefValue = ""
	}
	if f := fs.Lookup("browser"); f != nil {
		f.Usage = "open the system browser ($BROWSER when set) for the sign-in: the wizard does so anyway unless --no-browser or --user"
	}
	if f := fs.Lookup("json"); f != nil {
		f.Usage = "not in the wizard: 'nhsauth run FLOW --json' prints a run as JSON"
	}
}

// startLog sends the log package to $NHSAUTH_LOG, or nowhere: a log line on
// the terminal would tear the wizard's screen.
func startLog(env *cliEnv) (func(), error) {
	path := env.getenv("NHSAUTH_LOG")
	if path == "" {
		log.SetOutput(io.Discard)
		return func() {}, nil
	}
	f, err := tea.LogToFile(path, "nhsauth")
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

// lockedBuffer collects text written from the journey builder's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// cleanupList runs every journey's cleanup once, whether the wizard released
// the journey itself or the program ended first.
type cleanupList struct {
	mu  sync.Mutex
	fns []func()
}

func (c *cleanupList) add(fn func()) func() {
	if fn == nil {
		fn = func() {}
	}
	once := sync.OnceFunc(fn)
	c.mu.Lock()
	c.fns = append(c.fns, once)
	c.mu.Unlock()
	return once
}

func (c *cleanupList) run() {
	c.mu.Lock()
	fns := c.fns
	c.fns = nil
	c.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
