package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// waitInfo is what the browser step shows while it waits, copied from the
// journey when the step starts (the step owns the journey while it runs).
type waitInfo struct {
	step, total int
	title       string
	authURL     string
	listenAddr  string
	deadline    time.Time
	pasted      chan<- string
}

// waitView is the browser step while it waits: a spinner, the authorise URL
// in full (hard-wrapped with nothing beside it, so it can be selected and
// copied), the listener's address and the login timeout counting down.
func waitView(c *common, w waitInfo, spin string, paste *formModel, width, height int, now time.Time) string {
	s := c.styles
	var b strings.Builder
	b.WriteString(s.Section.Render(fmt.Sprintf("Step %d of %d · %s", w.step+1, w.total, w.title)) + "\n\n")
	b.WriteString(s.Label.Render(spin) + " Waiting for you to sign in in the browser…\n\n")
	if w.authURL != "" {
		b.WriteString("If no browser opened, open this address yourself (c copies it):\n")
		b.WriteString(ansi.Hardwrap(w.authURL, width, false) + "\n\n")
	} else {
		b.WriteString(s.Dim.Render("The authorise URL is not built yet.") + "\n\n")
	}
	if w.listenAddr != "" {
		b.WriteString("Listening for the redirect on " + s.Bold.Render(w.listenAddr) + "\n")
	}
	if !w.deadline.IsZero() {
		left := w.deadline.Sub(now)
		line := "Gives up in " + s.Bold.Render(countdown(left)) + s.Dim.Render(" (--login-timeout)")
		if left <= 0 {
			line = s.Warn.Render("The login timeout has passed.")
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	if paste != nil {
		b.WriteString(paste.inline(width))
	} else {
		b.WriteString(s.Dim.Render(wrap("Browser on another machine, or a redirect to a page that is not this listener (https://example.org/…)? Press p and paste the URL the browser landed on.", width)))
	}
	lines := strings.Split(b.String(), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
