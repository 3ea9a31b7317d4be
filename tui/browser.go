package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
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
	note        string // what the step said meanwhile (the browser command failed)
}

// browserNoticeMsg carries what the waiting sign-in step says at once
// (flows.LoginState.Notify); next listens for the one after.
type browserNoticeMsg struct {
	gen, i int
	text   string
	next   tea.Cmd
}

// browserNotices sets l.Notify for step i, about to wait on the browser: the
// step's goroutine puts each notice on a channel, never on the terminal, and
// the returned Cmd reads it into the update loop until ctx ends (the step
// finished or was cancelled).
func browserNotices(ctx context.Context, gen, i int, l *flows.LoginState) tea.Cmd {
	ch := make(chan string, 4)
	l.Notify = func(msg string) {
		select {
		case ch <- msg:
		default: // a step says this once or twice: more is noise
		}
	}
	var next tea.Cmd
	next = func() tea.Msg {
		select {
		case text := <-ch:
			return browserNoticeMsg{gen: gen, i: i, text: text, next: next}
		case <-ctx.Done():
			return nil
		}
	}
	return next
}

// browserNotice shows a notice of the waiting step on the wait screen and
// in the status bar, while the wait goes on.
func (m *Model) browserNotice(msg browserNoticeMsg) tea.Cmd {
	if msg.gen != m.gen || msg.i != m.running || m.state != stateAwaitingCallback {
		return nil
	}
	text := transcript.Text(msg.text)
	m.notice, m.wait.note = text, text
	m.syncPanes()
	return msg.next
}

// waitView is the browser step while it waits: a spinner, the authorise URL
// in full (hard-wrapped with nothing beside it, so it can be selected and
// copied), the listener's address and the login timeout counting down.
func waitView(c *common, w waitInfo, spin string, paste *formModel, width, height int, now time.Time) string {
	s := c.styles
	var b strings.Builder
	b.WriteString(s.Section.Render(fmt.Sprintf("Step %d of %d · %s", w.step+1, w.total, w.title)) + "\n\n")
	b.WriteString(s.Label.Render(spin) + " Waiting for you to sign in in the browser…\n\n")
	if w.note != "" {
		b.WriteString(s.Warn.Render(wrap(w.note, width)) + "\n\n")
	}
	if w.authURL != "" {
		b.WriteString("If no browser opened, open this address yourself (c copies it, u prints it whole):\n")
		b.WriteString(c.linkURLs(w.authURL, ansi.Hardwrap(w.authURL, width, false)) + "\n\n")
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
