package main

// How commands report: a failure as one plain sentence with its cause and
// fix, a flow's steps as a transcript, and the --json documents. Every
// string goes through the journey's Redactor first.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// plainError turns an error from the steps or the network into one plain
// clause, with its hints: the steps attach their own diagnoses; a bare
// network error gets steps.TransportError's, and an OAuth error Diagnose
// does not know a generic one.
func plainError(err error, timeout time.Duration) (string, []steps.Hint) {
	hints := steps.HintsOf(err)
	var (
		oe *steps.OAuthError
		he *steps.HTTPError
	)
	switch {
	case errors.As(err, &oe) && oe.Status >= 500:
		// An error body on a 5xx is the server failing, not a refusal of
		// what was sent.
		if len(hints) == 0 {
			hints = []steps.Hint{{Cause: fmt.Sprintf("The server failed on its side (HTTP %d): it or a gateway in front of it is down or overloaded; your request is probably not the cause.", oe.Status),
				Fix: "Retry in a minute. On --env local, look at the local platform's output; elsewhere check the NHS API platform status page, and quote the message_id if you ask NHS support."}}
		}
		return "the server failed: " + oe.Error(), hints
	case errors.As(err, &oe):
		if len(hints) == 0 {
			hints = []steps.Hint{{Cause: "The platform's error_description says what it did not accept.", Fix: "Fix that input and try again; quote the message_id if you ask NHS support."}}
		}
		return "the platform refused the request: " + oe.Error(), hints
	case errors.As(err, &he):
		return "the server answered " + he.Error(), hints
	case errors.Is(err, steps.ErrNotJSON):
		return stripPrefixes(err.Error()), hints
	case isTransport(err):
		if len(hints) == 0 {
			hints = steps.HintsOf(steps.TransportError(err, failedURL(err)))
		}
		return plainTransportError(err, timeout), hints
	}
	return stripPrefixes(err.Error()), hints
}

// failedURL is the URL a network error names, or "".
func failedURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.URL
	}
	return ""
}

// isTransport reports whether err is a network failure rather than a reply.
func isTransport(err error) bool {
	var (
		ue *url.Error
		ne net.Error
	)
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// plainTransportError says in plain words why a request got no reply.
func plainTransportError(err error, timeout time.Duration) string {
	host := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
	}
	at := ""
	if host != "" {
		at = " at " + host
	}
	var (
		ne      net.Error
		dns     *net.DNSError
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host509 x509.HostnameError
	)
	switch {
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		if timeout > 0 {
			return fmt.Sprintf("no reply%s within %s", at, timeout)
		}
		return "no reply" + at + " in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening" + at + " (connection refused)"
	case errors.As(err, &dns):
		return fmt.Sprintf("the host name %q cannot be resolved", dns.Name)
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &host509):
		return "the TLS certificate" + at + " is not trusted"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	if ue != nil {
		if host == "" {
			return fmt.Sprintf("the request to %q failed: %v", ue.URL, ue.Err)
		}
		return fmt.Sprintf("the request to %s failed: %v", host, ue.Err)
	}
	return stripPrefixes(err.Error())
}

// stripPrefixes drops the package prefixes ("steps: ", "flows: ",
// "keystore: ") that tell a developer where an error came from but mean
// nothing to the person reading it.
func stripPrefixes(s string) string {
	// The key step's labels first: "key: x.pem: …" reads as if the file
	// were called "key".
	for _, p := range []string{"flows: key: ", "steps: check key: ", "steps: ", "flows: ", "keystore: ", "mock: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// printFailure writes "nhsauth CMD: <what went wrong>." and its hints to w.
func printFailure(w io.Writer, cmd, msg string, hints []steps.Hint, red *steps.Redactor) {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	fmt.Fprintf(w, "nhsauth %s: %s.\n", cmd, red.String(msg))
	printHints(w, "  ", hints, red)
}

func printHints(w io.Writer, indent string, hints []steps.Hint, red *steps.Redactor) {
	for _, h := range hints {
		if h.Cause != "" {
			fmt.Fprintf(w, "%scause: %s\n", indent, red.String(h.Cause))
		}
		if h.Fix != "" {
			fmt.Fprintf(w, "%sfix:   %s\n", indent, red.String(h.Fix))
		}
	}
}

// flatHeaders flattens an already masked header for JSON.
func flatHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		out[name] = strings.Join(values, ", ")
	}
	return out
}

// jsonExchange is one Exchange in --json output.
type jsonExchange struct {
	Title           string            `json:"title"`
	Spec            string            `json:"spec"`
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"request_headers"`
	RequestBody     string            `json:"request_body"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	Truncated       bool              `json:"truncated"`
	TookMS          int64             `json:"took_ms"`
	Error           string            `json:"error"`
	Note            string            `json:"note"`
}

func toJSONExchange(ex steps.Exchange, red *steps.Redactor) jsonExchange {
	m := steps.MaskExchange(ex, red)
	out := jsonExchange{
		Title:           m.Title,
		Spec:            m.Spec,
		Method:          m.Method,
		URL:             m.URL,
		RequestHeaders:  flatHeaders(m.ReqHeader),
		RequestBody:     string(m.ReqBody),
		Status:          m.Status,
		ResponseHeaders: flatHeaders(m.RespHeader),
		ResponseBody:    string(m.RespBody),
		Truncated:       m.Truncated,
		TookMS:          m.Took.Milliseconds(),
		Note:            m.Note,
	}
	if ex.Err != nil {
		out.Error = red.String(stripPrefixes(ex.Err.Error()))
	}
	return out
}

// jsonStep is one step of `run --json`.
type jsonStep struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Status    string         `json:"status"`
	Summary   string         `json:"summary"`
	Details   []string       `json:"details"`
	Exchanges []jsonExchange `json:"exchanges"`
	Checks    []steps.Check  `json:"checks"`
	Error     string         `json:"error"`
	Hint      []steps.Hint   `json:"hint"`
}

// jsonRun is the whole `run --json` document.
type jsonRun struct {
	Flow  string     `json:"flow"`
	Env   string     `json:"env"`
	Steps []jsonStep `json:"steps"`
}

// runJSON builds the --json document of a run, masked with the journey's
// Redactor.
func runJSON(r *flows.Runner, timeout time.Duration) jsonRun {
	red := r.Journey.Redact
	doc := jsonRun{Flow: r.Flow.ID, Env: r.Journey.Env.Name, Steps: []jsonStep{}}
	for i, st := range r.Flow.Steps {
		res := r.Result(i)
		o := res.Outcome
		js := jsonStep{
			ID:        st.ID,
			Title:     st.Title,
			Status:    res.Status.String(),
			Summary:   red.String(o.Summary),
			Details:   []string{},
			Exchanges: []jsonExchange{},
			Checks:    []steps.Check{},
			Hint:      []steps.Hint{},
		}
		for _, d := range o.Details {
			js.Details = append(js.Details, red.String(d))
		}
		for _, ex := range o.Exchanges {
			js.Exchanges = append(js.Exchanges, toJSONExchange(ex, red))
		}
		for _, c := range o.Checks {
			c.Name, c.Detail = red.String(c.Name), red.String(c.Detail)
			js.Checks = append(js.Checks, c)
		}
		if o.Err != nil {
			msg, hints := plainError(o.Err, timeout)
			js.Error = red.String(msg)
			for _, h := range hints {
				js.Hint = append(js.Hint, steps.Hint{Cause: red.String(h.Cause), Fix: red.String(h.Fix)})
			}
		}
		doc.Steps = append(doc.Steps, js)
	}
	return doc
}

// writeJSON writes v indented, with a final newline.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only maps, strings and numbers: cannot fail
}

// stepHeader is the start of a step's line in a transcript, written before
// the step runs so a slow step shows what it is doing.
func stepHeader(n, total int, st flows.Step) string {
	return fmt.Sprintf("[%d/%d] %s … ", n, total, st.Title)
}

// printStep writes one finished step of a transcript: its title (unless
// headerDone) and result, details, checks, exchanges and, on failure, the
// diagnosis.
func printStep(w io.Writer, n, total int, st flows.Step, headerDone bool, o flows.Outcome, timeout time.Duration, red *steps.Redactor) {
	mark, text := "✓", o.Summary
	var (
		failMsg string
		hints   []steps.Hint
	)
	if o.Failed() {
		mark = "✗"
		failMsg, hints = plainError(o.Err, timeout)
		if text == "" {
			text, failMsg = failMsg, "" // the error is the step's summary
		}
	}
	if !headerDone {
		fmt.Fprint(w, stepHeader(n, total, st))
	}
	fmt.Fprintf(w, "%s %s\n", mark, red.String(text))
	const ind = "      "
	for _, d := range o.Details {
		fmt.Fprintf(w, "%s%s\n", ind, red.String(d))
	}
	for _, c := range o.Checks {
		m := "✓"
		if !c.OK {
			m = "✗"
		}
		line := c.Name
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintf(w, "%s%s %s\n", ind, m, red.String(line))
	}
	for _, ex := range o.Exchanges {
		fmt.Fprintln(w)
		printExchange(w, ind, ex, red)
	}
	if len(o.Exchanges) > 0 && (failMsg != "" || len(hints) > 0) {
		fmt.Fprintln(w)
	}
	if failMsg != "" {
		fmt.Fprintf(w, "%s✗ %s\n", ind, red.String(failMsg))
	}
	printHints(w, ind, hints, red)
	fmt.Fprintln(w)
}

// printExchange writes an exchange as steps.FormatExchange renders it,
// under a title line, indented.
func printExchange(w io.Writer, indent string, ex steps.Exchange, red *steps.Redactor) {
	title := ex.Title
	if ex.Spec != "" {
		title += " · " + ex.Spec
	}
	fmt.Fprintf(w, "%s── %s\n", indent, red.String(title))
	var buf bytes.Buffer
	steps.FormatExchange(&buf, ex, red)
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if line == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "%s%s\n", indent, line)
	}
}
