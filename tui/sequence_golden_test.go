package tui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

const (
	cis2Realm = "/realms/Cis2-mock-local"
	nhsRealm  = "/realms/NHS-Login-mock-local"
	localAM   = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"
	loopback  = "http://127.0.0.1:43111"
)

// separateWire is what a separate flow's steps send at realm, as the local
// platform answers them.
func separateWire(realm string) map[string][]string {
	return map[string][]string{
		"credentials":    {"GET /mock-jwks/keycloak-client-credentials 200"},
		"discovery":      {"GET " + realm + "/.well-known/openid-configuration 200"},
		"authorize":      {"url Authorise URL " + realm + "/protocol/openid-connect/auth"},
		"sign-in":        {"GET " + realm + "/protocol/openid-connect/auth 200", "POST " + realm + "/login-actions/authenticate 302 " + loopback + "/callback"},
		"code":           {"POST " + realm + "/protocol/openid-connect/token 200"},
		"id-token":       {"GET " + realm + "/protocol/openid-connect/certs 200"},
		"token-exchange": {"local Private key", "local Client assertion", "POST /oauth2-mock/token 200"},
		"call-api":       {"GET /hello-world/hello/user 200"},
		"refresh":        {"POST /oauth2-mock/token 200"},
	}
}

// combinedWire is what a combined flow's steps send, signing in at realm.
func combinedWire(realm string) map[string][]string {
	return map[string][]string{
		"registration": {"GET /_mock/info 200"},
		"authorize":    {"url Authorise URL /oauth2-mock/authorize"},
		"sign-in": {
			"GET /oauth2-mock/authorize 302 " + fakeBase + realm + "/protocol/openid-connect/auth",
			"GET " + realm + "/protocol/openid-connect/auth 200",
			"POST " + realm + "/login-actions/authenticate 302 " + fakeBase + "/oauth2-mock/callback",
			"GET /oauth2-mock/callback 302 http://127.0.0.1:8401/callback",
			"GET http://127.0.0.1:8401/callback 200", "GET http://127.0.0.1:8401/callback 200",
		},
		"code":     {"POST /oauth2-mock/token 200"},
		"call-api": {"GET /hello-world/hello/user 200"},
		"userinfo": {"GET /oauth2-mock/userinfo 200"},
		"refresh":  {"POST /oauth2-mock/token 200"},
		"sign-out": {"GET " + realm + "/protocol/openid-connect/logout 200", "POST " + realm + "/protocol/openid-connect/logout 200",
			"GET /hello-world/hello/user 401", "GET /oauth2-mock/userinfo 401"},
	}
}

// sequenceWire is, per flow, what each step sends (as the local platform
// answers it, read from nhsauth run --json) and the step that fails in the
// "failed mid-way" screens.
var sequenceWire = map[string]struct {
	wire   map[string][]string
	failAt string
}{
	"app-restricted": {map[string][]string{
		"key": {"local Private key"}, "jwks": {"local JWKS", "GET /_mock/info 200"}, "assertion": {"local Client assertion"},
		"token": {"POST /oauth2/token 200"}, "api": {"GET /hello-world/hello/application 200"},
	}, "token"},
	"cis2-separate":      {separateWire(cis2Realm), "token-exchange"},
	"nhs-login-separate": {separateWire(nhsRealm), "code"},
	"cis2-combined":      {combinedWire(cis2Realm), "code"},
	"nhs-login-combined": {combinedWire(nhsRealm), "call-api"},
	"cis2-direct": {map[string][]string{
		"register":       {"POST /_mock/connection-manager/clients 201"},
		"discovery":      {"GET " + localAM + "/.well-known/openid-configuration 200"},
		"authorize":      {"url Authorise URL " + localAM + "/authorize"},
		"sign-in":        {"GET " + localAM + "/authorize 200", "POST " + localAM + "/login 302 " + loopback + "/callback"},
		"code":           {"POST " + localAM + "/access_token 200"},
		"id-token":       {"GET " + localAM + "/connect/jwk_uri 200"},
		"userinfo":       {"GET " + localAM + "/userinfo 200", "GET " + localAM + "/connect/jwk_uri 200"},
		"token-exchange": {"local Private key", "local Client assertion", "POST /oauth2/token 200"},
		"call-api":       {"GET /hello-world/hello/user 200"},
		"logout":         {"GET " + localAM + "/connect/endSession 200", "POST http://127.0.0.1:43112/backchannel-logout 200", "GET " + localAM + "/connect/jwk_uri 200"},
	}, "token-exchange"},
}

// wireExchange is one line of a wire table as an exchange: "local Title"
// (a record of something built), "url Title PATH" (an authorise URL
// built), or "METHOD URL-OR-PATH STATUS [LOCATION]".
func wireExchange(spec string) steps.Exchange {
	f := strings.Fields(spec)
	switch f[0] {
	case "local":
		return steps.Exchange{Title: strings.Join(f[1:], " "), Synthetic: true, Note: "built locally"}
	case "url":
		return steps.Exchange{Title: strings.Join(f[1:len(f)-1], " "), Method: "GET", URL: fakeBase + f[len(f)-1] + "?state=st4te", Synthetic: true}
	}
	u := f[1]
	if strings.HasPrefix(u, "/") {
		u = fakeBase + u + "?q=1"
	}
	status, _ := strconv.Atoi(f[2])
	ex := steps.Exchange{Title: f[0] + " " + f[1], Method: f[0], URL: u, Status: status, RespHeader: http.Header{}, Start: fixedNow, Took: time.Millisecond}
	if len(f) > 3 {
		ex.RespHeader.Set("Location", f[3]+"?code=c0de&state=st4te")
	}
	return ex
}

// cannedSequenceFlow is flow id with its real steps (titles, texts, kinds)
// answering the exchanges of its wire table; with fail set, the step
// sequenceWire names fails with a 401 (or no reply) on its last request.
func cannedSequenceFlow(id string, fail bool) *flows.Flow {
	f, _ := flows.ByID(id)
	w := sequenceWire[id]
	for i, st := range f.Steps {
		exs := make([]steps.Exchange, 0, len(w.wire[st.ID]))
		for _, spec := range w.wire[st.ID] {
			exs = append(exs, wireExchange(spec))
		}
		failing := fail && st.ID == w.failAt
		f.Steps[i].Inputs = nil
		f.Steps[i].Run = func(_ context.Context, j *flows.Journey) flows.Outcome {
			learn(j, st.ID)
			if !failing {
				return flows.Outcome{Summary: st.Title + ": done", Exchanges: exs}
			}
			last := &exs[len(exs)-1]
			last.Status = 401
			if st.ID == "call-api" {
				last.Status, last.Err = 0, errors.New("steps: context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
			}
			return flows.Outcome{Err: &steps.OAuthError{Status: 401, Code: "invalid_client", Description: "canned failure"}, Exchanges: exs}
		}
	}
	return f
}

// learn is what the journey learns from step id, as far as the summary
// shows it: the mock client's registered redirect_uri, the one sent (the
// loopback listener's), the API's answer.
func learn(j *flows.Journey, id string) {
	switch id {
	case "credentials":
		j.Login.Creds = steps.MockClient{ClientID: "nhsauth-cis2-client", RedirectURI: "https://example.org/"}
	case "authorize":
		j.Login.SentRedirectURI = loopback + "/callback"
	case "call-api", "api":
		j.API = flows.APIResult{Status: 200, Body: []byte(`{"message":"Hello User!"}`)}
	}
}

// sequenceScreen runs flow id (canned) with run-all at w×h; the run stops
// at the failing step when fail is set.
func sequenceScreen(t *testing.T, id string, fail bool, w, h int) *harness {
	t.Helper()
	return formLoginScreen(t, cannedSequenceFlow(id, fail), w, h)
}

// formLoginScreen runs f with run-all at w×h, its journey signing in by
// the login form as a CIS2 test user.
func formLoginScreen(t *testing.T, f *flows.Flow, w, h int) *harness {
	t.Helper()
	deps, _ := fakeDeps(f)
	build := deps.Journey
	deps.Journey = func(ctx context.Context, flowID, env string, c Credentials) (*flows.Journey, func(), error) {
		j, done, err := build(ctx, flowID, env, c)
		if j != nil {
			j.Login.Mode, j.Login.User = flows.LoginForm, "656005750104"
		}
		return j, done, err
	}
	hr := newHarness(t, Config{FlowID: f.ID, Env: "local", Width: w, Height: h}, deps)
	hr.keys("a")
	return hr
}

// TestGoldenSequence: the sequence view of every flow, run to the end (the
// last step selected) and failed mid-way (the failed step selected), at
// 80×24 and 120×40.
func TestGoldenSequence(t *testing.T) {
	for _, id := range []string{"app-restricted", "cis2-separate", "nhs-login-separate", "cis2-combined", "nhs-login-combined", "cis2-direct"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			for _, fail := range []bool{false, true} {
				name := fmt.Sprintf("%s_finished_%dx%d", id, size[0], size[1])
				if fail {
					name = fmt.Sprintf("%s_failed_%dx%d", id, size[0], size[1])
				}
				t.Run(name, func(t *testing.T) {
					h := sequenceScreen(t, id, fail, size[0], size[1])
					if !fail {
						h.keys("up") // from the Summary row to the last step
					}
					h.keys("v")
					requireScreen(t, h)
				})
			}
		}
	}
}
