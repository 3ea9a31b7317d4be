package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nhsauth/nhsauth/steps"
)

// BodyKind says how a body is shown.
type BodyKind int

// The kinds of body.
const (
	BodyNone   BodyKind = iota // nothing was sent or received
	BodyForm                   // application/x-www-form-urlencoded: Fields
	BodyJSON                   // RFC 8259 JSON, pretty-printed in Text
	BodyText                   // anything else that is UTF-8, as it came
	BodyBinary                 // not UTF-8: Text summarises it
)

// Field is one decoded form or query parameter, masked and neutralised.
type Field struct{ Name, Value string }

// Body is a request or response body made presentable: masked, and for a
// terminal neutralised (Text).
type Body struct {
	Kind BodyKind
	// Text is the body for reading: a form one "name=value" a line, JSON
	// indented with two spaces, other text as it came, binary as a one-line
	// summary; control characters escaped, newline and tab kept.
	Text      string
	Fields    []Field // a form's parameters in the order sent
	Size      int     // bytes recorded
	Truncated bool    // cut at steps.MaxBody; renderers add steps.TruncationMark
	wire      []byte  // masked, as sent: for JSON documents, which escape it themselves
}

// Wire is the masked body as it went over the wire, with control
// characters neutralised: for quoting a reply in one message.
func (b Body) Wire() string { return Text(string(b.wire)) }

// Empty reports whether there is nothing to show: no bytes and no cut.
func (b Body) Empty() bool { return b.Kind == BodyNone && !b.Truncated }

// presentBody reads an already masked body for display.
func presentBody(masked []byte, ctype string, truncated bool) Body {
	b := Body{Size: len(masked), Truncated: truncated, wire: masked}
	switch {
	case len(masked) == 0:
		b.Kind = BodyNone
	case isForm(ctype) && !truncated && decodeForm(&b, string(masked)):
		b.Kind = BodyForm
	case !utf8.Valid(masked):
		b.Kind, b.Text = BodyBinary, fmt.Sprintf("[%d bytes of binary data]", len(masked))
	default:
		if pretty, ok := PrettyJSON(masked); ok && !truncated {
			b.Kind, b.Text = BodyJSON, Text(string(pretty))
		} else {
			b.Kind, b.Text = BodyText, Text(string(masked))
		}
	}
	return b
}

// decodeForm lists a form's fields in the order sent; it reports false,
// leaving b alone, when body is not really a form.
func decodeForm(b *Body, body string) bool {
	var (
		fields []Field
		lines  []string
	)
	for _, p := range splitPairs(body) {
		if p.rawName == "" && !p.hasValue {
			continue
		}
		if !p.nameOK || !p.valueOK {
			return false
		}
		f := Field{Name: Line(p.name), Value: Line(p.value)}
		fields = append(fields, f)
		lines = append(lines, f.Name+"="+f.Value)
	}
	b.Fields, b.Text = fields, strings.Join(lines, "\n")
	return true
}

// PresentBody makes a body that is not part of an exchange presentable
// (the API's answer on the wizard's summary), masked with red.
func PresentBody(body []byte, ctype string, truncated bool, red *steps.Redactor) Body {
	if red == nil || !red.Reveal {
		body = maskBody(body, ctype, red)
	}
	return presentBody(body, ctype, truncated)
}

// PrettyJSON indents valid JSON (RFC 8259) with two spaces; it reports
// false, and returns b unchanged, for anything else.
func PrettyJSON(b []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || !json.Valid(trimmed) {
		return b, false
	}
	var out bytes.Buffer
	out.Grow(len(trimmed) + len(trimmed)/4)
	if err := json.Indent(&out, trimmed, "", "  "); err != nil {
		return b, false
	}
	return out.Bytes(), true
}
