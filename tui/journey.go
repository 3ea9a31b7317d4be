package tui

import (
	"context"
	"errors"
	"log"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// The journey's life: built behind a spinner once the flow and environment
// are chosen, released when the user goes back to the pickers or quits.

// Credentials are what the credentials form asks of a real environment:
// each non-empty field takes the place of its command-line flag.
type Credentials struct {
	APIKey    string // --api-key
	KeyPath   string // --private-key
	APISecret string // --api-secret
}

// JourneyFunc builds the finished journey for a flow in an environment with
// the credentials typed in the wizard (starting the local platform when env
// is local), and returns a cleanup for when the wizard is done with it. main
// wires it to the builder of `run`, so every journey is built in one place.
type JourneyFunc func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error)

// startJourney builds a fresh journey behind the loading spinner.
func (m *Model) startJourney() tea.Cmd {
	m.releaseJourney()
	m.gen++
	m.state = stateLoading
	m.loadErr = nil
	m.ctx, m.cancel = context.WithCancel(m.deps.Context)
	if m.deps.Journey == nil {
		m.fatalErr = errors.New("tui: no way to build a journey")
		return nil
	}
	creds := Credentials{APIKey: m.creds["api-key"], KeyPath: m.creds["key-path"], APISecret: m.creds["api-secret"]}
	return tea.Batch(waitForJourney(m.ctx, m.deps.Journey, m.gen, m.flow.ID, m.env, creds), m.spinner.Tick)
}

// releaseJourney cancels the journey's steps and cleans it up.
func (m *Model) releaseJourney() {
	if m.cancel != nil {
		m.cancel()
	}
	if m.journey != nil && m.running < 0 {
		// Between the authorise and sign-in steps the loopback listener is
		// open; a running sign-in step closes it itself.
		m.journey.Login.CloseListener()
	}
	if m.cleanup != nil {
		m.cleanup()
	}
	m.cancel, m.cleanup, m.stepCancel = nil, nil, nil
	m.journey, m.runner, m.renders = nil, nil, nil
	m.running, m.autoRun = -1, false
}

// journeyReady installs the journey built for the chosen flow and env.
func (m *Model) journeyReady(msg journeyReadyMsg) tea.Cmd {
	if msg.gen != m.gen {
		if msg.cleanup != nil {
			msg.cleanup()
		}
		return nil
	}
	j := msg.journey
	m.journey, m.cleanup = j, msg.cleanup
	if m.reveal {
		j.Redact.Reveal = true
	}
	m.reveal = j.Redact.Reveal
	m.loginMode = j.Login.Mode
	m.runner = flows.NewRunner(m.brokenFlow(j), j)
	m.renders = make([]stepRender, m.runner.Len())
	m.refreshRenders(true) // nothing has run: no commands
	m.state = stateReady
	m.steps.cursor = 0
	m.focus = focusSteps
	m.notice = ""
	m.syncPanes()
	return nil
}

func (m *Model) handleErr(msg errMsg) tea.Cmd {
	if msg.gen == -1 || m.state != stateLoading || msg.gen != m.gen {
		if msg.gen == -1 {
			m.notice = msg.err.Error()
		}
		return nil
	}
	m.loadErr = msg.err
	log.Printf("tui: preparing %s on %s failed: %v", m.flow.ID, m.env, msg.err)
	return nil
}

// syncLoginMode follows the sign-in step's Test user input: a test user
// means signing in by the realm's login form as that user, without a
// browser (as --user does); no test user means the way the journey was
// built to sign in (the browser, unless --no-browser).
func (m *Model) syncLoginMode() {
	l := &m.journey.Login
	l.Mode = loginModeFor(l.User, m.loginMode)
}

// loginModeFor is how the sign-in goes after its test user was edited: by
// form with a user; without one, as the journey was built, or by printing
// the URL and waiting when it was built with --user.
func loginModeFor(user string, built flows.LoginMode) flows.LoginMode {
	switch {
	case user != "":
		return flows.LoginForm
	case built != flows.LoginForm:
		return built
	}
	return flows.LoginWait
}

// signInHow says in a few words how the browser step will get its code.
func signInHow(l flows.LoginState) string {
	switch l.Mode {
	case flows.LoginForm:
		if l.User == "" {
			return "signs in by submitting the login form (set a test user with e)"
		}
		return "signs in as " + l.User + " by submitting the login form, without a browser"
	case flows.LoginBrowser:
		return "opens the browser and waits for its redirect (or a pasted URL)"
	}
	return "prints the authorise URL and waits for its redirect or a pasted URL"
}
