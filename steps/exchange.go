package steps

import (
	"net/http"
	"time"
)

// MaxBody is the most of a request or response body an Exchange records.
// Anything longer is cut and the Exchange says so (Truncated).
const MaxBody = 10 << 20

// TruncationMark is appended, on display, to a body that was cut.
const TruncationMark = "[… truncated: body exceeded 10 MB]"

// Exchange is one HTTP round trip as it went over the wire, or, for a step
// that sends nothing (building an authorise URL, signing a JWT), a record of
// what it built (Synthetic). The panes, the transcript and --json all render
// Exchanges.
type Exchange struct {
	Title string // "Token request"
	Spec  string // the document that defines it: "RFC 6749 §4.1.3"

	Method    string
	URL       string
	Proto     string // the HTTP version of the round trip: "HTTP/1.1", "HTTP/2.0"
	ReqHeader http.Header
	ReqBody   []byte

	Status     int // 0 when the request never completed
	RespHeader http.Header
	RespBody   []byte
	Truncated  bool // RespBody was cut at MaxBody

	Start time.Time
	Took  time.Duration
	Err   error // transport failure, if any

	// Sent and FirstByte are when the request was fully written and when
	// the first byte of the reply arrived, as offsets from Start (0 when
	// unknown), for the send/wait/receive timings of HAR 1.2 exports.
	Sent, FirstByte time.Duration

	// Synthetic marks a record of something built locally; Note then says
	// what it is and ReqBody holds it (for example a decoded JWT).
	Synthetic bool
	Note      string
}

// Completed reports whether a response arrived.
func (e Exchange) Completed() bool { return !e.Synthetic && e.Err == nil && e.Status != 0 }
