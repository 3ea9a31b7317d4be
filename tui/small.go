package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// tooSmallView says the terminal is too small for the wizard, in the
// longest wording that fits w×h whole (down to 20×5 at least), so the
// message itself is never cut off.
func tooSmallView(w, h int) string {
	words := []string{
		fmt.Sprintf("The terminal is %d×%d: nhsauth needs at least %d×%d. Make the window larger, or press q to quit.", w, h, minWidth, minHeight),
		fmt.Sprintf("The terminal is %d×%d: nhsauth needs at least %d×%d.", w, h, minWidth, minHeight),
		fmt.Sprintf("Too small: %d×%d. Needs %d×%d.", w, h, minWidth, minHeight),
		fmt.Sprintf("Needs %d×%d", minWidth, minHeight),
	}
	for _, s := range words {
		if out, ok := fitWhole(s, w, h); ok {
			return out
		}
	}
	out, _ := fitWhole(words[len(words)-1], w, h)
	return out
}

// fitWhole wraps s to w cells and reports whether it then fits in h lines
// with no line wider than w.
func fitWhole(s string, w, h int) (string, bool) {
	out := wrap(s, max(1, w))
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			return out, false
		}
	}
	return out, len(lines) <= h
}
