package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// The --json documents. Data that went over the wire (URL, headers,
// bodies) is given masked but otherwise as sent, and encoding/json escapes
// its control characters (WriteJSON escapes the C1 ones it leaves); the
// worded texts (summary, error, hints) are the same parts the plain
// transcript prints.

// The schema of each --json document, its first field: the command and the
// version of the document's shape (docs/json.md). A change that removes or
// retypes a field raises the version; a new field does not.
const (
	SchemaRun      = "nhsauth/run@1"
	SchemaCallAPI  = "nhsauth/call-api@1"
	SchemaGetToken = "nhsauth/get-token@1"
)

// JSONExchange is one exchange in --json output. A body that is JSON is
// also given parsed (request_json, response_json), beside its text.
type JSONExchange struct {
	Title           string            `json:"title"`
	Spec            string            `json:"spec"`
	Method          string            `json:"method"`
	URL             string            `json:"url"`
	RequestHeaders  map[string]string `json:"request_headers"`
	RequestBody     string            `json:"request_body"`
	RequestJSON     json.RawMessage   `json:"request_json"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers"`
	ResponseBody    string            `json:"response_body"`
	ResponseJSON    json.RawMessage   `json:"response_json"`
	Truncated       bool              `json:"truncated"`
	TookMS          int64             `json:"took_ms"`
	Error           string            `json:"error"`
	Note            string            `json:"note"`
}

// JSON is the exchange's --json form.
func (p Exchange) JSON() JSONExchange {
	m := p.masked
	return JSONExchange{
		Title:           m.Title,
		Spec:            m.Spec,
		Method:          m.Method,
		URL:             m.URL,
		RequestHeaders:  flatHeaders(m.ReqHeader),
		RequestBody:     string(m.ReqBody),
		RequestJSON:     asJSON(m.ReqBody),
		Status:          m.Status,
		ResponseHeaders: flatHeaders(m.RespHeader),
		ResponseBody:    string(m.RespBody),
		ResponseJSON:    asJSON(m.RespBody),
		Truncated:       m.Truncated,
		TookMS:          m.Took.Milliseconds(),
		Error:           p.Err,
		Note:            m.Note,
	}
}

// asJSON is body parsed, when it is a JSON document, for embedding; else
// JSON null.
func asJSON(body []byte) json.RawMessage {
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && json.Valid(trimmed) {
		return json.RawMessage(trimmed)
	}
	return json.RawMessage("null")
}

// APIJSON is call-api's --json document for the API's reply: the body
// embedded as JSON when it is JSON, else as a string, and its text as it
// came in body_text.
func (p Exchange) APIJSON() map[string]any {
	m := p.masked
	var body any = string(m.RespBody)
	if parsed := asJSON(m.RespBody); string(parsed) != "null" {
		body = parsed
	}
	return map[string]any{
		"schema":    SchemaCallAPI,
		"status":    m.Status,
		"headers":   flatHeaders(m.RespHeader),
		"body":      body,
		"body_text": string(m.RespBody),
		"truncated": m.Truncated || m.Err != nil, // past 10 MB, or the reply broke off
	}
}

// TokenJSON is get-token's --json document: the platform's token reply as
// received (RFC 6749 §5.1, with Apigee's string-valued expires_in), its
// first field the schema. A reply that is not a JSON object is given as
// text in body_text.
func TokenJSON(reply []byte) []byte {
	trimmed := bytes.TrimSpace(reply)
	var obj map[string]json.RawMessage
	if json.Unmarshal(trimmed, &obj) != nil || obj == nil {
		doc, _ := json.Marshal(map[string]string{"schema": SchemaGetToken, "body_text": string(reply)})
		return doc
	}
	rest := bytes.TrimSpace(trimmed[1:]) // after the opening brace
	head := fmt.Sprintf("{\"schema\": %q", SchemaGetToken)
	if len(rest) > 0 && rest[0] == '}' {
		return []byte(head + "}")
	}
	return append([]byte(head+", "), rest...)
}

// flatHeaders flattens a masked header for JSON.
func flatHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		out[name] = strings.Join(values, ", ")
	}
	return out
}

// JSONStep is one step of `run --json`.
type JSONStep struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Status    string         `json:"status"`
	Summary   string         `json:"summary"`
	Details   []string       `json:"details"`
	Exchanges []JSONExchange `json:"exchanges"`
	Checks    []steps.Check  `json:"checks"`
	Error     string         `json:"error"`
	Hint      []steps.Hint   `json:"hint"`
}

// JSONRun is the whole `run --json` document.
type JSONRun struct {
	Schema string     `json:"schema"`
	Flow   string     `json:"flow"`
	Env    string     `json:"env"`
	Steps  []JSONStep `json:"steps"`
}

// RunJSON builds the --json document of a run, masked with the journey's
// Redactor.
func RunJSON(r *flows.Runner, timeout time.Duration) JSONRun {
	red := r.Journey.Redact
	doc := JSONRun{Schema: SchemaRun, Flow: r.Flow.ID, Env: r.Journey.Env.Name, Steps: []JSONStep{}}
	for i, st := range r.Flow.Steps {
		res := r.Result(i)
		p := PresentStep(res.Outcome, red, timeout)
		js := JSONStep{
			ID:        st.ID,
			Title:     st.Title,
			Status:    res.Status.String(),
			Summary:   p.Summary,
			Details:   p.Details,
			Exchanges: []JSONExchange{},
			Checks:    p.Checks,
			Error:     p.Failure.Text,
			Hint:      p.Failure.Hints,
		}
		if js.Hint == nil {
			js.Hint = []steps.Hint{}
		}
		for _, ex := range res.Outcome.Exchanges {
			js.Exchanges = append(js.Exchanges, Present(ex, red).JSON())
		}
		doc.Steps = append(doc.Steps, js)
	}
	return doc
}

// WriteJSON writes v indented, with a final newline. encoding/json escapes
// C0 control characters; WriteJSON escapes DEL and the C1 ones (which it
// leaves raw and some terminals obey) as \u0080 and so on, which is still
// the same JSON.
func WriteJSON(w io.Writer, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only maps, strings and numbers: cannot fail
	_, _ = w.Write(EscapeC1(buf.Bytes()))
}

// EscapeC1 rewrites the DEL and C1 characters of a valid JSON document
// (RFC 8259) as \u escapes; they can only occur inside strings, where such
// an escape means the same, so a JSON reply can be printed as it came
// without a terminal acting on it. (A valid document has no raw C0
// character: RFC 8259 §7 requires them escaped.)
func EscapeC1(b []byte) []byte {
	if !bytes.ContainsFunc(b, func(r rune) bool { return r == 0x7f || isC1(r) }) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == 0x7f || isC1(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
