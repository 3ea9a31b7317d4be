// Package tui is nhsauth's terminal wizard: Bubble Tea models that render a
// flows.Flow and drive it one step at a time.
//
// The root Model (model.go) owns the state machine and the flows.Runner; small
// child models render the pickers, the step list, the step detail, the
// exchange pane (Request, Response, Token, curl), the diagnosis box, the
// summary and the status bar. Every step runs inside a tea.Cmd and its result
// comes back as a stepDoneMsg; the root model advances only on messages
// (STYLE.md §2.3). Styles live in styles.go, key bindings in keys.go, and every
// tea.Cmd factory in commands.go.
//
// The journey is touched only while no step runs: a step's Run owns it from
// start to finish, so everything the screen shows of it (inputs, exchanges,
// redacted text) is rendered into caches when a step finishes.
//
// tui imports flows and steps; it never imports mock or main, and nothing in
// flows or steps imports it.
package tui
