package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// focusedField is the text form that has the keyboard, if any.
func (m *Model) focusedField() *formModel {
	switch {
	case m.paste != nil:
		return m.paste
	case m.form != nil:
		return m.form
	}
	return nil
}

// handleKey routes a key: a focused text field gets every key but ctrl+c,
// esc, enter and tab; then the global keys; then the current screen's.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.common.keys
	if key.Matches(msg, k.ForceQuit) {
		return m.quit()
	}
	if f := m.focusedField(); f != nil {
		switch {
		case key.Matches(msg, k.Back):
			m.closeField()
			return nil
		case key.Matches(msg, k.Submit):
			return m.submitField()
		}
		return f.update(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case m.showHelp:
		switch {
		case key.Matches(msg, k.Help, k.Back):
			m.showHelp = false
		case key.Matches(msg, k.Up):
			m.helpScroll--
		case key.Matches(msg, k.Down):
			m.helpScroll++
		case key.Matches(msg, k.PageUp, k.Top):
			m.helpScroll = 0
		case key.Matches(msg, k.PageDown, k.Bottom):
			m.helpScroll = m.maxHelpScroll()
		}
		m.helpScroll = max(0, min(m.helpScroll, m.maxHelpScroll()))
		return nil
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpScroll = true, 0
		return nil
	}
	m.notice = ""
	switch m.state {
	case statePickFlow:
		return m.pickFlowKey(msg)
	case statePickEnv:
		return m.pickEnvKey(msg)
	case stateLoading:
		if key.Matches(msg, k.Back) {
			return m.back()
		}
		return nil
	}
	if m.runner == nil {
		return nil
	}
	return m.stepScreenKey(msg)
}

func (m *Model) pickFlowKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.common.keys.Run) {
		it, ok := m.flowPicker.selected()
		if !ok {
			return nil
		}
		m.flow, _ = m.findFlow(it.id)
		if m.cfg.Env != "" {
			m.env = m.cfg.Env
			return m.startJourney()
		}
		m.state = statePickEnv
		return nil
	}
	m.flowPicker, _ = m.flowPicker.update(msg)
	return nil
}

func (m *Model) pickEnvKey(msg tea.KeyMsg) tea.Cmd {
	k := m.common.keys
	switch {
	case key.Matches(msg, k.Back):
		m.state = statePickFlow
		return nil
	case key.Matches(msg, k.Run):
		it, ok := m.envPicker.selected()
		if !ok {
			return nil
		}
		m.env = it.id
		if it.id == "local" {
			m.creds = nil
			return m.startJourney()
		}
		m.openCredentials()
		return nil
	}
	m.envPicker, _ = m.envPicker.update(msg)
	return nil
}

// openEdit opens the selected step's inputs for editing.
func (m *Model) openEdit() {
	i := m.steps.cursor
	if i >= m.runner.Len() {
		m.notice = "Select a step to edit its inputs."
		return
	}
	if m.running >= 0 {
		m.notice = "Inputs can be edited once the running step finishes (esc cancels it)."
		return
	}
	st := m.runner.Flow.Steps[i]
	var fields []formField
	for _, in := range st.Inputs {
		if in.Set == nil {
			continue
		}
		v := ""
		if in.Get != nil {
			v = in.Get(m.journey)
		}
		label := in.Label
		if label == "" {
			label = in.Key
		}
		fields = append(fields, field(in.Key, label, in.Help, v, "", in.Secret))
	}
	if len(fields) == 0 {
		m.notice = fmt.Sprintf("Step %d has no inputs to edit.", i+1)
		return
	}
	m.form = newForm(m.common, fmt.Sprintf("Inputs of step %d · %s", i+1, st.Title),
		"Changing an input marks this step and the ones after it to run again.", fields, m.reveal)
	m.formStep = i
	m.layout()
}

func (m *Model) closeField() {
	switch {
	case m.paste != nil:
		m.paste = nil
	case m.form != nil:
		m.form = nil
		if m.state == stateCredentials {
			m.state = statePickEnv
		}
	}
	m.layout()
}

// submitField is enter in a text field.
func (m *Model) submitField() tea.Cmd {
	switch {
	case m.paste != nil:
		m.sendPaste(strings.TrimSpace(m.paste.values()["url"]))
		return nil
	case m.state == stateCredentials:
		m.creds = m.form.values()
		m.form = nil
		return m.startJourney()
	case m.form != nil:
		m.applyEdit()
	}
	return nil
}

// applyEdit writes changed inputs back with Input.Set; the step and every
// later one that had run go stale.
func (m *Model) applyEdit() {
	i := m.formStep
	st := m.runner.Flow.Steps[i]
	vals := m.form.values()
	changed := false
	for _, in := range st.Inputs {
		v, ok := vals[in.Key]
		if !ok || in.Set == nil {
			continue
		}
		old := ""
		if in.Get != nil {
			old = in.Get(m.journey)
		}
		if v == old {
			continue
		}
		if err := in.Set(m.journey, v); err != nil {
			m.form.err = fmt.Sprintf("%s: %v", in.Label, err)
			return
		}
		if in.Secret {
			m.journey.Secret(v)
		}
		changed = true
	}
	m.form = nil
	m.formStep = -1
	if changed {
		mode := m.journey.Login.Mode
		m.syncLoginMode()
		m.runner.Invalidate(i)
		if m.state == stateDone || m.state == stateFailed {
			m.state = stateReady
		}
		m.refreshRenders(false)
		m.steps.cursor = i
		m.notice = fmt.Sprintf("Inputs saved: step %d and the ones after it will run again.", i+1)
		if l := m.journey.Login; l.Mode != mode {
			m.notice = fmt.Sprintf("Saved: step %d now %s.", i+1, signInHow(l))
		}
	}
	m.layout()
}

// back is esc outside text fields: cancel the running step, or go back to
// the pickers.
func (m *Model) back() tea.Cmd {
	if m.stepCancel != nil {
		m.stepCancel()
		m.autoRun = false
		m.notice = "Cancelling the running step…"
		return nil
	}
	m.releaseJourney()
	m.gen++
	m.loadErr = nil
	if m.cfg.Env == "" {
		m.state = statePickEnv
	} else {
		m.state = statePickFlow
	}
	m.layout()
	return nil
}

// stepScreenKey handles keys on the step screen.
func (m *Model) stepScreenKey(msg tea.KeyMsg) tea.Cmd {
	k := m.common.keys
	switch {
	case key.Matches(msg, k.Back):
		return m.back()
	case key.Matches(msg, k.Paste):
		if m.state == stateAwaitingCallback {
			f := newForm(m.common, "", "", []formField{field("url", "Paste the URL the browser landed on:", "", "", "https://…?code=…&state=…", false)}, true)
			f.setSize(m.common.width, 3)
			m.paste = f
		}
		return nil
	case key.Matches(msg, k.Copy):
		return m.copy()
	case key.Matches(msg, k.Reveal):
		cmd := m.toggleReveal()
		m.syncPanes()
		return cmd
	case key.Matches(msg, k.Run):
		return m.runSelected()
	case key.Matches(msg, k.RunAll):
		m.autoRun = true
		if m.running >= 0 {
			m.notice = "Running all: the rest follow the running step."
			return nil
		}
		return m.runNext()
	case key.Matches(msg, k.Rerun):
		return m.rerun()
	case key.Matches(msg, k.Edit):
		m.openEdit()
	case key.Matches(msg, k.NextPane):
		m.focus = (m.focus + 1) % numPanes
	case key.Matches(msg, k.PrevPane):
		m.focus = (m.focus + numPanes - 1) % numPanes
	case key.Matches(msg, k.NextTab):
		m.pane.switchTab(1)
	case key.Matches(msg, k.PrevTab):
		m.pane.switchTab(-1)
	default:
		m.scrollFocused(msg)
	}
	m.syncPanes()
	return nil
}

// scrollFocused sends a scroll key to the focused pane. Page keys scroll the
// exchange pane (or the summary) even from the step list.
func (m *Model) scrollFocused(msg tea.KeyMsg) {
	k := m.common.keys
	onSummary := m.steps.onSummary(m.runner)
	paging := key.Matches(msg, k.PageUp, k.PageDown)
	switch {
	case m.focus == focusSteps && !paging:
		m.steps, _ = m.steps.update(msg, m.runner)
	case onSummary:
		m.summary, _ = m.summary.update(msg)
	case m.focus == focusDetail:
		m.detail, _ = m.detail.update(msg)
	default:
		m.pane, _ = m.pane.update(msg)
	}
}

// handleMouse scrolls the pane under the pointer.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if !m.onStepScreen() || m.state == stateAwaitingCallback || m.showHelp {
		return nil
	}
	x, y := msg.X, msg.Y
	lw := m.steps.width
	switch {
	case x < lw:
		if msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				m.steps.cursor--
			case tea.MouseButtonWheelDown:
				m.steps.cursor++
			}
			m.steps.clamp(m.runner)
		}
	case m.steps.onSummary(m.runner):
		m.summary, _ = m.summary.update(msg)
	case y < 1+m.detail.height:
		m.detail, _ = m.detail.update(msg)
	default:
		m.pane, _ = m.pane.update(msg)
	}
	m.syncPanes()
	return nil
}

// copy is c: the selected step's curl command, or the authorise URL while
// the browser step waits.
func (m *Model) copy() tea.Cmd {
	if m.state == stateAwaitingCallback {
		if m.wait.authURL == "" {
			return nil
		}
		m.notice = "Authorise URL copied to the clipboard (OSC 52)."
		return m.deps.Clipboard(m.wait.authURL)
	}
	i := m.steps.cursor
	if i < len(m.renders) && m.renders[i].pending {
		m.notice = "Still formatting this step's exchanges: a moment."
		return nil
	}
	if i >= len(m.renders) || m.renders[i].curl == "" {
		m.notice = "This step sent nothing over the wire: no curl command to copy."
		return nil
	}
	m.notice = "curl command copied to the clipboard (OSC 52)."
	if !m.reveal {
		m.notice = "curl command copied (OSC 52), secrets masked: s shows them."
	}
	return m.deps.Clipboard(m.renders[i].curl)
}
