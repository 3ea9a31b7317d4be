package doctor

import (
	"net/http"
	"net/url"
	"strings"
)

// FaultHeader is the request header by which the local platform takes a
// fault for that one request (issue 15's break-it mode): a comma-separated
// list of fault names such as clock-ahead or clock-behind, which shift the
// platform's clock and its Date header by +6 or −6 minutes. It is the
// platform's own mock.FaultHeader (doctor does not import mock; a test in
// package main pins the two together).
const FaultHeader = "X-Nhsauth-Fault"

// WithFaults makes hc send FaultHeader with names on every request to the
// platform at base (its scheme, host and port), and only there: a fault is
// for the local platform, never for a JWKS host or anything else.
func WithFaults(hc *http.Client, base string, names []string) {
	if len(names) == 0 {
		return
	}
	u, err := url.Parse(base)
	if err != nil {
		return
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = faultTransport{next: next, origin: u.Scheme + "://" + u.Host, value: strings.Join(names, ",")}
}

// faultTransport adds FaultHeader to requests for one origin.
type faultTransport struct {
	next   http.RoundTripper
	origin string
	value  string
}

func (t faultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme+"://"+req.URL.Host == t.origin {
		req = req.Clone(req.Context())
		req.Header.Set(FaultHeader, t.value)
	}
	return t.next.RoundTrip(req)
}
