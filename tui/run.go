package tui

import (
	"context"
	"errors"
	"fmt"
	"log"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// startStep starts step i (or, as the Runner decides, the step that
// prepares it) and returns the Cmd that runs it. The result comes back as a
// stepDoneMsg (huh's nextGroupMsg): the wizard never advances in place.
func (m *Model) startStep(i int) tea.Cmd {
	if m.running >= 0 {
		m.notice = fmt.Sprintf("Step %d is still running: wait, or esc cancels it.", m.running+1)
		return nil
	}
	started, err := m.runner.Begin(i)
	if err != nil {
		m.autoRun = false
		if errors.Is(err, flows.ErrNotReady) {
			m.notice = fmt.Sprintf("Step %d needs the steps before it: enter runs the next one.", started+1)
		} else {
			m.notice = err.Error()
		}
		return nil
	}
	cmd := m.launch(started)
	if started != i {
		// The login step i would wait for is spent (its state was used,
		// its listener closed): the Runner makes a fresh one first.
		m.notice = fmt.Sprintf("Step %d's login was used up: step %d runs again first for a fresh one.", i+1, started+1)
	}
	return cmd
}

// launch shows step i, which the Runner has started, as running and
// returns the Cmd that runs it.
func (m *Model) launch(i int) tea.Cmd {
	step := m.runner.Flow.Steps[i]
	j := m.journey
	m.running = i
	m.runStart = m.common.now()
	m.steps.cursor = i
	m.notice = ""
	ctx, cancel := context.WithCancel(m.ctx)
	m.stepCancel = cancel
	m.state = stateRunning
	var notices tea.Cmd
	if step.Wait == flows.WaitBrowser && j.Login.Mode != flows.LoginForm {
		// Copy what the wait screen shows now: from here until the
		// stepDoneMsg the step owns the journey. (By form there is
		// nothing to wait for: the step signs in by itself.)
		m.state = stateAwaitingCallback
		m.wait = waitInfo{
			step: i, total: m.runner.Len(), title: step.Title,
			authURL: j.Login.AuthURL, listenAddr: j.Login.ListenAddr,
			deadline: j.Login.Deadline, pasted: j.Login.Pasted,
		}
		if m.wait.deadline.IsZero() && j.Login.LoginTimeout > 0 {
			m.wait.deadline = m.common.now().Add(j.Login.LoginTimeout)
		}
		notices = browserNotices(ctx, m.gen, i, &j.Login)
	}
	m.syncPanes()
	log.Printf("tui: step %d (%s) started", i+1, step.ID)
	return tea.Batch(runStep(ctx, m.gen, i, step, j), m.spinner.Tick, notices)
}

// stepDone records a step's outcome and decides what comes next: the next
// step when running all, the summary when the flow is finished.
func (m *Model) stepDone(msg stepDoneMsg) tea.Cmd {
	if msg.gen != m.gen || m.runner == nil || msg.i != m.running {
		return nil
	}
	if m.stepCancel != nil {
		m.stepCancel()
		m.stepCancel = nil
	}
	m.running = -1
	m.paste = nil
	m.notice = ""
	m.runner.Finish(msg.i, msg.outcome)
	log.Printf("tui: step %d %s", msg.i+1, m.runner.Result(msg.i).Status)
	var render tea.Cmd
	if m.pendingReveal {
		m.pendingReveal = false
		m.journey.Redact.Reveal = m.reveal
		m.revealGen++
		render = m.refreshRenders(true)
	} else {
		render = m.renderStep(msg.i)
		m.refreshRenders(false)
	}
	chained := m.runner.Chained() // the way to a step whose login was spent
	switch {
	case msg.outcome.Failed():
		m.state = stateFailed
		m.autoRun = false
		m.steps.cursor = msg.i
		if errors.Is(msg.outcome.Err, context.Canceled) {
			m.notice = fmt.Sprintf("Step %d cancelled: enter runs it again.", msg.i+1)
		}
	case m.runner.Finished():
		m.state = stateDone
		m.autoRun = false
		render = tea.Batch(render, m.buildSummary())
		m.steps.cursor = m.runner.Len() // the summary row
	default:
		m.state = stateReady
		if chained >= 0 {
			m.syncPanes()
			return tea.Batch(render, m.startStep(chained))
		}
		if m.autoRun {
			m.syncPanes()
			return tea.Batch(render, m.runNext())
		}
	}
	m.syncPanes()
	return render
}

// runNext starts the first step not yet done. Running all stops before a
// step that needs the user's own input.
func (m *Model) runNext() tea.Cmd {
	next := m.runner.Next()
	if next < 0 {
		m.autoRun = false
		m.notice = "Every step is done: r re-runs the selected step."
		return nil
	}
	if m.autoRun && m.runner.Flow.Steps[next].Wait == flows.WaitUser {
		m.autoRun = false
		m.steps.cursor = next
		m.notice = fmt.Sprintf("Step %d needs your input: e edits it, enter runs it.", next+1)
		m.syncPanes()
		return nil
	}
	return m.startStep(next)
}

// runSelected is enter on the step screen: run the selected step when it
// can run and has not succeeded, else the next step not yet done.
func (m *Model) runSelected() tea.Cmd {
	i := m.steps.cursor
	if i < m.runner.Len() && m.runner.CanRun(i) && m.runner.Result(i).Status != flows.StatusDone {
		return m.startStep(i)
	}
	return m.runNext()
}

// rerun is r: run the selected step again; the later ones go stale.
func (m *Model) rerun() tea.Cmd {
	i := m.steps.cursor
	if i >= m.runner.Len() {
		m.notice = "Select a step to re-run it."
		return nil
	}
	return m.startStep(i)
}

// sendPaste hands a pasted redirect URL to the waiting browser step without
// blocking: the step reads it from Journey.Login.Pasted.
func (m *Model) sendPaste(u string) {
	if u == "" {
		m.paste.err = "Paste the whole URL the browser landed on."
		return
	}
	select {
	case m.wait.pasted <- u:
		m.paste = nil
		m.notice = "Pasted URL handed to the sign-in step."
	default:
		m.paste.err = "A pasted URL is already waiting to be read; wait a moment."
	}
}

// toggleReveal shows or hides secrets everywhere. While a step runs the
// journey is the step's, so the change waits for its stepDoneMsg.
func (m *Model) toggleReveal() tea.Cmd {
	m.reveal = !m.reveal
	word := "hidden"
	if m.reveal {
		word = "shown"
	}
	if m.running >= 0 {
		m.pendingReveal = !m.pendingReveal
		m.notice = "Secrets will be " + word + " when the running step finishes."
		return nil
	}
	m.journey.Redact.Reveal = m.reveal
	m.revealGen++
	cmd := m.refreshRenders(true)
	if m.state == stateDone {
		cmd = tea.Batch(cmd, m.buildSummary())
	}
	m.notice = "Secrets " + word + "."
	return cmd
}
