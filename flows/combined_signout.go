package flows

import (
	"context"
	"errors"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// signOutPoll is how often a sign-out in the browser checks whether the
// platform's token has stopped working.
const signOutPoll = time.Second

// runSignOut ends the realm session (by its confirm form with the kept
// cookie, or in the browser) and shows what the platform's tokens answer
// afterwards.
func (c *combined) runSignOut(ctx context.Context, j *Journey) Outcome {
	if j.Token.AccessToken == "" {
		return Fail(steps.WithHint(errors.New("flows: no platform tokens yet"), "There is nothing to sign out of yet.", "Sign in and exchange the code first."))
	}
	endURL := c.endSessionURL(j)
	var o Outcome
	if j.Login.Mode == LoginForm {
		msg, exs, err := steps.EndSession(ctx, j.HTTP, steps.EndSessionParams{URL: endURL, Jar: j.Combined.Jar})
		if err != nil {
			return Fail(err, exs...)
		}
		o.Exchanges = exs
		o.Details = append(o.Details, "The realm's logout page says: "+trimPage(msg))
	} else {
		l := &j.Login
		note := "Open the realm's logout page in the browser you signed in with: " + endURL
		if l.Mode == LoginBrowser {
			saved := l.AuthURL
			l.AuthURL = endURL
			_, note = openBrowser(l)
			l.AuthURL = saved
		}
		l.notify(note)
		o.Details = append(o.Details, note, "Log out on the realm's page ("+endURL+"); this step watches the platform's token until it stops working (up to --login-timeout).")
		c.waitRevoked(ctx, j)
	}
	var first, latest [2]int
	var exs []steps.Exchange
	first[0], first[1], exs = c.tokenStatus(ctx, j, j.Combined.Tokens.AccessToken)
	o.Exchanges = append(o.Exchanges, exs...)
	latest[0], latest[1], exs = c.tokenStatus(ctx, j, j.Token.AccessToken)
	o.Exchanges = append(o.Exchanges, exs...)
	j.Combined.Revoked = false
	return c.signOutReport(j, o, first, latest)
}

// waitRevoked polls the API with the latest token until it answers 401
// (CIS2) or the login timeout passes; NHS login has nothing to wait for.
func (c *combined) waitRevoked(ctx context.Context, j *Journey) {
	if c.kind != RealmCIS2 {
		return
	}
	timeout := j.Login.LoginTimeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(signOutPoll)
	defer t.Stop()
	for {
		resp, _, _ := steps.CallAPI(wctx, j.HTTP, steps.APIParams{URL: j.Env.Resolve(c.apiTarget(j)), AccessToken: j.Token.AccessToken})
		if resp.Status == 401 {
			return
		}
		select {
		case <-wctx.Done():
			return
		case <-t.C:
		}
	}
}
