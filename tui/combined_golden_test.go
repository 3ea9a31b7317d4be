package tui

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// cannedHop is one recorded hop of a combined sign-in or sign-out.
func cannedHop(title, method, url string, status int, location, body string) steps.Exchange {
	ex := steps.Exchange{Title: title, Spec: "NHS combined authentication", Method: method, URL: url, Proto: "HTTP/1.1",
		ReqHeader: http.Header{"Accept": {"text/html,application/xhtml+xml"}}, Status: status,
		RespHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, RespBody: []byte(body), Start: fixedNow, Took: time.Millisecond}
	if location != "" {
		ex.RespHeader.Set("Location", location)
	}
	return ex
}

// combinedCanned is the real cis2-combined flow (its steps' titles and
// texts) with canned runs, so the screens are stable: the sign-in's hops
// and the sign-out's exchanges are fixed.
func combinedCanned() *flows.Flow {
	f := flows.CIS2Combined()
	cb := "http://127.0.0.1:8401/callback"
	runs := map[string]func(context.Context, *flows.Journey) flows.Outcome{
		"sign-in": func(ctx context.Context, j *flows.Journey) flows.Outcome {
			return flows.Outcome{
				Summary: "Signed in as 656005750104 by submitting the realm's login form: authorization code received, state matches",
				Exchanges: []steps.Exchange{
					cannedHop("Platform authorise → realm", "GET", fakeBase+"/oauth2-mock/authorize?client_id=nhsauth-local-api-key&redirect_uri=http%3A%2F%2F127.0.0.1%3A8401%2Fcallback&response_type=code&state=app-st4te", 302,
						fakeBase+"/realms/Cis2-mock-local/protocol/openid-connect/auth?acr_values=AAL3_ANY&client_id=test-client-cis2&max_age=300&state=pl4tform", ""),
					cannedHop("Realm authorise (platform's client)", "GET", fakeBase+"/realms/Cis2-mock-local/protocol/openid-connect/auth?acr_values=AAL3_ANY&client_id=test-client-cis2&max_age=300&state=pl4tform", 200, "", `<form id="kc-form-login">…</form>`),
					cannedHop("Login form → platform callback", "POST", fakeBase+"/realms/Cis2-mock-local/login-actions/authenticate?tab_id=7ab", 302, fakeBase+"/oauth2-mock/callback?state=pl4tform&session_state=s1d&code=idp-c0de", ""),
					cannedHop("Platform callback → your callback", "GET", fakeBase+"/oauth2-mock/callback?state=pl4tform&session_state=s1d&code=idp-c0de", 302, cb+"?code=pl4tform-c0de&state=app-st4te", ""),
					cannedHop("Redirect to your callback", "GET", cb+"?code=pl4tform-c0de&state=app-st4te", 200, "", "Signed in"),
					cannedHop("Callback received", "GET", cb+"?code=pl4tform-c0de&state=app-st4te", 200, "", ""),
				},
			}
		},
		"sign-out": func(ctx context.Context, j *flows.Journey) flows.Outcome {
			return flows.Outcome{
				Summary: "CIS2 session ended; back-channel logout revoked the platform's tokens: the API and userinfo now answer 401",
				Details: []string{"The realm's logout page says: Your session at NHS CIS2 Authentication (mock) has ended. Back-channel logout sent to " + fakeBase + "/oauth2-mock/backchannel_logout (client test-client-cis2): HTTP 200."},
				Exchanges: []steps.Exchange{
					cannedHop("End session", "GET", fakeBase+"/realms/Cis2-mock-local/protocol/openid-connect/logout", 200, "", `<form id="kc-logout-form">…</form>`),
					cannedHop("Confirm logout", "POST", fakeBase+"/realms/Cis2-mock-local/protocol/openid-connect/logout", 200, "", "You are logged out"),
					cannedHop("API call", "GET", fakeBase+"/hello-world/hello/user", 401, "", `{"message":"Invalid access token"}`),
					cannedHop("Userinfo", "GET", fakeBase+"/oauth2-mock/userinfo", 401, "", `{"error":"access_denied"}`),
				},
			}
		},
	}
	for i, st := range f.Steps {
		run, ok := runs[st.ID]
		if !ok {
			run = func(context.Context, *flows.Journey) flows.Outcome {
				return flows.Outcome{Summary: st.Title + ": done"}
			}
		}
		f.Steps[i].Run = run
	}
	return f
}

// combinedScreen runs the canned flow to the end at w×h.
func combinedScreen(t *testing.T, w, h int) *harness {
	t.Helper()
	return formLoginScreen(t, combinedCanned(), w, h)
}

// TestGoldenCombinedSignInHops: the sign-in step's hops, on the exchange
// pane, at 100×30.
func TestGoldenCombinedSignInHops(t *testing.T) {
	h := combinedScreen(t, 100, 30)
	h.keys("up", "up", "up", "up", "up", "up", "up", "tab", "tab")
	requireScreen(t, h)
}

// TestGoldenCombinedSignOut: the sign-out step, its exchanges listed.
func TestGoldenCombinedSignOut(t *testing.T) {
	h := combinedScreen(t, 100, 30)
	h.keys("up")
	requireScreen(t, h)
}
