package tui

import (
	"strings"

	"github.com/nhsauth/nhsauth/flows"
)

// View renders the whole screen: a header line, the current screen, and the
// status bar. It only reads caches filled by Update.
func (m *Model) View() string {
	c := m.common
	if c.width < 40 || c.height < 12 {
		return tooSmallView(c.width, c.height)
	}
	if m.fatalErr != nil {
		return c.styles.Fail.Render("✗ "+m.fatalErr.Error()) + "\n\nPress any key to quit."
	}
	var body string
	switch {
	case m.decode.open:
		body = m.decode.view()
	case m.help.open:
		body = m.help.view()
	case m.brk.open:
		body = m.brk.picker.view()
	case m.state == statePickFlow:
		body = m.flowPicker.view()
	case m.state == statePickEnv:
		body = m.envPicker.view()
	case m.state == stateCredentials && m.form != nil:
		body = m.form.view()
	case m.state == stateLoading || m.runner == nil:
		body = loadingView(c, m.flow, m.env, m.loadErr, m.spinner.View())
	case m.state == stateAwaitingCallback:
		body = waitView(c, m.wait, m.spinner.View(), m.paste, c.width, c.bodyHeight(), c.now())
	default:
		body = m.stepPanes.view(m.journeyView(), m.form)
	}
	env := ""
	if m.state >= stateLoading {
		env = m.env
	}
	flow := m.flow
	if m.state == statePickFlow {
		flow = nil // the flow of before is no longer chosen
	}
	where := whereView(flow, env, m.onStepScreen() && m.reveal)
	where += m.brk.where()
	return headerView(c, flow, env) + "\n" + body + "\n" + statusBar(c, where, m.notice, c.keys.forScreen(m.keyContext()))
}

// loadingView is the screen while the journey is built, or why it could not
// be.
func loadingView(c *common, f *flows.Flow, env string, loadErr error, spin string) string {
	s := c.styles
	var b strings.Builder
	what := "the flow"
	if f != nil {
		what = f.Title
	}
	if loadErr != nil {
		b.WriteString(s.Fail.Render("✗ Could not prepare "+what+" on "+env) + "\n\n")
		b.WriteString(wrap(loadErr.Error(), c.width-6) + "\n\n")
		b.WriteString(s.Dim.Render("esc goes back to the pickers · q quits"))
	} else {
		b.WriteString(s.Label.Render(spin) + " Preparing " + what + " on " + env + "…\n\n")
		b.WriteString(s.Dim.Render(wrap("Starting the local platform and making keys when needed; a new 4096-bit key takes a few seconds.", c.width-6)))
	}
	return c.frame("Getting ready", "", b.String(), c.width, c.bodyHeight(), false)
}

// keyContext is what the key map needs to know of the screen.
func (m *Model) keyContext() keyContext {
	return keyContext{
		state:   m.state,
		steps:   m.onStepScreen(),
		help:    m.help.open,
		decode:  m.decode.open,
		field:   m.focusedField() != nil,
		paste:   m.paste != nil,
		running: m.running >= 0,
		reveal:  m.reveal,
	}
}

// layout sizes every child for the current screen, the one place sizes are
// decided (the step screen shares its own columns out), then refills the
// step screen.
func (m *Model) layout() {
	c := m.common
	bh := c.bodyHeight()
	m.flowPicker.setSize(c.width, bh)
	m.envPicker.setSize(c.width, bh)
	m.help.setSize(c.width, bh)
	m.decode.setSize(c.width, bh)
	m.brk.picker.setSize(c.width, bh)
	m.stepPanes.setSize(c.width, bh)
	if m.form != nil {
		if m.state == stateCredentials {
			m.form.setSize(c.width, bh)
		} else {
			m.form.setSize(m.stepPanes.rightWidth(), bh)
		}
	}
	if m.paste != nil {
		m.paste.setSize(c.width, 3)
	}
	m.syncPanes()
}

// syncPanes fills the step screen's panes from the journey for the selected
// step.
func (m *Model) syncPanes() {
	if m.runner != nil {
		m.stepPanes.show(m.journeyView())
	}
}

// journeyView is what the step screen shows of the journey now.
func (m *Model) journeyView() journeyView {
	return journeyView{runner: m.runner, renders: m.renders, spin: m.spinner.View(), runStart: m.runStart, revealGen: m.revealGen, reveal: m.reveal}
}
