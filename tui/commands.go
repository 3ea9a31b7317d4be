package tui

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// COMMANDS: every tea.Cmd the wizard issues. All I/O happens here, never in
// Update or View.

// waitForJourney builds the journey for a flow and environment (which may
// start the local platform or generate keys) behind the loading spinner.
func waitForJourney(ctx context.Context, build JourneyFunc, gen int, flowID, env string, creds Credentials) tea.Cmd {
	return func() tea.Msg {
		j, cleanup, err := build(ctx, flowID, env, creds)
		if err != nil {
			if cleanup != nil {
				cleanup()
			}
			return errMsg{gen: gen, err: err}
		}
		if j == nil {
			return errMsg{gen: gen, err: fmt.Errorf("tui: no journey for %s on %s", flowID, env)}
		}
		return journeyReadyMsg{gen: gen, journey: j, cleanup: cleanup}
	}
}

// runStep runs step i of f over j. The step owns the journey until its
// stepDoneMsg arrives. A panicking step becomes a failed one rather than
// taking the terminal down with it.
func runStep(ctx context.Context, gen, i int, step flows.Step, j *flows.Journey) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				err := fmt.Errorf("tui: step %q panicked: %v\n%s", step.ID, r, debug.Stack())
				msg = stepDoneMsg{gen: gen, i: i, outcome: flows.Fail(err)}
			}
		}()
		if step.Run == nil {
			return stepDoneMsg{gen: gen, i: i, outcome: flows.Outcome{Summary: "Nothing to do."}}
		}
		return stepDoneMsg{gen: gen, i: i, outcome: step.Run(ctx, j)}
	}
}

// renderStepExchanges formats a finished step's exchanges (a 5 MB body takes
// a few hundred milliseconds) while the screen stays live.
func renderStepExchanges(gen, i, runs, revealGen int, s *Styles, exs []steps.Exchange, red *steps.Redactor) tea.Cmd {
	return func() tea.Msg {
		return renderedMsg{gen: gen, i: i, runs: runs, revealGen: revealGen, text: renderExchanges(s, exs, red)}
	}
}

// renderSummaryBody formats the API's response body for the summary.
func renderSummaryBody(seq int, s *Styles, body []byte, red *steps.Redactor) tea.Cmd {
	return func() tea.Msg {
		return summaryBodyMsg{seq: seq, text: renderBody(s, transcript.PresentBody(body, "", false, red))}
	}
}

// tick fires one tickMsg a second from now; the model asks for the next only
// while a countdown is on screen.
func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}
