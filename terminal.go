package main

// Terminals: which ends of the process are terminals (golang.org/x/term),
// and the wizard's one question to the terminal, its background colour,
// asked with a short timeout. No other command asks the terminal anything
// (see internal/quietterm).

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"
)

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// backgroundTimeout bounds the wait for the terminal's answer: a terminal
// that answers does so in a few milliseconds; one that never answers
// (script, some IDE and CI ptys) must not hold the wizard up.
const backgroundTimeout = 100 * time.Millisecond

// useTerminalColours gives lipgloss a renderer for the wizard's output: its
// colour profile from the environment (NO_COLOR, TERM=dumb and COLORTERM as
// termenv reads them) and its background from theme ("light" or "dark",
// from --theme or NHSAUTH_THEME), else asked of the terminal, dark when the
// terminal does not answer within backgroundTimeout.
func useTerminalColours(env *cliEnv, theme string) {
	r := lipgloss.NewRenderer(env.stdout)
	if theme != "" {
		r.SetHasDarkBackground(theme == "dark")
		lipgloss.SetDefaultRenderer(r)
		return
	}
	dark := true
	in, inOK := env.stdin.(*os.File)
	out, outOK := env.stdout.(*os.File)
	termName := env.getenv("TERM")
	quiet := strings.HasPrefix(termName, "dumb") || strings.HasPrefix(termName, "screen") || strings.HasPrefix(termName, "tmux")
	if inOK && outOK && !quiet {
		if d, ok := queryBackground(in, out, backgroundTimeout); ok {
			dark = d
		}
	}
	r.SetHasDarkBackground(dark)
	lipgloss.SetDefaultRenderer(r)
}

// parseBackground reads "ESC ] 11 ; rgb:RRRR/GGGG/BBBB" from a reply and
// reports whether that colour is dark (luminance below one half).
func parseBackground(reply string) (dark, ok bool) {
	_, rgb, found := strings.Cut(reply, "]11;rgb:")
	if !found {
		return false, false
	}
	parts := strings.SplitN(rgb, "/", 3)
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for i, p := range parts {
		if end := strings.IndexFunc(p, func(r rune) bool { return !strings.ContainsRune("0123456789abcdefABCDEF", r) }); end >= 0 {
			p = p[:end] // the reply's terminator follows the last part
		}
		v, err := strconv.ParseUint(p, 16, 32)
		if err != nil || len(p) == 0 {
			return false, false
		}
		c[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	lum := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	return lum < 0.5, true
}
