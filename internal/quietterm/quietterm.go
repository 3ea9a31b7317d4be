// Package quietterm keeps nhsauth's commands from querying the terminal.
//
// Bubble Tea v1 asks the terminal for its background colour in its package
// init (tea_init.go: lipgloss.HasDarkBackground), so every command paid for
// the wizard: termenv writes OSC 11 and a cursor-position request (DSR,
// ECMA-48 §8.3.35) and, on a terminal that never answers (script, some IDE
// and CI ptys), waits 5 s. termenv skips the query when $TERM is "dumb".
// This package has no imports but os. Go initialises, at each turn, the
// package with the smallest import path whose imports are all initialised
// (the Go spec, "Package initialization", since Go 1.21): this one is ready
// as soon as os is, while bubbletea also needs os/signal, whose path sorts
// after this one's, so this init runs first. It sets TERM=dumb for their
// init, and Restore puts the user's TERM back first thing in main.
// TestNoTerminalQueryOutsideTheWizard (a pty that never answers) pins it. The wizard then builds its own renderer
// and asks with a short timeout (tui.Renderer / cmd_wizard.go).
package quietterm

import "os"

var (
	savedTERM string
	hadTERM   bool
)

func init() {
	savedTERM, hadTERM = os.LookupEnv("TERM")
	os.Setenv("TERM", "dumb")
}

// Restore puts back the TERM the process started with. main calls it before
// anything else; lipgloss's default renderer, made during init, stays
// colourless, and only the wizard makes a coloured one.
func Restore() {
	if hadTERM {
		os.Setenv("TERM", savedTERM)
	} else {
		os.Unsetenv("TERM")
	}
}
