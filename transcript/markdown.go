package transcript

import (
	"fmt"
	"io"
	"strings"
)

// The Markdown export: a transcript a support desk can read (CommonMark,
// https://spec.commonmark.org/): the run's facts, then each step's outcome,
// checks, diagnosis and document, and each exchange as an ```http block;
// last, the list of redacted values. Text is the neutralised parts the
// terminal shows, so no control character reaches a reader's terminal.

// Section is a titled block of Markdown the transcript carries beside its
// steps, such as the flow's sequence diagram as a Mermaid sequenceDiagram
// (issue 16).
type Section struct {
	Title string // the heading, without "##"
	Body  string // Markdown, written as it is
}

// WriteMarkdown writes the journey as a Markdown transcript. extra holds
// sections written after the run's facts and before the steps: the one
// place another view of the journey (the sequence diagram) goes in.
func (j *Journey) WriteMarkdown(w io.Writer, extra []Section) {
	var b strings.Builder
	fmt.Fprintf(&b, "# nhsauth transcript: %s\n\n", mdInline(j.FlowTitle))
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Flow | `%s`: %s |\n", j.FlowID, mdCell(j.FlowTitle))
	fmt.Fprintf(&b, "| Environment | %s (%s) |\n", mdCell(j.Env), mdCell(j.APIBase))
	fmt.Fprintf(&b, "| Time | %s |\n", j.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	fmt.Fprintf(&b, "| nhsauth | %s |\n", mdCell(j.Version))
	fmt.Fprintf(&b, "| Secrets | %s |\n\n", mdCell(j.redactionSummary()))
	fmt.Fprintf(&b, "%s\n\n", mdInline(j.Pattern))
	if len(j.Sequence.Actors) > 0 {
		fmt.Fprintf(&b, "## Sequence\n\nWho talked to whom, one arrow per request and reply (Mermaid; GitHub and most Markdown viewers draw it).\n\n```mermaid\n%s```\n\n", j.Sequence.Mermaid())
	}
	for _, s := range extra {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", s.Title, strings.TrimRight(s.Body, "\n"))
	}
	for i, st := range j.Steps {
		writeMDStep(&b, i+1, st)
	}
	writeMDRedacted(&b, j)
	_, _ = io.WriteString(w, b.String())
}

// redactionSummary is the Secrets row of the facts table.
func (j *Journey) redactionSummary() string {
	switch {
	case j.Revealed:
		return "**shown in full** (written with --reveal): keep this file private"
	case len(j.Redacted) == 0:
		return "none found to redact"
	}
	return "redacted: each shows its first 4 characters and …; see Redacted values"
}

// writeMDStep writes one step: heading, outcome, details, checks,
// diagnosis, document, then its exchanges.
func writeMDStep(b *strings.Builder, n int, st JourneyStep) {
	fmt.Fprintf(b, "## Step %d: %s\n\n", n, mdInline(st.Title))
	p := st.Step
	outcome := p.Summary
	switch {
	case st.Status == "pending":
		outcome = "not run"
	case p.Failed:
		outcome = "✗ failed: " + p.Failure.Text
	case outcome != "":
		outcome = "✓ " + outcome
	}
	fmt.Fprintf(b, "**Outcome** (%s): %s\n\n", st.Status, mdInline(outcome))
	if st.What != "" {
		fmt.Fprintf(b, "%s\n\n", mdInline(st.What))
	}
	for _, d := range p.Details {
		fmt.Fprintf(b, "- %s\n", mdInline(d))
	}
	if len(p.Details) > 0 {
		b.WriteString("\n")
	}
	if len(p.Checks) > 0 {
		b.WriteString("**Checks**\n\n")
		for _, c := range p.Checks {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			line := mark + " " + c.Name
			if c.Detail != "" {
				line += ": " + c.Detail
			}
			fmt.Fprintf(b, "- %s\n", mdInline(line))
		}
		b.WriteString("\n")
	}
	if p.Failed && len(p.Failure.Hints) > 0 {
		b.WriteString("**Diagnosis**\n\n")
		for _, h := range p.Failure.Hints {
			fmt.Fprintf(b, "- Cause: %s\n  Fix: %s\n", mdInline(h.Cause), mdInline(h.Fix))
		}
		b.WriteString("\n")
	}
	if st.Doc != "" {
		fmt.Fprintf(b, "**Document**: %s\n\n", mdInline(st.Doc))
	}
	for _, e := range st.Exchanges {
		writeMDExchange(b, e.Exchange)
	}
}

// writeMDExchange writes one exchange: a heading, then the request and the
// response each as an http block; a record built locally as its note and
// what it built.
func writeMDExchange(b *strings.Builder, e Exchange) {
	title := e.Title
	if e.Spec != "" {
		title += " · " + e.Spec
	}
	if e.Synthetic {
		fmt.Fprintf(b, "### %s (built locally, not sent)\n\n", mdInline(title))
		if e.Note != "" {
			fmt.Fprintf(b, "%s\n\n", mdInline(e.Note))
		}
		lang := ""
		if e.ReqBody.Kind == BodyJSON {
			lang = "json"
		}
		writeFence(b, lang, BodyPlain(e.ReqBody))
		return
	}
	fmt.Fprintf(b, "### %s\n\n", mdInline(title))
	proto := e.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s %s\n", e.Method, e.URL, proto)
	writeHeaders(&req, e.ReqHeaders)
	if !e.ReqBody.Empty() {
		req.WriteString("\n" + BodyPlain(e.ReqBody) + "\n")
	}
	writeFence(b, "http", req.String())
	if e.Status == 0 {
		why := e.Err
		if why == "" {
			why = "the request was not sent"
		}
		fmt.Fprintf(b, "No response: %s\n\n", mdInline(why))
		return
	}
	var resp strings.Builder
	fmt.Fprintf(&resp, "%s %s\n", proto, e.StatusText())
	writeHeaders(&resp, e.RespHeaders)
	if !e.RespBody.Empty() {
		resp.WriteString("\n" + BodyPlain(e.RespBody) + "\n")
	}
	writeFence(b, "http", resp.String())
	fmt.Fprintf(b, "Took %d ms.", e.Took.Milliseconds())
	if e.Err != "" {
		fmt.Fprintf(b, " The response was cut short: %s", mdInline(e.Err))
	}
	b.WriteString("\n\n")
}

// writeMDRedacted writes the Redacted values section.
func writeMDRedacted(b *strings.Builder, j *Journey) {
	b.WriteString("## Redacted values\n\n")
	switch {
	case j.Revealed:
		b.WriteString("None: this file was written with --reveal and shows every secret in full.\n")
		return
	case len(j.Redacted) == 0:
		b.WriteString("None: no secret value appeared in the exchanges.\n")
		return
	}
	b.WriteString("Each value below is shown as its first 4 characters and an ellipsis " +
		"(all of it when it is 8 characters or fewer); rerun with --reveal to write them in full.\n\n")
	for _, r := range j.Redacted {
		shown := ""
		if r.Shown != "" {
			shown = ", shown as " + mdCode(r.Shown)
		}
		fmt.Fprintf(b, "- %s · %s: %s%s\n", mdInline(r.Step), mdInline(r.Exchange), mdInline(r.Where), shown)
	}
}

// writeFence writes text in a fenced code block whose fence is longer than
// any run of backticks inside it, so no body can close it early.
func writeFence(b *strings.Builder, lang, text string) {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(b, "%s%s\n%s\n%s\n\n", fence, lang, strings.TrimRight(text, "\n"), fence)
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// mdInline keeps a neutralised text from starting HTML or breaking the
// line structure: angle brackets escaped, newlines joined.
func mdInline(s string) string {
	s = strings.ReplaceAll(s, "<", "\\<")
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

// mdCell is mdInline for a table cell: a pipe would end the cell.
func mdCell(s string) string { return strings.ReplaceAll(mdInline(s), "|", "\\|") }

// mdCode is s as inline code, with a backtick fence longer than any inside.
func mdCode(s string) string {
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	return fence + " " + s + " " + fence
}
