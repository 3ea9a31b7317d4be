package tui

import (
	"context"
	"net/http"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// fakeDirectFlow is cis2-direct's registration and back-channel logout
// steps, with their real titles and explanations, answering fixed outcomes.
func fakeDirectFlow() *flows.Flow {
	f := flows.CIS2Direct()
	reg, logout := f.Steps[0], f.Steps[len(f.Steps)-1]
	reg.Inputs, logout.Inputs = nil, nil
	reg.Run = func(context.Context, *flows.Journey) flows.Outcome {
		return flows.Outcome{
			Summary: "Registered 123456789012.apps.supplier (private_key_jwt) at the local Connection Manager",
			Details: []string{"redirect_uris: http://127.0.0.1:43111/callback", "backchannel_logout_uri: http://127.0.0.1:43112/backchannel-logout"},
			Exchanges: []steps.Exchange{{Title: "Client registration", Spec: "RFC 7591 §3.1", Method: "POST",
				URL: fakeBase + "/_mock/connection-manager/clients", ReqHeader: http.Header{"Content-Type": {"application/json"}},
				ReqBody: []byte(`{"redirect_uris":["http://127.0.0.1:43111/callback"],"token_endpoint_auth_method":"private_key_jwt"}`),
				Status:  201, RespHeader: http.Header{"Content-Type": {"application/json"}},
				RespBody: []byte(`{"client_id":"123456789012.apps.supplier","token_endpoint_auth_method":"private_key_jwt"}`)}},
		}
	}
	logout.Run = func(context.Context, *flows.Journey) flows.Outcome {
		var checks []steps.Check
		for _, n := range []string{"alg", "kid", "signature", "iss", "aud", "iat", "exp", "events", "sid or sub", "no nonce", "jti", "typ", "session"} {
			checks = append(checks, steps.Check{Name: n, OK: true})
		}
		return flows.Outcome{Summary: "Back-channel logout received and validated: 13 of 13 checks passed; answered 200", Checks: checks}
	}
	f.Steps = []flows.Step{reg, logout}
	return f
}

func TestGoldenDirectRegistration(t *testing.T) {
	deps, _ := fakeDeps(fakeDirectFlow())
	h := newHarness(t, Config{FlowID: "cis2-direct", Env: "local"}, deps)
	h.keys("enter")
	requireScreen(t, h)
}

func TestGoldenDirectLogout(t *testing.T) {
	deps, _ := fakeDeps(fakeDirectFlow())
	h := newHarness(t, Config{FlowID: "cis2-direct", Env: "local"}, deps)
	h.keys("a", "up") // the logout step, its checks
	requireScreen(t, h)
}
