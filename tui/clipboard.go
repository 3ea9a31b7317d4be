package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// Copying to the clipboard. A terminal never says whether an OSC 52
// sequence reached the clipboard (many refuse it, some ask the user), so
// the wizard says it sent it, not that it copied. Inside tmux it asks tmux
// itself (load-buffer), which answers: the text is then in tmux's paste
// buffer for certain, and tmux passes it on to the terminal's clipboard
// when its set-clipboard option allows.

// clipboardMsg reports how a copy went.
type clipboardMsg struct {
	confirmed bool   // the text is known to be in a paste buffer
	via       string // "tmux's paste buffer", "OSC 52"
	err       error
}

// copyToClipboard is the default Deps.Clipboard: tmux's load-buffer inside
// tmux (TMUX set), and an OSC 52 sequence on w, wrapped in tmux's or GNU
// screen's passthrough (DCS) when inside them, so the outer terminal gets it.
func copyToClipboard(w io.Writer, getenv func(string) string) func(text string) tea.Cmd {
	return func(text string) tea.Cmd {
		return func() tea.Msg {
			inTmux := getenv("TMUX") != ""
			if inTmux && tmuxLoadBuffer(text) == nil {
				return clipboardMsg{confirmed: true, via: "tmux's paste buffer"}
			}
			seq := osc52.New(text)
			switch {
			case inTmux:
				// Plain, for tmux to take when set-clipboard is on, and
				// wrapped, for the terminal outside when passthrough is on.
				if _, err := seq.WriteTo(w); err != nil {
					return clipboardMsg{err: err}
				}
				seq = seq.Tmux()
			case getenv("STY") != "" || strings.HasPrefix(getenv("TERM"), "screen"):
				seq = seq.Screen()
			}
			if _, err := seq.WriteTo(w); err != nil {
				return clipboardMsg{err: fmt.Errorf("tui: copy to clipboard: %w", err)}
			}
			return clipboardMsg{via: "OSC 52"}
		}
	}
}

// tmuxLoadBuffer puts text in tmux's paste buffer, and with -w (tmux 3.2
// and later) on the terminal's clipboard too, as set-clipboard allows.
func tmuxLoadBuffer(text string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", "load-buffer", "-w", "-")
	cmd.Stdin = strings.NewReader(text)
	if cmd.Run() == nil {
		return nil
	}
	cmd = exec.CommandContext(ctx, "tmux", "load-buffer", "-") // before 3.2
	cmd.Stdin = strings.NewReader(text)
	return cmd.Run()
}

func defaultClipboard() func(text string) tea.Cmd {
	return copyToClipboard(os.Stdout, os.Getenv)
}

// copied says how a copy of what went: for certain into tmux's buffer, or
// sent to the terminal, which does not confirm it.
func (m *Model) copied(msg clipboardMsg) {
	what := m.copyWhat
	if what == "" {
		what = "Text"
	}
	switch {
	case msg.err != nil:
		m.notice = fmt.Sprintf("Could not copy: %v.", msg.err)
	case msg.confirmed:
		m.notice = what + " copied to " + msg.via + "."
	}
}
