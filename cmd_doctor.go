package main

// nhsauth doctor: one line per check of an app's whole setup (issue 15),
// the checks made by package doctor.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nhsauth/nhsauth/doctor"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var doctorHelp = &cmdHelp{
	name:    "doctor",
	short:   "check an app's setup: clock, key, JWKS, API key, products, callback",
	summary: "check an app's setup for the NHS API platform, one line per check.",
	usage:   "doctor [--env ENV] [--api-key K] [--private-key PEM] [--kid KID] [--jwks-url URL]\n              [--flow FLOW] [--callback URL] [--break FAULT] [--json] [more flags below]",
	details: `Checks, each on its own line with ✓ (passed), ✗ (failed: the cause and the
fix follow) or – (information): this machine's clock against the platform's
Date header; the private key (exists, parses, RSA of 2048 bits or more, mode
0600, a folder others cannot read); the JWKS beside it (same kid, same
modulus, alg RS512, use sig); the app's published JWKS with --jwks-url
(reachable over TLS, the kid, the modulus, its cache headers); a real
client-credentials request (API key known, key registered under the kid,
product subscribed), naming the platform's exact error; for user-restricted
setups (--flow other than app-restricted, --callback or --api-secret) whether
mock-jwks hands out the realm clients and whether --callback is the app's
registered callback; and the proxy and CA settings in use. On local the
default key is made as run makes it, and a fresh setup passes every check.
--break FAULT (local only, repeatable) asks the local platform for a fault on
each request, such as clock-ahead or clock-behind, to see a ✗ on purpose.
Exits 0 when no check failed, 1 when one did, 2 for a usage error.`,
	examples: []string{
		"nhsauth doctor                                          # the local platform, keys in ./.auth",
		"nhsauth doctor --env int --api-key K --private-key .auth/int-1.pem --jwks-url https://example.org/int-1.json",
		"nhsauth doctor --flow cis2-combined --callback http://127.0.0.1:8401/callback",
		"nhsauth doctor --break clock-ahead                      # see the clock check fail",
	},
}

// doctorFlags are run's flags and the doctor's own.
type doctorFlags struct {
	*journeyFlags
	jwksURL string
	flow    string
	faults  []string
}

func newDoctorCmd(env *cliEnv) *cobra.Command {
	fs := pflag.NewFlagSet("doctor", pflag.ContinueOnError)
	o := &doctorFlags{journeyFlags: addJourneyFlags(fs, "local")}
	fs.StringVar(&o.jwksURL, "jwks-url", "", "the app's published JWKS `URL` (its jwks-resource-url) to check")
	fs.StringVar(&o.flow, "flow", "", "the `FLOW` the app uses; a user-restricted one adds the mock-jwks and callback checks")
	fs.StringArrayVar(&o.faults, "break", nil, "local only: ask the local platform for `FAULT` on each request (clock-ahead, clock-behind, … : nhsauth break --list); repeatable")
	return newCommand(env, spec{help: doctorHelp, flags: fs, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		return cmdDoctor(env, o, pos)
	}})
}

// check validates the doctor's own flags.
func (o *doctorFlags) check() (*flows.Flow, error) {
	f := flows.AppRestricted()
	if o.flow != "" {
		var ok bool
		if f, ok = flows.ByID(o.flow); !ok {
			return nil, unknownFlow(o.flow)
		}
	}
	if len(o.faults) > 0 && o.env != "local" {
		return nil, usagef("--break works on the local platform only (--env local), not on %s", o.env)
	}
	for _, name := range o.faults {
		if !slices.Contains(mock.Faults(), name) {
			return nil, usagef("--break %q is not a fault the local platform plays: give one of %s", name, strings.Join(mock.Faults(), ", "))
		}
	}
	if o.jwksURL != "" {
		if err := checkURL(o.jwksURL); err != nil || strings.HasPrefix(o.jwksURL, "/") {
			return nil, usagef("--jwks-url %q is not an http(s) URL: give the JWKS URL registered for your app", o.jwksURL)
		}
	}
	return f, nil
}

func cmdDoctor(env *cliEnv, o *doctorFlags, pos []string) int {
	if err := noArgs(pos); err != nil {
		return usageFail(env, "doctor", err)
	}
	f, err := o.check()
	if err != nil {
		return usageFail(env, "doctor", err)
	}
	j, cleanup, err := o.journey(env, f, "")
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return usageFail(env, "doctor", err)
		}
		printFailure(env.stderr, "doctor", err.Error(), nil, nil)
		return exitFail
	}
	defer cleanup()
	ctx, stop := signalContext()
	defer stop()
	if bits, err := strconv.Atoi(env.getenv("NHSAUTH_KEY_BITS")); err == nil && bits >= 2048 {
		j.KeyBits = bits // as the wizard: tests make the local key fast
	}
	doctor.WithFaults(j.HTTP, j.Env.APIBase, o.faults)
	userRestricted := f.ID != "app-restricted" || o.callback != "" || o.apiSecret != ""
	realm := flows.RealmCIS2
	if strings.HasPrefix(f.ID, "nhs-login") {
		realm = flows.RealmNHSLogin
	}
	checks := doctor.Run(ctx, doctor.Setup{Journey: j, JWKSURL: o.jwksURL, UserRestricted: userRestricted, Realm: realm,
		Combined: strings.HasSuffix(f.ID, "-combined") || o.callback != "", Callback: o.callback, Getenv: env.getenv, Timeout: o.timeout})
	if o.json {
		writeJSON(env.stdout, doctorJSON{Schema: "nhsauth/doctor@1", Env: j.Env.Name, Platform: j.Env.APIBase, OK: !doctor.Failed(checks), Checks: checks})
	} else {
		printChecks(env.stdout, j.Env.Name, j.Env.APIBase, checks)
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	if doctor.Failed(checks) {
		return exitFail
	}
	return exitOK
}

// doctorJSON is doctor's --json document (docs/json.md).
type doctorJSON struct {
	Schema   string         `json:"schema"`
	Env      string         `json:"env"`
	Platform string         `json:"platform"`
	OK       bool           `json:"ok"`
	Checks   []doctor.Check `json:"checks"`
}

// printChecks writes one line per check, and a failure's cause and fix
// beneath it. The checks' text is neutralised already (doctor.Run).
func printChecks(w io.Writer, envName, base string, checks []doctor.Check) {
	fmt.Fprintf(w, "nhsauth doctor: %s (%s)\n\n", envName, base)
	failed := 0
	writeChecks(w, checks)
	for _, c := range checks {
		if c.Status == doctor.Fail {
			failed++
		}
	}
	switch failed {
	case 0:
		fmt.Fprintln(w, "\nNo problem found.")
	case 1:
		fmt.Fprintln(w, "\n1 check failed.")
	default:
		fmt.Fprintf(w, "\n%d checks failed.\n", failed)
	}
}
