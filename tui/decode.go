package tui

import (
	"context"
	"net/http"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nhsauth/nhsauth/doctor"
	"github.com/nhsauth/nhsauth/transcript"
)

// decodeModel is the screen d opens (issue 15): paste a token, press enter,
// and see it decoded, explained and checked, as nhsauth decode does
// (doctor.Decode). The token is shown masked; its header and claims are
// what it is for. esc closes it; ↑ ↓ and the page keys scroll the result.
type decodeModel struct {
	pager
	open  bool
	input textField
	seq   int // names the latest decode, for its decodeDoneMsg
	busy  bool
	// result is the rendered decode, or why the input is not a JWT.
	result string
}

// decodeDoneMsg carries a decode's outcome back to the wizard.
type decodeDoneMsg struct {
	seq int
	d   doctor.Decoded
	err error
}

func newDecode(c *common) decodeModel {
	in := newTextField()
	in.Prompt = "Token: "
	in.Placeholder = "paste a JWT (ID token, access token, client assertion, logout token)"
	// The pasted token is a secret like any other: the field shows dots,
	// and the result shows it decoded with its signature masked.
	in.EchoMode = echoPassword
	in.EchoCharacter = '•'
	return decodeModel{pager: newPager(c, 1), input: in}
}

// show opens the screen with an empty field that has the keyboard.
func (d *decodeModel) show() tea.Cmd {
	d.open, d.result, d.busy = true, "", false
	d.input.SetValue("")
	d.gotoTop()
	return d.input.Focus()
}

// update handles a key while the screen is open; enter returns the
// decode to run. Only keys that type nothing scroll, since tokens hold j
// and k.
func (d *decodeModel) update(msg tea.KeyMsg, opts doctor.DecodeOptions) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		d.open = false
		d.input.Blur()
		return nil
	case tea.KeyEnter:
		raw := strings.TrimSpace(d.input.Value())
		if raw == "" || d.busy {
			return nil
		}
		d.seq++
		d.busy, d.result = true, "Decoding and checking…"
		d.input.SetValue("") // ready for the next token
		seq := d.seq
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			dec, err := doctor.Decode(ctx, raw, opts)
			return decodeDoneMsg{seq: seq, d: dec, err: err}
		}
	case tea.KeyUp:
		d.scrollUp(1)
		return nil
	case tea.KeyDown:
		d.scrollDown(1)
		return nil
	case tea.KeyPgUp:
		d.pageUp()
		return nil
	case tea.KeyPgDown:
		d.pageDown()
		return nil
	}
	var cmd tea.Cmd
	d.input.Width = d.fieldWidth()
	d.input, cmd = d.input.Update(msg)
	return cmd
}

// fieldWidth is the token field's width: the text width less its prompt.
func (d decodeModel) fieldWidth() int {
	return max(10, d.textWidth()-len(d.input.Prompt)-1)
}

// done shows a decode's outcome, if it is the latest.
func (d *decodeModel) done(msg decodeDoneMsg) {
	if msg.seq != d.seq {
		return
	}
	d.busy = false
	if msg.err != nil {
		d.result = d.c.styles.Fail.Render("✗ "+msg.err.Error()) + "\n\nPaste the whole token: three base64url parts joined by dots."
		return
	}
	d.result = decodedView(d.c, msg.d, d.textWidth())
	d.gotoTop()
}

// view draws the field and the result in one frame.
func (d decodeModel) view() string {
	d.input.Width = d.fieldWidth()
	body := d.input.View() + "\n\n" + d.result
	d.setContent(body)
	footer := "enter decodes · esc closes"
	if d.moreBelow() {
		footer = "↓ more · " + footer
	}
	return d.pager.view("Decode a token", footer)
}

// decodedView renders a decoded token: its kind, header and claims as the
// Token tab shows them, then the platform's rules or the verification.
func decodedView(c *common, d doctor.Decoded, w int) string {
	s := c.styles
	var b strings.Builder
	b.WriteString(s.Section.Render(transcript.Capitalise(doctor.KindName(d.Kind))) + "\n\n")
	b.WriteString(tokenDoc{d.Token}.view(s, w, c.now(), true) + "\n") // true: Shown is masked already
	b.WriteString("\n" + s.Dim.Render("Signature: "+d.Signature+" (masked)") + "\n")
	if len(d.Rules) > 0 {
		b.WriteString("\n" + s.Section.Render("The platform's rules") + "\n" + checkLines(c, d.Rules, w))
		if d.Refusal != "" {
			b.WriteString(wrap(s.Fail.Render("The platform would answer: ")+d.Refusal, w) + "\n")
		}
	}
	switch {
	case d.Verified:
		b.WriteString("\n" + s.Section.Render("Verification") + "\n" + checkLines(c, d.Checks, w))
	case d.NotVerified != "":
		b.WriteString("\n" + wrap(s.Dim.Render("Not verified: "+d.NotVerified+"."), w) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// checkLines is one line per check, a failure's cause and fix beneath it.
func checkLines(c *common, checks []doctor.Check, w int) string {
	s := c.styles
	var b strings.Builder
	for _, ch := range checks {
		mark := s.Dim.Render(ch.Status.Symbol())
		switch ch.Status {
		case doctor.Pass:
			mark = s.OK.Render(ch.Status.Symbol())
		case doctor.Fail:
			mark = s.Fail.Render(ch.Status.Symbol())
		}
		b.WriteString(mark + " " + indentAfterFirst(wrap(ch.Name+s.Dim.Render(" · "+ch.Detail), w-2), 2) + "\n")
		if ch.Status == doctor.Fail {
			b.WriteString("  " + indentAfterFirst(wrap(ch.Cause+" "+ch.Fix, w-4), 2) + "\n")
		}
	}
	return b.String()
}

// decodeOptions verify a local token against the journey's local platform
// when there is one, through the journey's HTTP client.
func (m *Model) decodeOptions() doctor.DecodeOptions {
	o := doctor.DecodeOptions{HTTP: &http.Client{Timeout: 30 * time.Second}, Now: m.common.now()}
	if j := m.journey; j != nil {
		o.HTTP = j.HTTP
		if j.Env.Local {
			o.LocalBase = j.Env.APIBase
		}
	}
	return o
}
