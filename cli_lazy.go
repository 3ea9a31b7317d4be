package main

// Building only what the command line names: every command's flag set and
// cobra command cost start-up time (about a quarter of a millisecond for
// the whole tree), so a command line that starts with a command's exact
// name gets a root holding that command alone. Anything else (no command,
// a flag first, help, completion, a mistyped name that wants suggestions)
// gets the whole tree from newRootCmd.

import "github.com/spf13/cobra"

// subcommand is one command under the root and how to build it.
type subcommand struct {
	name  string
	build func(*cliEnv) *cobra.Command
}

// subcommands are the commands under the root (cobra lists them sorted); a
// function, since a command's help may build the tree.
func subcommands() []subcommand {
	return []subcommand{
		{"wizard", func(env *cliEnv) *cobra.Command { return newWizardCmd(env, false) }},
		{"run", newRunCmd}, {"generate-keys", newGenerateKeysCmd}, {"get-token", newGetTokenCmd},
		{"call-api", newCallAPICmd}, {"mock", newMockCmd}, {"version", newVersionCmd},
		{"profile", newProfileCmd}, {"assertion", newAssertionCmd}, {"token", newTokenCmd},
		{"logout", newLogoutCmd}, {"doctor", newDoctorCmd}, {"decode", newDecodeCmd},
		{"break", newBreakCmd},
	}
}

// rootFor is the command tree for args: a root with only the command that
// args[0] names exactly, or the whole tree.
func rootFor(env *cliEnv, args []string) *cobra.Command {
	if len(args) == 0 {
		return newRootCmd(env)
	}
	for _, s := range subcommands() {
		if s.name == args[0] {
			return newSingleRoot(env, s.build(env))
		}
	}
	return newRootCmd(env)
}

// newSingleRoot is a root that runs sub as newRootCmd's would: the same
// name, version, output streams and help; no wizard flags, which a command
// line naming a command never reaches, and no completion command, which it
// does not name.
func newSingleRoot(env *cliEnv, sub *cobra.Command) *cobra.Command {
	root := &cobra.Command{Use: "nhsauth", SilenceErrors: true, SilenceUsage: true}
	setVersion(root)
	root.SetHelpFunc(func(*cobra.Command, []string) { usage(env.stdout) })
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetIn(env.stdin)
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(sub)
	return root
}
