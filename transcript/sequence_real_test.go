package transcript_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/transcript"
)

// requests is every request arrow of s as "From>To METHOD path", and every
// local record as "From>To note".
func requests(s transcript.Sequence) []string {
	var out []string
	for _, st := range s.Steps {
		for _, a := range st.Arrows {
			if !a.Reply {
				out = append(out, a.From.Short()+">"+a.To.Short()+" "+a.Label())
			}
		}
	}
	return out
}

// TestSequenceOfRealRuns runs flows against the local platform and checks
// who talks to whom in their sequences: the table of actors fits what the
// flows really send.
func TestSequenceOfRealRuns(t *testing.T) {
	tests := []struct {
		flow *flows.Flow
		want []string
	}{
		{flows.AppRestricted(), []string{
			"App>App Private key", "App>App JWKS", "App>APIM GET /_mock/info", "App>App Client assertion",
			"App>APIM POST /oauth2/token", "App>API GET /hello-world/hello/application",
		}},
		{flows.CIS2Separate(), []string{
			"App>APIM GET /mock-jwks/keycloak-client-credentials",
			"App>IdP GET /realms/Cis2-mock-local/.well-known/openid-configuration",
			"App>You Authorise URL",
			"You>IdP GET /realms/Cis2-mock-local/protocol/openid-connect/auth",
			"You>IdP POST /realms/Cis2-mock-local/login-actions/authenticate",
			"App>IdP POST /realms/Cis2-mock-local/protocol/openid-connect/token",
			"App>IdP GET /realms/Cis2-mock-local/protocol/openid-connect/certs",
			"App>App Private key", "App>App Client assertion", "App>APIM POST /oauth2-mock/token",
			"App>API GET /hello-world/hello/user", "App>APIM POST /oauth2-mock/token",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.flow.ID, func(t *testing.T) {
			dir := t.TempDir()
			ts := httptest.NewServer(mock.New(mock.Options{KeysDir: dir}))
			defer ts.Close()
			hc := ts.Client()
			hc.Timeout = 20 * time.Second
			j := flows.NewJourney(flows.Local(ts.URL), hc)
			j.KeyDir, j.KeyBits = dir, 2048
			j.Login.Mode, j.Login.User = flows.LoginForm, "656005750104"
			defer j.Login.CloseListener()
			r := flows.NewRunner(tt.flow, j)
			if err := r.Drive(context.Background(), flows.Hooks{}); err != nil {
				t.Fatalf("run: %v", err)
			}
			got := requests(transcript.SequenceOf(r, -1))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
