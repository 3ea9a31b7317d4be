package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nhsauth/nhsauth/steps"
)

// The exchange renderers turn recorded round trips into the text of the
// Request, Response and curl tabs. They run once per exchange (and again
// only when secrets are revealed or hidden), never per frame.

// exchangeHeading names one exchange among several: "1/3 Token request · RFC 6749 §4.4".
func exchangeHeading(s *Styles, n, total int, ex steps.Exchange) string {
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

// maskAll masks every exchange once (steps.MaskExchange: by header, form,
// query and JSON name, and every value red knows) for the Request and
// Response tabs.
func maskAll(exs []steps.Exchange, red *steps.Redactor) []steps.Exchange {
	out := make([]steps.Exchange, len(exs))
	for i, ex := range exs {
		out[i] = steps.MaskExchange(ex, red)
	}
	return out
}

// renderRequests renders the request side of every exchange; exs went
// through maskAll.
func renderRequests(s *Styles, exs []steps.Exchange, red *steps.Redactor) string {
	var b strings.Builder
	for i, ex := range exs {
		separate(&b, i)
		b.WriteString(exchangeHeading(s, i+1, len(exs), ex) + "\n")
		if ex.Synthetic {
			note := red.String(ex.Note)
			if !strings.HasPrefix(note, "Nothing") {
				b.WriteString(s.Dim.Render("Built locally: nothing went over the wire.") + "\n")
			}
			if note != "" {
				b.WriteString(note + "\n")
			}
			if len(ex.ReqBody) > 0 {
				b.WriteString("\n" + renderBody(s, ex.ReqBody, "", red, false))
			}
			continue
		}
		b.WriteString(s.Method.Render(ex.Method) + " " + red.String(ex.URL) + "\n")
		b.WriteString(renderHeaders(s, ex.ReqHeader, red))
		if len(ex.ReqBody) > 0 {
			b.WriteString("\n" + renderBody(s, ex.ReqBody, ex.ReqHeader.Get("Content-Type"), red, false))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// renderResponses renders the response side of every exchange; exs went
// through maskAll.
func renderResponses(s *Styles, exs []steps.Exchange, red *steps.Redactor) string {
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
			if ex.Err != nil {
				msg += ": " + red.String(ex.Err.Error())
			}
			b.WriteString(s.Fail.Render("✗ "+msg) + "\n")
			continue
		}
		st := s.OK
		if ex.Status >= 400 {
			st = s.Fail
		}
		line := st.Render(fmt.Sprintf("HTTP %d %s", ex.Status, http.StatusText(ex.Status)))
		if ex.Took > 0 {
			line += s.Dim.Render(fmt.Sprintf(" · %d ms", ex.Took.Milliseconds()))
		}
		b.WriteString(line + "\n")
		b.WriteString(renderHeaders(s, ex.RespHeader, red))
		if len(ex.RespBody) > 0 || ex.Truncated {
			b.WriteString("\n" + renderBody(s, ex.RespBody, ex.RespHeader.Get("Content-Type"), red, ex.Truncated))
		}
		if ex.Err != nil {
			b.WriteString("\n" + s.Fail.Render("✗ "+red.String(ex.Err.Error())) + "\n")
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

// renderHeaders lists headers sorted by name; ex went through
// steps.MaskExchange, which masked credentials by header name.
func renderHeaders(s *Styles, h http.Header, red *steps.Redactor) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		for _, v := range h[k] {
			b.WriteString(s.HeaderName.Render(k) + ": " + red.String(v) + "\n")
		}
	}
	return b.String()
}

// renderBody pretty-prints JSON (coloured), lists a form one field a line,
// and shows other text as it is; binary bodies are summarised.
func renderBody(s *Styles, body []byte, contentType string, red *steps.Redactor, truncated bool) string {
	var out string
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	switch {
	case mt == "application/x-www-form-urlencoded":
		out = renderForm(s, string(body), red)
	case !utf8.Valid(body):
		out = s.Dim.Render(fmt.Sprintf("[%d bytes of binary data]", len(body)))
	case !truncated && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		masked := red.String(string(body))
		if p, ok := prettyJSON(s, []byte(masked)); ok {
			out = p
			break
		}
		out = masked
	default:
		out = red.String(string(body))
	}
	if truncated {
		out += "\n" + s.Warn.Render(steps.TruncationMark)
	}
	return out
}

// renderForm shows a form body decoded, one field a line, so each value can
// be read (and masked) on its own.
func renderForm(s *Styles, body string, red *steps.Redactor) string {
	vals, err := url.ParseQuery(body)
	if err != nil {
		return red.String(body)
	}
	var b strings.Builder
	for _, pair := range strings.Split(body, "&") {
		k, _, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		vs := vals[name]
		if len(vs) == 0 {
			continue
		}
		v := vs[0]
		vals[name] = vs[1:]
		b.WriteString(s.HeaderName.Render(name) + "=" + red.String(v) + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n" + s.Dim.Render("(form fields shown decoded, one per line)")
}

// prettyJSON indents and colours a JSON document. It reports false when b
// is not valid JSON.
func prettyJSON(s *Styles, b []byte) (string, bool) {
	var buf bytes.Buffer
	buf.Grow(len(b) + len(b)/4)
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return "", false
	}
	return colourJSON(s.JSON, buf.Bytes()), true
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
// command (steps.Curl, secrets masked by red), one argument a line.
func renderCurl(exs []steps.Exchange, red *steps.Redactor) string {
	var parts []string
	for _, ex := range exs {
		if c := steps.Curl(ex, red); c != "" {
			parts = append(parts, curlLines(c))
		}
	}
	return strings.Join(parts, "\n\n")
}

// curlLines breaks a one-line curl command before each header and data
// argument with a shell line continuation, so it reads (and pastes) well.
func curlLines(cmd string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		if c == '\\' && !quoted && i+1 < len(cmd) {
			b.WriteString(cmd[i : i+2]) // an escaped character outside quotes
			i++
			continue
		}
		if c == '\'' {
			quoted = !quoted
		}
		if c == ' ' && !quoted && (strings.HasPrefix(cmd[i+1:], "-H ") || strings.HasPrefix(cmd[i+1:], "--data")) {
			b.WriteString(" \\\n  ")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
