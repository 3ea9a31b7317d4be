package flows

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// runSignIn gets the authorization code: by submitting the login form
// (LoginForm), or by waiting for the browser's redirect on the listener or a
// pasted URL (LoginBrowser opens the browser first). The listener is closed
// when the step ends, whatever the outcome: it accepts one callback.
func (s *separate) runSignIn(ctx context.Context, j *Journey) Outcome {
	return signInStep(ctx, j, nil, nil)
}

// signInStep is the sign-in step of every user-restricted flow: it checks
// the authorise step ran, gets the code (obtainCode, with jar for a sign-in
// by form), and reports it. explain, when set, may add a diagnosis to a
// failure.
func signInStep(ctx context.Context, j *Journey, jar http.CookieJar, explain func(error) error) Outcome {
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

	cb, exs, details, how, err := obtainCode(ctx, j, jar)
	if err != nil && explain != nil {
		err = explain(err)
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

// obtainCode gets the authorization code the way the journey's login mode
// says: by submitting the realm's login form (with jar, which keeps the
// realm's session cookie; nil means a fresh one), or by waiting for the
// browser's redirect on the listener or a pasted URL (LoginBrowser opens
// the browser first). The callback the listener received is recorded as an
// exchange. how says which way it went, for the summary.
func obtainCode(ctx context.Context, j *Journey, jar http.CookieJar) (cb steps.Callback, exs []steps.Exchange, details []string, how string, err error) {
	l := &j.Login
	if l.Mode == LoginForm {
		cb, exs, err = steps.FormLogin(ctx, j.HTTP, steps.FormLoginParams{AuthURL: l.AuthURL, Username: l.User, ExpectedState: l.State, Jar: jar})
		j.Secret(cb.Code)
		if err == nil && jar != nil && l.Listener != nil {
			// A journey that keeps the browser's cookies acts as the
			// browser to the end: it follows the last redirect to the
			// listener, which records what it received.
			exs = append(exs, deliverCallback(ctx, j, cb.URL)...)
		}
		return cb, exs, nil, "by submitting the realm's login form", err
	}
	var browserFailed <-chan error
	if l.Mode == LoginBrowser {
		var note string
		browserFailed, note = openBrowser(l)
		details = append(details, note)
	}
	ln := l.Listener
	cb, pasted, notes, err := waitForRedirect(ctx, l, browserFailed)
	j.Secret(cb.Code) // the recorded callback's URL holds it, even when refused
	details = append(details, notes...)
	if ln != nil {
		if ex, ok := ln.Received(); ok {
			exs = append(exs, ex)
		}
	}
	how = "in the browser"
	if pasted {
		how = "in the browser (pasted redirect)"
	}
	return cb, exs, details, how, err
}

// deliverCallback sends the browser's last redirect to the loopback
// listener, and returns that request and what the listener received.
func deliverCallback(ctx context.Context, j *Journey, callbackURL string) []steps.Exchange {
	ln := j.Login.Listener
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, callbackURL, nil)
	if err != nil {
		return nil
	}
	exs, _ := steps.Send(j.HTTP, req, "Redirect to your callback", "RFC 6749 §4.1.2")
	if ex, ok := ln.Received(); ok {
		exs = append(exs, ex)
	}
	return exs
}

// openBrowser opens the browser on the authorise URL and says how that
// went. A $BROWSER command that exits with an error later is reported on the
// returned channel.
func openBrowser(l *LoginState) (<-chan error, string) {
	opener := l.Opener
	if opener == nil {
		opener = steps.BrowserOpener(l.BrowserCmd)
	}
	failed := make(chan error, 1)
	var err error
	if en, ok := opener.(steps.ExitNotifier); ok {
		err = en.OpenNotify(l.AuthURL, func(err error) { failed <- err })
	} else {
		err = opener.Open(l.AuthURL)
	}
	if err != nil {
		note := "The browser could not be opened (" + err.Error() + "): open the authorise URL yourself."
		l.notify(note)
		return nil, note
	}
	return failed, "Opened the browser on the authorise URL."
}

// notify tells the user now, when someone listens.
func (l *LoginState) notify(msg string) {
	if l.Notify != nil {
		l.Notify(msg)
	}
}

// waitForRedirect waits for the listener's callback or a pasted URL, until
// the login deadline. pasted reports which arrived. A browser command that
// fails meanwhile (browserFailed) is reported at once through l.Notify and
// in notes, and the wait goes on: a pasted URL can still finish it.
func waitForRedirect(ctx context.Context, l *LoginState, browserFailed <-chan error) (cb steps.Callback, pasted bool, notes []string, err error) {
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
	for {
		select {
		case berr := <-browserFailed:
			browserFailed = nil // a nil channel never fires again
			note := "The browser command failed (" + berr.Error() + "): open the authorise URL yourself; still waiting for the redirect or a pasted URL."
			l.notify(note)
			notes = append(notes, note)
		case r := <-fromListener:
			if r.err != nil {
				if cb, ok, err := pendingPaste(l); ok {
					return cb, true, notes, err
				}
			}
			return r.cb, false, notes, r.err
		case p := <-l.Pasted:
			cb, err := steps.ParseRedirect(p, l.State)
			return cb, true, notes, err
		case <-expired:
			if cb, ok, err := pendingPaste(l); ok {
				return cb, true, notes, err
			}
			if ctx.Err() != nil {
				return steps.Callback{}, false, notes, fmt.Errorf("flows: sign-in: %w", ctx.Err())
			}
			return steps.Callback{}, false, notes, steps.WithHint(fmt.Errorf("flows: sign-in: %w", steps.ErrLoginTimeout),
				"No redirected URL was pasted before the login timeout ran out.",
				"Run the authorise step again and paste the address the browser lands on sooner, or allow more time with --login-timeout (default 5m).")
		}
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
