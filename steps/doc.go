// Package steps holds one protocol step per function: each builds a request,
// sends it through an injected *http.Client, records the round trips as
// Exchanges, and reads the reply. Failures carry Hints, a plain diagnosis of
// cause and fix.
//
// Steps take a context first, the client second and a small parameter
// struct; they return what they learned, their exchanges (even on failure)
// and an error. The clock, the browser opener and the loopback listener are
// injected, so every step runs in tests without a network, a browser or a
// terminal.
//
// steps imports only the standard library, keystore and well-kept protocol
// libraries. It must never import flows, tui, mock, bubbletea or lipgloss.
package steps
