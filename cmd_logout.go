package main

// nhsauth logout [FLOW]: forget the tokens nhsauth token cached.

import (
	"context"
	"fmt"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/profile"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var logoutHelp = &cmdHelp{
	name:    "logout",
	short:   "forget the tokens 'nhsauth token' cached",
	summary: "forget cached tokens: every one, or one flow's.",
	usage:   "logout [FLOW] [--env ENV] [--user UID]",
	details: `Deletes the tokens 'nhsauth token' cached (in the OS keyring, or the 0600
fallback file): all of them, or FLOW's, narrowed to one environment with --env
and to one test user with --user. The next 'nhsauth token' signs in again.
Nothing is revoked: the NHS API platform has no token revocation endpoint
(RFC 7009), so a forgotten access token stays valid until it expires (10
minutes) and its refresh token within its window. A CIS2 session ends with
CIS2's own sign-out, which the cis2-direct and cis2-combined flows show.`,
	examples: []string{
		"nhsauth logout",
		"nhsauth logout cis2-separate --env local",
	},
}

func newLogoutCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("logout", pflag.ContinueOnError)
	envName := fs.String("env", "", "forget only the tokens of environment `ENV`: "+envChoices())
	user := fs.String("user", "", "forget only the tokens of test user `UID`")
	return newCommand(env, spec{help: logoutHelp, flags: fs, args: flowIDList, run: func(_ context.Context, pos []string) int {
		return cmdLogout(env, pos, *envName, *user)
	}})
}

func cmdLogout(env *cliEnv, pos []string, envName, user string) int {
	flow := ""
	switch {
	case len(pos) > 1:
		return usageFail(env, "logout", usagef("unexpected argument %q after the flow %q", pos[1], pos[0]))
	case len(pos) == 1:
		f, ok := flows.ByID(pos[0])
		if !ok {
			return usageFail(env, "logout", unknownFlow(pos[0]))
		}
		flow = f.ID
	}
	if envName != "" {
		if err := checkEnvName(envName, seedEnvs); err != nil {
			return usageFail(env, "logout", err)
		}
	}
	st, err := env.profiles()
	if err != nil {
		printFailure(env.stderr, "logout", err.Error(), nil, nil)
		return exitFail
	}
	gone, err := st.ForgetTokens(func(k profile.CacheKey) bool {
		return (flow == "" || k.Flow == flow) && (envName == "" || k.Env == envName) && (user == "" || k.User == user)
	})
	for _, t := range gone {
		fmt.Fprintf(env.stdout, "Forgot the %s token on %s (%s, %s).\n", t.Key.Flow, t.Key.Env, t.Key.APIBase, userOrApp(t.Key.User))
	}
	if err != nil {
		printFailure(env.stderr, "logout", err.Error(), nil, nil)
		return exitFail
	}
	if len(gone) == 0 {
		what := strings.TrimSpace(strings.Join([]string{flow, envName, user}, " "))
		if what != "" {
			what = " matching " + what
		}
		fmt.Fprintf(env.stdout, "No cached tokens%s.\n", what)
		return exitOK
	}
	fmt.Fprintln(env.stderr, "Not revoked: the platform has no revocation endpoint, so each stays valid until it expires.")
	return exitOK
}
