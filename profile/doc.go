// Package profile keeps what nhsauth remembers between commands: saved
// profiles (an environment, API key, key file, callback and CIS2 client
// settings under a name), their secrets, and cached platform tokens.
//
// Profiles live in os.UserConfigDir()/nhsauth/profiles.json (mode 0600, in
// a 0700 folder, written atomically). Secrets (API secrets, client
// secrets) and cached tokens never go there: they go to the OS keyring
// through github.com/zalando/go-keyring, as gh keeps its tokens, and only
// where no keyring answers (headless Linux, CI) to secrets.json, a 0600
// file in the same folder, with a one-line warning.
//
// It is imported by package main only, and imports nothing of nhsauth's:
// not steps, flows, transcript, tui or mock.
package profile
