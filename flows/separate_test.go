package flows_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

func TestSeparateFlowsByUser(t *testing.T) {
	for _, tt := range []struct {
		flow, user string
		failAt     string // "" means the whole flow succeeds
		wantHint   string
	}{
		{flow: "cis2-separate", user: "656005750104"},
		{flow: "cis2-separate", user: "656005750109", failAt: "token-exchange", wantHint: "656005750109 signed in at AAL2; the app's products need aal3 (urn:nhsd:apim:user-nhs-cis2:aal3:"},
		{flow: "cis2-separate", user: "656005750110", failAt: "token-exchange", wantHint: "656005750110 signed in at AAL1; the app's products need aal3 (urn:nhsd:apim:user-nhs-cis2:aal3:"},
		{flow: "nhs-login-separate", user: "9912003071"},
		{flow: "nhs-login-separate", user: "9912003072"},
		{flow: "nhs-login-separate", user: "9912003073", failAt: "token-exchange", wantHint: "9912003073 is proofed at P0; the app's products need P9 or P5"},
	} {
		t.Run(tt.flow+" "+tt.user, func(t *testing.T) {
			j, _ := sepPlatform(t)
			j.Login.User = tt.user
			f, _ := flows.ByID(tt.flow)
			r := flows.NewRunner(f, j)
			failed, failure, err := sepRunAll(r)
			if failed != tt.failAt {
				t.Fatalf("failed at %q (%v; hints %s), want %q", failed, err, sepHintText(failure), tt.failAt)
			}
			if tt.failAt != "" {
				var oe *steps.OAuthError
				if !errors.As(err, &oe) || oe.Code != "unauthorized_client" || oe.Status != 401 {
					t.Errorf("err = %v, want 401 unauthorized_client", err)
				}
				if !strings.Contains(sepHintText(failure), tt.wantHint) {
					t.Errorf("hints %q lack %q", sepHintText(failure), tt.wantHint)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if j.API.Status != 200 || !strings.Contains(string(j.API.Body), "Hello User!") {
				t.Errorf("API: HTTP %d %s", j.API.Status, j.API.Body)
			}
			// The refresh counted up and the window counted down (or held).
			if j.Login.Refreshed.RefreshCount != 1 || j.Login.Refreshed.RefreshTokenExpiresIn > j.Login.Exchanged.RefreshTokenExpiresIn || j.Login.Refreshed.AccessToken == j.Login.Exchanged.AccessToken {
				t.Errorf("refresh: %+v after %+v", j.Login.Refreshed, j.Login.Exchanged)
			}
			// Reference §3.3: "43199" for CIS2, "3599" for NHS login (a second
			// less when the platform's clock ticks over while issuing).
			want := map[string]steps.Number{"cis2-separate": 43199, "nhs-login-separate": 3599}[tt.flow]
			if got := j.Login.Exchanged.RefreshTokenExpiresIn; got < want-1 || got > want {
				t.Errorf("refresh_token_expires_in %d, want %d", got, want)
			}
			// Every check of the ID token passed and is listed.
			if res := r.Result(sepIndex(t, f, "id-token")); len(res.Outcome.Checks) != 8 || res.Outcome.JWT == "" {
				t.Errorf("id-token outcome: %d checks, JWT %q", len(res.Outcome.Checks), res.Outcome.JWT)
			}
		})
	}
}

func TestSeparateExchangeSequence(t *testing.T) {
	j, _ := sepPlatform(t)
	j.Login.User = "656005750104"
	r := flows.NewRunner(flows.CIS2Separate(), j)
	if err := r.RunAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, ti := range sepTitles(r) {
		if len(titles) == 0 || titles[len(titles)-1] != ti {
			titles = append(titles, ti)
		}
	}
	want := []string{"Mock client credentials", "Discovery", "Authorise URL", "Authorise request", "Login form", "Code exchange",
		"Realm JWKS", "Private key", "Client assertion", "Token exchange", "API call", "Refresh"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("exchanges:\n got %q\nwant %q", titles, want)
	}
	// The authorise step printed the URL in full, once, and the listener is gone.
	o := r.Result(sepIndex(t, r.Flow, "authorize")).Outcome
	if !strings.Contains(o.Summary, j.Login.AuthURL) || strings.Contains(strings.Join(o.Details, "\n"), j.Login.AuthURL) {
		t.Errorf("authorise outcome should show the URL in its summary only: %+v", o)
	}
	if j.Login.Listener != nil {
		t.Error("the listener is still open after the sign-in")
	}
	// No secret appears unmasked in a summary or a detail.
	for i := 0; i < r.Len(); i++ {
		o := r.Result(i).Outcome
		text := o.Summary + strings.Join(o.Details, "\n")
		for _, secret := range []string{j.Login.Creds.ClientSecret, j.Login.Code, j.Login.Tokens.IDToken, j.Token.AccessToken, j.Token.RefreshToken, j.Login.PKCE.Verifier} {
			if secret != "" && strings.Contains(text, secret) {
				t.Errorf("step %s shows a secret: %q", r.Flow.Steps[i].ID, secret)
			}
		}
	}
}

func TestSeparateSessionURID(t *testing.T) {
	j, _ := sepPlatform(t)
	j.Login.User, j.Login.SessionURID = "656005750104", "555254242106"
	r := flows.NewRunner(flows.CIS2Separate(), j)
	sepRunThrough(t, r, "call-api")
	exs := r.Result(sepIndex(t, r.Flow, "call-api")).Outcome.Exchanges
	if got := exs[len(exs)-1].ReqHeader.Get("NHSD-Session-URID"); got != "555254242106" {
		t.Errorf("NHSD-Session-URID = %q", got)
	}
}

func TestSeparateBasicClientAuth(t *testing.T) {
	j, _ := sepPlatform(t)
	j.Login.User, j.Login.ClientAuth = "9912003071", steps.AuthClientSecretBasic
	r := flows.NewRunner(flows.NHSLoginSeparate(), j)
	sepRunThrough(t, r, "id-token")
	exs := r.Result(sepIndex(t, r.Flow, "code")).Outcome.Exchanges
	if !strings.HasPrefix(exs[0].ReqHeader.Get("Authorization"), "Basic ") {
		t.Errorf("code exchange headers %v", exs[0].ReqHeader)
	}
}

// The waiting modes: the browser (a stand-in here) is redirected to the
// loopback listener, or its URL is pasted.
func TestSeparateBrowserModes(t *testing.T) {
	t.Run("listener", func(t *testing.T) {
		j, ts := sepPlatform(t)
		opener, errs := sepBrowser(ts.Client(), "656005750104", nil)
		j.Login.Mode, j.Login.Opener, j.Login.LoginTimeout = flows.LoginBrowser, opener, 10*time.Second
		r := flows.NewRunner(flows.CIS2Separate(), j)
		if err := r.RunAll(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(j.Login.SentRedirectURI, "http://127.0.0.1:") || !strings.HasSuffix(j.Login.SentRedirectURI, "/callback") || j.Login.ListenAddr == "" {
			t.Errorf("redirect URI %s, listen addr %s", j.Login.SentRedirectURI, j.Login.ListenAddr)
		}
		if !strings.Contains(string(j.API.Body), "Hello User!") {
			t.Errorf("API: %s", j.API.Body)
		}
	})
	t.Run("pasted URL with the registered redirect URI", func(t *testing.T) {
		j, ts := sepPlatform(t)
		j.Login.Mode, j.Login.RedirectURI, j.Login.LoginTimeout = flows.LoginWait, "https://example.org/", 10*time.Second
		r := flows.NewRunner(flows.NHSLoginSeparate(), j)
		sepRunThrough(t, r, "authorize")
		if j.Login.Listener != nil || j.Login.ListenAddr != "" {
			t.Fatal("a listener was started for a non-loopback redirect URI")
		}
		cb, _, err := steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: j.Login.AuthURL, Username: "9912003072"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cb.URL, "https://example.org/") {
			t.Fatalf("redirected to %s", cb.URL)
		}
		j.Login.Pasted <- "  " + cb.URL + "\n"
		if err := r.RunAll(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(j.API.Body), "Hello User!") {
			t.Errorf("API: %s", j.API.Body)
		}
	})
	t.Run("fixed loopback redirect URI", func(t *testing.T) {
		j, ts := sepPlatform(t)
		opener, errs := sepBrowser(ts.Client(), "656005750104", nil)
		redirect := "http://localhost:" + sepFreePort(t) + "/login/oauth2/code"
		j.Login.Mode, j.Login.Opener, j.Login.RedirectURI, j.Login.LoginTimeout = flows.LoginBrowser, opener, redirect, 10*time.Second
		r := flows.NewRunner(flows.CIS2Separate(), j)
		sepRunThrough(t, r, "code")
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if j.Login.SentRedirectURI != redirect {
			t.Errorf("sent redirect URI %s, want %s", j.Login.SentRedirectURI, redirect)
		}
	})
	t.Run("port 0 refused", func(t *testing.T) {
		j, _ := sepPlatform(t)
		j.Login.RedirectURI = "http://127.0.0.1:0/cb"
		r := flows.NewRunner(flows.CIS2Separate(), j)
		sepRunThrough(t, r, "discovery")
		if o := sepRun(t, r, "authorize"); !o.Failed() || !strings.Contains(sepHintText(o), "free port") {
			t.Errorf("port 0: %v, hints %q", o.Err, sepHintText(o))
		}
	})
}

func TestSeparateBrowserDiagnoses(t *testing.T) {
	for _, tt := range []struct {
		name     string
		setup    func(j *flows.Journey, hcOpen func(edit func(string) string) steps.Opener)
		paste    string // pasted after the authorise step
		wantErr  error
		wantHint string
	}{
		{name: "state changed in the redirect", setup: func(j *flows.Journey, open func(func(string) string) steps.Opener) {
			j.Login.Mode = flows.LoginBrowser
			j.Login.Opener = open(func(u string) string { return sepWithQuery(u, "state", "tampered") })
		}, wantErr: steps.ErrStateMismatch, wantHint: "stale browser tab or a replayed link"},
		{name: "callback error=", setup: func(j *flows.Journey, open func(func(string) string) steps.Opener) {
			j.Login.Mode = flows.LoginBrowser
			j.Login.Opener = open(func(u string) string {
				u = sepWithQuery(u, "error", "access_denied")
				return sepWithQuery(u, "code", "")
			})
		}, wantHint: "cancelled"},
		{name: "listener timeout", setup: func(j *flows.Journey, _ func(func(string) string) steps.Opener) {
			j.Login.Mode, j.Login.LoginTimeout = flows.LoginWait, 100*time.Millisecond
		}, wantErr: steps.ErrLoginTimeout, wantHint: "--login-timeout"},
		{name: "paste timeout", setup: func(j *flows.Journey, _ func(func(string) string) steps.Opener) {
			j.Login.Mode, j.Login.LoginTimeout, j.Login.RedirectURI = flows.LoginWait, 100*time.Millisecond, "https://example.org/"
		}, wantErr: steps.ErrLoginTimeout, wantHint: "--login-timeout"},
		{name: "pasted URL of another login", setup: func(j *flows.Journey, _ func(func(string) string) steps.Opener) {
			j.Login.Mode, j.Login.RedirectURI = flows.LoginWait, "https://example.org/"
		}, paste: "https://example.org/?state=old&code=abc", wantErr: steps.ErrStateMismatch, wantHint: "Start the login again"},
		{name: "unknown user", setup: func(j *flows.Journey, _ func(func(string) string) steps.Opener) {
			j.Login.User = "123456"
		}, wantErr: steps.ErrLoginRefused, wantHint: "656005750104"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, ts := sepPlatform(t)
			j.Login.User, j.Login.LoginTimeout = "656005750104", 10*time.Second
			tt.setup(j, func(edit func(string) string) steps.Opener {
				o, _ := sepBrowser(ts.Client(), "656005750104", edit)
				return o
			})
			// A URL pasted for an earlier login is dropped when a new one starts.
			j.Login.Pasted <- "https://example.org/?state=stale&code=old"
			r := flows.NewRunner(flows.CIS2Separate(), j)
			sepRunThrough(t, r, "authorize")
			if len(j.Login.Pasted) != 0 {
				t.Fatal("a paste from before the authorise step survived it")
			}
			if tt.paste != "" {
				j.Login.Pasted <- tt.paste
			}
			o := sepRun(t, r, "sign-in")
			if !o.Failed() || (tt.wantErr != nil && !errors.Is(o.Err, tt.wantErr)) {
				t.Fatalf("err = %v, want %v", o.Err, tt.wantErr)
			}
			if !strings.Contains(sepHintText(o), tt.wantHint) {
				t.Errorf("hints %q lack %q", sepHintText(o), tt.wantHint)
			}
			if j.Login.Listener != nil {
				t.Error("listener left open after a failed sign-in")
			}
			if j.Login.Mode != flows.LoginForm && j.Login.ListenAddr != "" {
				// Again without a new authorise step: the listener is spent.
				if o := sepRun(t, r, "sign-in"); !o.Failed() || !strings.Contains(sepHintText(o), "Run the authorise step again") {
					t.Errorf("second sign-in: %v, hints %q", o.Err, sepHintText(o))
				}
			}
		})
	}
}

func TestSeparateTampering(t *testing.T) {
	for _, tt := range []struct {
		name     string
		before   string // the step to tamper before
		tamper   func(t *testing.T, j *flows.Journey)
		rerun    bool // run the step twice (replay)
		wantHint string
		wantFail []string // ID token checks that must fail
	}{
		{name: "code replayed", before: "code", rerun: true, wantHint: "single use"},
		{name: "verifier wrong", before: "code", tamper: func(t *testing.T, j *flows.Journey) { j.Login.PKCE.Verifier = steps.NewPKCE().Verifier }, wantHint: "code_verifier"},
		{name: "redirect URI changed", before: "code", tamper: func(t *testing.T, j *flows.Journey) { j.Login.SentRedirectURI += "x" }, wantHint: "redirect_uri"},
		{name: "ID token alg none", before: "id-token", tamper: func(t *testing.T, j *flows.Journey) {
			j.Login.Tokens.IDToken = sepResign(t, j.Login.Tokens.IDToken, nil)
		}, wantHint: "unsigned", wantFail: []string{"alg", "signature"}},
		{name: "ID token signed by another key", before: "id-token", tamper: func(t *testing.T, j *flows.Journey) {
			j.Login.Tokens.IDToken = sepResign(t, j.Login.Tokens.IDToken, sepKey(t))
		}, wantHint: "altered after signing", wantFail: []string{"signature"}},
		{name: "ID token signed by an unknown key", before: "id-token", tamper: func(t *testing.T, j *flows.Journey) {
			j.Login.Tokens.IDToken = sepResign(t, j.Login.Tokens.IDToken, sepKey(t), "rotated-away")
		}, wantHint: "another realm or environment", wantFail: []string{"kid", "signature"}},
		{name: "ID token for another audience", before: "id-token", tamper: func(t *testing.T, j *flows.Journey) {
			j.Login.Creds.ClientID = "another-client"
		}, wantHint: "issued to another client", wantFail: []string{"aud"}},
		{name: "ID token expired", before: "id-token", tamper: func(t *testing.T, j *flows.Journey) {
			j.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		}, wantHint: "expired at", wantFail: []string{"exp"}},
		{name: "mock ID token sent to /oauth2/token", before: "token-exchange", tamper: func(t *testing.T, j *flows.Journey) {
			j.Login.ExchangeURL = "/oauth2/token"
		}, wantHint: "/oauth2-mock/token"},
		{name: "refresh without the secret", before: "refresh", tamper: func(t *testing.T, j *flows.Journey) { j.APISecret = "" }, wantHint: "--api-secret"},
		{name: "refresh token reused", before: "refresh", rerun: true, wantHint: "latest"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := sepPlatform(t)
			j.Login.User = "656005750104"
			r := flows.NewRunner(flows.CIS2Separate(), j)
			idx := sepIndex(t, r.Flow, tt.before)
			if idx > 0 {
				sepRunThrough(t, r, r.Flow.Steps[idx-1].ID)
			}
			if tt.tamper != nil {
				tt.tamper(t, j)
			}
			o := sepRun(t, r, tt.before)
			if tt.rerun {
				if o.Failed() {
					t.Fatalf("first run failed: %v", o.Err)
				}
				if tt.before == "refresh" {
					// Replay the spent refresh token.
					j.Token = j.Login.Exchanged
				}
				o = sepRun(t, r, tt.before)
			}
			if !o.Failed() {
				t.Fatalf("step %s succeeded, want a refusal", tt.before)
			}
			if !strings.Contains(sepHintText(o), tt.wantHint) {
				t.Errorf("err %v: hints %q lack %q", o.Err, sepHintText(o), tt.wantHint)
			}
			if tt.wantFail != nil {
				var failed []string
				for _, c := range o.Checks {
					if !c.OK {
						failed = append(failed, c.Name)
					}
				}
				if strings.Join(failed, ",") != strings.Join(tt.wantFail, ",") || len(o.Checks) != 8 {
					t.Errorf("failed checks %v of %d, want %v", failed, len(o.Checks), tt.wantFail)
				}
				if o.JWT == "" {
					t.Error("the refused ID token is not on the Token tab")
				}
			}
		})
	}
}
