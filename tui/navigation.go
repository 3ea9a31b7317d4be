package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// globalKey handles the keys that act on every screen: ctrl+c always and,
// unless a text field has the keyboard, q and the ? that opens the help.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.common.keys
	switch {
	case key.Matches(msg, k.ForceQuit):
		return m.quit(), true
	case m.decode.open:
		return m.decode.update(msg, m.decodeOptions()), true
	case m.focusedField() != nil:
		return nil, false
	case key.Matches(msg, k.Quit):
		return m.quit(), true
	case key.Matches(msg, k.Help) && !m.help.open:
		m.help.show()
		return nil, true
	case key.Matches(msg, k.Decode) && !m.help.open:
		return m.decode.show(), true
	}
	return nil, false
}

// updateFocused hands a message to the child that has the keyboard: a text
// field (which gets every key but esc and enter), the help, a picker or the
// step screen. The mouse goes to the step screen, for the pane under it.
func (m *Model) updateFocused(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.MouseMsg); ok {
		if m.onStepScreen() && m.state != stateAwaitingCallback && !m.help.open {
			m.stepPanes, _ = m.stepPanes.update(msg, m.runner)
			m.syncPanes()
		}
		return nil
	}
	km, isKey := msg.(tea.KeyMsg)
	if f := m.focusedField(); f != nil {
		switch {
		case isKey && key.Matches(km, m.common.keys.Back):
			m.closeField()
			return nil
		case isKey && key.Matches(km, m.common.keys.Submit):
			return m.submitField()
		}
		return f.update(msg)
	}
	if !isKey {
		return nil
	}
	if m.help.open {
		m.help, _ = m.help.update(km)
		return nil
	}
	m.notice = ""
	switch m.state {
	case statePickFlow:
		return m.pickFlowKey(km)
	case statePickEnv:
		return m.pickEnvKey(km)
	case stateLoading:
		if key.Matches(km, m.common.keys.Back) {
			return m.back()
		}
		return nil
	}
	if m.runner == nil {
		return nil
	}
	return m.stepScreenKey(km)
}

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

func (m *Model) pickFlowKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.common.keys.Run) {
		it, ok := m.flowPicker.selected()
		if !ok {
			return nil
		}
		m.flow, _ = findFlow(m.deps.Flows, it.id)
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

// pickEnvKey chooses the environment: local builds the journey at once, a
// real one asks for its credentials first.
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
		if cmd, isProfile := m.chooseProfile(it.id); isProfile {
			return cmd
		}
		m.env = it.id
		if it.id == "local" {
			m.creds = nil
			return m.startJourney()
		}
		m.form = credentialsForm(m.common, m.env, m.creds, m.flow, m.reveal)
		m.state = stateCredentials
		m.layout()
		return nil
	}
	m.envPicker, _ = m.envPicker.update(msg)
	return nil
}

// stepScreenKey handles the step screen's own keys; the rest go to its
// panes.
func (m *Model) stepScreenKey(msg tea.KeyMsg) tea.Cmd {
	k := m.common.keys
	if cmd, ok := m.copyKeys(msg); ok {
		return cmd
	}
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Back):
		return m.back()
	case key.Matches(msg, k.Paste):
		if m.state == stateAwaitingCallback {
			m.paste = newForm(m.common, "", "", []formField{field("url", "Paste the URL the browser landed on:", "", "", "https://…?code=…&state=…", false)}, true)
			m.layout()
		}
		return nil
	case key.Matches(msg, k.Copy):
		return m.copy()
	case key.Matches(msg, k.Export):
		return m.export()
	case key.Matches(msg, k.Reveal):
		cmd = m.toggleReveal()
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
	case key.Matches(msg, k.Profile):
		m.openSaveProfile()
	default:
		m.stepPanes, cmd = m.stepPanes.update(msg, m.runner)
	}
	m.syncPanes()
	return cmd
}

// openEdit opens the selected step's inputs for editing.
func (m *Model) openEdit() {
	i := m.steps.cursor
	switch {
	case i >= m.runner.Len():
		m.notice = "Select a step to edit its inputs."
		return
	case m.running >= 0:
		m.notice = "Inputs can be edited once the running step finishes (esc cancels it)."
		return
	}
	m.form = inputsForm(m.common, i, m.runner.Flow.Steps[i], m.journey, m.reveal)
	if m.form == nil {
		m.notice = fmt.Sprintf("Step %d has no inputs to edit.", i+1)
		return
	}
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
	case m.form != nil && m.form.step == stepSaveProfile:
		m.saveProfile()
	case m.form != nil:
		m.applyEdit()
	}
	return nil
}

// applyEdit writes the form's changed inputs back to the journey; the step
// and every later one that had run go stale.
func (m *Model) applyEdit() {
	i := m.form.step
	changed, err := applyInputs(m.runner.Flow.Steps[i], m.journey, m.form.values())
	if err != nil {
		m.form.err = err.Error()
		return
	}
	m.form = nil
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

// copy is c: the selected step's curl command, or the authorise URL while
// the browser step waits.
func (m *Model) copy() tea.Cmd {
	if m.state == stateAwaitingCallback {
		if m.wait.authURL == "" {
			return nil
		}
		m.copyWhat = "Authorise URL"
		m.notice = "Authorise URL sent (OSC 52, unconfirmed): paste to check; u prints it whole."
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
	m.copyWhat = "curl command"
	m.notice = "curl command sent to the clipboard (OSC 52; the terminal does not confirm)."
	if !m.reveal {
		m.copyWhat = "curl command (secrets masked)"
		m.notice = "Sent (OSC 52, unconfirmed): curl, secrets masked; C copies it runnable."
	}
	return m.deps.Clipboard(m.renders[i].curl)
}
