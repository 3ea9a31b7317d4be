package main

// The wizard's terminal choices: the plain line mode (--plain, and by
// itself where no full screen is possible), the colour theme (--theme,
// NHSAUTH_THEME) and the frame rate.

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/tui"
	"github.com/spf13/pflag"
)

// wizardFPS is the full-screen wizard's frame rate. Bubble Tea's renderer
// wakes at this rate even when nothing changed (the default 60 cost 2% of a
// core on an idle screen); the wizard's fastest motion is a spinner.
const wizardFPS = 12

func addWizardTerminalFlags(fs *pflag.FlagSet, o *wizardOptions) {
	fs.BoolVar(&o.plain, "plain", false, "walk the flow line by line, with no full screen, cursor movement or colour (for screen readers, logs and TERM=dumb, where it is the default)")
	fs.StringVar(&o.theme, "theme", "", "colours for a `light` or `dark` background (default: ask the terminal; NHSAUTH_THEME sets it too; tmux hides the background)")
}

// checkTheme takes the theme from --theme, else NHSAUTH_THEME.
func checkTheme(env *cliEnv, o *wizardOptions) error {
	from := "--theme"
	if o.theme == "" {
		o.theme, from = env.getenv("NHSAUTH_THEME"), "NHSAUTH_THEME"
	}
	o.theme = strings.ToLower(strings.TrimSpace(o.theme))
	switch o.theme {
	case "", "light", "dark":
		return nil
	}
	return usagef("%s %q: use light or dark (or leave it out to ask the terminal)", from, o.theme)
}

// hyperlinks decides whether the wizard's URLs are OSC 8 links: only with
// colour (not NO_COLOR, not TERM=dumb), and not inside tmux or GNU screen,
// which before tmux 3.4 drop the sequence or pass it without its text.
// NHSAUTH_HYPERLINKS=1 or 0 overrides.
func hyperlinks(env *cliEnv) bool {
	switch env.getenv("NHSAUTH_HYPERLINKS") {
	case "1":
		return true
	case "0":
		return false
	}
	t := env.getenv("TERM")
	switch {
	case env.getenv("NO_COLOR") != "", t == "", strings.HasPrefix(t, "dumb"):
		return false
	case env.getenv("TMUX") != "", env.getenv("STY") != "", strings.HasPrefix(t, "screen"), strings.HasPrefix(t, "tmux"):
		return false
	}
	return true
}

// plainTerminal reports whether the terminal can have no full screen: a
// dumb terminal, or one that names no type at all.
func plainTerminal(env *cliEnv) bool {
	t := env.getenv("TERM")
	return env.isTerminal && (t == "" || strings.HasPrefix(t, "dumb"))
}

// openPlain walks the wizard's flows line by line (tui.RunPlain): 0 when
// the user quits, 130 after Ctrl+C.
func openPlain(env *cliEnv, o *wizardOptions, flowID, envName string) int {
	logFile, err := startLog(env)
	if err != nil {
		fmt.Fprintf(env.stderr, "nhsauth wizard: cannot open the log file: %v; unset NHSAUTH_LOG or fix the path.\n", err)
		return exitFail
	}
	defer logFile()
	var cleanups cleanupList
	defer cleanups.run()
	ctx, stop := signalContext()
	defer stop()
	var hide func() func()
	if f, ok := env.stdin.(*os.File); ok && env.stdinTerminal {
		hide = hideInput(f)
	}
	summary, err := tui.RunPlain(ctx, tui.PlainOptions{
		FlowID: flowID, Env: envName, Reveal: o.reveal,
		In: env.stdin, Out: env.stdout, Echo: !env.stdinTerminal, HideInput: hide,
		Journey: wizardJourneys(env, o.journeyFlags, o.noBrowser, &cleanups),
		PrintStep: func(w io.Writer, n, total int, st flows.Step, out flows.Outcome, j *flows.Journey) {
			registerSecrets(j)
			printStep(w, n, total, st, false, out, o.timeout, j.Redact)
		},
	})
	cleanups.run()
	if summary != "" {
		fmt.Fprint(env.stdout, "\n"+summary)
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintln(env.stderr, "nhsauth wizard: interrupted.")
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(env.stderr, "nhsauth wizard: %v\n", err)
		return exitFail
	}
	return exitOK
}
