package transcript

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// The HAR 1.2 export: HTTP Archive format 1.2
// (http://www.softwareishard.com/blog/har-12-spec/, and the W3C draft
// https://w3c.github.io/web-performance/specs/HAR/Overview.html), which
// browsers' DevTools import. One entry per exchange nhsauth made; records
// of something built locally (an authorise URL, a signed JWT) went over no
// wire and are left out. Values are the masked ones (the wire form, as
// --json gives it); encoding/json escapes control characters.

// HARVersion is the format's version, log.version.
const HARVersion = "1.2"

// HAR is the whole document, {"log": …}, as HAR 1.2 defines it
// (http://www.softwareishard.com/blog/har-12-spec/#log).
type HAR struct {
	Log HARLog `json:"log"`
}

// HARLog is the spec's log object.
type HARLog struct {
	Version string     `json:"version"`
	Creator HARCreator `json:"creator"`
	Pages   []HARPage  `json:"pages"`
	Entries []HAREntry `json:"entries"`
	Comment string     `json:"comment,omitempty"`
}

// HARCreator names the application that made the log.
type HARCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// HARPage is one step of the journey; its entries refer to it by ID.
type HARPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     HARPageTimings `json:"pageTimings"`
}

// HARPageTimings are a page's load timings: unknown (-1) for a step.
type HARPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

// HAREntry is one exchange.
type HAREntry struct {
	PageRef         string      `json:"pageref,omitempty"`
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         HARRequest  `json:"request"`
	Response        HARResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         HARTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
}

// HARRequest is an entry's request.
type HARRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARCookie    `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	QueryString []HARNameValue `json:"queryString"`
	PostData    *HARPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

// HARResponse is an entry's response; status 0 when none came (as
// browsers record a failed request).
type HARResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARCookie    `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	Content     HARContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
	Comment     string         `json:"comment,omitempty"`
}

// HARNameValue is a header or query parameter.
type HARNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HARCookie is a cookie sent or set.
type HARCookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  string `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
}

// HARPostData is a request's body.
type HARPostData struct {
	MimeType string         `json:"mimeType"`
	Params   []HARNameValue `json:"params"`
	Text     string         `json:"text"`
}

// HARContent is a response's body.
type HARContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// HARTimings split an entry's time; -1 is "does not apply or unknown".
type HARTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

// HAR lays the journey out as an HTTP Archive 1.2 document.
func (j *Journey) HAR() HAR {
	log := HARLog{Version: HARVersion, Creator: HARCreator{Name: "nhsauth", Version: j.Version},
		Pages: []HARPage{}, Entries: []HAREntry{},
		Comment: fmt.Sprintf("%s on %s. %s", j.FlowTitle, j.Env, j.redactionNote())}
	for i, st := range j.Steps {
		id := fmt.Sprintf("step_%d", i+1)
		var first time.Time
		for _, e := range st.Exchanges {
			if e.Synthetic {
				continue
			}
			entry := harEntry(e)
			entry.PageRef = id
			log.Entries = append(log.Entries, entry)
			if first.IsZero() {
				first = e.masked.Start
			}
		}
		if !first.IsZero() {
			log.Pages = append(log.Pages, HARPage{StartedDateTime: harTime(first), ID: id,
				Title: fmt.Sprintf("Step %d: %s", i+1, st.Title), PageTimings: HARPageTimings{-1, -1}})
		}
	}
	return HAR{Log: log}
}

// WriteHAR writes the journey as a HAR 1.2 file.
func (j *Journey) WriteHAR(w io.Writer) { WriteJSON(w, j.HAR()) }

// redactionNote says in one sentence whether secrets are masked.
func (j *Journey) redactionNote() string {
	if j.Revealed {
		return "Written with --reveal: secrets are shown in full."
	}
	if len(j.Redacted) == 0 {
		return "No secret value was redacted."
	}
	names := make([]string, 0, len(j.Redacted))
	for _, r := range j.Redacted {
		names = append(names, r.Exchange+": "+r.Where)
	}
	return "Secrets are redacted (first 4 characters and …): " + strings.Join(dedupe(names), "; ") + "."
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// harEntry is one exchange as a HAR entry, from its masked wire form.
func harEntry(e ExportExchange) HAREntry {
	m := e.masked
	proto := m.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	req := HARRequest{Method: m.Method, URL: m.URL, HTTPVersion: proto,
		Cookies: requestCookies(m.ReqHeader), Headers: harHeaders(m.ReqHeader),
		QueryString: harFields(queryFields(m.URL)), HeadersSize: -1, BodySize: e.Open.ReqBody.Size}
	if len(m.ReqBody) > 0 {
		req.PostData = &HARPostData{MimeType: m.ReqHeader.Get("Content-Type"), Params: harFields(e.ReqBody.Fields), Text: string(m.ReqBody)}
	}
	resp := HARResponse{Status: m.Status, HTTPVersion: proto, Cookies: responseCookies(m.RespHeader),
		Headers: harHeaders(m.RespHeader), RedirectURL: m.RespHeader.Get("Location"), HeadersSize: -1, BodySize: -1,
		Content: harContent(m.RespBody, m.RespHeader.Get("Content-Type"), e.Open.RespBody.Size)}
	if m.Status != 0 {
		resp.StatusText = http.StatusText(m.Status)
		resp.BodySize = e.Open.RespBody.Size
	}
	if e.Err != "" {
		resp.Comment = "no complete response: " + e.Err
	}
	if m.Truncated {
		resp.Content.Comment = truncatedComment
	}
	entry := HAREntry{StartedDateTime: harTime(m.Start), Request: req, Response: resp,
		Timings: harTimings(m.Took, m.Sent, m.FirstByte), Comment: e.Title}
	if e.Spec != "" {
		entry.Comment += " · " + e.Spec
	}
	entry.Time = math.Round((entry.Timings.Send+entry.Timings.Wait+entry.Timings.Receive)*1000) / 1000
	return entry
}

const truncatedComment = "the body exceeded 10 MB and was cut"

// harTime is an ISO 8601 date and time with milliseconds and zone.
func harTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// harTimings splits took into send, wait and receive from the moments the
// request was written and the first byte came back; what is not known is
// waiting. Each is in milliseconds, and they add up to the entry's time.
func harTimings(took, sent, first time.Duration) HARTimings {
	send, wait := time.Duration(0), took
	if sent > 0 && sent <= took {
		send = sent
	}
	if first >= send && first <= took && first > 0 {
		wait = first - send
	} else {
		wait = took - send
	}
	receive := took - send - wait
	return HARTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: ms(send), Wait: ms(wait), Receive: ms(receive)}
}

// ms is a duration in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

// harHeaders lists headers in name order, as sent.
func harHeaders(h http.Header) []HARNameValue {
	out := []HARNameValue{}
	for _, l := range headerLines(h) {
		out = append(out, HARNameValue{Name: l.Name, Value: l.Value})
	}
	return out
}

func harFields(fs []Field) []HARNameValue {
	out := []HARNameValue{}
	for _, f := range fs {
		out = append(out, HARNameValue{Name: f.Name, Value: f.Value})
	}
	return out
}

// harContent is a response body: as text when it is UTF-8, else base64.
func harContent(body []byte, ctype string, size int) HARContent {
	c := HARContent{Size: size, MimeType: ctype}
	if c.MimeType == "" {
		c.MimeType = "x-unknown"
	}
	switch {
	case len(body) == 0:
	case utf8.Valid(body):
		c.Text = string(body)
	default:
		c.Text, c.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
	}
	return c
}

// requestCookies reads the Cookie headers (RFC 6265 §5.4), already masked.
func requestCookies(h http.Header) []HARCookie {
	out := []HARCookie{}
	for _, line := range h.Values("Cookie") {
		for _, part := range strings.Split(line, ";") {
			if name, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
				out = append(out, HARCookie{Name: name, Value: val})
			}
		}
	}
	return out
}

// responseCookies reads the Set-Cookie headers (RFC 6265 §4.1), already
// masked: the name and value, then the attributes HAR records.
func responseCookies(h http.Header) []HARCookie {
	out := []HARCookie{}
	for _, line := range h.Values("Set-Cookie") {
		parts := strings.Split(line, ";")
		name, val, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
		if !ok {
			continue
		}
		c := HARCookie{Name: name, Value: val}
		for _, attr := range parts[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(attr), "=")
			switch strings.ToLower(k) {
			case "path":
				c.Path = v
			case "domain":
				c.Domain = v
			case "expires":
				if t, err := http.ParseTime(v); err == nil {
					c.Expires = harTime(t)
				}
			case "httponly":
				c.HTTPOnly = true
			case "secure":
				c.Secure = true
			}
		}
		out = append(out, c)
	}
	return out
}
