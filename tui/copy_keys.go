package tui

import (
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/transcript"
)

// The keys that hand text over whole: C copies the selected step's curl
// command with its secrets (after a warning), u prints the authorise URL to
// the terminal's scrollback, where the terminal wraps it softly and its own
// selection copies it in one piece.

// scrolledMsg reports that text was printed to the scrollback.
type scrolledMsg struct{ err error }

// printToScrollback is the default Deps.Scrollback: it leaves the
// alternate screen (xterm's mode 1049, which keeps the normal screen and
// its cursor), writes text there, and comes back. Bubble Tea cannot print
// while the alternate screen is on (tea.Println does nothing then), and
// leaving it through Bubble Tea would paint the whole frame on the normal
// screen.
func printToScrollback(w io.Writer) func(text string) tea.Cmd {
	return func(text string) tea.Cmd {
		return tea.Sequence(func() tea.Msg {
			_, err := io.WriteString(w, "\x1b[?1049l"+text+"\r\n\x1b[?1049h")
			return scrolledMsg{err: err}
		}, tea.ClearScreen)
	}
}

func defaultScrollback() func(text string) tea.Cmd { return printToScrollback(os.Stdout) }

// copyKeys handles C and u on the step screen, and reports whether msg was
// one of them. Any other key disarms C.
func (m *Model) copyKeys(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.common.keys
	armed := m.secretCopyArmed
	m.secretCopyArmed = false
	switch {
	case key.Matches(msg, k.CopyRun):
		return m.copySecretCurl(armed), true
	case key.Matches(msg, k.PrintURL):
		return m.printURL(), true
	}
	return nil, false
}

// copySecretCurl is C: the first press warns, the second copies the
// selected step's curl command with every secret in clear, so it runs.
func (m *Model) copySecretCurl(armed bool) tea.Cmd {
	i := m.steps.cursor
	switch {
	case m.running >= 0:
		m.notice = "Wait for the running step to finish (esc cancels it), then C copies a runnable curl command."
		return nil
	case i >= m.runner.Len() || m.runner.Result(i).Runs == 0:
		m.notice = "Select a step that has run: C copies its curl command with the secrets in it."
		return nil
	}
	red := m.journey.Redact.Clone()
	red.Reveal = true
	curl := renderCurl(transcript.PresentAll(m.runner.Result(i).Outcome.Exchanges, red))
	if curl == "" {
		m.notice = "This step sent nothing over the wire: no curl command to copy."
		return nil
	}
	if !armed {
		m.secretCopyArmed = true
		m.notice = "Press C again to copy curl WITH its secrets in clear (anyone can use them)."
		return nil
	}
	m.copyWhat = "Runnable curl (secrets in clear)"
	if strings.Contains(curl, "client_assertion=") {
		// reference §2.7: the platform takes each jti once.
		m.copyWhat = "Runnable curl (secrets in clear; its client_assertion is spent, one use per jti: nhsauth assertion signs a fresh one)"
	}
	m.notice = m.copyWhat + " sent (OSC 52, unconfirmed): clear it after."
	return m.deps.Clipboard(curl)
}

// printURL is u: the authorise URL, whole, in the scrollback.
func (m *Model) printURL() tea.Cmd {
	u := m.wait.authURL
	if m.state != stateAwaitingCallback {
		u = ""
		if m.running < 0 && m.journey != nil {
			u = m.journey.Login.AuthURL
		}
	}
	if u == "" {
		m.notice = "No authorise URL yet: the step that builds it has not run."
		return nil
	}
	m.notice = "Authorise URL printed whole to the normal screen: in the scrollback after q."
	return m.deps.Scrollback(transcript.Line(u))
}
