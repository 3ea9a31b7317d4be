package main

// How commands report: a failure as one plain sentence with its cause and
// fix, a flow's steps as a transcript, and the --json documents. The parts
// come from package transcript, masked and neutralised once; these
// functions only lay them out.

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// plainError words an error for people (transcript.Wording).
func plainError(err error, timeout time.Duration) (string, []steps.Hint) {
	return transcript.Wording(err, timeout)
}

// plainTransportError says in plain words why a request got no reply.
func plainTransportError(err error, timeout time.Duration) string {
	return transcript.TransportWording(err, timeout)
}

// stripPrefixes drops the package prefixes of an error's text.
func stripPrefixes(s string) string { return transcript.StripPrefixes(s) }

// printFailure writes "nhsauth CMD: <what went wrong>." and its hints to w,
// masked with red and with control characters neutralised, since msg may
// quote a server.
func printFailure(w io.Writer, cmd, msg string, hints []steps.Hint, red *steps.Redactor) {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	fmt.Fprintf(w, "nhsauth %s: %s.\n", cmd, red.String(transcript.Text(msg)))
	printHints(w, "  ", hints, red)
}

// printHints writes each hint's cause and fix, masked and neutralised.
func printHints(w io.Writer, indent string, hints []steps.Hint, red *steps.Redactor) {
	for _, h := range hints {
		if h.Cause != "" {
			fmt.Fprintf(w, "%scause: %s\n", indent, red.String(transcript.Text(h.Cause)))
		}
		if h.Fix != "" {
			fmt.Fprintf(w, "%sfix:   %s\n", indent, red.String(transcript.Text(h.Fix)))
		}
	}
}

// runJSON builds the --json document of a run.
func runJSON(r *flows.Runner, timeout time.Duration) transcript.JSONRun {
	return transcript.RunJSON(r, timeout)
}

// writeJSON writes v indented, with a final newline.
func writeJSON(w io.Writer, v any) { transcript.WriteJSON(w, v) }

// stepHeader is the start of a step's line in a transcript, written before
// the step runs so a slow step shows what it is doing.
func stepHeader(n, total int, st flows.Step) string {
	return fmt.Sprintf("[%d/%d] %s … ", n, total, st.Title)
}

// printStep writes one finished step of a transcript: its title (unless
// headerDone) and result, details, checks, exchanges and, on failure, the
// diagnosis.
func printStep(w io.Writer, n, total int, st flows.Step, headerDone bool, o flows.Outcome, timeout time.Duration, red *steps.Redactor) {
	p := transcript.PresentStep(o, red, timeout)
	mark, text, failMsg := "✓", p.Summary, ""
	if p.Failed {
		mark, failMsg = "✗", p.Failure.Text
		if text == "" {
			text, failMsg = failMsg, "" // the error is the step's summary
		}
	}
	if !headerDone {
		fmt.Fprint(w, stepHeader(n, total, st))
	}
	fmt.Fprintf(w, "%s %s\n", mark, text)
	const ind = "      "
	for _, d := range p.Details {
		fmt.Fprintf(w, "%s%s\n", ind, d)
	}
	for _, c := range p.Checks {
		m := "✓"
		if !c.OK {
			m = "✗"
		}
		line := c.Name
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintf(w, "%s%s %s\n", ind, m, line)
	}
	for _, ex := range transcript.PresentAll(o.Exchanges, red) {
		fmt.Fprintln(w)
		transcript.WriteExchange(w, ind, ex)
	}
	if len(o.Exchanges) > 0 && (failMsg != "" || len(p.Failure.Hints) > 0) {
		fmt.Fprintln(w)
	}
	if failMsg != "" {
		fmt.Fprintf(w, "%s✗ %s\n", ind, failMsg)
	}
	printHints(w, ind, p.Failure.Hints, nil)
	fmt.Fprintln(w)
}
