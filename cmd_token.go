package main

// nhsauth token FLOW: a platform access token for scripts and other tools,
// printed alone (or as a header, or JSON). It is reused from the cache
// until 60 s before it expires, refreshed when it has a refresh token, and
// signed in again only when it must; every step runs through the Runner.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/profile"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// reuseMargin is how long before its expiry a cached token stops being
// handed out: a token that expires on its way to the API is no use.
const reuseMargin = 60 * time.Second

// tokenPlan is where a flow's platform token comes from: the step that
// obtains it, the steps not needed on the way, and whether the flow has a
// "refresh" step.
type tokenPlan struct {
	through string
	skip    []string
}

// tokenPlans names, for each flow that yields a platform token, the step
// that yields it.
var tokenPlans = map[string]tokenPlan{
	"app-restricted":     {through: "token", skip: []string{"jwks"}},
	"cis2-separate":      {through: "token-exchange"},
	"nhs-login-separate": {through: "token-exchange"},
	"cis2-combined":      {through: "code", skip: []string{"sso"}},
	"nhs-login-combined": {through: "code", skip: []string{"sso"}},
	"cis2-direct":        {through: "token-exchange"},
}

func tokenHelp() *cmdHelp {
	return &cmdHelp{
		name:    "token",
		short:   "print a platform access token for scripts, cached and refreshed",
		summary: "print a platform access token for a script, curl or another tool.",
		usage:   "token FLOW [--env ENV] [--profile NAME] [--user UID | --browser] [--header | --json] [--no-cache] [more flags below]",
		details: flowTable() + `

Runs FLOW up to the step that yields the platform's access token and prints
the token alone on stdout (--header: "Authorization: Bearer <token>"; --json:
a document with its type, expiry, scope and whether it came from the cache).
cis2-direct yields the platform token got by exchanging CIS2's ID token, not
CIS2's own access token.

A token is cached per environment, API key, flow and user in the OS keyring
(or a 0600 file where none answers) and reused until 60 s before it expires;
then a user-restricted token is refreshed with its refresh token (this needs
the API secret), and only when that cannot work is the user signed in
again: by form with --user, in the browser with --browser, or at the URL
printed on stderr. --no-cache neither reads nor writes the cache;
'nhsauth logout' forgets cached tokens. On local, tokens are cached only
from a running 'nhsauth mock' (or $NHSAUTH_LOCAL_URL): a private local
platform ends with the command.`,
		examples: []string{
			"nhsauth token app-restricted --env local",
			"curl -H \"$(nhsauth token cis2-separate --env local --user 656005750104 --header)\" http://127.0.0.1:8400/hello-world/hello/user",
			"TOKEN=$(nhsauth token app-restricted --profile int)",
			"nhsauth token nhs-login-separate --user 9912003071 --json",
		},
	}
}

// tokenCmdFlags are the journey flags a token needs and the output choices.
type tokenCmdFlags struct {
	*journeyFlags
	printHeader, printJSON, noCache bool
}

// tokenSkipsFlags are the journey flags that play no part in getting a
// token (they shape the API call, the transcript or later steps).
var tokenSkipsFlags = map[string]bool{"url": true, "header": true, "follow": true, "json": true, "reveal": true,
	"session-urid": true, "sso": true, "no-platform": true}

func newTokenCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("token", pflag.ContinueOnError)
	jfs := pflag.NewFlagSet("token", pflag.ContinueOnError)
	o := &tokenCmdFlags{journeyFlags: addJourneyFlags(jfs, "local")}
	jfs.VisitAll(func(f *pflag.Flag) {
		if !tokenSkipsFlags[f.Name] {
			fs.AddFlag(f)
		}
	})
	fs.BoolVar(&o.printHeader, "header", false, "print \"Authorization: Bearer <token>\", ready for curl -H")
	fs.BoolVar(&o.printJSON, "json", false, "print the token, its type, expiry and scope, and whether it came from the cache, as one JSON document")
	fs.BoolVar(&o.noCache, "no-cache", false, "neither reuse nor keep a cached token")
	return newCommand(env, spec{help: tokenHelp(), flags: fs, args: flowIDList, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		return cmdToken(env, o, pos)
	}})
}

// tokenResult is a token handed out, and where it came from.
type tokenResult struct {
	tok    profile.CachedToken
	source string // "cache", "refresh" or "flow"
}

func cmdToken(env *cliEnv, o *tokenCmdFlags, pos []string) int {
	f, plan, err := tokenFlow(pos)
	if err == nil && o.printHeader && o.printJSON {
		err = usagef("--header and --json exclude each other")
	}
	if err != nil {
		return usageFail(env, "token", err)
	}
	o.direct.flowID = f.ID
	if err := o.check("", true); err != nil {
		return usageFail(env, "token", err)
	}
	j, cleanup, err := o.journey(env, f, "")
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return usageFail(env, "token", err)
		}
		printFailure(env.stderr, "token", err.Error(), nil, nil)
		return exitFail
	}
	defer cleanup()
	defer j.Login.CloseListener()
	defer j.Direct.CloseReceiver()
	ctx, stop := signalContext()
	defer stop()
	c := &tokenCache{env: env, key: profile.CacheKey{Env: j.Env.Name, APIBase: j.Env.APIBase, APIKey: j.APIKey, Flow: f.ID, User: o.user}}
	c.open(o.noCache, privateLocal(env, j))
	res, ok := c.reuse(ctx, o, f, j)
	if !ok {
		tok, err := driveForToken(ctx, env, o, f, j, plan)
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(env.stderr, "nhsauth token: interrupted.")
				return exitInterrupted
			}
			return exitFail // reported by the Runner's hook
		}
		res = tokenResult{tok: cachedFrom(c.key, tok, time.Now()), source: "flow"}
		c.save(res.tok)
	}
	printTokenResult(env, o, res)
	return exitOK
}

// tokenFlow reads the one positional argument: a flow that yields a
// platform token.
func tokenFlow(pos []string) (*flows.Flow, tokenPlan, error) {
	switch {
	case len(pos) == 0:
		return nil, tokenPlan{}, usagef("which flow? give one of %s", flowIDs())
	case len(pos) > 1:
		return nil, tokenPlan{}, usagef("unexpected argument %q after the flow %q", pos[1], pos[0])
	}
	f, found := flows.ByID(pos[0])
	if !found {
		return nil, tokenPlan{}, unknownFlow(pos[0])
	}
	plan, ok := tokenPlans[f.ID]
	if !ok {
		return nil, tokenPlan{}, usagef("flow %s yields no platform access token, so token cannot print one: use 'nhsauth run %s'", f.ID, f.ID)
	}
	return f, plan, nil
}

// driveForToken runs f through the step that yields the platform token,
// reporting the sign-in's wait and any failure on stderr as run does.
func driveForToken(ctx context.Context, env *cliEnv, o *tokenCmdFlags, f *flows.Flow, j *flows.Journey, plan tokenPlan) (steps.Token, error) {
	r := flows.NewRunner(f, j)
	for _, id := range plan.skip {
		if err := r.Skip(id); err != nil {
			return steps.Token{}, err
		}
	}
	paste := newPasteReader(env.stdin)
	defer paste.close()
	j.Login.Notify = paste.notifier(env.stderr)
	if err := drive(ctx, env, o, r, paste, plan.through); err != nil {
		return steps.Token{}, err
	}
	if j.Token.AccessToken == "" {
		err := fmt.Errorf("flow %s ended its step %q without a platform access token", f.ID, plan.through)
		printFailure(env.stderr, "token", err.Error(), nil, j.Redact)
		return steps.Token{}, err
	}
	return j.Token, nil
}

// drive runs r through the step with ID last, quietly: the sign-in's wait
// and a failure with its diagnosis go to stderr (run's hook, without the
// transcript), stdout stays for the token.
func drive(ctx context.Context, env *cliEnv, o *tokenCmdFlags, r *flows.Runner, paste *pasteReader, last string) error {
	quiet := *o.journeyFlags
	quiet.json = true // run's hook prints no step when json is set
	rp := &runPrinter{env: env, f: r.Flow, j: r.Journey, o: &quiet, paste: paste, failed: -1, name: "token"}
	err := r.Drive(ctx, flows.Hooks{Through: last, Around: rp.around})
	if err != nil && rp.failed == -1 && !errors.Is(err, context.Canceled) {
		printFailure(env.stderr, "token", err.Error(), nil, r.Journey.Redact)
	}
	return err
}

// cachedFrom is tok as the cache keeps it, its expiries made absolute
// from now, the time it was received (RFC 6749 §5.1: expires_in counts
// from the response).
func cachedFrom(k profile.CacheKey, tok steps.Token, now time.Time) profile.CachedToken {
	t := profile.CachedToken{Key: k, AccessToken: tok.AccessToken, TokenType: tok.TokenType, Scope: tok.Scope,
		Expiry: now.Add(time.Duration(tok.ExpiresIn) * time.Second), RefreshToken: tok.RefreshToken}
	if win := max(tok.RefreshTokenExpiresIn, tok.RefreshExpiresIn); tok.RefreshToken != "" && win > 0 {
		t.RefreshExpiry = now.Add(time.Duration(win) * time.Second)
	}
	return t
}

// tokenJSON is token --json's document (docs/json.md).
type tokenJSON struct {
	Schema    string `json:"schema"`
	Token     string `json:"token"`
	Type      string `json:"type"`
	Expiry    string `json:"expiry"`
	ExpiresIn int64  `json:"expires_in"`
	Scope     string `json:"scope"`
	Flow      string `json:"flow"`
	Env       string `json:"env"`
	User      string `json:"user"`
	FromCache bool   `json:"from_cache"`
	Source    string `json:"source"`
}

// printTokenResult prints the token as asked, and a line on stderr saying
// where it came from and when it expires.
func printTokenResult(env *cliEnv, o *tokenCmdFlags, res tokenResult) {
	t := res.tok
	left := max(0, int64(time.Until(t.Expiry).Seconds()))
	switch {
	case o.printJSON:
		writeJSON(env.stdout, tokenJSON{Schema: "nhsauth/token@1", Token: t.AccessToken, Type: cmpOr(t.TokenType, "Bearer"),
			Expiry: t.Expiry.UTC().Format(time.RFC3339), ExpiresIn: left, Scope: t.Scope, Flow: t.Key.Flow, Env: t.Key.Env,
			User: t.Key.User, FromCache: res.source == "cache", Source: res.source})
		return
	case o.printHeader:
		fmt.Fprintf(env.stdout, "Authorization: Bearer %s\n", t.AccessToken)
	default:
		fmt.Fprintln(env.stdout, t.AccessToken)
	}
	how := map[string]string{"cache": "from the cache", "refresh": "refreshed", "flow": "new"}[res.source]
	fmt.Fprintf(env.stderr, "✓ %s access token for %s on %s (%s), expires in %d s at %s\n",
		strings.ToUpper(how[:1])+how[1:], t.Key.Flow, t.Key.Env, userOrApp(t.Key.User), left, t.Expiry.Local().Format("15:04:05"))
}

func userOrApp(user string) string {
	if user == "" {
		return "no --user"
	}
	return "user " + user
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
