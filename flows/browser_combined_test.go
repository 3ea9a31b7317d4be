package flows_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// TestRealBrowserCombined has a real headless Chromium walk combined
// authentication: the platform's authorise redirects it to the realm, a
// test user signs in, the realm redirects to the platform's callback, and
// the platform redirects to the loopback listener on the app's registered
// callback, which captures the code. The second authorise (single sign-on)
// goes straight back on the browser's realm session cookie, with no login
// page; the sign-out in the browser, on the realm's confirm page, revokes
// the platform's tokens by back-channel logout. Required in CI (NHSAUTH_REQUIRE_BROWSER=1); skipped elsewhere when
// no Chromium is installed.
func TestRealBrowserCombined(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bctx := startChromium(t, ctx)
	j, callback := cbPlatform(t)
	tab, closeTab := chromedp.NewContext(bctx)
	defer closeTab()

	var opened atomic.Int32
	browsed := make(chan error, 2)
	j.Login.Mode, j.Login.LoginTimeout, j.Combined.SSO = flows.LoginBrowser, 45*time.Second, true
	j.Login.Opener = steps.OpenerFunc(func(authURL string) error {
		n := opened.Add(1)
		go func() {
			switch n {
			case 2: // single sign-on: the realm sends the browser straight back
				browsed <- chromedp.Do(tab, chromedp.Navigate(authURL))
				return
			case 3: // the sign-out: the realm's confirm page, with the session cookie
				browsed <- chromedp.Do(tab,
					chromedp.Navigate(authURL),
					chromedp.WaitVisible(chromedp.CSS("#kc-logout-form")),
					chromedp.Click(chromedp.CSS("#kc-logout")),
				)
				return
			}
			browsed <- chromedp.Do(tab,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.CSS("#kc-form-login")),
				chromedp.Click(chromedp.CSS(`button[aria-label="Sign in as 656005750104"]`)),
			)
		}()
		return nil
	})
	r := flows.NewRunner(flows.CIS2Combined(), j)
	sepRunThrough(t, r, "sign-in")
	if err := <-browsed; err != nil {
		t.Fatalf("browser: %v", err)
	}
	l := j.Login
	if l.Code == "" || l.Callback.State != l.State || !strings.HasPrefix(l.Callback.URL, callback+"?") {
		t.Fatalf("listener captured %+v; want a code and state %s on %s", l.Callback, l.State, callback)
	}
	if loc, body := landedPage(tab, callback); !strings.HasPrefix(loc, callback) || !strings.Contains(body, "You can close this tab") {
		t.Errorf("browser at %q showing %q; want the listener's page", loc, body)
	}
	first := l.Code
	o := sepRun(t, r, "sso")
	if err := <-browsed; err != nil || o.Failed() || j.Login.Code == first {
		t.Fatalf("single sign-on: %v / %v, code renewed %v", err, o.Err, j.Login.Code != first)
	}
	if err := r.RunAll(ctx, nil); err != nil {
		t.Fatalf("after the browser: %v (hints %v)", err, steps.HintsOf(err))
	}
	if err := <-browsed; err != nil {
		t.Fatalf("browser logout: %v", err)
	}
	if !strings.Contains(string(j.API.Body), "Hello User!") {
		t.Errorf("API: %s", j.API.Body)
	}
	if out := r.Result(sepIndex(t, r.Flow, "sign-out")).Outcome.Summary; !strings.Contains(out, "revoked") {
		t.Errorf("sign-out: %s", out)
	}
}
