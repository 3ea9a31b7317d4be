package transcript

import (
	"fmt"
	"io"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// WriteExchange writes an exchange as plain text under a title line
// ("── Token request · RFC 6749 §4.4"), every line after indent: request
// line, headers and body; then the status line, headers and body. This is
// what nhsauth run and call-api print.
func WriteExchange(w io.Writer, indent string, p Exchange) {
	title := p.Title
	if p.Spec != "" {
		title += " · " + p.Spec
	}
	fmt.Fprintf(w, "%s── %s\n", indent, title)
	for _, line := range strings.Split(strings.TrimRight(ExchangeText(p), "\n"), "\n") {
		if line == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "%s%s\n", indent, line)
	}
}

// ExchangeText is an exchange as plain text: request line, headers, body
// (a form one parameter a line, JSON indented); status line, headers, body.
// A synthetic exchange shows its note and what it built; a request that got
// no response ends with "✗ no response: <why>"; a cut body ends with
// steps.TruncationMark.
func ExchangeText(p Exchange) string {
	var b strings.Builder
	if p.Synthetic {
		if p.Note != "" {
			b.WriteString(p.Note + "\n\n")
		}
		b.WriteString(BodyPlain(p.ReqBody) + "\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s\n", p.Method, p.URL)
	writeHeaders(&b, p.ReqHeaders)
	if !p.ReqBody.Empty() {
		b.WriteString("\n" + BodyPlain(p.ReqBody) + "\n")
	}
	b.WriteString("\n")
	if p.Status == 0 {
		why := p.Err
		if why == "" {
			why = "the request was not sent"
		}
		fmt.Fprintf(&b, "✗ no response: %s\n", why)
		return b.String()
	}
	fmt.Fprintf(&b, "← %s (%d ms)\n", p.StatusText(), p.Took.Milliseconds())
	writeHeaders(&b, p.RespHeaders)
	if !p.RespBody.Empty() {
		b.WriteString("\n" + BodyPlain(p.RespBody) + "\n")
	}
	if p.Err != "" {
		fmt.Fprintf(&b, "✗ the response was cut short: %s\n", p.Err)
	}
	return b.String()
}

// BodyPlain is a body as plain text, with the truncation mark when it was
// cut.
func BodyPlain(body Body) string {
	if !body.Truncated {
		return body.Text
	}
	return strings.TrimRight(body.Text, "\n") + "\n" + steps.TruncationMark
}

func writeHeaders(b *strings.Builder, hs []Header) {
	for _, h := range hs {
		fmt.Fprintf(b, "%s: %s\n", h.Name, h.Value)
	}
}
