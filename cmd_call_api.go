package main

// nhsauth call-api: get an application-restricted token, then call an API
// with it (reference §8), printing the exchange with the token masked.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

var callAPIHelp = &cmdHelp{
	name:    "call-api",
	summary: "get an application-restricted token and call an API with it.",
	usage:   "call-api --private-key PEM --url URL [--api-key K] [--env ENV] [--kid KID] [--method METHOD]\n                   [--nhs-number N] [--product-id P] [--header \"Name: value\"]... [--json] [--timeout D]",
	details: `Gets a token as get-token does, then sends the request with Authorization:
Bearer, a fresh X-Request-ID unless --header gives one, nhs-login-nhs-number for
--nhs-number, NHSE-Product-ID for --product-id and each --header. A URL starting
with / is relative to the environment's API host. Prints the status, headers
and body (JSON pretty-printed) with the token masked; --json prints
{"status", "headers", "body", "truncated"}. Exits 0 when the API answered
below 400 in full, else 1.`,
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
	headers                           headerList
}

func callAPIFlags() (*flag.FlagSet, *callAPIOptions) {
	fs := newFlagSet("call-api")
	o := &callAPIOptions{tokenFlags: addTokenFlags(fs, `print {"status", "headers", "body", "truncated"} as JSON instead of the exchange`)}
	fs.StringVar(&o.url, "url", "", "the API `URL` to call; a path starting with / is relative to the environment's API host (required)")
	fs.StringVar(&o.method, "method", "GET", "the HTTP `METHOD`")
	fs.StringVar(&o.nhsNumber, "nhs-number", "", "send the header nhs-login-nhs-number: `N`")
	fs.StringVar(&o.productID, "product-id", "", "send the header NHSE-Product-ID: `P`")
	fs.Var(&o.headers, "header", "an extra request header `\"Name: value\"`; repeatable")
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

func cmdCallAPI(env *cliEnv, args []string) int {
	fs, o := callAPIFlags()
	t := o.tokenFlags
	pos, code, ok := parseFlags(env, fs, callAPIHelp, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageFail(env, "call-api", usagef("unexpected argument %q", pos[0]))
	}
	m, hdr, err := o.request()
	if err != nil {
		return usageFail(env, "call-api", err)
	}

	s, code := t.open(env, "call-api")
	if s == nil {
		return code
	}
	defer s.cleanup()
	ctx, stop := signalContext()
	defer stop()

	tok, exs, err := s.token(ctx)
	if err != nil {
		s.reportTokenFailure(env, err, exs)
		return exitFail
	}
	reportExpiry(env, tok)
	target := s.j.Env.Resolve(o.url)
	fmt.Fprintf(env.stderr, "Calling API: %s %s\n", m, target)
	resp, apiExs, err := steps.CallAPI(ctx, s.j.HTTP, steps.APIParams{Method: m, URL: target, AccessToken: tok.AccessToken, Header: hdr})
	if resp.Status == 0 {
		if err == nil {
			err = fmt.Errorf("no reply from %s", target)
		}
		msg, hints := plainError(err, s.timeout)
		printFailure(env.stderr, "call-api", "the API call failed: "+msg, hints, s.j.Redact)
		return exitFail
	}
	if t.json {
		writeJSON(env.stdout, apiJSON(apiExs[len(apiExs)-1], s.j.Redact))
	} else {
		for i, ex := range apiExs {
			if i > 0 {
				fmt.Fprintln(env.stdout)
			}
			printExchange(env.stdout, "", ex, s.j.Redact)
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
		printFailure(env.stderr, "call-api", fmt.Sprintf("the API answered HTTP %d but its reply was cut short: %s", resp.Status, msg), hints, s.j.Redact)
		return exitFail
	}
	if resp.Status >= 400 {
		msg := fmt.Sprintf("the API answered HTTP %d", resp.Status)
		var hints []steps.Hint
		if err != nil {
			hints = steps.HintsOf(err)
		}
		printFailure(env.stderr, "call-api", msg, hints, s.j.Redact)
		return exitFail
	}
	if apiExs[len(apiExs)-1].Truncated {
		fmt.Fprintf(env.stderr, "note: the body is over %d MB: only its first %d MB is shown.\n", steps.MaxBody>>20, steps.MaxBody>>20)
	}
	fmt.Fprintf(env.stderr, "✓ Response status: %d\n", resp.Status)
	return exitOK
}

// apiJSON is call-api's --json document for the API's reply: the body
// embedded as JSON when it is JSON, else as a string.
func apiJSON(ex steps.Exchange, red *steps.Redactor) map[string]any {
	m := steps.MaskExchange(ex, red)
	var body any = string(m.RespBody)
	if trimmed := bytes.TrimSpace(m.RespBody); len(trimmed) > 0 && json.Valid(trimmed) {
		body = json.RawMessage(trimmed)
	}
	return map[string]any{
		"status":    m.Status,
		"headers":   flatHeaders(m.RespHeader),
		"body":      body,
		"truncated": m.Truncated || ex.Err != nil, // past 10 MB, or the reply broke off
	}
}
