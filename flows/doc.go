// Package flows turns protocol steps into named, explained journeys: each
// Flow is an ordered list of Steps sharing one Journey (environment,
// credentials, keys, state, nonce, PKCE verifier, code, tokens), and a small
// Runner knows which step is next, which may be re-run and which went stale.
//
// The same flows drive the wizard (tui), the headless runner (nhsauth run)
// and the seed-compatible commands (get-token, call-api). flows contains no
// UI: it must never import tui, bubbletea, lipgloss or mock.
//
// Call order of every flow: NewJourney, then NewRunner(flow, journey), then
// either Runner.Begin/Finish step by step (the wizard runs each step in a
// tea.Cmd and follows Runner.Chained), or Runner.Drive (run, get-token,
// call-api). The Runner alone decides what runs: Begin re-runs the step
// that prepares a step whose preparation was spent (Step.PreparedBy).
package flows
