package transcript_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

const seqBase = "http://127.0.0.1:8400"

func hop(method, path string, status int, location string) steps.Exchange {
	ex := steps.Exchange{Method: method, URL: seqBase + path, Status: status, RespHeader: http.Header{}}
	if location != "" {
		ex.RespHeader.Set("Location", location)
	}
	return ex
}

// doneWith is a result per step of f: the steps named in exs done with
// those exchanges, the others pending.
func doneWith(f *flows.Flow, exs map[string][]steps.Exchange) []flows.Result {
	out := make([]flows.Result, len(f.Steps))
	for i, st := range f.Steps {
		if e, ok := exs[st.ID]; ok {
			out[i] = flows.Result{Status: flows.StatusDone, Runs: 1, Outcome: flows.Outcome{Exchanges: e}}
		}
	}
	return out
}

func arrowsOf(s transcript.Sequence, step int) []string {
	var out []string
	for _, a := range s.Steps[step-1].Arrows {
		out = append(out, a.From.Short()+">"+a.To.Short()+" "+a.Label())
	}
	return out
}

func TestSequenceCombinedSignIn(t *testing.T) {
	f := flows.CIS2Combined()
	cb := "http://127.0.0.1:8401/callback?code=c0de-s3cret&state=st4te"
	res := doneWith(f, map[string][]steps.Exchange{
		"authorize": {{Title: "Authorise URL", Method: "GET", URL: seqBase + "/oauth2-mock/authorize?client_id=k", Synthetic: true}},
		"sign-in": {
			hop("GET", "/oauth2-mock/authorize?state=app-st4te", 302, seqBase+"/realms/Cis2-mock-local/protocol/openid-connect/auth?state=p"),
			hop("GET", "/realms/Cis2-mock-local/protocol/openid-connect/auth?state=p", 200, ""),
			hop("POST", "/realms/Cis2-mock-local/login-actions/authenticate?tab_id=1", 302, seqBase+"/oauth2-mock/callback?code=idp"),
			hop("GET", "/oauth2-mock/callback?code=idp", 302, cb),
			{Method: "GET", URL: cb, Status: 200},
			{Method: "GET", URL: cb, Status: 200}, // the listener's record of the same round trip
		},
		"code":     {hop("POST", "/oauth2-mock/token", 200, "")},
		"call-api": {hop("GET", "/hello-world/hello/user", 200, "")},
	})
	s := transcript.NewSequence(f, "local", res, 4, nil)
	var lanes []string
	for _, a := range s.Actors {
		lanes = append(lanes, a.Short())
	}
	if got := strings.Join(lanes, " "); got != "You App APIM IdP API" {
		t.Errorf("lifelines %q, want You App APIM IdP API", got)
	}
	want := []string{
		"You>APIM GET /oauth2-mock/authorize",
		"APIM>You 302 → /realms/Cis2-mock-local/protocol/openid-connect/auth",
		"You>IdP GET /realms/Cis2-mock-local/protocol/openid-connect/auth",
		"IdP>You 200 OK",
		"You>IdP POST /realms/Cis2-mock-local/login-actions/authenticate",
		"IdP>You 302 → /oauth2-mock/callback",
		"You>APIM GET /oauth2-mock/callback",
		"APIM>You 302 → /callback",
		"You>App GET /callback",
		"App>You 200 OK",
	}
	if got := arrowsOf(s, 3); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sign-in arrows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := arrowsOf(s, 2); len(got) != 1 || got[0] != "App>You Authorise URL" {
		t.Errorf("authorise step arrows %q, want the URL handed to the browser", got)
	}
	if got := arrowsOf(s, 5); strings.Join(got, ";") != "App>APIM POST /oauth2-mock/token;APIM>App 200 OK" {
		t.Errorf("code exchange arrows %q", got)
	}
	if got := arrowsOf(s, 6); got[0] != "App>API GET /hello-world/hello/user" {
		t.Errorf("API call arrow %q", got[0])
	}
	for _, st := range s.Steps {
		for _, a := range st.Arrows {
			if strings.Contains(a.Label(), "s3cret") || strings.Contains(a.Label(), "st4te") {
				t.Errorf("label %q shows a query value", a.Label())
			}
			wantState := transcript.ArrowDone
			if st.Number == 5 {
				wantState = transcript.ArrowCurrent
			}
			if a.State != wantState {
				t.Errorf("step %d arrow %q state %d, want %d", st.Number, a.Label(), a.State, wantState)
			}
		}
	}
	if len(s.Steps[6].Arrows) != 0 || s.Steps[6].Status != flows.StatusPending {
		t.Errorf("a step not run has arrows: %+v", s.Steps[6])
	}
}

func TestSequenceAppRestrictedHasNoBrowser(t *testing.T) {
	f := flows.AppRestricted()
	res := doneWith(f, map[string][]steps.Exchange{
		"assertion": {{Title: "Client assertion", Synthetic: true}},
		"token":     {hop("POST", "/oauth2/token", 200, "")},
	})
	s := transcript.NewSequence(f, "local", res, -1, nil)
	var lanes []string
	for _, a := range s.Actors {
		lanes = append(lanes, a.Short())
	}
	if got := strings.Join(lanes, " "); got != "App APIM API" {
		t.Errorf("lifelines %q, want App APIM API", got)
	}
	if a := s.Steps[2].Arrows[0]; !a.Self() || a.Label() != "Client assertion" {
		t.Errorf("the assertion is %+v, want a self arrow on the app", a)
	}
}

func TestSequenceFailures(t *testing.T) {
	f := flows.AppRestricted()
	res := doneWith(f, map[string][]steps.Exchange{"token": {hop("POST", "/oauth2/token", 401, "")}})
	res[3].Status = flows.StatusFailed
	res[4] = flows.Result{Status: flows.StatusFailed, Runs: 1, Outcome: flows.Outcome{Err: errors.New("x"),
		Exchanges: []steps.Exchange{{Method: "GET", URL: seqBase + "/hello-world/hello/application", Err: errors.New("steps: dial tcp: connection refused")}}}}
	s := transcript.NewSequence(f, "local", res, 4, nil)
	tok := s.Steps[3].Arrows
	if tok[0].State == transcript.ArrowFailed || tok[1].State != transcript.ArrowFailed {
		t.Errorf("token arrows %+v: want the 401 reply failed, the request not", tok)
	}
	api := s.Steps[4].Arrows
	if api[1].State != transcript.ArrowFailed || api[1].Label() != "no response: dial tcp: connection refused" {
		t.Errorf("API reply %+v (%q), want failed with why", api[1], api[1].Label())
	}
	// A failed step whose replies look fine: the app's own check failed,
	// marked on its lifeline with the reason, secrets masked.
	res[3].Outcome.Exchanges = []steps.Exchange{hop("POST", "/oauth2/token", 200, "")}
	res[3].Outcome.Err = errors.New("steps: the token s3cr3t-t0ken-value-123456 has no exp claim\nmore")
	red := &steps.Redactor{}
	red.Add("s3cr3t-t0ken-value-123456")
	s = transcript.NewSequence(f, "local", res, -1, red)
	tok = s.Steps[3].Arrows
	if len(tok) != 3 || tok[1].State == transcript.ArrowFailed {
		t.Fatalf("token arrows %+v: want request, 200 reply, and the app's failed check", tok)
	}
	if a := tok[2]; !a.Self() || a.State != transcript.ArrowFailed || a.Label() != "the token s3cr… has no exp claim" {
		t.Errorf("the failed check is %+v (%q)", a, a.Label())
	}
}

func TestSequenceBackChannelLogout(t *testing.T) {
	f := flows.CIS2Direct()
	res := doneWith(f, map[string][]steps.Exchange{"logout": {
		hop("GET", "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/connect/endSession?id_token_hint=ey", 200, ""),
		{Method: "POST", URL: "http://127.0.0.1:46675/backchannel-logout", Status: 200},
	}})
	s := transcript.NewSequence(f, "local", res, -1, nil)
	got := arrowsOf(s, len(f.Steps))
	if got[0] != "You>IdP GET /openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/connect/endSession" || got[2] != "IdP>App POST /backchannel-logout" {
		t.Errorf("logout arrows %q", got)
	}
	if s.Names[transcript.ActorIdP] != "local CIS2" {
		t.Errorf("IdP named %q, want local CIS2", s.Names[transcript.ActorIdP])
	}
}

func TestSequenceMermaid(t *testing.T) {
	f := flows.AppRestricted()
	res := doneWith(f, map[string][]steps.Exchange{
		"assertion": {{Title: "Client assertion; #1", Synthetic: true}},
		"token":     {hop("POST", "/oauth2/token", 401, "")},
	})
	res[3].Status = flows.StatusFailed
	got := transcript.NewSequence(f, "local", res, -1, nil).Mermaid()
	want := `sequenceDiagram
    participant App as nhsauth (the app)
    participant APIM as API platform
    participant API as the API
    Note over App,API: 3. Client assertion signed
    App->>App: Client assertion#59; #35;1
    Note over App,API: 4. Token requested
    App->>APIM: POST /oauth2/token
    APIM--xApp: 401 Unauthorized
    Note over App: ✗ failed here
`
	if got != want {
		t.Errorf("Mermaid:\n%s\nwant:\n%s", got, want)
	}
}
