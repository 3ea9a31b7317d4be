package steps

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// recorder is an http.RoundTripper that keeps a copy of every round trip it
// carries, redirects and retries included, so a step can return exactly what
// went over the wire.
type recorder struct {
	next  http.RoundTripper
	title string
	spec  string
	now   func() time.Time

	mu  sync.Mutex
	log []Exchange
}

// Recorder wraps hc so that every request made through the returned client
// is recorded under title and spec. The returned client shares hc's timeout,
// jar and redirect policy.
func Recorder(hc *http.Client, title, spec string) (*http.Client, *Recording) {
	if hc == nil {
		hc = http.DefaultClient
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	rec := &recorder{next: next, title: title, spec: spec, now: time.Now}
	c := *hc
	c.Transport = rec
	return &c, &Recording{rec: rec}
}

// Recording gives access to what a Recorder saw.
type Recording struct{ rec *recorder }

// Exchanges returns the round trips so far, in order.
func (r *Recording) Exchanges() []Exchange {
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	return append([]Exchange(nil), r.rec.log...)
}

// SetTitle names the exchanges recorded from now on.
func (r *Recording) SetTitle(title, spec string) {
	r.rec.mu.Lock()
	r.rec.title, r.rec.spec = title, spec
	r.rec.mu.Unlock()
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	title, spec := r.title, r.spec
	r.mu.Unlock()
	ex := Exchange{
		Title:     title,
		Spec:      spec,
		Method:    req.Method,
		URL:       req.URL.String(),
		Proto:     req.Proto,
		ReqHeader: req.Header.Clone(),
		Start:     r.now(),
	}
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(req.Body, MaxBody+1))
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.ReqBody = capBody(body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if ex.ReqHeader == nil {
		ex.ReqHeader = http.Header{}
	}
	if req.Host != "" && req.Host != req.URL.Host {
		ex.ReqHeader.Set("Host", req.Host)
	}
	req, timing := r.trace(req, ex.Start)
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		ex.Err = err
		ex.Took = r.now().Sub(ex.Start)
		ex.Sent, ex.FirstByte = timing()
		r.append(ex)
		return nil, err
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	resp.Body.Close()
	ex.Took = r.now().Sub(ex.Start)
	ex.Sent, ex.FirstByte = timing()
	ex.Status = resp.StatusCode
	if resp.Proto != "" {
		ex.Proto = resp.Proto // what the server spoke (HTTP/2 when negotiated)
	}
	ex.RespHeader = resp.Header.Clone()
	if len(body) > MaxBody {
		ex.RespBody, ex.Truncated = body[:MaxBody], true
	} else {
		ex.RespBody = body
	}
	if readErr != nil {
		ex.Err = readErr
	}
	r.append(ex)
	if readErr != nil {
		// http.Client drops a response returned with an error anyway, and
		// logs "RoundTripper returned a response & error" to stderr: return
		// the error alone. The exchange above keeps the partial body.
		return nil, readErr
	}
	// Hand the caller the bytes we kept, so it parses what the panes show.
	resp.Body = io.NopCloser(bytes.NewReader(ex.RespBody))
	return resp, nil
}

// trace returns req with an httptrace hook noting when the request was
// written and when the reply's first byte came (the send/wait/receive
// split of a round trip), and a function reading both as offsets from
// start. The transport may call a hook on its own goroutine, so both go
// through a lock.
func (r *recorder) trace(req *http.Request, start time.Time) (*http.Request, func() (sent, first time.Duration)) {
	var (
		mu          sync.Mutex
		sent, first time.Duration
	)
	ct := &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) {
			mu.Lock()
			sent = r.now().Sub(start)
			mu.Unlock()
		},
		GotFirstResponseByte: func() {
			mu.Lock()
			first = r.now().Sub(start)
			mu.Unlock()
		},
	}
	return req.WithContext(httptrace.WithClientTrace(req.Context(), ct)), func() (time.Duration, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		return sent, first
	}
}

func (r *recorder) append(ex Exchange) {
	r.mu.Lock()
	r.log = append(r.log, ex)
	r.mu.Unlock()
}

func capBody(b []byte) []byte {
	if len(b) > MaxBody {
		return b[:MaxBody]
	}
	return b
}

// send performs req through a client recording under title and spec, closes
// the reply (the recorder kept its body), and returns every round trip with
// the client's error. When the request never reached the transport (a
// cancelled context, a client that refused it) it still returns one
// Exchange saying what was attempted, so the panes always have something to
// show. body is the request body, for that record.
func send(hc *http.Client, req *http.Request, title, spec string, body []byte) ([]Exchange, error) {
	rc, rec := Recorder(hc, title, spec)
	resp, err := rc.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	exs := rec.Exchanges()
	if len(exs) == 0 {
		exs = []Exchange{{Title: title, Spec: spec, Method: req.Method, URL: req.URL.String(),
			Proto: req.Proto, ReqHeader: req.Header.Clone(), ReqBody: body, Err: err}}
	}
	return exs, err
}

// Send makes one request through hc and returns it, recorded, with the
// transport's error: for a request that is not a protocol step of its own,
// such as following the browser's last redirect.
func Send(hc *http.Client, req *http.Request, title, spec string) ([]Exchange, error) {
	exs, err := send(hc, req, title, spec, nil)
	return exs, err
}
