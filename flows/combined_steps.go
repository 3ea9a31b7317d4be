package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/cookiejar"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// runRegistration names the app: its API key and secret, and its
// registered callback URL (on local, the local app's from /_mock/info).
func (c *combined) runRegistration(ctx context.Context, j *Journey) Outcome {
	if j.APIKey == "" {
		return Fail(steps.WithHint(errors.New("flows: no API key"),
			"Combined authentication needs the app's API key: it is the client_id at the platform.",
			"Pass --api-key with your app's key from the NHS developer portal."))
	}
	cb := j.Combined.CallbackURL
	var exs []steps.Exchange
	if j.Env.Local {
		local, ex, err := localCallback(ctx, j)
		if err != nil {
			return Fail(err, ex...)
		}
		exs, j.Combined.LocalApp = ex, local
		if cb == "" {
			cb = local
		}
	}
	if cb == "" {
		return Fail(steps.WithHint(errors.New("flows: no registered callback URL"),
			"The platform sends the browser back only to the callback URL registered for your app, compared exactly.",
			"Pass --callback with the callback URL registered for your app in the NHS developer portal."))
	}
	j.Combined.Registered = cb
	return Outcome{
		Summary: fmt.Sprintf("App %s with callback %s", j.APIKey, cb),
		Details: []string{
			"client_id: " + j.APIKey + " (your API key)",
			"client_secret: " + j.Redact.String(orDash(j.APISecret)) + " (your API secret: the code exchange and refresh send it)",
			"redirect_uri: " + cb + " (registered; the platform compares it as a plain string: http://127.0.0.1:8401/callback and http://localhost:8401/callback/ differ)",
		},
		Exchanges: exs,
	}
}

// localCallback asks the local platform which callback the local app
// registered (GET /_mock/info, its callback_url).
func localCallback(ctx context.Context, j *Journey) (string, []steps.Exchange, error) {
	resp, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: j.Env.APIBase + "/_mock/info"})
	var info struct {
		CallbackURL string `json:"callback_url"`
	}
	if err != nil || json.Unmarshal(resp.Body, &info) != nil {
		return "", exs, steps.WithHint(fmt.Errorf("flows: the local platform's registration: %w", cmpErr(err)),
			"The local platform did not say which callback URL the local app registered.",
			"Pass --callback with the URL given to nhsauth mock --callback (default "+defaultLocalCallback+").")
	}
	if info.CallbackURL == "" {
		return "", exs, steps.WithHint(errors.New("flows: the local platform at "+j.Env.APIBase+" has no combined authentication"),
			"Its /_mock/info names no callback_url: it is an nhsauth mock older than combined authentication.",
			"Stop it and start this version's nhsauth mock (or unset NHSAUTH_LOCAL_URL), then run again.")
	}
	return info.CallbackURL, exs, nil
}

// defaultLocalCallback is the local app's callback as nhsauth mock --help
// documents it.
const defaultLocalCallback = "http://127.0.0.1:8401/callback"

func cmpErr(err error) error {
	if err == nil {
		return steps.ErrNotJSON
	}
	return err
}

// runAuthorize makes a fresh state, starts the listener on the registered
// callback, and builds the platform's authorise URL.
func (c *combined) runAuthorize(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	reg := j.Combined.Registered
	if reg == "" {
		return Fail(steps.WithHint(errors.New("flows: no registered callback yet"), "The authorise URL needs the app's registered callback.", "Run the registration step first."))
	}
	_, details, err := beginLogin(l, reg)
	if err != nil {
		return Fail(busyCallbackHint(err, reg))
	}
	p := steps.CombinedAuthorizeParams{Endpoint: combinedURL(j, "authorize"), APIKey: j.APIKey, RedirectURI: reg, State: l.State}
	if c.kind == RealmNHSLogin {
		p.Scope = "nhs-login"
	} else {
		p.ACRValues = j.Login.ACRValues
	}
	authURL, ex, err := steps.CombinedAuthorizeURL(p)
	if err != nil {
		l.CloseListener()
		return Fail(err, ex)
	}
	timeout := armLogin(l, authURL)
	details = append(details,
		"state: "+l.State+" (the platform keeps it and stores your request under a state of its own, used once)",
		fmt.Sprintf("The login must complete within %s (--login-timeout).", timeout))
	return Outcome{Summary: "Open this URL to sign in: " + authURL, Details: details, Exchanges: []steps.Exchange{ex}}
}

// busyCallbackHint says what to do when the registered callback's port is
// taken: the fix must not depend on which process holds it.
func busyCallbackHint(err error, reg string) error {
	if !strings.Contains(err.Error(), "address already in use") {
		return err
	}
	return steps.WithHint(err,
		"The registered callback "+reg+" is a loopback URL, so nhsauth listens on its port to catch the code, and something already listens there.",
		"Register another callback URL and pass it with --callback (on local: nhsauth mock --callback URL, and the same --callback here).")
}

// runSignIn signs in and keeps the browser's cookies (the realm session)
// for single sign-on and the sign-out.
func (c *combined) runSignIn(ctx context.Context, j *Journey) Outcome {
	if j.Login.Mode == LoginForm {
		jar, _ := cookiejar.New(nil) // never fails with nil options
		j.Combined.Jar = jar
	}
	return c.signIn(ctx, j)
}

// signIn signs in with the journey's kept cookies, naming each hop.
func (c *combined) signIn(ctx context.Context, j *Journey) Outcome {
	o := signInStep(ctx, j, j.Combined.Jar, func(err error) error { return c.explainRefusal(err, j) })
	hopTitles(o.Exchanges)
	return o
}

// explainRefusal adds the assurance diagnosis to the platform's refusal at
// its callback (reference §4.2 step 5), naming the user's level when the
// user is a known test user.
func (c *combined) explainRefusal(err error, j *Journey) error {
	l := j.Login
	var oe *steps.OAuthError
	if errors.As(err, &oe) && oe.Description == "redirect_uri is invalid" {
		reg := j.Combined.LocalApp
		if reg == "" {
			reg = "the callback URL in the developer portal"
		}
		return steps.WithHint(err,
			"The platform compares redirect_uri with the app's registered callback as a plain string:\n  sent:       "+l.SentRedirectURI+"\n  registered: "+reg,
			"Send exactly the registered callback (--callback), or register this one.")
	}
	if !errors.As(err, &oe) || oe.Code != "unauthorized_client" {
		return err
	}
	if l.Mode != LoginForm || l.User == "" {
		return err
	}
	need := "aal3 (urn:nhsd:apim:user-nhs-cis2:aal3:…)"
	if c.kind == RealmNHSLogin {
		need = "P9 or P5 (urn:nhsd:apim:user-nhs-login:P9:… or :P5:…)"
	}
	return steps.WithHint(err,
		fmt.Sprintf("%s %s signed in at %s; the app's products need %s.", c.userWord, l.User, orDash(testUserLevel(c.testUsers(), l.User)), need),
		"Sign in as a test user at that level: "+c.testUsers()+".")
}

// testUserLevel finds a test user's level in a list such as
// steps.CIS2TestUsers ("656005750104, 656005750105 (AAL3); …").
func testUserLevel(list, user string) string {
	user = strings.ReplaceAll(user, " ", "")
	for _, group := range strings.Split(list, ";") {
		var pending []string
		for _, item := range strings.Split(group, ",") {
			id, level, ok := strings.Cut(item, "(")
			pending = append(pending, strings.TrimSpace(id))
			if !ok {
				continue
			}
			for _, p := range pending {
				if p == user {
					return strings.TrimSuffix(strings.TrimSpace(level), ")")
				}
			}
			pending = nil
		}
	}
	return ""
}

// hopTitles names each hop of a combined sign-in by where it went, so the
// learner reads the journey: the platform's authorise, the realm's, the
// login form, the platform's callback (through /oauth2: CIS2's authorise
// and login form).
func hopTitles(exs []steps.Exchange) {
	for i, ex := range exs {
		switch {
		case strings.Contains(ex.URL, CIS2Path+"/authorize?"):
			exs[i].Title, exs[i].Spec = "CIS2 authorise (platform's client)", "OpenID Connect Core §3.1.2.1"
		case strings.Contains(ex.URL, CIS2Path+"/login?"):
			exs[i].Title = "Login form → platform callback"
		case strings.Contains(ex.URL, "/oauth2/authorize?"):
			exs[i].Title, exs[i].Spec = "Platform authorise → CIS2", "NHS combined authentication"
		case strings.Contains(ex.URL, "/oauth2/callback?"):
			exs[i].Title, exs[i].Spec = "Platform callback → your callback", "NHS combined authentication"
		case strings.Contains(ex.URL, "/authorize?"):
			exs[i].Title, exs[i].Spec = "Platform authorise → realm", "NHS combined authentication"
		case strings.Contains(ex.URL, "/protocol/openid-connect/auth?"):
			exs[i].Title, exs[i].Spec = "Realm authorise (platform's client)", "OpenID Connect Core §3.1.2.1"
		case strings.Contains(ex.URL, "/login-actions/"):
			exs[i].Title = "Login form → platform callback"
		case strings.Contains(ex.URL, "/callback?") && strings.Contains(ex.URL, "session_state="):
			exs[i].Title, exs[i].Spec = "Platform callback → your callback", "NHS combined authentication"
		}
	}
}
