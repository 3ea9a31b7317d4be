package main

// nhsauth assertion: a fresh client assertion for the platform's token
// endpoint (reference §2.2, §2.3), signed by the app-restricted flow's own
// assertion step, for tools that cannot sign one: Postman, Bruno, curl.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var assertionHelp = &cmdHelp{
	name:    "assertion",
	short:   "print a fresh signed client assertion for the platform (Postman, Bruno, curl)",
	summary: "print a fresh signed client assertion (JWT) for the platform's token endpoint.",
	usage:   "assertion [--env ENV] [--api-key K] [--private-key PEM] [--kid KID] [--form] [--explain] [--json]",
	details: `Signs a client assertion as get-token does (RS512; typ JWT; kid from --kid or
the key file's name; iss and sub the API key; aud the environment's token URL;
a fresh jti; exp in 240 s, within the platform's 5 minutes) and prints it
alone, for a tool that cannot sign one. It sends nothing to the platform.
--form prints the whole application/x-www-form-urlencoded body of a client
credentials token request instead; --explain writes the decoded header and
claims to stderr. Each assertion is good for one request: the platform
refuses a jti it has seen. On local it needs a running 'nhsauth mock' (or
$NHSAUTH_LOCAL_URL), since aud names the platform's address, and
--private-key defaults to the key run uses (.auth/local-1.pem, made when
missing); elsewhere --private-key is required.`,
	examples: []string{
		"nhsauth assertion --env int --api-key K --private-key .auth/int-1.pem",
		"nhsauth assertion --env local --explain",
		"curl -s -d \"$(nhsauth assertion --env local --form)\" http://127.0.0.1:8400/oauth2/token",
	},
}

// assertionFlags are get-token's flags and the output choices.
type assertionFlags struct {
	*tokenFlags
	form, explain bool
}

func newAssertionCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("assertion", pflag.ContinueOnError)
	o := &assertionFlags{tokenFlags: addTokenFlags(fs, "print the assertion, the token URL and the decoded header and claims as one JSON document")}
	o.localDefaultKey = true
	fs.Lookup("private-key").Usage = "the RSA private key, a `PEM` file (default on local: .auth/local-1.pem, made when missing; required elsewhere)"
	fs.BoolVar(&o.form, "form", false, "print the whole form body of a client credentials token request (grant_type, client_assertion_type, client_assertion)")
	fs.BoolVar(&o.explain, "explain", false, "write the decoded header and claims to stderr")
	return newCommand(env, spec{help: assertionHelp, flags: fs, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		return cmdAssertion(env, o, pos)
	}})
}

func cmdAssertion(env *cliEnv, o *assertionFlags, pos []string) int {
	if err := noArgs(pos); err != nil {
		return usageFail(env, "assertion", err)
	}
	if err := o.check(); err != nil {
		return usageFail(env, "assertion", err)
	}
	if o.form && o.json {
		return usageFail(env, "assertion", usagef("--form and --json exclude each other"))
	}
	s, code := o.open(env, "assertion")
	if s == nil {
		return code
	}
	defer s.cleanup()
	if privateLocal(env, s.j) {
		printFailure(env.stderr, "assertion", "no local platform is running to take the assertion",
			[]steps.Hint{{Cause: "An assertion's aud names the platform's address, and without 'nhsauth mock' (or $NHSAUTH_LOCAL_URL) the local platform lives only as long as one command.",
				Fix: "Start 'nhsauth mock' in another terminal and run this again."}}, nil)
		return exitFail
	}
	ctx, stop := signalContext()
	defer stop()
	exs, err := s.through(ctx, "assertion")
	if err != nil {
		s.reportTokenFailure(env, err, exs)
		return exitFail
	}
	return printAssertion(env, o, s.j)
}

// privateLocal reports whether j's local platform is the private one this
// command started: what it issues or accepts ends with the command.
func privateLocal(env *cliEnv, j *flows.Journey) bool {
	if !j.Env.Local {
		return false
	}
	shared := []string{"http://" + localProbeAddr, strings.TrimRight(strings.TrimSpace(env.getenv("NHSAUTH_LOCAL_URL")), "/")}
	for _, base := range shared {
		if base != "" && strings.TrimRight(j.Env.APIBase, "/") == base {
			return false
		}
	}
	return true
}

// clientCredentialsForm is the form body of a client credentials token
// request carrying assertion (reference §2.1; RFC 7523 §2.2).
func clientCredentialsForm(assertion string) string {
	return url.Values{
		"grant_type":            {steps.GrantClientCredentials},
		"client_assertion_type": {steps.AssertionTypeJWTBearer},
		"client_assertion":      {assertion},
	}.Encode()
}

// assertionJSON is assertion --json's document (docs/json.md).
type assertionJSON struct {
	Schema    string         `json:"schema"`
	Assertion string         `json:"assertion"`
	TokenURL  string         `json:"token_url"`
	Header    map[string]any `json:"header"`
	Claims    map[string]any `json:"claims"`
}

func printAssertion(env *cliEnv, o *assertionFlags, j *flows.Journey) int {
	d, err := steps.DecodeJWT(j.Assertion)
	if err != nil { // the step just signed it: a programming error
		printFailure(env.stderr, "assertion", "cannot decode the assertion just signed: "+err.Error(), nil, nil)
		return exitFail
	}
	header, claims := memberMap(d.Header), memberMap(d.Claims)
	if o.explain {
		fmt.Fprintf(env.stderr, "Client assertion for %s (valid once, until exp):\n", j.Env.TokenURL())
		for _, part := range []struct {
			name    string
			members []steps.Member
		}{{"header", d.Header}, {"claims", d.Claims}} {
			fmt.Fprintf(env.stderr, "  %s:\n", part.name)
			for _, m := range part.members {
				fmt.Fprintf(env.stderr, "    %-4s %s\n", m.Name, transcript.EscapeC1(m.Value))
			}
		}
	}
	switch {
	case o.json:
		writeJSON(env.stdout, assertionJSON{Schema: "nhsauth/assertion@1", Assertion: j.Assertion, TokenURL: j.Env.TokenURL(), Header: header, Claims: claims})
	case o.form:
		fmt.Fprintln(env.stdout, clientCredentialsForm(j.Assertion))
	default:
		fmt.Fprintln(env.stdout, j.Assertion)
	}
	return exitOK
}

// memberMap turns decoded JWT members into a JSON object's values.
func memberMap(ms []steps.Member) map[string]any {
	m := make(map[string]any, len(ms))
	for _, x := range ms {
		var v any
		_ = json.Unmarshal(x.Value, &v) // DecodeJWT parsed each already
		m[x.Name] = v
	}
	return m
}
