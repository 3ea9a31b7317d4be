package tui

import (
	"time"

	"github.com/nhsauth/nhsauth/flows"
)

// Messages are private and named …Msg (STYLE.md §2.3). Each one that answers
// a journey carries its generation, so a reply that arrives after the user
// went back to the pickers is dropped.

// journeyReadyMsg says the journey for the chosen flow and environment is
// built (the local platform started, if needed).
type journeyReadyMsg struct {
	gen     int
	journey *flows.Journey
	cleanup func()
}

// errMsg is a failure outside any step: building the journey, copying.
type errMsg struct {
	gen int
	err error
}

func (e errMsg) Error() string { return e.err.Error() }

// stepDoneMsg carries step i's outcome.
type stepDoneMsg struct {
	gen     int
	i       int
	outcome flows.Outcome
}

// renderedMsg carries a step's exchange tabs, rendered off the update loop;
// it is dropped unless it still matches the step's run and the secrets
// setting.
type renderedMsg struct {
	gen, i, runs, revealGen int
	text                    renderedExchanges
}

// summaryBodyMsg carries the summary's API body, rendered off the update
// loop; seq names the summary it belongs to.
type summaryBodyMsg struct {
	seq  int
	text string
}

// tickMsg drives the countdowns, once a second, only while one is visible.
type tickMsg time.Time
