package flows_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// findChromium returns the first Chromium or Chrome on PATH.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// landedPage waits (up to 10 s) for the tab to show a page under prefix,
// and returns its address and text.
func landedPage(tab context.Context, prefix string) (loc, body string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		loc, _ = chromedp.Run(tab, chromedp.Location())
		if strings.HasPrefix(loc, prefix) {
			body, _ = chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
			if strings.Contains(body, "nhsauth") {
				return loc, body
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return loc, body
}

// TestRealBrowserLogin has a real headless Chromium sign in on the local
// platform's login page: the flow's authorise step starts the loopback
// listener, the browser opens the authorise URL (as the system browser would,
// through the journey's Opener), a test user is chosen, the realm redirects
// to the listener, and the listener captures the code with the right state.
// The code is then exchanged, the ID token verified, and the flow runs on to
// the API (for CIS2 directly, on to the back-channel logout). Required in CI (NHSAUTH_REQUIRE_BROWSER=1); skipped elsewhere
// when no Chromium is installed.
// startChromium starts a headless Chromium for the test, or skips the test
// (fails it under NHSAUTH_REQUIRE_BROWSER=1) when none is installed. The
// returned context is the browser's; new tabs are made from it.
func startChromium(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		if os.Getenv("NHSAUTH_REQUIRE_BROWSER") == "1" {
			t.Fatal("NHSAUTH_REQUIRE_BROWSER=1 but no chromium, chromium-browser or google-chrome is on PATH: install Debian's chromium")
		}
		t.Skip("no Chromium on PATH (chromium, chromium-browser, google-chrome): skipping the real-browser login; set NHSAUTH_REQUIRE_BROWSER=1 to make this a failure")
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	// The first call starts the browser; its context must outlive the test's
	// actions, so it is the browser context itself.
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	t.Logf("driving %s (%s, protocol %s) at %s", v.Product, v.UserAgent, v.ProtocolVersion, exe)
	return bctx
}

func TestRealBrowserLogin(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bctx := startChromium(t, ctx)

	for _, tt := range []struct {
		name     string
		flow     *flows.Flow
		user     string
		idChecks int // the ID token step's check lines
		// signIn acts on the login page the way a person would.
		signIn func(user string) chromedp.Action[chromedp.Void]
	}{
		{name: "CIS2, one-click test user", flow: flows.CIS2Separate(), user: "656005750104", idChecks: 8,
			signIn: func(user string) chromedp.Action[chromedp.Void] {
				return chromedp.Click(chromedp.CSS(`button[aria-label="Sign in as ` + user + `"]`))
			}},
		{name: "CIS2 directly, typed user UID", flow: flows.CIS2Direct(), user: "656005750108", idChecks: 11,
			signIn: func(user string) chromedp.Action[chromedp.Void] {
				return chromedp.Steps(
					chromedp.SendKeys(chromedp.CSS("#username"), user),
					chromedp.Submit(chromedp.CSS("#kc-form-login")),
				)
			}},
		{name: "NHS login, typed NHS number", flow: flows.NHSLoginSeparate(), user: "9912003071", idChecks: 8,
			signIn: func(user string) chromedp.Action[chromedp.Void] {
				return chromedp.Steps(
					chromedp.SendKeys(chromedp.CSS("#username"), user),
					chromedp.Submit(chromedp.CSS("#kc-form-login")),
				)
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := sepPlatform(t)
			t.Cleanup(j.Direct.CloseReceiver)
			// The browser talks to the platform directly, as a real one does.
			tab, closeTab := chromedp.NewContext(bctx)
			defer closeTab()
			browsed := make(chan error, 1)
			j.Login.Mode, j.Login.LoginTimeout = flows.LoginBrowser, 45*time.Second
			j.Login.Opener = steps.OpenerFunc(func(authURL string) error {
				go func() {
					browsed <- chromedp.Do(tab,
						chromedp.Navigate(authURL),
						chromedp.WaitVisible(chromedp.CSS("#kc-form-login")),
						tt.signIn(tt.user),
					)
				}()
				return nil
			})
			r := flows.NewRunner(tt.flow, j)
			sepRunThrough(t, r, "sign-in")
			if err := <-browsed; err != nil {
				t.Fatalf("browser: %v", err)
			}
			l := j.Login
			if l.Code == "" || l.Callback.State != l.State || !strings.HasPrefix(l.Callback.URL, l.SentRedirectURI) {
				t.Fatalf("listener captured %+v; want a code, state %s, on %s", l.Callback, l.State, l.SentRedirectURI)
			}
			// The browser landed on the listener's friendly page.
			if loc, body := landedPage(tab, l.SentRedirectURI); !strings.HasPrefix(loc, l.SentRedirectURI) ||
				!strings.Contains(body, "You can close this tab and return to nhsauth") {
				t.Errorf("browser at %q showing %q; want the listener's page on %s", loc, body, l.SentRedirectURI)
			}
			// Exchange the code, verify the ID token, and use it.
			if err := r.RunAll(ctx, nil); err != nil {
				t.Fatalf("after the browser: %v (hints %v)", err, steps.HintsOf(err))
			}
			if checks := r.Result(sepIndex(t, r.Flow, "id-token")).Outcome.Checks; len(checks) != tt.idChecks {
				t.Errorf("ID token checks %+v", checks)
			}
			if !strings.Contains(string(j.API.Body), "Hello User!") {
				t.Errorf("API: %s", j.API.Body)
			}
		})
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("the real-browser login took over 60 s")
	}
}
