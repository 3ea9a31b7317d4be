package steps

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Listener is the loopback HTTP server the browser is redirected to after
// signing in (RFC 8252 §7.3, "Loopback Interface Redirection"). It binds
// 127.0.0.1 only, accepts exactly one callback on its path, validates its
// state, and shows the browser a plain page saying what happened.
type Listener struct {
	ln    net.Listener
	srv   *http.Server
	path  string
	state string

	done   chan struct{} // closed when the one callback has arrived
	closed chan struct{} // closed by Close

	mu        sync.Mutex
	handled   bool
	inbound   Exchange // the callback request as it arrived, and the page answered
	cb        Callback
	err       error
	closeOnce sync.Once
}

// ListenCallback starts a listener on addr ("127.0.0.1:0" for a free port,
// or the port of a loopback redirect URI) for redirects to path (default
// "/"), expecting expectedState. It refuses any address other than
// 127.0.0.1 (localhost is taken as 127.0.0.1): RFC 8252 §8.3 says a loopback
// redirect "MUST" not be reachable from other hosts, so binding every
// interface would hand the code to the network.
// See https://datatracker.ietf.org/doc/html/rfc8252#section-7.3.
func ListenCallback(addr, path, expectedState string) (*Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("steps: callback listener: address %q: %w", addr, err)
	}
	switch host {
	case "127.0.0.1", "localhost", "":
	default:
		return nil, WithHint(fmt.Errorf("steps: callback listener: %s is not 127.0.0.1", host),
			"The callback listener binds the loopback address 127.0.0.1 only, so no other machine can deliver (or steal) the code.",
			"Use a redirect URI on http://127.0.0.1 or http://localhost, or a non-loopback one and paste the redirected URL.")
	}
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		err = fmt.Errorf("steps: callback listener: %w", err)
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, WithHint(err,
				"Port "+port+" on 127.0.0.1 is already in use (another nhsauth, or the app whose redirect URI this is).",
				"Stop the other program, or use another redirect URI port (or none, for a free port).")
		}
		return nil, err
	}
	l := &Listener{ln: ln, path: path, state: expectedState, done: make(chan struct{}), closed: make(chan struct{})}
	l.srv = &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// Addr is the address the listener is bound to, 127.0.0.1:PORT.
func (l *Listener) Addr() string { return l.ln.Addr().String() }

// RedirectURI is http://127.0.0.1:PORT/path, the redirect URI to send when
// the user did not fix one.
func (l *Listener) RedirectURI() string { return "http://" + l.Addr() + l.path }

// Wait blocks until the callback arrives, ctx ends or the listener is
// closed. The callback's state has been checked (CheckCallback); an error=
// callback comes back with its hint. When ctx's deadline passes first, the
// error is ErrLoginTimeout with a hint about --login-timeout.
func (l *Listener) Wait(ctx context.Context) (Callback, error) {
	select {
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.cb, l.err
	case <-l.closed:
		return Callback{}, errors.New("steps: callback listener: closed before a sign-in arrived")
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Callback{}, WithHint(fmt.Errorf("steps: callback listener: %w (waited on %s)", ErrLoginTimeout, l.RedirectURI()),
				"Nobody signed in before the login timeout ran out, or the browser was redirected somewhere other than "+l.RedirectURI()+".",
				"Start the login again and sign in sooner, or allow more time with --login-timeout (default 5m).")
		}
		return Callback{}, fmt.Errorf("steps: callback listener: %w", ctx.Err())
	}
}

// Close stops the listener, letting a page being written finish first.
func (l *Listener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		close(l.closed)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err = l.srv.Shutdown(ctx); err != nil {
			err = l.srv.Close()
		}
		// Serve may not have taken the listener yet when Close comes right
		// after ListenCallback; Shutdown then leaves the port open, so close
		// it here too (a second close is harmless).
		_ = l.ln.Close()
	})
	return err
}

// ServeHTTP handles the redirect: the first request on the path is the
// callback; later ones only get a page saying so.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != l.path {
		// Browsers ask for /favicon.ico; anything else is not ours either.
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	l.mu.Lock()
	if l.handled {
		l.mu.Unlock()
		writePage(w, http.StatusOK, "Already handled",
			"This sign-in was already handled; this request was ignored.")
		return
	}
	l.handled = true
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	cb := callbackFrom(&u)
	err := CheckCallback(cb, l.state)
	l.cb, l.err = cb, err
	status := http.StatusOK
	if err != nil {
		status = http.StatusBadRequest
	}
	l.inbound = inboundExchange(r, u.String(), status)
	l.mu.Unlock()

	if err != nil {
		msg := err.Error()
		for _, h := range HintsOf(err) {
			msg += "\n" + h.String()
		}
		writePage(w, status, "Sign-in failed", msg)
	} else {
		writePage(w, status, "Signed in", "nhsauth received the authorization code.")
	}
	close(l.done)
}

// Received returns the callback request the listener received, as an
// Exchange whose request is the browser's and whose status is the page the
// listener answered; false before one arrived. It is the moment the
// redirect reaches the app (RFC 6749 §4.1.2, RFC 8252 §7.3).
func (l *Listener) Received() (Exchange, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inbound, l.handled
}

// inboundExchange records a request the listener received.
func inboundExchange(r *http.Request, fullURL string, status int) Exchange {
	return Exchange{
		Title: "Callback received", Spec: "RFC 6749 §4.1.2; RFC 8252 §7.3",
		Method: r.Method, URL: fullURL, Proto: r.Proto, ReqHeader: r.Header.Clone(),
		Status: status, RespHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Start: time.Now(), Note: "received by nhsauth's loopback listener from the browser",
	}
}

// writePage sends the small page the browser shows after the redirect. It
// loads nothing else and tells the browser not to pass the URL, which holds
// the code, on to anyone (Referrer-Policy).
func writePage(w http.ResponseWriter, status int, title, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nhsauth: %[1]s</title>
<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}pre{white-space:pre-wrap}</style>
</head><body>
<h1>%[1]s</h1>
<pre>%[2]s</pre>
<p>You can close this tab and return to nhsauth.</p>
</body></html>
`, html.EscapeString(title), html.EscapeString(msg))
}
