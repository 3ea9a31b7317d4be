// Command nhsauth walks developers through NHS England's API platform and
// CIS2 authentication one documented step at a time, against the real
// environments or its own local platform.
//
// main parses the command line (cli.go, on cobra), wires dependencies and
// runs one command; each command lives in a cmd_*.go file. Only main knows
// both the flows and the local platform.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/nhsauth/nhsauth/internal/quietterm"
	"github.com/nhsauth/nhsauth/profile"
)

// cliEnv is what every command gets from the process: arguments aside.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     bool // stdout is a terminal
	stdinTerminal  bool // stdin is a terminal

	store *profile.Store // opened on first use (cmd_profile.go)
}

// Exit codes.
const (
	exitOK          = 0
	exitFail        = 1   // the command ran and failed (a step failed, a request was refused)
	exitUsage       = 2   // the command line was wrong
	exitInterrupted = 130 // Ctrl+C: 128 + SIGINT, as shells report it
)

func main() {
	quietterm.Restore()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		isTerminal: isTerminal(os.Stdout), stdinTerminal: isTerminal(os.Stdin)}
	os.Exit(runMain(env, os.Args[1:]))
}

func usage(w io.Writer) {
	fmt.Fprint(w, `nhsauth: a step-by-step guide to NHS England API platform and CIS2 authentication.

Usage:
  nhsauth [command] [flags]

Commands:
`)
	for _, c := range newRootCmd(&cliEnv{stdout: io.Discard, stderr: io.Discard}).Commands() {
		if c.IsAvailableCommand() {
			fmt.Fprintf(w, "  %-14s %s\n", c.Name(), c.Short)
		}
	}
	fmt.Fprint(w, `
With no command, on a terminal, nhsauth opens the wizard on the local platform;
with stdout not a terminal it prints this help.
Run 'nhsauth COMMAND --help' for a command's flags and examples.
Shell completion: source <(nhsauth completion bash), or zsh, fish, powershell.

Examples:
  nhsauth                                   # the wizard, fully offline
  nhsauth run app-restricted                # the signed-JWT flow, headless, on the local platform
  nhsauth generate-keys --env local         # keys in ./.auth, already published locally
  nhsauth get-token --env local --private-key .auth/local-1.pem
`)
}
