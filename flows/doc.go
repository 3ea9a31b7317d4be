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
// Runner.Start/Finish (or RunAll) step by step.
package flows
