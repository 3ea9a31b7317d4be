package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/nhsauth/nhsauth/steps"
)

// runTokenExchange swaps CIS2's ID token at the platform's /oauth2/token,
// which trusts CIS2 (reference §3.6 step 6).
func (d *direct) runTokenExchange(ctx context.Context, j *Journey) Outcome {
	if j.Direct.SkipPlatform {
		return Outcome{Summary: "Skipped: no platform token exchange asked for"}
	}
	if j.Login.ExchangeURL == "" {
		j.Login.ExchangeURL = j.Env.TokenURL()
	}
	return d.sep.runTokenExchange(ctx, j)
}

// runCallAPI calls the API with the platform token.
func (d *direct) runCallAPI(ctx context.Context, j *Journey) Outcome {
	if j.Direct.SkipPlatform {
		return Outcome{Summary: "Skipped: no platform token"}
	}
	return d.sep.runCallAPI(ctx, j)
}

// runLogout ends the session at CIS2 and validates the back-channel
// logout the receiver takes.
func (d *direct) runLogout(ctx context.Context, j *Journey) Outcome {
	l, ds := &j.Login, &j.Direct
	if l.Tokens.IDToken == "" || l.Provider.EndSessionURL == "" {
		return Fail(steps.WithHint(errors.New("flows: no session to end yet"), "Ending the session needs the ID token (as id_token_hint) and the end_session_endpoint.", "Run the steps from discovery to the ID token first."))
	}
	if ds.Receiver != nil {
		ds.Receiver.Expect(steps.LogoutExpect{Issuer: l.Provider.Issuer, JWKSURL: l.Provider.JWKSURL, ClientID: ds.ClientID,
			SID: l.IDToken.Claim("sid"), HTTP: j.HTTP, Now: j.Now})
	}
	_, exs, err := steps.EndSession(ctx, j.HTTP, steps.EndSessionParams{URL: l.Provider.EndSessionURL, IDTokenHint: l.Tokens.IDToken})
	if err != nil {
		return Fail(err, exs...)
	}
	if ds.Receiver == nil {
		return Outcome{Summary: "Session ended at CIS2 (endSession)", Exchanges: exs,
			Details: []string{"CIS2 now POSTs a logout token to the backchannel_logout_uri registered in Connection Manager: a public HTTPS endpoint of your app, which nhsauth cannot stand in for on " + j.Env.Name + "."}}
	}
	defer ds.CloseReceiver()
	wctx, cancel := context.WithTimeout(ctx, logoutWait)
	defer cancel()
	res, werr := ds.Receiver.Wait(wctx)
	if werr != nil {
		return Fail(steps.WithHint(fmt.Errorf("flows: no back-channel logout within %s: %w", logoutWait, werr),
			"CIS2 ended the session but no logout token reached "+ds.Receiver.URI()+".",
			"Check the client's backchannel_logout_uri in the Connection Manager page."), exs...)
	}
	ds.Logout = res
	exs = append(append(exs, res.Exchange), res.More...)
	if res.Err != nil {
		o := Fail(res.Err, exs...)
		o.Checks, o.JWT = res.Checks, res.Token
		return o
	}
	return Outcome{
		Summary:   fmt.Sprintf("Back-channel logout received and validated: %d of %d checks passed; answered 200", len(res.Checks), len(res.Checks)),
		Details:   []string{"The logout token arrived as logout_token in a form POST to " + ds.Receiver.URI() + "; the app ends its own session for this sid now."},
		Checks:    res.Checks,
		Exchanges: exs,
		JWT:       res.Token,
	}
}
