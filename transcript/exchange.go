package transcript

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// Header is one header line, masked and neutralised.
type Header struct{ Name, Value string }

// Exchange is one steps.Exchange made presentable: every part masked once
// (by name and by every value the journey's Redactor knows) and safe for a
// terminal. Renderers lay these parts out and add nothing but colour.
type Exchange struct {
	Title string // "Token request"
	Spec  string // "RFC 6749 §4.4"

	// Synthetic marks a record of something built locally; Note says what
	// it is and ReqBody holds it.
	Synthetic bool
	Note      string

	Method string
	URL    string // query secrets and userinfo password masked
	// Proto is the round trip's HTTP version ("HTTP/1.1"), for exports
	// that record it (HAR 1.2 httpVersion).
	Proto      string
	ReqHeaders []Header // in name order
	ReqBody    Body

	Status      int // 0 when no response arrived
	Took        time.Duration
	RespHeaders []Header
	RespBody    Body

	// Err is why no response arrived, or why it broke off, worded for
	// people ("" when it completed).
	Err string
	// Curl is the request as a curl command on one line ("" for a
	// synthetic exchange).
	Curl string

	masked steps.Exchange // the record masked, wire form kept: for JSON
}

// StatusText is the status code and its reason phrase (RFC 9110 §15):
// "200 OK".
func (e Exchange) StatusText() string {
	return fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
}

// Present turns an exchange into its presentable parts, masking its
// secrets with red (nothing is masked when red.Reveal is set).
func Present(ex steps.Exchange, red *steps.Redactor) Exchange {
	m := maskExchange(ex, red)
	p := Exchange{
		Title:       Line(m.Title),
		Spec:        Line(m.Spec),
		Synthetic:   m.Synthetic,
		Note:        Text(m.Note),
		Method:      Line(m.Method),
		URL:         Line(m.URL),
		Proto:       Line(m.Proto),
		ReqHeaders:  headerLines(m.ReqHeader),
		ReqBody:     presentBody(m.ReqBody, m.ReqHeader.Get("Content-Type"), false),
		Status:      m.Status,
		Took:        m.Took,
		RespHeaders: headerLines(m.RespHeader),
		RespBody:    presentBody(m.RespBody, m.RespHeader.Get("Content-Type"), m.Truncated),
		masked:      m,
	}
	if m.Err != nil {
		p.Err = Text(stripPrefixes(m.Err.Error()))
	}
	p.Curl = curl(p)
	return p
}

// PresentAll presents every exchange, in order.
func PresentAll(exs []steps.Exchange, red *steps.Redactor) []Exchange {
	out := make([]Exchange, len(exs))
	for i, ex := range exs {
		out[i] = Present(ex, red)
	}
	return out
}

// headerLines lists headers in name order, each value on its own line.
func headerLines(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []Header
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, Header{Name: Line(k), Value: Line(v)})
		}
	}
	return out
}
