package mock

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Timeouts of the local platform's HTTP server: a client that sends its
// headers or body slowly, or keeps an idle connection, cannot hold a
// connection for long (slowloris). Writes are not bounded: a grant may wait
// up to Options.JWKSTimeout on a JWKS fetch.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// HTTPServer is an http.Server for the local platform, with read-header,
// read and idle timeouts, whose handler answers only requests addressed to
// this machine and 421 Misdirected Request (RFC 9110 §15.5.20) to others
// (see hostGuard), unless Options.AllowRemote. Serve it on a listener:
// srv.HTTPServer().Serve(ln).
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.hostGuard(s),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
	}
}

// misdirected is the one-line answer to a request for another host.
const misdirected = "421 Misdirected Request: this nhsauth local platform listens on loopback and answers only Host 127.0.0.1, localhost or [::1] (or its --public-url host); a browser sent here by another name may be the target of DNS rebinding. Start it with --allow-remote to answer any Host.\n"

// hostGuard answers 421 Misdirected Request (RFC 9110 §15.5.20) to a request
// whose Host is neither a loopback name (127.0.0.1, localhost, [::1], with
// or without a port) nor PublicURL's host, unless Options.AllowRemote. A
// platform on loopback is reachable from any web page the user's browser
// opens: DNS rebinding points an attacker's name at 127.0.0.1, and only the
// Host header still tells such a request apart.
func (s *Server) hostGuard(next http.Handler) http.Handler {
	if s.opts.AllowRemote {
		return next
	}
	public := ""
	if u, err := url.Parse(s.opts.PublicURL); err == nil && s.opts.PublicURL != "" {
		public = strings.ToLower(u.Hostname())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if isLoopbackName(host) || (public != "" && strings.EqualFold(host, public)) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusMisdirectedRequest)
		_, _ = w.Write([]byte(misdirected))
	})
}
