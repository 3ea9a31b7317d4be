package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/nhsauth/nhsauth/flows"
)

// View renders the whole screen: a header line, the current screen, and the
// status bar. It only reads caches filled by Update.
func (m *Model) View() string {
	c := m.common
	if c.width < 40 || c.height < 12 {
		return fmt.Sprintf("The terminal is %d×%d: nhsauth needs at least %d×%d.", c.width, c.height, minWidth, minHeight)
	}
	if m.fatalErr != nil {
		return c.styles.Fail.Render("✗ "+m.fatalErr.Error()) + "\n\nPress any key to quit."
	}
	var body string
	switch {
	case m.showHelp:
		body = m.helpView()
	case m.state == statePickFlow:
		body = m.flowPicker.view()
	case m.state == statePickEnv:
		body = m.envPicker.view()
	case m.state == stateCredentials && m.form != nil:
		body = m.form.view()
	case m.state == stateLoading || m.runner == nil:
		body = m.loadingView()
	case m.state == stateAwaitingCallback:
		body = waitView(c, m.wait, m.spinner.View(), m.paste, c.width, m.bodyHeight(), c.now())
	default:
		body = joinColumns(m.steps.view(m.runner, m.spinner.View()), m.rightView())
	}
	return m.headerView() + "\n" + body + "\n" + statusBar(c, m.where(), m.notice, m.shortHelp())
}

func (m *Model) bodyHeight() int { return max(1, m.common.height-2) }

// headerView is the top line: the product, the flow and the environment.
func (m *Model) headerView() string {
	s := m.common.styles
	h := s.Header.Render(" nhsauth")
	if m.flow != nil {
		h += s.HeaderDim.Render(" · ") + m.flow.Title
	}
	if m.env != "" && m.state >= stateLoading {
		h += s.HeaderDim.Render(" · ") + m.env
	}
	return fit(h, m.common.width)
}

// where is the status bar's left part.
func (m *Model) where() string {
	var parts []string
	if m.flow != nil {
		parts = append(parts, m.flow.ID)
	}
	if m.env != "" && m.state >= stateLoading {
		parts = append(parts, m.env)
	}
	if m.onStepScreen() && m.reveal {
		// Hidden is the default, and "s show secrets" says so; shown is
		// worth a warning (a screenshot would leak them).
		parts = append(parts, "secrets shown")
	}
	if len(parts) == 0 {
		return "nhsauth"
	}
	return strings.Join(parts, " · ")
}

// rightView is the step screen's right column: the summary, the input form,
// or the detail, diagnosis and exchange panes.
func (m *Model) rightView() string {
	switch {
	case m.form != nil:
		return m.form.view()
	case m.steps.onSummary(m.runner):
		return m.summary.view()
	}
	out := m.detail.view()
	if i := m.steps.cursor; i < len(m.renders) && m.renders[i].failed && m.diagHeight > 0 {
		out += "\n" + diagnosisView(m.common, &m.renders[i], m.rightWidth(), m.diagHeight)
	}
	return out + "\n" + m.pane.view()
}

func (m *Model) loadingView() string {
	c := m.common
	s := c.styles
	var b strings.Builder
	what := "the flow"
	if m.flow != nil {
		what = m.flow.Title
	}
	if m.loadErr != nil {
		b.WriteString(s.Fail.Render("✗ Could not prepare "+what+" on "+m.env) + "\n\n")
		b.WriteString(wrap(m.loadErr.Error(), c.width-6) + "\n\n")
		b.WriteString(s.Dim.Render("esc goes back to the pickers · q quits"))
	} else {
		b.WriteString(s.Label.Render(m.spinner.View()) + " Preparing " + what + " on " + m.env + "…\n\n")
		b.WriteString(s.Dim.Render(wrap("Starting the local platform and making keys when needed; a new 4096-bit key takes a few seconds.", c.width-6)))
	}
	return c.frame("Getting ready", "", b.String(), c.width, m.bodyHeight(), false)
}

// helpBody is the full help: every key from the key map, the status
// glyphs, and how text fields, the mouse and secrets behave.
func (m *Model) helpBody() string {
	c := m.common
	h := c.help
	h.ShowAll = true
	// Every key, enabled here or not, in two rows of columns so it fits 80
	// columns.
	all := *c.keys
	groups := all.FullHelp()
	for _, g := range groups {
		for i := range g {
			g[i].SetEnabled(true)
		}
	}
	w := innerWidth(c.width)
	var b strings.Builder
	b.WriteString(h.FullHelpView(groups[:2]) + "\n\n" + h.FullHelpView(groups[2:]) + "\n\n")
	var legend []string
	for st := flows.StatusPending; st <= flows.StatusStale; st++ {
		legend = append(legend, c.styles.Status[st].Render(glyphs[st])+" "+st.String())
	}
	b.WriteString(c.styles.Bold.Render("Step status") + "  " + strings.Join(legend, "  ") + "\n")
	b.WriteString(c.styles.Dim.Render(wrap("A stale step ran before an earlier step ran again or its inputs changed: run it again.", w)) + "\n")
	b.WriteString("\n" + c.styles.Dim.Render(wrap("While a text field has focus, keys type into it: only ctrl+c, esc, enter and tab act on the wizard. The mouse wheel scrolls the pane under the pointer. Secrets are masked everywhere until s shows them; a private key is never shown.", w)))
	return b.String()
}

// helpLines is how many lines of help fit in its frame.
func (m *Model) helpLines() int { return max(1, m.bodyHeight()-2) }

// maxHelpScroll is the furthest the help can scroll.
func (m *Model) maxHelpScroll() int {
	return max(0, strings.Count(m.helpBody(), "\n")+1-m.helpLines())
}

func (m *Model) helpView() string {
	c := m.common
	lines := strings.Split(m.helpBody(), "\n")
	off := max(0, min(m.helpScroll, len(lines)-m.helpLines()))
	lines = lines[off:]
	footer := "? or esc closes"
	if len(lines) > m.helpLines() {
		footer = "↓ more · " + footer
	}
	return c.frame("Help", footer, strings.Join(lines, "\n"), c.width, m.bodyHeight(), false)
}

// shortHelp is the status bar's keys for the current screen.
func (m *Model) shortHelp() []key.Binding {
	k := m.common.keys
	switch {
	case m.focusedField() != nil:
		return k.fieldHelp()
	case m.showHelp:
		return []key.Binding{k.Help, k.Quit}
	case m.state == statePickFlow || m.state == statePickEnv:
		return []key.Binding{k.Up, k.Down, k.Run, k.Back, k.Help, k.Quit}
	case m.state == stateLoading:
		return []key.Binding{k.Back, k.Quit}
	case m.state == stateAwaitingCallback:
		return []key.Binding{k.Paste, k.Copy, k.Back, k.Quit}
	case m.running >= 0:
		return k.runningHelp()
	}
	return k.ShortHelp()
}

// syncKeys enables the bindings that act on the current screen and names
// them for it, so the help never lists a key that does nothing.
func (m *Model) syncKeys() {
	k := m.common.keys
	steps := m.onStepScreen()
	picking := m.state == statePickFlow || m.state == statePickEnv
	for _, b := range []*key.Binding{&k.RunAll, &k.Rerun, &k.Edit, &k.NextPane, &k.PrevPane, &k.PrevTab, &k.NextTab, &k.Copy, &k.Reveal} {
		b.SetEnabled(steps)
	}
	k.Run.SetEnabled(steps || picking)
	k.Up.SetEnabled(steps || picking || m.showHelp)
	k.Down.SetEnabled(steps || picking || m.showHelp)
	k.Top.SetEnabled(steps || picking || m.showHelp)
	k.Bottom.SetEnabled(steps || picking || m.showHelp)
	k.PageUp.SetEnabled(steps || m.showHelp)
	k.PageDown.SetEnabled(steps || m.showHelp)
	k.Paste.SetEnabled(m.state == stateAwaitingCallback)
	k.Back.SetEnabled(m.state != statePickFlow || m.focusedField() != nil || m.showHelp)
	if picking {
		k.Run.SetHelp("enter", "choose")
	} else {
		k.Run.SetHelp("enter", "run")
	}
	if m.showHelp {
		k.Help.SetHelp("?/esc", "close help")
	} else {
		k.Help.SetHelp("?", "help")
	}
	// What enter does in a text field, and whether there is another field.
	k.NextField.SetEnabled(true)
	switch {
	case m.paste != nil:
		k.Submit.SetHelp("enter", "send")
		k.NextField.SetEnabled(false)
	case m.state == stateCredentials:
		k.Submit.SetHelp("enter", "continue")
	default:
		k.Submit.SetHelp("enter", "save")
	}
	switch {
	case m.state == stateAwaitingCallback:
		k.Copy.SetHelp("c", "copy URL")
		k.Back.SetHelp("esc", "cancel")
	case steps:
		k.Copy.SetHelp("c", "copy curl")
		k.Back.SetHelp("esc", "back")
		if m.running >= 0 {
			k.Back.SetHelp("esc", "cancel step")
		}
	default:
		k.Back.SetHelp("esc", "back")
	}
	if m.reveal {
		k.Reveal.SetHelp("s", "hide secrets")
	} else {
		k.Reveal.SetHelp("s", "show secrets")
	}
}

// rightWidth is the width of the step screen's right column.
func (m *Model) rightWidth() int { return m.common.width - m.leftWidth() }

func (m *Model) leftWidth() int { return max(24, min(36, m.common.width*3/10)) }

// layout sizes every child for the current screen.
func (m *Model) layout() {
	c := m.common
	bh := m.bodyHeight()
	m.flowPicker.setSize(c.width, bh)
	m.envPicker.setSize(c.width, bh)
	if m.form != nil {
		if m.state == stateCredentials {
			m.form.setSize(c.width, bh)
		} else {
			m.form.setSize(m.rightWidth(), bh)
		}
	}
	if m.paste != nil {
		m.paste.setSize(c.width, 3)
	}
	m.steps.setSize(m.leftWidth(), bh)
	m.summary.setSize(m.rightWidth(), bh)
	m.syncPanes()
	m.syncKeys()
}

// syncPanes fills the step screen's panes for the selected step and shares
// the right column's height between detail, diagnosis and exchanges.
func (m *Model) syncPanes() {
	if m.runner == nil {
		return
	}
	c := m.common
	m.steps.clamp(m.runner)
	m.steps.focused = m.focus == focusSteps
	m.detail.focused = m.focus == focusDetail
	m.pane.focused = m.focus == focusExchange
	m.summary.focused = m.focus != focusSteps
	i := m.steps.cursor
	if i >= m.runner.Len() {
		return // the summary row
	}
	rw, bh := m.rightWidth(), m.bodyHeight()
	rd := &m.renders[i]
	title, body := stepDetail(c, m.runner, i, rd, m.spinner.View(), innerWidth(rw))
	m.detail.setContent(title, body)

	// Before a step has run its explanation may take most of the column;
	// afterwards the exchanges matter more and the detail scrolls. A
	// failed step's diagnosis comes first of all.
	const paneMin, detailMin = 6, 4
	m.diagHeight = 0
	res := m.runner.Result(i)
	detailMax := bh - paneMin
	switch {
	case rd.failed && res.Status != flows.StatusRunning:
		m.diagHeight = min(diagnosisHeight(c, rd, rw), bh-paneMin-detailMin)
		detailMax = min(bh-m.diagHeight-paneMin, max(detailMin, bh/4))
	case res.Runs > 0 || res.Status == flows.StatusRunning:
		detailMax = min(detailMax, max(6, bh*2/5))
	}
	detailH := max(4, min(m.detail.wantHeight(), detailMax))
	m.detail.setSize(rw, detailH)
	m.pane.setSize(rw, max(3, bh-detailH-m.diagHeight))

	note := ""
	switch {
	case res.Status == flows.StatusRunning:
		note = "Running"
		if res.Runs > 0 {
			note = "Running again"
		}
		if d := c.now().Sub(m.runStart); d >= time.Second {
			note += fmt.Sprintf(" for %d s", int(d/time.Second))
		}
		note += "… esc cancels it."
	case res.Runs == 0:
		note = "Not run yet."
		if m.runner.CanRun(i) {
			note += " enter runs it; a runs every remaining step."
		}
	case rd.pending && m.pane.tab != tabToken:
		note = "Formatting the exchanges…"
	}
	m.pane.show(i, rd, note, c.now(), m.revealGen, m.reveal)
}
