package flows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// runDirect runs cis2-direct headless on a fresh local platform and
// returns the failed step's id ("" when every step passed), its outcome and
// the journey.
func runDirect(t *testing.T, set func(*flows.Journey)) (string, flows.Outcome, *flows.Journey) {
	t.Helper()
	j, _ := sepPlatform(t)
	j.Login.User = "656005750104"
	set(j)
	t.Cleanup(j.Direct.CloseReceiver)
	f := flows.CIS2Direct()
	var failed string
	var failure flows.Outcome
	_ = flows.NewRunner(f, j).RunAll(context.Background(), func(i int, o flows.Outcome) {
		if o.Failed() && failed == "" {
			failed, failure = f.Steps[i].ID, o
		}
	})
	return failed, failure, j
}

// The whole flow, headless, with each client authentication method and
// each signed userinfo algorithm: registration, sign-in, tokens, verified
// signed userinfo, the platform exchange and a received, validated
// back-channel logout.
func TestDirectFlowEachMethod(t *testing.T) {
	for _, m := range steps.AuthMethods() {
		for _, alg := range []string{"RS256", "RS512"} {
			t.Run(string(m)+" "+alg, func(t *testing.T) {
				failed, o, j := runDirect(t, func(j *flows.Journey) { j.Direct.ClientAuth, j.Direct.UserinfoAlg = m, alg })
				if failed != "" {
					t.Fatalf("failed at %s: %v (hints %s)", failed, o.Err, sepHintText(o))
				}
				if !j.Direct.Userinfo.Signed || j.Direct.Registration.UserinfoSignedResponseAlg != alg {
					t.Errorf("userinfo signed %v, registered %q", j.Direct.Userinfo.Signed, j.Direct.Registration.UserinfoSignedResponseAlg)
				}
				if j.Direct.Logout.Exchange.Status != 200 || len(j.Direct.Logout.Checks) < 12 {
					t.Errorf("logout %d with %d checks", j.Direct.Logout.Exchange.Status, len(j.Direct.Logout.Checks))
				}
				if j.Token.AccessToken == "" || j.API.Status != 200 {
					t.Errorf("platform token %v, API %d", j.Token.AccessToken != "", j.API.Status)
				}
			})
		}
	}
}

// An AAL2 user asking AAL3_ANY is refused at the sign-in, and the
// diagnosis names the user's level.
func TestDirectFlowACRRefused(t *testing.T) {
	failed, o, _ := runDirect(t, func(j *flows.Journey) { j.Login.User = "656005750109"; j.Login.ACRValues = "AAL3_ANY" })
	if failed != "sign-in" || !strings.Contains(sepHintText(o), "AAL2") || !strings.Contains(sepHintText(o), "AAL3_ANY") {
		t.Fatalf("failed at %q, hints %s", failed, sepHintText(o))
	}
	failed, o, j := runDirect(t, func(j *flows.Journey) { j.Login.User = "656005750109"; j.Login.ACRValues = "AAL2_OR_AAL3_ANY" })
	if failed != "token-exchange" || j.Login.IDToken.Claim("acr") != "AAL2_OR_AAL3_ANY" {
		t.Fatalf("AAL2_OR_AAL3_ANY: failed at %q (%v), acr %s", failed, o.Err, j.Login.IDToken.Claim("acr"))
	}
}

// Off the local platform, the register step asks for the client
// registered in Connection Manager.
func TestDirectNeedsClientOffLocal(t *testing.T) {
	env, _ := flows.LookupEnv("int")
	j := flows.NewJourney(env, nil)
	o := flows.CIS2Direct().Steps[0].Run(context.Background(), j)
	if !o.Failed() || !strings.Contains(sepHintText(o), "Connection Manager") {
		t.Fatalf("got %v, hints %s", o.Err, sepHintText(o))
	}
	if env.CIS2DiscoveryURL() != "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/.well-known/openid-configuration" {
		t.Errorf("INT discovery %s", env.CIS2DiscoveryURL())
	}
}
