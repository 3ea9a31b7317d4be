// Command nhsauth walks developers through NHS England's API platform and
// CIS2 authentication one documented step at a time, against the real
// environments or its own local platform.
//
// main parses the command line, wires dependencies and runs one command;
// each command lives in a cmd_*.go file. Only main knows both the flows and
// the local platform.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is nhsauth's version, stamped with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// command is one subcommand: its name, one line for the usage list, and the
// function that runs it and returns the exit code.
type command struct {
	name    string
	summary string
	run     func(env *cliEnv, args []string) int
}

// cliEnv is what every command gets from the process: arguments aside.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     bool // stdout is a terminal
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed (a step failed, a request was refused)
	exitUsage = 2 // the command line was wrong
)

func commands() []command {
	return []command{
		{"wizard", "open the step-by-step wizard (the default)", cmdWizard},
		{"run", "run a flow headless, printing every step and exchange", cmdRun},
		{"generate-keys", "make an RSA key pair and its JWKS (as mock-authentication.py)", cmdGenerateKeys},
		{"get-token", "get an application-restricted access token (signed JWT)", cmdGetToken},
		{"call-api", "get a token and call an API with it", cmdCallAPI},
		{"mock", "run the local platform: an offline imitation of the NHS services", cmdMock},
		{"version", "print nhsauth's version", cmdVersion},
	}
}

func main() {
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, isTerminal: stdoutIsTerminal()}
	os.Exit(runMain(env, os.Args[1:]))
}

// runMain dispatches to a command; with none, it opens the wizard on a
// terminal and prints usage otherwise.
func runMain(env *cliEnv, args []string) int {
	if len(args) == 0 {
		if env.isTerminal {
			return cmdWizard(env, nil)
		}
		usage(env.stdout)
		return exitOK
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if len(args) > 1 {
			return runMain(env, []string{args[1], "--help"})
		}
		usage(env.stdout)
		return exitOK
	case "--version", "-version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(env, args[1:])
		}
	}
	if name != "" && name[0] == '-' {
		// Flags before any command belong to the wizard: nhsauth --env int.
		return cmdWizard(env, args)
	}
	fmt.Fprintf(env.stderr, "nhsauth: unknown command %q: run 'nhsauth --help' for the list of commands.\n", echo(name))
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `nhsauth: a step-by-step guide to NHS England API platform and CIS2 authentication.

Usage:
  nhsauth [command] [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
With no command on a terminal, nhsauth opens the wizard on the local platform.
Run 'nhsauth COMMAND --help' for a command's flags and examples.

Examples:
  nhsauth                                   # the wizard, fully offline
  nhsauth run app-restricted                # the signed-JWT flow, headless, on the local platform
  nhsauth generate-keys --env local         # keys in ./.auth, already published locally
  nhsauth get-token --env local --private-key .auth/local-1.pem
`)
}

func cmdVersion(env *cliEnv, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "--help", "-help":
			fmt.Fprint(env.stdout, "nhsauth version: print nhsauth's version.\n\nUsage:\n  nhsauth version\n")
			return exitOK
		}
		return usageFail(env, "version", usagef("unexpected argument %q: version takes no flags or arguments", args[0]))
	}
	fmt.Fprintf(env.stdout, "nhsauth %s\n", version)
	return exitOK
}
