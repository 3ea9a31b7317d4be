package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestSubcommandTableNamesEachCommand: rootFor picks a command by the name
// in the table, so each entry must build the command of that name, and the
// whole tree must hold nothing else but help and completion.
func TestSubcommandTableNamesEachCommand(t *testing.T) {
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	names := map[string]bool{}
	for _, s := range subcommands() {
		if got := s.build(env).Name(); got != s.name {
			t.Errorf("table entry %q builds the command %q", s.name, got)
		}
		names[s.name] = true
	}
	for _, c := range newRootCmd(env).Commands() {
		if !names[c.Name()] && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("command %q is in the tree but not in subcommands(): rootFor would not build it alone", c.Name())
		}
	}
}

// TestSingleCommandRootBehavesAsTheWholeTree runs command lines that start
// with a command's name on the root with that command alone (what runMain
// does) and on the whole tree, and wants the same exit code and output.
func TestSingleCommandRootBehavesAsTheWholeTree(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	var lines [][]string
	for _, s := range subcommands() {
		lines = append(lines, []string{s.name, "--help"}, []string{s.name, "-h"},
			[]string{s.name, "--no-such-flag"}, []string{s.name, "-no-such-flag"}, []string{s.name, "help"})
	}
	lines = append(lines, []string{"version"}, []string{"version", "extra"}, []string{"--version"},
		[]string{"run", "cis2-seperate"}, []string{"run", "--env"}, []string{"run", "--env", "nowhere", "app-restricted"},
		[]string{"get-token", "--flow", "x"}, []string{"token", "nope"}, []string{"break", "--list"},
		[]string{"profile", "nosuch"}, []string{"generate-keys", "--kid", "bad kid!"}, []string{"decode", "not.a.jwt"})
	for _, args := range lines {
		lazyCode, lazyOut, lazyErr := runCaptured(args, func(env *cliEnv) int { return runMain(env, args) })
		fullCode, fullOut, fullErr := runCaptured(args, func(env *cliEnv) int { return runRoot(env, newRootCmd(env), args) })
		if lazyCode != fullCode || lazyOut != fullOut || lazyErr != fullErr {
			t.Errorf("nhsauth %s: single-command root gives %d %q %q; whole tree %d %q %q",
				strings.Join(args, " "), lazyCode, lazyOut, lazyErr, fullCode, fullOut, fullErr)
		}
	}
}

func runCaptured(args []string, run func(*cliEnv) int) (int, string, string) {
	var out, errb bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(env)
	return code, out.String(), errb.String()
}
