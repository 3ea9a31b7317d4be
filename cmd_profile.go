package main

// nhsauth profile add|list|show|remove NAME: saved app settings, so that
// no command needs them retyped; and --profile NAME (or $NHSAUTH_PROFILE)
// on every command that takes the app's settings. Precedence: flags, then
// the environment ($NHSAUTH_API_KEY, $NHSAUTH_API_SECRET), then the
// profile, then the defaults.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/nhsauth/nhsauth/profile"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envProfile names the profile a command uses when --profile is not given.
const envProfile = "NHSAUTH_PROFILE"

var profileHelp = &cmdHelp{
	name:    "profile",
	short:   "save, list, show or remove a profile of app settings",
	summary: "save, list, show or remove a named profile of your app's settings.",
	usage:   "profile add NAME [--env ENV] [--api-key K] [--api-secret S|-] [--private-key PEM] [--kid KID] [--callback URL] [CIS2 client flags]\n  nhsauth profile list | show NAME [--reveal] | remove NAME",
	details: `A profile names an environment, API key, key file, callback and CIS2 client
settings, so that --profile NAME (or $NHSAUTH_PROFILE=NAME) fills them on run,
get-token, call-api, token, assertion and the wizard. Flags beat the
environment ($NHSAUTH_API_KEY, $NHSAUTH_API_SECRET), which beats the profile,
which beats the defaults. 'add' saves only the settings given and replaces a
profile of the same name.

Profiles are kept in the user's config folder (profiles.json, mode 0600). The
API secret and the CIS2 client secret never go there: they go to the OS
keyring, or where none answers (headless Linux, CI) to secrets.json (mode
0600) beside it, with a warning. 'show' masks them unless --reveal.`,
	examples: []string{
		"nhsauth profile add int --env int --api-key K --private-key .auth/int-1.pem --api-secret -",
		"nhsauth profile show int",
		"nhsauth token app-restricted --profile int",
		"NHSAUTH_PROFILE=int nhsauth run cis2-separate --user 656005750104",
	},
}

// profileFlags are profile add's settings and show's --reveal.
type profileFlags struct {
	p            profile.Profile
	apiSecret    string
	clientSecret string
	reveal       bool
}

func newProfileCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("profile", pflag.ContinueOnError)
	o := &profileFlags{}
	usage := map[string]string{
		"env": "the environment `ENV`: " + envChoices(), "api-key": "the app's API key `K`",
		"private-key": "the app's RSA private key, a `PEM` file (kept as an absolute path)",
		"kid":         "the key id `KID` registered in the JWKS", "callback": "combined flows: the app's registered callback `URL`",
		"client-id": "cis2-direct: the CIS2 client `ID`", "client-auth": "client authentication `METHOD` at the identity provider",
		"alg": "cis2-direct: the client assertion's `ALG`", "scope": "the scopes `S` asked for",
		"userinfo-alg": "cis2-direct: userinfo_signed_response_alg `ALG`",
	}
	for _, s := range o.p.Settings() {
		fs.StringVar(s.Value, s.Flag, "", usage[s.Flag])
	}
	fs.StringVar(&o.apiSecret, "api-secret", "", "the app's API secret `S`, kept in the OS keyring; - reads it from stdin")
	fs.StringVar(&o.clientSecret, "client-secret", "", "cis2-direct: the CIS2 client secret `S`, kept in the OS keyring")
	fs.BoolVar(&o.reveal, "reveal", false, "show: print the secrets in full instead of masked")
	actions := func() []string { return []string{"add", "list", "show", "remove"} }
	return newCommand(env, spec{help: profileHelp, flags: fs, args: actions, run: func(_ context.Context, pos []string) int {
		return cmdProfile(env, o, pos)
	}})
}

func cmdProfile(env *cliEnv, o *profileFlags, pos []string) int {
	if len(pos) == 0 {
		return usageFail(env, "profile", usagef("which action? give add NAME, list, show NAME or remove NAME"))
	}
	want := 2
	if pos[0] == "list" {
		want = 1
	}
	switch {
	case pos[0] != "add" && pos[0] != "list" && pos[0] != "show" && pos[0] != "remove":
		return usageFail(env, "profile", usagef("unknown action %q: use add, list, show or remove", pos[0]))
	case len(pos) < want:
		return usageFail(env, "profile", usagef("profile %s needs a NAME", pos[0]))
	case len(pos) > want:
		return usageFail(env, "profile", usagef("unexpected argument %q", pos[want]))
	}
	st, err := env.profiles()
	if err != nil {
		printFailure(env.stderr, "profile", err.Error(), nil, nil)
		return exitFail
	}
	switch pos[0] {
	case "add":
		return profileAdd(env, st, o, pos[1])
	case "list":
		return profileList(env, st)
	case "show":
		return profileShow(env, st, pos[1], o.reveal)
	}
	if err := st.Remove(pos[1]); err != nil {
		return profileFailure(env, st, err)
	}
	fmt.Fprintf(env.stdout, "Removed profile %s and its secrets.\n", pos[1])
	return exitOK
}

// profileFailure reports a store error; a missing profile names the saved ones.
func profileFailure(env *cliEnv, st *profile.Store, err error) int {
	if errors.Is(err, profile.ErrNoProfile) {
		return usageFail(env, "profile", noProfileError(st, err))
	}
	printFailure(env.stderr, "profile", err.Error(), nil, nil)
	return exitFail
}

// noProfileError says which profiles exist when a name matched none.
func noProfileError(st *profile.Store, err error) error {
	ps, _ := st.List()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	msg := strings.TrimPrefix(err.Error(), "profile: ")
	if len(names) == 0 {
		return usagef("%s: there are no profiles yet; save one with 'nhsauth profile add NAME --env ENV --api-key K ...'", msg)
	}
	return usagef("%s: the profiles are %s ('nhsauth profile list')", msg, strings.Join(names, ", "))
}

func profileAdd(env *cliEnv, st *profile.Store, o *profileFlags, name string) int {
	if err := profile.CheckName(name); err != nil {
		return usageFail(env, "profile", usagef("%s", err.Error()))
	}
	o.p.Name = name
	if o.p.Env != "" {
		if err := checkEnvName(o.p.Env, seedEnvs); err != nil {
			return usageFail(env, "profile", err)
		}
	}
	if o.p.PrivateKey != "" {
		if abs, err := filepath.Abs(o.p.PrivateKey); err == nil {
			o.p.PrivateKey = abs // so that the profile works from any folder
		}
	}
	if o.apiSecret == "-" {
		line, err := readLine(env.stdin)
		if o.apiSecret = strings.TrimSpace(line); err != nil || o.apiSecret == "" {
			return usageFail(env, "profile", usagef("--api-secret - reads the secret from stdin, but stdin held no line: pipe it in"))
		}
	}
	if err := st.Save(o.p); err != nil {
		return profileFailure(env, st, err)
	}
	for flag, v := range map[string]string{"api-secret": o.apiSecret, "client-secret": o.clientSecret} {
		var err error
		if v == "" {
			err = st.DeleteSecret(profile.SecretKey(name, flag))
		} else {
			err = st.SetSecret(profile.SecretKey(name, flag), v)
		}
		if err != nil {
			return profileFailure(env, st, err)
		}
	}
	fmt.Fprintf(env.stdout, "Saved profile %s in %s, its secrets apart from it. Use it with --profile %s.\n",
		name, filepath.Join(st.Dir, "profiles.json"), name)
	return exitOK
}

func profileList(env *cliEnv, st *profile.Store) int {
	ps, err := st.List()
	if err != nil {
		return profileFailure(env, st, err)
	}
	if len(ps) == 0 {
		fmt.Fprintln(env.stderr, "No profiles yet: save one with 'nhsauth profile add NAME --env ENV --api-key K ...'.")
		return exitOK
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tENV\tAPI KEY")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, orNone(p.Env), orNone(p.APIKey))
	}
	tw.Flush()
	return exitOK
}

func profileShow(env *cliEnv, st *profile.Store, name string, reveal bool) int {
	p, err := st.Get(name)
	if err != nil {
		return profileFailure(env, st, err)
	}
	fmt.Fprintf(env.stdout, "Profile %s (%s)\n", p.Name, filepath.Join(st.Dir, "profiles.json"))
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	for _, s := range p.Settings() {
		if *s.Value != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", s.Flag, *s.Value)
		}
	}
	for _, flag := range profile.SecretFlags {
		v, err := st.Secret(profile.SecretKey(name, flag))
		if err != nil {
			return profileFailure(env, st, err)
		}
		if v != "" && !reveal {
			v = steps.Mask(v) + " (masked; --reveal shows it)"
		}
		if v != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", flag, v)
		}
	}
	tw.Flush()
	return exitOK
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// profiles returns the process's one profile store, opened on first use,
// so that its no-keyring warning shows at most once.
func (env *cliEnv) profiles() (*profile.Store, error) {
	if env.store != nil {
		return env.store, nil
	}
	st, err := profile.Open(env.stderr)
	if err != nil {
		return nil, err
	}
	env.store = st
	return st, nil
}

// addProfileFlag registers --profile on a command that takes app settings.
func addProfileFlag(fs *pflag.FlagSet) {
	if fs.Lookup("profile") == nil {
		fs.String("profile", "", "take the settings of saved profile `NAME` (see 'nhsauth profile'); or $"+envProfile)
	}
}

// applyProfile fills each flag of fs that was not given from the profile
// named by --profile or $NHSAUTH_PROFILE, secrets included. It marks none
// but --env as given, so the environment (credsFromEnv, after it) still
// wins over the profile's API key and secret.
func applyProfile(env *cliEnv, cmd string, fs *pflag.FlagSet) error {
	err := profileValues(env, fs)
	var ue *usageError
	if err != nil && !errors.As(err, &ue) {
		printFailure(env.stderr, cmd, err.Error(), nil, nil)
		return exitCode(exitFail)
	}
	return err
}

// profileValues is applyProfile's work; its errors are usage errors or the
// store's.
func profileValues(env *cliEnv, fs *pflag.FlagSet) error {
	name := env.getenv(envProfile)
	if f := fs.Lookup("profile"); f != nil && f.Changed {
		name = f.Value.String()
	}
	if name = strings.TrimSpace(name); name == "" {
		return nil
	}
	st, err := env.profiles()
	if err != nil {
		return err
	}
	p, err := st.Get(name)
	if errors.Is(err, profile.ErrNoProfile) {
		return noProfileError(st, err)
	}
	if err != nil {
		return err
	}
	values := p.Flags()
	for _, flag := range profile.SecretFlags {
		if f := fs.Lookup(flag); f != nil && !f.Changed {
			if values[flag], err = st.Secret(profile.SecretKey(name, flag)); err != nil {
				return err
			}
		}
	}
	for flag, v := range values {
		f := fs.Lookup(flag)
		if f == nil || f.Changed || v == "" {
			continue
		}
		set := f.Value.Set
		if flag == "env" { // no variable stands between: as if given, so the wizard opens on it
			set = func(v string) error { return fs.Set(flag, v) }
		}
		if err := set(v); err != nil {
			return usagef("profile %s: --%s %q: %v; fix it with 'nhsauth profile add %s ...'", name, flag, v, err, name)
		}
	}
	return nil
}
