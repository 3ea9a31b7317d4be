package flows_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
)

// cbPlatform starts a local platform whose app registered a callback on a
// free loopback port, and a journey on it that signs in by form.
func cbPlatform(t testing.TB) (*flows.Journey, string) {
	t.Helper()
	callback := "http://127.0.0.1:" + sepFreePort(t) + "/callback"
	j, _ := sepPlatformWith(t, mock.Options{CallbackURL: callback})
	return j, callback
}

// TestCombinedFlowsByUser runs both combined flows headless, whole, for
// the four users: the AAL3 and P9 users reach Hello User!, userinfo
// and the sign-out; the AAL2 and P0 users stop at the sign-in with the
// assurance diagnosis naming their level.
func TestCombinedFlowsByUser(t *testing.T) {
	for _, tt := range []struct {
		flow, user string
		wantHint   string // "" means the whole flow succeeds
	}{
		{flow: "cis2-combined", user: "656005750104"},
		{flow: "cis2-combined", user: "656005750109", wantHint: "656005750109 signed in at AAL2; the app's products need aal3"},
		{flow: "nhs-login-combined", user: "9912003071"},
		{flow: "nhs-login-combined", user: "9912003073", wantHint: "9912003073 signed in at P0; the app's products need P9 or P5"},
	} {
		t.Run(tt.flow+" "+tt.user, func(t *testing.T) {
			j, callback := cbPlatform(t)
			j.Login.User = tt.user
			f, _ := flows.ByID(tt.flow)
			r := flows.NewRunner(f, j)
			failed, failure, err := sepRunAll(r)
			if tt.wantHint != "" {
				var oe *steps.OAuthError
				if failed != "sign-in" || !errors.As(err, &oe) || oe.Status != 401 || oe.Code != "unauthorized_client" {
					t.Fatalf("failed at %q with %v, want sign-in with 401 unauthorized_client", failed, err)
				}
				if !strings.Contains(sepHintText(failure), tt.wantHint) || !strings.Contains(sepHintText(failure), "never reached your callback") {
					t.Errorf("hints %q lack %q", sepHintText(failure), tt.wantHint)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s failed: %v (hints %s)", failed, err, sepHintText(failure))
			}
			if j.Combined.Registered != callback {
				t.Errorf("registered %q, want the local app's %q from /_mock/info", j.Combined.Registered, callback)
			}
			if !strings.Contains(string(j.API.Body), "Hello User!") {
				t.Errorf("API %s", j.API.Body)
			}
			signIn := r.Result(sepIndex(t, f, "sign-in")).Outcome.Exchanges
			want := []string{
				"Platform authorise → realm", "Realm authorise (platform's client)",
				"Login form → platform callback", "Platform callback → your callback",
				"Redirect to your callback", "Callback received",
			}
			var got []string
			for _, ex := range signIn {
				got = append(got, ex.Title)
			}
			if !slices.Equal(got, want) {
				t.Errorf("sign-in hops\n got %q\nwant %q", got, want)
			}
			ui := r.Result(sepIndex(t, f, "userinfo")).Outcome.Summary
			out := r.Result(sepIndex(t, f, "sign-out")).Outcome
			if tt.flow == "cis2-combined" {
				if !strings.Contains(ui, "656005750104") || !strings.Contains(out.Summary, "revoked") || !strings.Contains(strings.Join(out.Details, "\n"), "backchannel_logout (client test-client-cis2): HTTP 200") {
					t.Errorf("userinfo %q, sign-out %q %q", ui, out.Summary, out.Details)
				}
				for _, ex := range out.Exchanges[len(out.Exchanges)-4:] {
					if ex.Status != 401 {
						t.Errorf("after logout %s %s: %d, want 401", ex.Method, ex.URL, ex.Status)
					}
				}
			} else if !strings.Contains(ui, "HTTP 400") || !strings.Contains(out.Summary, "no back-channel logout") {
				t.Errorf("userinfo %q, sign-out %q", ui, out.Summary)
			}
		})
	}
}

// TestCombinedSSO: with --sso the second authorise reaches the app's
// callback by redirects alone, and its code is the one exchanged.
func TestCombinedSSO(t *testing.T) {
	j, _ := cbPlatform(t)
	j.Login.User, j.Combined.SSO = "656005750104", true
	r := flows.NewRunner(flows.CIS2Combined(), j)
	sepRunThrough(t, r, "sign-in")
	first := j.Login.Code
	o := sepRun(t, r, "sso")
	if o.Failed() || !strings.Contains(o.Summary, "by redirects alone (3 hops, no login page)") {
		t.Fatalf("sso: %q %v", o.Summary, o.Err)
	}
	for _, ex := range o.Exchanges {
		if strings.HasPrefix(ex.Title, "Login form") {
			t.Errorf("a login form was posted: %s", ex.URL)
		}
	}
	if j.Login.Code == first || j.Login.Code == "" {
		t.Errorf("code not renewed")
	}
	if o := sepRun(t, r, "code"); o.Failed() {
		t.Fatalf("code: %v", o.Err)
	}
}

// TestBrowserModeRecordsCallback: in the browser (a fake that signs in
// and follows the redirect) the listener catches the redirect, and the
// callback it received is the sign-in's exchange, in the combined flows on
// the registered callback and in the separate flows too (which used to show
// no exchange).
func TestBrowserModeRecordsCallback(t *testing.T) {
	for _, tt := range []struct {
		flow     *flows.Flow
		platform func(testing.TB) (*flows.Journey, string)
	}{
		{flows.CIS2Combined(), cbPlatform},
		{flows.CIS2Separate(), func(t testing.TB) (*flows.Journey, string) { j, _ := sepPlatform(t); return j, "http://127.0.0.1:" }},
	} {
		t.Run(tt.flow.ID, func(t *testing.T) {
			j, callback := tt.platform(t)
			opener, errs := sepBrowser(j.HTTP, "656005750104", nil)
			j.Login.Mode, j.Login.Opener, j.Login.LoginTimeout = flows.LoginBrowser, opener, 20*time.Second
			r := flows.NewRunner(tt.flow, j)
			sepRunThrough(t, r, "sign-in")
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			exs := r.Result(sepIndex(t, r.Flow, "sign-in")).Outcome.Exchanges
			if len(exs) != 1 || exs[0].Title != "Callback received" || exs[0].Status != 200 ||
				!strings.HasPrefix(exs[0].URL, callback) || !strings.Contains(exs[0].URL, "state="+j.Login.State) {
				t.Fatalf("sign-in exchanges %+v", exs)
			}
		})
	}
}

// TestCombinedBusyCallback: a registered callback whose port is taken is
// a clear error naming the fix that does not depend on the other process.
func TestCombinedBusyCallback(t *testing.T) {
	j, callback := cbPlatform(t)
	ln, err := net.Listen("tcp", strings.TrimSuffix(strings.TrimPrefix(callback, "http://"), "/callback"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := flows.NewRunner(flows.CIS2Combined(), j)
	sepRunThrough(t, r, "registration")
	o := sepRun(t, r, "authorize")
	if !o.Failed() || !strings.Contains(sepHintText(o), "pass it with --callback") {
		t.Fatalf("authorize: %v, hints %s", o.Err, sepHintText(o))
	}
}

// TestCombinedAfterLogout: once the back-channel logout revoked the tokens,
// calling the API again fails with 401 and says why.
func TestCombinedAfterLogout(t *testing.T) {
	j, _ := cbPlatform(t)
	j.Login.User = "656005750104"
	r := flows.NewRunner(flows.CIS2Combined(), j)
	if err := r.RunAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	o := sepRun(t, r, "call-api")
	if !o.Failed() || j.API.Status != 401 || !strings.Contains(sepHintText(o), "back-channel logout made the platform revoke") {
		t.Fatalf("call-api after logout: %v (HTTP %d), hints %s", o.Err, j.API.Status, sepHintText(o))
	}
}
