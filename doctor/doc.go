// Package doctor checks an app's whole setup for the NHS England API
// platform (nhsauth doctor) and explains and verifies any JWT (nhsauth
// decode), for the job "debugging a failed login".
//
// Every check reuses what the flows already do: keys and JWKS documents
// through keystore, requests through steps (the one recording HTTP client,
// the one signer steps.PlatformAuth), and the diagnoses steps and
// transcript already word (steps.HintsOf, steps.Diagnose,
// transcript.Wording). Facts: reference §2.2–§2.7 (client credentials),
// §3.4–§3.6 (token exchange), §4 (combined), §5.5 and §5.7 (the mock), §6
// (CIS2).
//
// Dependency direction: main → tui → doctor → transcript → flows → steps →
// keystore. doctor never imports tui, bubbletea, lipgloss or mock.
package doctor
