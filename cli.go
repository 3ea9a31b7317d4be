package main

// The command tree, on cobra (the convention of gh, glow and soft-serve):
// each command's flags come from its own flag set, its --help from its
// cmdHelp, and every usage error becomes one sentence and exit 2.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exitCode carries a command's exit code out of cobra's RunE.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit %d", int(c)) }

// spec is what a command is made of: its help, its flags, and the body
// that runs with the positional arguments and returns the exit code.
type spec struct {
	help  *cmdHelp
	flags *pflag.FlagSet
	// args completes the positional arguments (flow names); nil for none.
	args func() []string
	// creds, when the command takes the app's credentials, is filled from
	// $NHSAUTH_API_KEY and $NHSAUTH_API_SECRET before run.
	creds *appCreds
	run   func(ctx context.Context, pos []string) int
}

// newCommand builds the cobra command of s. Its positional arguments
// reach run unchecked: each command words its own "unexpected argument".
func newCommand(env *cliEnv, s spec) *cobra.Command {
	c := &cobra.Command{
		Use:                   s.help.name,
		Short:                 s.help.short,
		SilenceErrors:         true,
		SilenceUsage:          true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, pos []string) error {
			if s.creds != nil {
				if err := applyProfile(env, s.help.name, cmd.Flags()); err != nil {
					return err
				}
				if err := credsFromEnv(env, cmd.Flags(), s.creds); err != nil {
					return err
				}
			}
			if code := s.run(cmd.Context(), pos); code != exitOK {
				return exitCode(code)
			}
			return nil
		},
	}
	if s.flags != nil {
		if s.creds != nil {
			addProfileFlag(s.flags)
		}
		c.Flags().AddFlagSet(s.flags)
	}
	c.SetHelpFunc(func(cmd *cobra.Command, _ []string) { printHelp(env.stdout, cmd.Flags(), s.help) })
	c.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return explainFlagError(cmd.Flags(), err) })
	if s.args != nil {
		c.ValidArgsFunction = func(_ *cobra.Command, pos []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(pos) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return s.args(), cobra.ShellCompDirectiveNoFileComp
		}
	} else {
		c.ValidArgsFunction = cobra.NoFileCompletions
	}
	completeFlagValues(c)
	return c
}

// completeFlagValues offers the values of the flags that take one of a
// list: --env, --flow, --client-auth and --break.
func completeFlagValues(c *cobra.Command) {
	lists := map[string]func() []string{
		"env":         flows.EnvNames,
		"flow":        flowIDList,
		"client-auth": func() []string { return authMethodNames(flows.RealmAuthMethods()) },
		"break":       flows.FaultNames,
	}
	for name, list := range lists {
		if c.Flags().Lookup(name) == nil {
			continue
		}
		_ = c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return list(), cobra.ShellCompDirectiveNoFileComp
		})
	}
}

// authMethodNames spells client-authentication methods as --client-auth takes them.
func authMethodNames(ms []steps.AuthMethod) []string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = string(m)
	}
	return names
}

// flowIDList lists the flows' IDs, for completion and suggestions.
func flowIDList() []string {
	var ids []string
	for _, f := range flows.All() {
		ids = append(ids, f.ID)
	}
	return ids
}

// unknownFlow is the usage error of a flow name that names no flow, with
// the nearest one when the name looks like a typo.
func unknownFlow(id string) error {
	if near := nearest(id, flowIDList(), strings.ToLower); near != "" {
		return usagef("unknown flow %q: did you mean %s? The flows are %s", id, near, flowIDs())
	}
	return usagef("unknown flow %q: use one of %s", id, flowIDs())
}

// newRootCmd builds nhsauth's command tree. The root itself is the wizard
// with the wizard's flags ("nhsauth --env int"); its --help is usage().
func newRootCmd(env *cliEnv) *cobra.Command {
	root := newWizardCmd(env, true)
	root.Use = "nhsauth"
	setVersion(root)
	root.SuggestionsMinimumDistance = 2
	root.SetHelpFunc(func(*cobra.Command, []string) { usage(env.stdout) })
	root.Args = func(cmd *cobra.Command, pos []string) error {
		if len(pos) == 0 {
			return nil
		}
		if near := cmd.SuggestionsFor(pos[0]); len(near) > 0 {
			return usagef("unknown command %q: did you mean %s? Run 'nhsauth --help' for the list of commands", pos[0], near[0])
		}
		return usagef("unknown command %q: run 'nhsauth --help' for the list of commands", pos[0])
	}
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetIn(env.stdin)
	for _, s := range subcommands() { // cli_lazy.go
		root.AddCommand(s.build(env))
	}
	root.InitDefaultVersionFlag() // now, so that -version reads as --version (longDashes)
	root.SetHelpCommand(newHelpCmd(root))
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Short = "print a shell completion script: bash, zsh, fish or powershell"
		defaultHelp := (&cobra.Command{}).HelpFunc()
		c.SetHelpFunc(defaultHelp)
	}
	return root
}

// newHelpCmd is nhsauth help [COMMAND]: the same as COMMAND --help, and a
// usage error for a command that does not exist.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show a command's help",
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, c := range root.Commands() {
				names = append(names, c.Name())
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			c, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return root.Args(root, rest)
			}
			return c.Help()
		},
	}
}

// runMain runs one command line and returns its exit code: 0 success, 1
// the command ran and failed, 2 a usage error, 130 interrupted.
func runMain(env *cliEnv, args []string) int {
	return runRoot(env, rootFor(env, args), args) // the named command alone, or the whole tree (cli_lazy.go)
}

// runRoot runs one command line on the command tree root.
func runRoot(env *cliEnv, root *cobra.Command, args []string) int {
	if c, rest, err := root.Find(args); err == nil {
		if err := checkSwallowedFlag(c.Flags(), rest); err != nil {
			return usageFail(env, c.Name(), err)
		}
		args = longDashes(c.Flags(), args)
	}
	if len(args) > 1 && args[0] == "--help" || len(args) > 1 && args[0] == "-h" {
		args = []string{"help", args[1]}
	}
	return execute(context.Background(), env, root, args)
}

// execute runs root on args under ctx and maps its outcome to an exit code.
func execute(ctx context.Context, env *cliEnv, root *cobra.Command, args []string) int {
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var code exitCode
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &ue) && (cmd == root || cmd.Name() == "help"):
		msg := strings.TrimSuffix(ue.msg, ".")
		if !strings.Contains(msg, "'nhsauth --help'") {
			msg += "; run 'nhsauth --help' for the list of commands"
		}
		fmt.Fprintf(env.stderr, "nhsauth: %s.\n", msg)
		return exitUsage
	case errors.As(err, &ue):
		return usageFail(env, cmd.Name(), err)
	}
	// cobra's own errors (an unknown help topic, a completion shell).
	return usageFail(env, cmd.Name(), echoWords(err.Error()))
}
