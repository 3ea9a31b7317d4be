package flows_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// TestCombinedThroughOAuth2 runs cis2-combined headless against the local
// platform's /oauth2 (Combined.UseCIS2), which trusts the local CIS2: the
// AAL3 user signs in by CIS2's login form and reaches Hello User!, userinfo
// (CIS2's, through the platform) and the sign-out, whose back-channel logout
// revokes the platform's tokens; an AAL2 user CIS2 admits is refused by the
// platform's assurance check at its callback.
func TestCombinedThroughOAuth2(t *testing.T) {
	for _, tt := range []struct {
		user, acr string
		wantHint  string // "" means the whole flow succeeds
	}{
		{user: "656005750104"},
		{user: "656005750109", acr: "AAL2_OR_AAL3_ANY", wantHint: "656005750109 signed in at AAL2; the app's products need aal3"},
	} {
		t.Run(tt.user, func(t *testing.T) {
			j, _ := cbPlatform(t)
			j.Login.User, j.Login.ACRValues, j.Combined.UseCIS2 = tt.user, tt.acr, true
			f := flows.CIS2Combined()
			r := flows.NewRunner(f, j)
			failed, failure, err := sepRunAll(r)
			if !strings.HasPrefix(j.Login.AuthURL, j.Env.APIBase+"/oauth2/authorize?") {
				t.Errorf("authorise URL %s, want the platform's /oauth2", j.Login.AuthURL)
			}
			if tt.wantHint != "" {
				var oe *steps.OAuthError
				if failed != "sign-in" || !errors.As(err, &oe) || oe.Status != 401 || oe.Code != "unauthorized_client" || !strings.Contains(sepHintText(failure), tt.wantHint) {
					t.Fatalf("failed at %q with %v (hints %s), want sign-in with 401 unauthorized_client", failed, err, sepHintText(failure))
				}
				return
			}
			if err != nil {
				t.Fatalf("%s failed: %v (hints %s)", failed, err, sepHintText(failure))
			}
			if !strings.Contains(string(j.API.Body), "Hello User!") {
				t.Errorf("API %s", j.API.Body)
			}
			var got []string
			for _, ex := range r.Result(sepIndex(t, f, "sign-in")).Outcome.Exchanges {
				got = append(got, ex.Title)
			}
			want := []string{
				"Platform authorise → CIS2", "CIS2 authorise (platform's client)",
				"Login form → platform callback", "Platform callback → your callback",
				"Redirect to your callback", "Callback received",
			}
			if !slices.Equal(got, want) {
				t.Errorf("sign-in hops\n got %q\nwant %q", got, want)
			}
			if ui := r.Result(sepIndex(t, f, "userinfo")).Outcome.Summary; !strings.Contains(ui, "656005750104") {
				t.Errorf("userinfo %q", ui)
			}
			out := r.Result(sepIndex(t, f, "sign-out")).Outcome
			if !strings.Contains(out.Summary, "revoked") || !strings.Contains(out.Exchanges[0].URL, flows.CIS2Path+"/connect/endSession") {
				t.Errorf("sign-out %q, first exchange %s", out.Summary, out.Exchanges[0].URL)
			}
			for _, ex := range out.Exchanges[len(out.Exchanges)-4:] {
				if ex.Status != 401 || !strings.Contains(ex.URL, "/oauth2/") && strings.Contains(ex.URL, "userinfo") {
					t.Errorf("after logout %s %s: %d, want 401 from /oauth2", ex.Method, ex.URL, ex.Status)
				}
			}
		})
	}
}
