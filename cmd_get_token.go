package main

// nhsauth get-token: sign a client assertion and exchange it for an
// application-restricted access token (reference §2), as
// mock-authentication.py does, with the token alone on stdout.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var getTokenHelp = &cmdHelp{
	name:    "get-token",
	short:   "get an application-restricted access token (signed JWT)",
	summary: "get an application-restricted access token with a signed JWT.",
	usage:   "get-token --private-key PEM [--api-key K] [--env ENV] [--kid KID] [--json] [--timeout D]",
	details: `Signs a client assertion (RS512; kid from --kid or the key file's name; iss and
sub the API key; aud the token URL; exp in 240 s) and exchanges it at the
platform's /oauth2/token (client credentials, RFC 7523). Checks the key first
(RSA, 2048 bits or more; the JWKS beside it holds the same key under this kid).
On success stdout holds the access token alone, so $(nhsauth get-token ...)
works; the expiry goes to stderr. --json prints the platform's reply instead.
With --env local it uses the local platform: $NHSAUTH_LOCAL_URL, else the one
'nhsauth mock' runs on 127.0.0.1:8400, else a private one for this command.`,
	examples: []string{
		"nhsauth get-token --env local --private-key .auth/local-1.pem",
		"nhsauth get-token --env int --api-key K --private-key .auth/int-1.pem",
		"TOKEN=$(nhsauth get-token --env int --api-key K --private-key .auth/int-1.pem)",
		"nhsauth get-token --env local --private-key .auth/local-1.pem --json",
	},
}

// tokenFlags are the flags get-token and call-api share.
type tokenFlags struct {
	appCreds
	env     string
	json    bool
	timeout time.Duration
	// localDefaultKey lets --private-key be left out on local, for the
	// default key run uses (assertion; the seed's commands require it).
	localDefaultKey bool
}

func addTokenFlags(fs *pflag.FlagSet, jsonUsage string) *tokenFlags {
	t := &tokenFlags{}
	fs.StringVar(&t.apiKey, "api-key", "", "the app's API key `K`, or $"+envAPIKey+" (required, except on local, where the default is the local app's "+flows.LocalAPIKey+")")
	fs.StringVar(&t.env, "env", "int", "the environment `ENV`: "+envChoices())
	fs.StringVar(&t.kid, "kid", "", "the key id `KID` registered in the JWKS (default: the key file's name without .pem)")
	fs.StringVar(&t.privateKey, "private-key", "", "the RSA private key, a `PEM` file: PKCS#1 or PKCS#8, unencrypted (required)")
	fs.BoolVar(&t.json, "json", false, jsonUsage)
	fs.DurationVar(&t.timeout, "timeout", 30*time.Second, "the limit `D` for each HTTP request (a duration: 10s, 1m)")
	return t
}

// tokenSession is a journey through the app-restricted flow's key,
// assertion and token steps, for get-token and call-api.
type tokenSession struct {
	cmd     string
	j       *flows.Journey
	timeout time.Duration
	cleanup func()
	warn    io.Writer // where a warning about the kid goes

	failedStep string // the id of the step token stopped at, if any
}

// check validates the flags that need neither files nor network.
func (t *tokenFlags) check() error {
	if err := checkEnvName(t.env, seedEnvs); err != nil {
		return err
	}
	if t.privateKey == "" && !(t.localDefaultKey && t.env == "local") {
		return usagef("--private-key is required: give the private key PEM file (make one with 'nhsauth generate-keys --env %s')", t.env)
	}
	if t.env != "local" && strings.TrimSpace(t.apiKey) == "" {
		return usagef("--api-key is required on %s: give the API key of your app from the NHS developer portal", t.env)
	}
	if t.timeout <= 0 {
		return usagef("--timeout must be more than 0, for example 30s")
	}
	return nil
}

// open resolves the environment and builds the journey. On failure it has
// already reported and returns the exit code.
func (t *tokenFlags) open(env *cliEnv, cmd string) (*tokenSession, int) {
	// get-token never makes a key, unlike run on local: a named file that
	// is missing is a mistake to report.
	var fi os.FileInfo
	var err error
	if t.privateKey != "" { // else localDefaultKey: the flow's key step readies the default
		fi, err = os.Stat(t.privateKey)
	}
	if errors.Is(err, fs.ErrNotExist) {
		printFailure(env.stderr, cmd, fmt.Sprintf("cannot read the private key %s: no such file", t.privateKey),
			[]steps.Hint{{Cause: "There is no file at " + t.privateKey + ".", Fix: fmt.Sprintf("Check --private-key, or make a key with 'nhsauth generate-keys --env %s'.", t.env)}}, nil)
		return nil, exitFail
	}
	if fi != nil && fi.IsDir() {
		printFailure(env.stderr, cmd, fmt.Sprintf("--private-key %s is a folder, not a key file", t.privateKey),
			[]steps.Hint{{Cause: "--private-key names the PEM file itself, not the folder that holds it.", Fix: fmt.Sprintf("Pass the file, for example --private-key %s.", filepath.Join(t.privateKey, t.env+"-1.pem"))}}, nil)
		return nil, exitFail
	}
	j, cleanup, err := openJourney(env, t.env, t.appCreds, t.timeout)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return nil, usageFail(env, cmd, err)
		}
		printFailure(env.stderr, cmd, err.Error(), nil, nil)
		return nil, exitFail
	}
	if t.kid == "" && t.privateKey != "" {
		fmt.Fprintf(env.stderr, "Using KID: %s\n", keystore.KIDFromPath(t.privateKey))
	}
	return &tokenSession{cmd: cmd, j: j, timeout: t.timeout, cleanup: cleanup, warn: env.stderr}, exitOK
}

// token runs the app-restricted flow through the Runner up to its token
// step (reference §2.1–§2.5): the key loaded and checked, the assertion
// signed, the token requested. The "jwks" step only shows what to publish,
// and is skipped. It returns every exchange and the failing outcome's
// error, with a note of which step failed.
func (s *tokenSession) token(ctx context.Context) (steps.Token, []steps.Exchange, error) {
	exs, err := s.through(ctx, "token")
	if err != nil {
		return steps.Token{}, exs, err
	}
	return s.j.Token, exs, nil
}

// through drives the app-restricted flow through the step with ID last
// (the JWKS step skipped), checking the kid once the key is loaded. It
// returns every exchange and the failing outcome's error.
func (s *tokenSession) through(ctx context.Context, last string) ([]steps.Exchange, error) {
	r := flows.NewRunner(flows.AppRestricted(), s.j)
	if err := r.Skip("jwks"); err != nil { // the flow and this command disagree: a programming error
		return nil, err
	}
	var exs []steps.Exchange
	err := r.Drive(ctx, flows.Hooks{Through: last, Around: func(ctx context.Context, i int) (context.Context, func(*flows.Outcome)) {
		id := r.Flow.Steps[i].ID
		return ctx, func(o *flows.Outcome) {
			if id == "key" && !o.Failed() {
				if err := s.checkKID(); err != nil {
					*o = flows.Fail(err, o.Exchanges...)
				}
			}
			exs = append(exs, o.Exchanges...)
			if o.Failed() {
				s.failedStep = id
			}
		}
	}})
	return exs, err
}

// checkKID compares --kid with the JWKS beside the key: on local, where the
// platform reads exactly that folder, a mismatch dooms the request and is
// returned; elsewhere it is a warning, since the registered JWKS may differ.
func (s *tokenSession) checkKID() error {
	err := kidBesideKey(s.j.KeyPath, s.j.KID)
	if err == nil || s.j.Env.Local {
		return err
	}
	msg, hints := plainError(err, s.timeout)
	fmt.Fprintf(s.warn, "warning: %s; the request goes ahead, since the JWKS registered on %s may differ.\n", msg, s.j.Env.Name)
	printHints(s.warn, "  ", hints, s.j.Redact)
	return nil
}

// kidBesideKey catches a --kid that the key's own JWKS does not hold: the
// key step compares the key with <kid>.json, but generate-keys names the
// JWKS after the key file, so "--private-key .auth/local-1.pem --kid
// other" would pass unchecked. When that JWKS (<name>.json beside
// <name>.pem) exists and no JWKS in the folder holds the kid, it returns
// the error the platform's "no matching public key" would become.
func kidBesideKey(keyPath, kid string) error {
	stem := keystore.KIDFromPath(keyPath)
	dir := filepath.Dir(keyPath)
	own := filepath.Join(dir, stem+".json")
	if kid == "" || kid == stem {
		return nil // the key step checked <kid>.json already
	}
	set, err := keystore.ReadJWKS(own)
	if err != nil {
		return nil // no JWKS of this key's own to compare with
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range paths {
		if other, err := keystore.ReadJWKS(p); err == nil {
			if _, ok := other.Find(kid); ok {
				return nil // published in another document; the key step or the platform judges it
			}
		}
	}
	kids := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	fix := "Leave out --kid to use the key file's name, or regenerate the key pair with nhsauth generate-keys --kid " + kid + "."
	if len(kids) > 0 {
		fix = fmt.Sprintf("Pass --kid %s (or leave --kid out), or register this key under kid %s.", kids[0], kid)
	}
	return steps.WithHint(fmt.Errorf("%s, the JWKS beside the key, has no key with kid %q", own, kid),
		fmt.Sprintf("The key's JWKS holds kids [%s], not %q: the platform looks the kid up in the registered JWKS and would answer \"no matching public key\".", strings.Join(kids, " "), kid),
		fix)
}

// reportTokenFailure prints a failed token request: the sentence, its hints
// and the platform's reply, masked.
func (s *tokenSession) reportTokenFailure(env *cliEnv, err error, exs []steps.Exchange) {
	msg, hints := plainError(err, s.timeout)
	what := "no access token: "
	switch s.failedStep {
	case "key": // nothing was sent: the key itself is the problem
		what = "cannot use the private key: "
	case "assertion":
		what = "cannot sign the client assertion: "
	}
	printFailure(env.stderr, s.cmd, what+msg, hints, s.j.Redact)
	if last, ok := lastCompleted(exs); ok && len(last.RespBody) > 0 {
		body := transcript.Present(last, s.j.Redact).RespBody.Wire()
		fmt.Fprintf(env.stderr, "Response (HTTP %d): %s\n", last.Status, clip(strings.TrimSpace(body), maxShownBody))
	}
}

// maxShownBody bounds a reply quoted in an error message: a token error is
// a few hundred bytes; anything longer is a page that is not the platform's.
const maxShownBody = 2000

// lastCompleted returns the last exchange that got a reply.
func lastCompleted(exs []steps.Exchange) (steps.Exchange, bool) {
	for i := len(exs) - 1; i >= 0; i-- {
		if !exs[i].Synthetic && exs[i].Status != 0 {
			return exs[i], true
		}
	}
	return steps.Exchange{}, false
}

func getTokenFlags() (*pflag.FlagSet, *tokenFlags) {
	fs := pflag.NewFlagSet("get-token", pflag.ContinueOnError)
	return fs, addTokenFlags(fs, "print the platform's token response (JSON, as received, with a schema field first) instead of the token alone")
}

func newGetTokenCmd(env *cliEnv) *cobra.Command {
	fs, t := getTokenFlags()
	return newCommand(env, spec{help: getTokenHelp, flags: fs, creds: &t.appCreds, run: func(_ context.Context, pos []string) int {
		return tokenCommand(env, "get-token", t, pos, t.check, func(_ context.Context, _ *tokenSession, tok steps.Token, exs []steps.Exchange) int {
			return printToken(env, t.json, tok, exs)
		})
	}})
}

// tokenCommand is what get-token and call-api share: no positional
// arguments, the flags checked, the journey opened, Ctrl+C watched, and a
// token fetched before body runs. It returns body's exit code, 1 when the
// token failed, and 130 when interrupted.
func tokenCommand(env *cliEnv, name string, t *tokenFlags, pos []string, check func() error,
	body func(context.Context, *tokenSession, steps.Token, []steps.Exchange) int) int {
	if err := noArgs(pos); err != nil {
		return usageFail(env, name, err)
	}
	if err := check(); err != nil {
		return usageFail(env, name, err)
	}
	s, code := t.open(env, name)
	if s == nil {
		return code
	}
	defer s.cleanup()
	ctx, stop := signalContext()
	defer stop()
	tok, exs, err := s.token(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(env.stderr, "nhsauth %s: interrupted.\n", name)
		return exitInterrupted
	case err != nil:
		s.reportTokenFailure(env, err, exs)
		return exitFail
	}
	code = body(ctx, s, tok, exs)
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return code
}

// printToken prints get-token's result: the token alone (its expiry on
// stderr), or with --json the platform's reply.
func printToken(env *cliEnv, asJSON bool, tok steps.Token, exs []steps.Exchange) int {
	if asJSON {
		last, _ := lastCompleted(exs)
		body := strings.TrimRight(string(transcript.EscapeC1(transcript.TokenJSON(last.RespBody))), "\n")
		fmt.Fprintln(env.stdout, body)
		return exitOK
	}
	fmt.Fprintln(env.stdout, tok.AccessToken)
	reportExpiry(env, tok)
	return exitOK
}

// reportExpiry writes the seed's success line and the expiry time to stderr.
func reportExpiry(env *cliEnv, tok steps.Token) {
	fmt.Fprintf(env.stderr, "✓ Access token obtained (expires in %d seconds)\n", int64(tok.ExpiresIn))
	if tok.ExpiresIn > 0 {
		at := time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
		fmt.Fprintf(env.stderr, "  Expires: %s\n", at.Format("2006-01-02 15:04:05 MST"))
	}
}
