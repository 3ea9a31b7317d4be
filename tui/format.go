package tui

import (
	"fmt"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// The exchange renderers lay out the parts package transcript made of the
// recorded round trips (masked and neutralised there, once) as the text of
// the Request, Response and curl tabs, adding colour only. They run once
// per exchange (and again only when secrets are revealed or hidden), never
// per frame.

// exchangeHeading names one exchange among several: "1/3 Token request · RFC 6749 §4.4".
func exchangeHeading(s *Styles, n, total int, ex transcript.Exchange) string {
	h := ex.Title
	if h == "" {
		h = "Exchange"
	}
	if total > 1 {
		h = fmt.Sprintf("%d/%d %s", n, total, h)
	}
	if ex.Spec != "" {
		h += " · " + ex.Spec
	}
	return s.Section.Render("── " + h + " ──")
}

// renderRequests renders the request side of every exchange.
func renderRequests(s *Styles, exs []transcript.Exchange) string {
	var b strings.Builder
	for i, ex := range exs {
		separate(&b, i)
		b.WriteString(exchangeHeading(s, i+1, len(exs), ex) + "\n")
		if ex.Synthetic {
			if !strings.HasPrefix(ex.Note, "Nothing") {
				b.WriteString(s.Dim.Render("Built locally: nothing went over the wire.") + "\n")
			}
			if ex.Note != "" {
				b.WriteString(ex.Note + "\n")
			}
			if !ex.ReqBody.Empty() {
				b.WriteString("\n" + renderBody(s, ex.ReqBody))
			}
			continue
		}
		b.WriteString(s.Method.Render(ex.Method) + " " + ex.URL + "\n")
		b.WriteString(renderHeaders(s, ex.ReqHeaders))
		if !ex.ReqBody.Empty() {
			b.WriteString("\n" + renderBody(s, ex.ReqBody))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// renderResponses renders the response side of every exchange.
func renderResponses(s *Styles, exs []transcript.Exchange) string {
	var b strings.Builder
	for i, ex := range exs {
		separate(&b, i)
		b.WriteString(exchangeHeading(s, i+1, len(exs), ex) + "\n")
		switch {
		case ex.Synthetic:
			b.WriteString(s.Dim.Render("Nothing was sent: this step built it locally (see Request).") + "\n")
			continue
		case ex.Status == 0:
			msg := "no response"
			if ex.Err != "" {
				msg += ": " + ex.Err
			}
			b.WriteString(s.Fail.Render("✗ "+msg) + "\n")
			continue
		}
		st := s.OK
		if ex.Status >= 400 {
			st = s.Fail
		}
		line := st.Render("HTTP " + ex.StatusText())
		if ex.Took > 0 {
			line += s.Dim.Render(fmt.Sprintf(" · %d ms", ex.Took.Milliseconds()))
		}
		b.WriteString(line + "\n")
		b.WriteString(renderHeaders(s, ex.RespHeaders))
		if !ex.RespBody.Empty() {
			b.WriteString("\n" + renderBody(s, ex.RespBody))
		}
		if ex.Err != "" {
			b.WriteString("\n" + s.Fail.Render("✗ "+ex.Err) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// separate puts exactly one blank line between exchange i-1 and exchange i,
// whether or not the previous one ended its text with a newline.
func separate(b *strings.Builder, i int) {
	if i == 0 {
		return
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
}

// renderHeaders lists headers, names coloured.
func renderHeaders(s *Styles, hs []transcript.Header) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(s.HeaderName.Render(h.Name) + ": " + h.Value + "\n")
	}
	return b.String()
}

// renderBody colours a body: JSON by token, a form's names, a binary
// body's summary dimmed, and a cut body's mark.
func renderBody(s *Styles, body transcript.Body) string {
	var out string
	switch body.Kind {
	case transcript.BodyForm:
		var b strings.Builder
		for _, f := range body.Fields {
			b.WriteString(s.HeaderName.Render(f.Name) + "=" + f.Value + "\n")
		}
		out = strings.TrimRight(b.String(), "\n") + "\n" + s.Dim.Render("(form fields shown decoded, one per line)")
	case transcript.BodyBinary:
		out = s.Dim.Render(body.Text)
	case transcript.BodyJSON:
		out = colourJSON(s.JSON, []byte(body.Text))
	default:
		out = body.Text
	}
	if body.Truncated {
		out += "\n" + s.Warn.Render(steps.TruncationMark)
	}
	return out
}

// colourJSON paints the tokens of indented, valid JSON with precomputed
// escape sequences: one pass, no allocation per token beyond the output.
func colourJSON(p jsonStyles, b []byte) string {
	if p.Key.pre == "" && p.String.pre == "" && p.Number.pre == "" && p.Literal.pre == "" {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b) * 3 / 2)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(b))
			pt := p.String
			if j < len(b) && b[j] == ':' {
				pt = p.Key
			}
			out.WriteString(pt.pre)
			out.Write(b[i:j])
			out.WriteString(pt.post)
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(b) && strings.IndexByte("0123456789.eE+-", b[j]) >= 0 {
				j++
			}
			out.WriteString(p.Number.pre)
			out.Write(b[i:j])
			out.WriteString(p.Number.post)
			i = j
		case c == 't' || c == 'f' || c == 'n':
			j := i + 1
			for j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
				j++
			}
			out.WriteString(p.Literal.pre)
			out.Write(b[i:j])
			out.WriteString(p.Literal.post)
			i = j
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.String()
}

// renderCurl renders every exchange that went over the wire as a curl
// command, one argument a line.
func renderCurl(exs []transcript.Exchange) string {
	var parts []string
	for _, ex := range exs {
		if ex.Curl != "" {
			parts = append(parts, transcript.CurlLines(ex.Curl))
		}
	}
	return strings.Join(parts, "\n\n")
}
