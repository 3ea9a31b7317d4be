package main

// nhsauth call-api: get an application-restricted token, then call an API
// with it (reference §8), printing the exchange with the token masked.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var callAPIHelp = &cmdHelp{
	name:    "call-api",
	short:   "get a token and call an API with it",
	summary: "get an application-restricted token and call an API with it.",
	usage:   "call-api --private-key PEM --url URL [--api-key K] [--env ENV] [--kid KID] [--method METHOD]\n                   [--nhs-number N] [--product-id P] [--header \"Name: value\"]... [--follow] [--json] [--timeout D]",
	details: `Gets a token as get-token does, then sends the request with Authorization:
Bearer, a fresh X-Request-ID unless --header gives one, nhs-login-nhs-number for
--nhs-number, NHSE-Product-ID for --product-id and each --header. A URL starting
with / is relative to the environment's API host. Prints the status, headers
and body (JSON pretty-printed) with the token masked; --json prints
{"schema", "status", "headers", "body", "body_text", "truncated"}. A redirect is not followed: it is
shown with its Location and the call fails; --follow follows redirects within
the URL's origin (scheme, host and port) only, so the token never goes
elsewhere. Exits 0 when the API answered below 300 in full, else 1.`,
	examples: []string{
		"nhsauth call-api --env local --private-key .auth/local-1.pem --url /hello-world/hello/application",
		"nhsauth call-api --env local --private-key .auth/local-1.pem --url /personal-demographics/FHIR/R4/Patient/9000000009 --header \"X-Correlation-ID: abc\"",
		"nhsauth call-api --env int --api-key K --private-key .auth/int-1.pem --url /personal-demographics/FHIR/R4/Patient/9000000009 --product-id P.XWA-VFF",
		"nhsauth call-api --env local --private-key .auth/local-1.pem --url /hello-world/hello/application --json",
	},
}

// callAPIOptions are call-api's flags beyond the token's.
type callAPIOptions struct {
	*tokenFlags
	url, method, nhsNumber, productID string
	headers                           []string
	follow                            bool
}

func callAPIFlags() (*pflag.FlagSet, *callAPIOptions) {
	fs := pflag.NewFlagSet("call-api", pflag.ContinueOnError)
	o := &callAPIOptions{tokenFlags: addTokenFlags(fs, `print {"schema", "status", "headers", "body", "body_text", "truncated"} as JSON instead of the exchange`)}
	fs.StringVar(&o.url, "url", "", "the API `URL` to call; a path starting with / is relative to the environment's API host (required)")
	fs.StringVar(&o.method, "method", "GET", "the HTTP `METHOD`")
	fs.StringVar(&o.nhsNumber, "nhs-number", "", "send the header nhs-login-nhs-number: `N`")
	fs.StringVar(&o.productID, "product-id", "", "send the header NHSE-Product-ID: `P`")
	fs.StringArrayVar(&o.headers, "header", nil, "an extra request header `\"Name: value\"`; repeatable")
	fs.BoolVar(&o.follow, "follow", false, "follow redirects within the URL's origin (scheme, host and port); none is followed by default")
	return fs, o
}

// request checks call-api's flags and returns the API request's method
// and headers, so every mistake is a usage error before a token is fetched.
func (o *callAPIOptions) request() (string, http.Header, error) {
	if err := o.check(); err != nil {
		return "", nil, err
	}
	if o.url == "" {
		return "", nil, usagef("--url is required: give the API's URL, or a path such as /hello-world/hello/application")
	}
	if err := checkURL(o.url); err != nil {
		return "", nil, err
	}
	m := strings.ToUpper(strings.TrimSpace(o.method))
	if m == "" || strings.ContainsAny(m, " \t\r\n/:\"") {
		return "", nil, usagef("--method %q is not an HTTP method: use GET, POST, PUT, PATCH or DELETE", o.method)
	}
	hdr, err := parseHeaders(o.headers)
	if err != nil {
		return "", nil, err
	}
	for _, h := range []struct{ flag, name, value string }{
		{"--nhs-number", "nhs-login-nhs-number", o.nhsNumber},
		{"--product-id", "NHSE-Product-ID", o.productID},
	} {
		if err := checkHeaderValue(h.flag, h.value); err != nil {
			return "", nil, err
		}
		if h.value != "" {
			hdr.Set(h.name, h.value)
		}
	}
	return m, hdr, nil
}

func newCallAPICmd(env *cliEnv) *cobra.Command {
	fs, o := callAPIFlags()
	var m string
	var hdr http.Header
	check := func() (err error) {
		if m, hdr, err = o.request(); err == nil {
			warnReplacedHeaders(env.stderr, hdr)
		}
		return err
	}
	return newCommand(env, spec{help: callAPIHelp, flags: fs, creds: &o.appCreds, run: func(_ context.Context, pos []string) int {
		return tokenCommand(env, "call-api", o.tokenFlags, pos, check, func(ctx context.Context, s *tokenSession, tok steps.Token, _ []steps.Exchange) int {
			return callAPI(ctx, env, s, o, m, hdr, tok)
		})
	}})
}

// callAPI sends call-api's request with the token and reports the reply.
func callAPI(ctx context.Context, env *cliEnv, s *tokenSession, o *callAPIOptions, m string, hdr http.Header, tok steps.Token) int {
	reportExpiry(env, tok)
	target := s.j.Env.Resolve(o.url)
	fmt.Fprintf(env.stderr, "Calling API: %s %s\n", m, s.j.Redact.String(transcript.Line(target)))
	resp, apiExs, err := steps.CallAPI(ctx, s.j.HTTP, steps.APIParams{Method: m, URL: target, AccessToken: tok.AccessToken, Header: hdr, FollowRedirects: o.follow})
	return reportAPICall(env, s, o.json, target, resp, apiExs, err)
}

// reportAPICall prints the API's reply (or why there is none) and returns
// call-api's exit code: 0 only for a whole answer below 300.
func reportAPICall(env *cliEnv, s *tokenSession, asJSON bool, target string, resp steps.APIResponse, apiExs []steps.Exchange, err error) int {
	if resp.Status == 0 {
		if err == nil {
			err = fmt.Errorf("no reply from %s", target)
		}
		msg, hints := plainError(err, s.timeout)
		printFailure(env.stderr, "call-api", "the API call failed: "+msg, hints, s.j.Redact)
		return exitFail
	}
	return reportAPIReply(env, s, asJSON, resp.Status, apiExs, err)
}

// reportAPIReply prints the API's reply (the exchanges as text, or the
// --json document) and says whether it counts as success: a whole answer
// below 300.
func reportAPIReply(env *cliEnv, s *tokenSession, asJSON bool, status int, apiExs []steps.Exchange, err error) int {
	parts := transcript.PresentAll(apiExs, s.j.Redact)
	if asJSON {
		writeJSON(env.stdout, parts[len(parts)-1].APIJSON())
	} else {
		for i, p := range parts {
			if i > 0 {
				fmt.Fprintln(env.stdout)
			}
			transcript.WriteExchange(env.stdout, "", p)
		}
	}
	if last := apiExs[len(apiExs)-1]; last.Err != nil {
		// A status line and headers came, then the body broke off: what is
		// shown above is not the whole reply.
		msg, hints := plainError(last.Err, s.timeout)
		if last.Took >= s.timeout*9/10 {
			msg = fmt.Sprintf("the %s time limit (--timeout) ran out mid-body", s.timeout)
		}
		if len(hints) == 0 {
			hints = []steps.Hint{{Cause: "The connection failed or the time limit ran out while the body was arriving, so the body shown is incomplete.",
				Fix: "Retry; if it keeps happening allow more time with --timeout, or check proxies between you and the API."}}
		}
		printFailure(env.stderr, "call-api", fmt.Sprintf("the API answered HTTP %d but its reply was cut short: %s", status, msg), hints, s.j.Redact)
		return exitFail
	}
	if status >= 300 {
		// 3xx: a redirect not followed (without --follow, or to another
		// origin) or a loop; err's hint says which.
		msg := fmt.Sprintf("the API answered HTTP %d", status)
		var hints []steps.Hint
		if err != nil {
			hints = steps.HintsOf(err)
		}
		printFailure(env.stderr, "call-api", msg, hints, s.j.Redact)
		return exitFail
	}
	if apiExs[len(apiExs)-1].Truncated {
		// Exit 0 promises the whole answer: a body cut at the recording
		// limit is not one.
		printFailure(env.stderr, "call-api", fmt.Sprintf("the API answered HTTP %d but the body is over %d MB: only its first %d MB is shown", status, steps.MaxBody>>20, steps.MaxBody>>20),
			[]steps.Hint{{Cause: fmt.Sprintf("nhsauth records at most %d MB of a reply, so the answer above is incomplete.", steps.MaxBody>>20),
				Fix: "Ask the API for less (a narrower query, paging), or fetch this resource with a tool that streams to a file."}}, s.j.Redact)
		return exitFail
	}
	fmt.Fprintf(env.stderr, "✓ Response status: %d\n", status)
	return exitOK
}
