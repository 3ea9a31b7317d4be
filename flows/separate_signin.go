package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// runSignIn gets the authorization code: by submitting the login form
// (LoginForm), or by waiting for the browser's redirect on the listener or a
// pasted URL (LoginBrowser opens the browser first). The listener is closed
// when the step ends, whatever the outcome: it accepts one callback.
func (s *separate) runSignIn(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	if l.AuthURL == "" {
		return Fail(steps.WithHint(errors.New("flows: no authorise URL yet"),
			"The sign-in needs the authorise URL, with its state and listener.",
			"Run the authorise step first."))
	}
	if l.Mode != LoginForm && l.ListenAddr != "" && l.Listener == nil {
		return Fail(steps.WithHint(errors.New("flows: the callback listener is closed"),
			"The listener of this login took its one callback (or gave up) when the sign-in step last ran, and a login's state is used once.",
			"Run the authorise step again for a fresh URL and listener, then sign in."))
	}
	defer l.CloseListener()

	var (
		cb      steps.Callback
		exs     []steps.Exchange
		err     error
		details []string
		how     string
	)
	switch l.Mode {
	case LoginForm:
		how = "by submitting the realm's login form"
		cb, exs, err = steps.FormLogin(ctx, j.HTTP, steps.FormLoginParams{AuthURL: l.AuthURL, Username: l.User, ExpectedState: l.State})
	default:
		if l.Mode == LoginBrowser {
			opener := l.Opener
			if opener == nil {
				opener = steps.BrowserOpener(l.BrowserCmd)
			}
			if oerr := opener.Open(l.AuthURL); oerr != nil {
				details = append(details, "The browser could not be opened ("+oerr.Error()+"): open the authorise URL yourself.")
			} else {
				details = append(details, "Opened the browser on the authorise URL.")
			}
		}
		how = "in the browser"
		var pasted bool
		cb, pasted, err = waitForRedirect(ctx, l)
		if pasted {
			how = "in the browser (pasted redirect)"
		}
	}
	if err != nil {
		o := Fail(err, exs...)
		o.Details = details
		return o
	}
	l.Callback, l.Code = cb, cb.Code
	j.Secret(cb.Code)
	user := l.User
	if l.Mode != LoginForm || user == "" {
		user = "the user"
	}
	details = append(details,
		"code: "+j.Redact.String(cb.Code)+" (single use, short-lived: exchange it now)",
		"state: "+cb.State+" (matches the one sent)")
	if cb.SessionState != "" {
		details = append(details, "session_state: "+cb.SessionState)
	}
	return Outcome{
		Summary:   fmt.Sprintf("Signed in as %s %s: authorization code received, state matches", user, how),
		Details:   details,
		Exchanges: exs,
	}
}

// waitForRedirect waits for the listener's callback or a pasted URL, until
// the login deadline. pasted reports which arrived.
func waitForRedirect(ctx context.Context, l *LoginState) (cb steps.Callback, pasted bool, err error) {
	deadline := l.Deadline
	if deadline.IsZero() {
		timeout := l.LoginTimeout
		if timeout <= 0 {
			timeout = DefaultLoginTimeout
		}
		deadline = time.Now().Add(timeout)
	}
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	type result struct {
		cb  steps.Callback
		err error
	}
	var fromListener chan result
	var expired <-chan struct{}
	if l.Listener != nil {
		// The listener turns the deadline into its own timeout error.
		fromListener = make(chan result, 1)
		ln := l.Listener
		go func() {
			cb, err := ln.Wait(wctx)
			fromListener <- result{cb, err}
		}()
	} else {
		expired = wctx.Done()
	}
	select {
	case r := <-fromListener:
		if r.err != nil {
			if cb, ok, err := pendingPaste(l); ok {
				return cb, true, err
			}
		}
		return r.cb, false, r.err
	case p := <-l.Pasted:
		cb, err := steps.ParseRedirect(p, l.State)
		return cb, true, err
	case <-expired:
		if cb, ok, err := pendingPaste(l); ok {
			return cb, true, err
		}
		if ctx.Err() != nil {
			return steps.Callback{}, false, fmt.Errorf("flows: sign-in: %w", ctx.Err())
		}
		return steps.Callback{}, false, steps.WithHint(fmt.Errorf("flows: sign-in: %w", steps.ErrLoginTimeout),
			"No redirected URL was pasted before the login timeout ran out.",
			"Run the authorise step again and paste the address the browser lands on sooner, or allow more time with --login-timeout (default 5m).")
	}
}

// pendingPaste reads a URL that was pasted before the wait ended. A select
// with both the paste and the end of the wait ready picks either at random,
// and run ends the wait as soon as stdin reaches EOF, right after handing
// over its last line: a paste already received must win over that cancel.
func pendingPaste(l *LoginState) (steps.Callback, bool, error) {
	select {
	case p := <-l.Pasted:
		cb, err := steps.ParseRedirect(p, l.State)
		return cb, true, err
	default:
		return steps.Callback{}, false, nil
	}
}
