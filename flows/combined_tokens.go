package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// runSSO authorises a second time on the kept realm session, when asked.
func (c *combined) runSSO(ctx context.Context, j *Journey) Outcome {
	if !j.Combined.SSO {
		return Outcome{Summary: "Skipped: to authorise again on the realm session, pass --sso, or in the wizard set SSO to yes (e) and run this step (r)"}
	}
	if j.Login.Mode == LoginForm && j.Combined.Jar == nil {
		return Fail(steps.WithHint(errors.New("flows: no realm session yet"), "Single sign-on needs the browser session of an earlier sign-in.", "Run the sign-in step first."))
	}
	ao := c.runAuthorize(ctx, j)
	if ao.Failed() {
		return ao
	}
	so := c.signIn(ctx, j)
	so.Exchanges = append(ao.Exchanges, so.Exchanges...)
	if so.Failed() {
		return so
	}
	page, hops := false, 0
	for _, ex := range so.Exchanges {
		page = page || strings.HasPrefix(ex.Title, "Login form")
		if !ex.Synthetic && ex.Status/100 == 3 {
			hops++
		}
	}
	switch {
	case j.Login.Mode != LoginForm:
		so.Summary = "Authorised again in the browser: a new code arrived on the listener"
	case page:
		so.Summary = "Authorised again, but the realm showed its login page: its session had ended or max_age had passed"
	default:
		so.Summary = fmt.Sprintf("Authorised again by redirects alone (%d hops, no login page): a new code received", hops)
	}
	so.Details = append(so.Details,
		"The realm found its session cookie and a sign-in younger than the platform's max_age=300, so it sent the browser straight back to the platform's callback.",
		"A login page appears again when 300 s have passed since the sign-in (max_age), with prompt=login, or once the session has ended (the sign-out step).",
		"The code exchange step now redeems this new code.")
	return so
}

// runCode redeems the platform's code for the platform's tokens.
func (c *combined) runCode(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	tok, exs, err := steps.ExchangePlatformCode(ctx, j.HTTP, steps.PlatformCodeParams{
		TokenURL: combinedURL(j, "token"), Auth: j.appSecretAuth(), Code: l.Code, RedirectURI: l.SentRedirectURI,
	})
	j.Secret(tok.Secrets()...)
	if err != nil {
		return withSkew(Fail(err, exs...), j.Now())
	}
	j.Combined.Tokens, j.Token = tok, tok
	return Outcome{
		Summary: fmt.Sprintf("Platform tokens issued: access token (expires in %d s), refresh token (window %d s, refresh_count %d)",
			tok.ExpiresIn, tok.RefreshTokenExpiresIn, tok.RefreshCount),
		Details: []string{
			"access_token: " + j.Redact.String(tok.AccessToken) + " (the bearer token APIs accept)",
			fmt.Sprintf("expires_in: %d (seconds, sent as a string; the token lives 10 minutes)", tok.ExpiresIn),
			"refresh_token: " + j.Redact.String(tok.RefreshToken) + " (single use: each refresh returns a new one)",
			fmt.Sprintf("refresh_token_expires_in: %d (the session window: 12 h for CIS2, 1 h for NHS login; it counts down)", tok.RefreshTokenExpiresIn),
			fmt.Sprintf("refresh_count: %d (how many refreshes so far)", tok.RefreshCount),
			"token_type: " + tok.TokenType + " (send it as Authorization: Bearer)",
			"No id_token and no issued_token_type: the platform keeps the identity provider's tokens itself.",
			"The code is spent: a second exchange gets authorization_code is invalid.",
		},
		Exchanges: exs,
	}
}

// runRefresh refreshes at the base path whose code exchange issued the
// tokens (CombinedBasePath).
func (c *combined) runRefresh(ctx context.Context, j *Journey) Outcome {
	return refreshAt(ctx, j, combinedURL(j, "token"))
}

// runUserinfo calls the platform's userinfo: CIS2's claims, or the 400 an
// NHS login token gets.
func (c *combined) runUserinfo(ctx context.Context, j *Journey) Outcome {
	if j.Token.AccessToken == "" {
		return Fail(steps.WithHint(errors.New("flows: no platform access token yet"), "Userinfo needs the platform's access token.", "Run the code exchange first."))
	}
	ui, exs, err := steps.FetchUserinfo(ctx, j.HTTP, steps.UserinfoParams{URL: combinedURL(j, "userinfo"), AccessToken: j.Token.AccessToken})
	claims := ui.Claims
	if c.kind == RealmNHSLogin {
		var oe *steps.OAuthError
		if errors.As(err, &oe) && oe.Status == 400 {
			return Outcome{
				Summary:   "HTTP 400 invalid_request, as expected: the platform's userinfo is only for CIS2 combined tokens",
				Details:   []string{"The platform answers userinfo only for tokens from CIS2 combined authentication; for NHS login the app reads the user's details elsewhere (NHS login's own userinfo, with an NHS login token)."},
				Exchanges: exs,
			}
		}
		if err == nil {
			err = errors.New("flows: userinfo answered an NHS login token; the platform refuses those with 400")
		}
		return Fail(err, exs...)
	}
	if err != nil {
		return afterLogout(j, Fail(err, exs...))
	}
	var details []string
	for _, k := range []string{"sub", "nhsid_useruid", "name", "email", "idassurancelevel"} {
		if v, ok := claims[k]; ok {
			details = append(details, fmt.Sprintf("%s: %v", k, v))
		}
	}
	if roles, ok := claims["nhsid_nrbac_roles"].([]any); ok {
		details = append(details, fmt.Sprintf("nhsid_nrbac_roles: %d role(s); each role's person_roleid is what NHSD-Session-URID carries", len(roles)))
	}
	details = append(details, "The platform called CIS2's userinfo with the CIS2 access token it kept, and returned the answer unchanged.")
	who, _ := claims["nhsid_useruid"].(string)
	if name, ok := claims["name"].(string); ok && name != "" {
		who = name + " (" + who + ")"
	}
	return Outcome{Summary: "Userinfo answered by CIS2 through the platform: user " + orDash(who), Details: details, Exchanges: exs}
}

// tokenStatus calls the API and, for CIS2, userinfo with tok, and returns
// the statuses and the exchanges.
func (c *combined) tokenStatus(ctx context.Context, j *Journey, tok string) (api, ui int, exs []steps.Exchange) {
	resp, aexs, _ := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: j.Env.Resolve(c.apiTarget(j)), AccessToken: tok})
	exs = aexs
	api = resp.Status
	if c.kind == RealmCIS2 {
		_, uexs, _ := steps.FetchUserinfo(ctx, j.HTTP, steps.UserinfoParams{URL: combinedURL(j, "userinfo"), AccessToken: tok})
		exs = append(exs, uexs...)
		if len(uexs) > 0 {
			ui = uexs[len(uexs)-1].Status
		}
	}
	return api, ui, exs
}

func (c *combined) apiTarget(j *Journey) string {
	if j.APIURL != "" {
		return j.APIURL
	}
	return c.defaultURL
}

// endSessionURL is the identity provider's end_session_endpoint: the
// realm's (reference §5.1), or CIS2's through /oauth2 (§6.1, §6.5).
func (c *combined) endSessionURL(j *Journey) string {
	if j.Combined.UseCIS2 && j.Env.CIS2Issuer != "" {
		return j.Env.CIS2Issuer + "/connect/endSession"
	}
	return j.Env.RealmURL(c.kind) + "/protocol/openid-connect/logout"
}

// signOutReport turns the statuses after the logout into the outcome.
func (c *combined) signOutReport(j *Journey, o Outcome, first, latest [2]int) Outcome {
	o.Details = append(o.Details,
		fmt.Sprintf("With the first access token: API HTTP %d%s", first[0], uiNote(c, first[1])),
		fmt.Sprintf("With the refreshed access token: API HTTP %d%s", latest[0], uiNote(c, latest[1])))
	if c.kind == RealmNHSLogin {
		o.Summary = fmt.Sprintf("NHS login sessions get no back-channel logout: after the realm logout the platform's token still works (API HTTP %d)", latest[0])
		return o
	}
	if first[0] != 401 || latest[0] != 401 || latest[1] != 401 {
		o.Err = steps.WithHint(errors.New("flows: the platform's tokens still work after the realm logout"),
			"The realm session ended, but the platform did not revoke its tokens: the back-channel logout did not reach it, or was refused.",
			"Check the logout page's note on the back-channel logout, and that the platform's back-channel logout URI is registered for its client.")
		o.Hints = steps.HintsOf(o.Err)
		return o
	}
	j.Combined.Revoked = true
	o.Summary = "CIS2 session ended; back-channel logout revoked the platform's tokens: the API and userinfo now answer 401"
	o.Details = append(o.Details,
		"CIS2 POSTed a signed logout token (iss, aud, iat, exp, jti, events, sid; typ logout+jwt) to the platform's back-channel logout URI, and the platform revoked every token of that session, refreshed ones included.")
	return o
}

func uiNote(c *combined, status int) string {
	if c.kind != RealmCIS2 {
		return ""
	}
	return fmt.Sprintf(", userinfo HTTP %d", status)
}

// trimPage keeps a page's message short for a detail line.
func trimPage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// runAPI calls the API; after the sign-out its 401 is explained.
func (c *combined) runAPI(ctx context.Context, j *Journey) Outcome {
	return afterLogout(j, c.runCallAPI(ctx, j))
}

// afterLogout explains a 401 once a back-channel logout revoked the
// platform's tokens (reference §4.6).
func afterLogout(j *Journey, o Outcome) Outcome {
	if !o.Failed() || !j.Combined.Revoked {
		return o
	}
	o.Hints = append([]steps.Hint{{
		Cause: "The realm session ended and its back-channel logout made the platform revoke every token of that session, refreshed ones included: this token is dead.",
		Fix:   "Sign in again (run the authorise and sign-in steps) for new tokens.",
	}}, o.Hints...)
	return o
}
