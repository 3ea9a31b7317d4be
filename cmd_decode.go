package main

// nhsauth decode: any JWT decoded and explained, verified against its
// issuer, and a client assertion checked against the platform's rules
// (issue 15); the work is package doctor's.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/doctor"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var decodeHelp = &cmdHelp{
	name:    "decode",
	short:   "decode and check any JWT: ID token, access token, client assertion, logout token",
	summary: "decode a JWT, explain each claim, and check it.",
	usage:   "decode [TOKEN | -] [--verify] [--audience AUD] [--assertion] [--env local] [--json]",
	details: `Reads the token from the argument, or from stdin with - (or when stdin is
not a terminal). Prints its header and claims, each explained, with the
signature masked. An ID, access or logout token from a known NHS issuer (the
mock realms, CIS2, NHS login) is verified: its issuer is discovered, its JWKS
fetched, and each check shown on its own line (signature and kid, alg, iss,
aud with --audience, exp, nbf, iat). --verify does the same for any https
issuer. A token from the local platform is verified with --env local, against
the platform running there. A client assertion (iss = sub, aud a token URL, or
--assertion) is checked against the platform's rules (typ, alg, kid, iss =
sub, aud, exp within 5 minutes, jti), naming the exact error the platform
would answer. Exits 0 when every check passed, 1 when one failed or the input
is not a JWT, 2 for a usage error.`,
	examples: []string{
		"nhsauth decode eyJhbGciOi...                       # explained; an NHS issuer's token verified",
		"nhsauth decode --env local < id_token.txt          # a local realm's token, verified",
		"pbpaste | nhsauth decode - --assertion             # would the platform take this assertion?",
		"nhsauth decode \"$ID_TOKEN\" --audience my-client-id --json",
	},
}

// decodeFlags are decode's flags.
type decodeFlags struct {
	env       string
	verify    bool
	audience  string
	assertion bool
	json      bool
	timeout   time.Duration
}

func newDecodeCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("decode", pflag.ContinueOnError)
	o := &decodeFlags{}
	fs.StringVar(&o.env, "env", "", "the environment whose tokens to verify: only `local` (the local platform running, found as other commands find it)")
	fs.BoolVar(&o.verify, "verify", false, "verify against the issuer even when it is not a known NHS or local one (discovery and JWKS over https)")
	fs.StringVar(&o.audience, "audience", "", "the `AUD` the token must name: your client id (ID token) or the token URL (client assertion)")
	fs.BoolVar(&o.assertion, "assertion", false, "check the token as a client assertion (reference §2.2, §2.3) whatever its claims")
	fs.BoolVar(&o.json, "json", false, "print one JSON document (docs/json.md) instead of text")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "the limit `D` for each HTTP request (a duration: 10s, 1m)")
	return newCommand(env, spec{help: decodeHelp, flags: fs, run: func(_ context.Context, pos []string) int {
		return cmdDecode(env, o, pos)
	}})
}

// maxTokenInput bounds what decode reads from stdin: a JWT is a few KB.
const maxTokenInput = 1 << 20

// readToken is decode's input: the argument, or stdin for - or when no
// argument is given and stdin is not a terminal.
func (o *decodeFlags) readToken(env *cliEnv, pos []string) (string, error) {
	switch {
	case len(pos) > 1:
		return "", usagef("unexpected argument %q after the token", pos[1])
	case len(pos) == 1 && pos[0] != "-":
		return pos[0], nil
	case len(pos) == 0 && env.stdinTerminal:
		return "", usagef("which token? give it as the argument, or pipe it in (or use - to read stdin)")
	}
	b, err := io.ReadAll(io.LimitReader(env.stdin, maxTokenInput+1))
	if err != nil {
		return "", fmt.Errorf("cannot read the token from stdin: %w", err)
	}
	if len(b) > maxTokenInput {
		return "", usagef("stdin holds more than 1 MiB: a JWT is a few KB; pipe the token alone")
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", usagef("stdin held no token: pipe the token in, or give it as the argument")
	}
	return string(b), nil
}

func cmdDecode(env *cliEnv, o *decodeFlags, pos []string) int {
	if o.env != "" && o.env != "local" {
		return usageFail(env, "decode", usagef("--env takes local only (to verify the local platform's tokens); tokens of %s are verified by their issuer", o.env))
	}
	raw, err := o.readToken(env, pos)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return usageFail(env, "decode", err)
		}
		printFailure(env.stderr, "decode", err.Error(), nil, nil)
		return exitFail
	}
	opts := doctor.DecodeOptions{Verify: o.verify, Assertion: o.assertion, Audience: o.audience,
		HTTP: &http.Client{Timeout: o.timeout}, Timeout: o.timeout}
	if o.env == "local" {
		j, cleanup, err := openJourney(env, "local", appCreds{}, o.timeout)
		if err != nil {
			printFailure(env.stderr, "decode", err.Error(), nil, nil)
			return exitFail
		}
		defer cleanup()
		opts.LocalBase, opts.HTTP = j.Env.APIBase, j.HTTP
	}
	ctx, stop := signalContext()
	defer stop()
	d, err := doctor.Decode(ctx, raw, opts)
	if err != nil {
		printFailure(env.stderr, "decode", err.Error(), nil, nil)
		return exitFail
	}
	if o.json {
		writeJSON(env.stdout, decodeJSON(d))
	} else {
		printDecoded(env.stdout, d)
	}
	if doctor.Failed(d.Checks) || doctor.Failed(d.Rules) {
		return exitFail
	}
	return exitOK
}
