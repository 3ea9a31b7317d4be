// Package tui is nhsauth's terminal wizard: Bubble Tea models that render a
// flows.Flow and drive it one step at a time.
//
// The root Model (model.go) owns the state machine and the flows.Runner; it
// routes messages in glow's order (a fatal error, the global keys, the resize
// fan-out, domain messages, then the focused child only) and sizes every
// child in one layout function. Small child models own their behaviour: the
// pickers and the step list share one list cursor (cursor.go); the step
// panes (steppanes.go) move the focus between the step list, the step detail
// and the exchange pane, route scroll keys and the mouse to them and share
// the right column out; the exchange pane owns its tabs (Request, Response,
// Token, curl); the detail, the summary, the exchange pane and the help embed
// one scrolling pager (pager.go). Every step runs inside a tea.Cmd and its
// result comes back as a stepDoneMsg; the root model advances only on
// messages (STYLE.md §2.3). Styles live in styles.go, key bindings and which
// of them act on each screen in keys.go, and every tea.Cmd factory in
// commands.go.
//
// The journey is touched only while no step runs: a step's Run owns it from
// start to finish, so everything the screen shows of it (inputs, exchanges,
// redacted text) is rendered into caches when a step finishes.
//
// tui imports flows and steps; it never imports mock or main, and nothing in
// flows or steps imports it.
package tui
