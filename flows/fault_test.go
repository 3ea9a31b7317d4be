package flows_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
)

// faultCause is, for each fault of the catalogue, a phrase the run's
// diagnosis must hold: the cause named, not a generic "request failed".
var faultCause = map[string]string{
	"clock-ahead":             "clock may be behind",
	"clock-behind":            "clock is ahead",
	"wrong-kid":               "not in your registered JWKS",
	"key-not-registered":      "no public key registered",
	"aud-other-env":           "aud must be exactly the token URL",
	"exp-over-5-minutes":      "more than 5 minutes ahead",
	"replayed-jti":            "used before",
	"missing-typ":             "typ header is missing",
	"hs256":                   "not signed with RS512",
	"state-tampered":          "no record of this state",
	"code-replayed":           "already used or expired",
	"code-expired":            "already used or expired",
	"pkce-wrong":              "code_verifier",
	"redirect-uri-mismatch":   "redirect_uri differs",
	"id-token-expired":        "ID token has expired",
	"id-token-other-audience": "not issued to the platform's own client",
	"aal1-user":               "assurance",
	"p0-user":                 "assurance",
	"refresh-reused":          "already used",
	"refresh-window-exceeded": "refresh window has ended",
	"session-revoked":         "back-channel logout",
	"rate-limited":            "Retry-After",
	"unavailable":             "Retry-After",
	"slow-idp":                "within the time limit",
	"jwks-unreachable":        "could not fetch the JWKS URL",
}

// faultJourney is a journey on a fresh in-process local platform that fits
// the flow (the combined flows need a registered loopback callback).
func faultJourney(t *testing.T, flowID string) *flows.Journey {
	t.Helper()
	var j *flows.Journey
	if strings.HasSuffix(flowID, "-combined") {
		j, _ = cbPlatform(t)
	} else {
		j, _ = sepPlatform(t)
	}
	j.Login.User = "656005750104" // an AAL3 CIS2 user
	if strings.HasPrefix(flowID, "nhs-login") {
		j.Login.User = "9912003071" // a P9 NHS login user
	}
	return j
}

// runBroken runs flowID with fault to its failure and returns the failed
// step's outcome.
func runBroken(t *testing.T, j *flows.Journey, flowID string, fault *flows.Fault) flows.Outcome {
	t.Helper()
	f, _ := flows.ByID(flowID)
	bf, err := flows.Break(f, j, fault)
	if err != nil {
		t.Fatal(err)
	}
	r := flows.NewRunner(bf, j)
	if err := r.Drive(context.Background(), flows.Hooks{}); err == nil {
		t.Fatalf("the run succeeded despite %s", fault.Name)
	}
	for i := 0; i < r.Len(); i++ {
		if res := r.Result(i); res.Status == flows.StatusFailed {
			return res.Outcome
		}
	}
	t.Fatal("no step failed")
	return flows.Outcome{}
}

// TestEveryFaultBreaksEveryFlowItFits runs each fault of the catalogue in
// each flow it fits, against the in-process local platform, and checks that
// the run ends with the platform's exact reply and a diagnosis naming the
// cause.
func TestEveryFaultBreaksEveryFlowItFits(t *testing.T) {
	for _, fault := range flows.Faults() {
		for _, flowID := range fault.Flows {
			t.Run(fault.Name+"/"+flowID, func(t *testing.T) {
				j := faultJourney(t, flowID)
				if fault.Name == "slow-idp" {
					j.HTTP.Timeout = 300 * time.Millisecond
				}
				o := runBroken(t, j, flowID, fault)
				want := fault.Expect(flowID)
				var body string
				if n := len(o.Exchanges); n > 0 {
					body = string(o.Exchanges[n-1].RespBody)
				}
				if !strings.Contains(body, want) || (want == "" && body != "") {
					t.Errorf("last reply %q, want it to hold %q (error: %v)", body, want, o.Err)
				}
				hints := sepHintText(o)
				if cause := faultCause[fault.Name]; cause == "" || !strings.Contains(hints, cause) {
					t.Errorf("diagnosis does not name the cause %q:\n%s", cause, hints)
				}
			})
		}
	}
}

// TestBreakRefusesAFlowItDoesNotFit checks the usage error names the flows
// the fault fits.
func TestBreakRefusesAFlowItDoesNotFit(t *testing.T) {
	fault, _ := flows.FaultByName("wrong-kid")
	f, _ := flows.ByID("cis2-separate")
	j, _ := sepPlatform(t)
	_, err := flows.Break(f, j, fault)
	if !errors.Is(err, flows.ErrFaultDoesNotFit) || !strings.Contains(err.Error(), "app-restricted") {
		t.Fatalf("got %v, want a refusal naming app-restricted", err)
	}
}

// TestEveryFaultHasACause keeps the catalogue and this test's phrases in
// step, and every fault fitting at least one flow.
func TestEveryFaultHasACause(t *testing.T) {
	for _, f := range flows.Faults() {
		if faultCause[f.Name] == "" || len(f.Flows) == 0 || f.Line == "" || f.Breaks == "" {
			t.Errorf("fault %s lacks a cause phrase, flows, a line or what it breaks", f.Name)
		}
	}
}

// TestFaultTouchesOnlyItsRun runs app-restricted twice at once on one local
// platform, one run broken by clock-ahead: the other gets its token.
func TestFaultTouchesOnlyItsRun(t *testing.T) {
	broken, ts := sepPlatform(t)
	clean := flows.NewJourney(flows.Local(ts.URL), ts.Client())
	clean.KeyDir, clean.KeyBits = broken.KeyDir, broken.KeyBits
	fault, _ := flows.FaultByName("clock-ahead")
	f, _ := flows.ByID("app-restricted")
	bf, err := flows.Break(f, broken, fault)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		errs := make(chan error, 2)
		go func() { errs <- flows.NewRunner(bf, broken).Drive(context.Background(), flows.Hooks{}) }()
		go func() { errs <- flows.NewRunner(f, clean).Drive(context.Background(), flows.Hooks{}) }()
		var failed, ok int
		for range 2 {
			if err := <-errs; err != nil {
				failed++
				if !strings.Contains(err.Error(), "JWT has expired") {
					t.Errorf("the broken run failed with %v", err)
				}
			} else {
				ok++
			}
		}
		if failed != 1 || ok != 1 {
			t.Fatalf("round %d: %d failed, %d succeeded; want one of each", round, failed, ok)
		}
	}
}

// TestBreakSignsInByFormForBrowserHops: a fault played on a browser hop
// (the platform's callback) needs the hop to carry the header, so break-it
// signs in by form, as a default test user when none was given.
func TestBreakSignsInByFormForBrowserHops(t *testing.T) {
	j, _ := cbPlatform(t)
	j.Login.Mode, j.Login.User, j.Login.LoginTimeout = flows.LoginBrowser, "", 20*time.Second
	fault, _ := flows.FaultByName("state-tampered")
	o := runBroken(t, j, "cis2-combined", fault)
	if j.Login.Mode != flows.LoginForm || j.Login.User == "" {
		t.Errorf("mode %s, user %q: want a form login as a test user", j.Login.Mode, j.Login.User)
	}
	if n := len(o.Exchanges); n == 0 || !strings.Contains(string(o.Exchanges[n-1].RespBody), "Invalid state parameter.") {
		t.Errorf("the run did not end at the tampered callback: %v", o.Err)
	}
}

// TestPlatformFaultIsAnnounced: a platform-side fault's run says on its
// first step that every request carries the header (the recorded requests
// are those the flow built, without it).
func TestPlatformFaultIsAnnounced(t *testing.T) {
	j, _ := sepPlatform(t)
	fault, _ := flows.FaultByName("key-not-registered")
	f, _ := flows.ByID("app-restricted")
	bf, err := flows.Break(f, j, fault)
	if err != nil {
		t.Fatal(err)
	}
	r := flows.NewRunner(bf, j)
	_ = r.Drive(context.Background(), flows.Hooks{})
	if d := r.Result(0).Outcome.Details; len(d) == 0 || !strings.Contains(d[0], flows.FaultHeader+": key-not-registered") {
		t.Errorf("first step's details %q do not announce the header", d)
	}
}

// TestBreakRefusesAPlatformThatIgnoresFaults: a local platform that does
// not list the fault in /_mock/info (an older nhsauth mock left running)
// stops the run at once, saying why, instead of a run that "works".
func TestBreakRefusesAPlatformThatIgnoresFaults(t *testing.T) {
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"name":"nhsauth local platform"}`))
	}))
	t.Cleanup(old.Close)
	j := flows.NewJourney(flows.Local(old.URL), old.Client())
	fault, _ := flows.FaultByName("rate-limited")
	o := runBroken(t, j, "app-restricted", fault)
	if !strings.Contains(o.Err.Error(), "does not play the fault rate-limited") || !strings.Contains(sepHintText(o), "older nhsauth") {
		t.Errorf("got %v / %s", o.Err, sepHintText(o))
	}
}
