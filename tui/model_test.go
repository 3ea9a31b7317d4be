package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// stepScreen opens the fake app flow on local with pickers skipped.
func stepScreen(t *testing.T, o fakeOpts) *harness {
	t.Helper()
	deps, _ := fakeDeps(fakeAppFlow(o))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local"}, deps)
	if h.m.state != stateReady {
		t.Fatalf("state = %s, want ready", h.m.state)
	}
	return h
}

func TestPickersNavigate(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}), fakeBrowserFlow())
	h := newHarness(t, Config{}, deps)
	if h.m.state != statePickFlow {
		t.Fatalf("state = %s, want pick-flow", h.m.state)
	}
	h.keys("down")
	if it, _ := h.m.flowPicker.selected(); it.id != "fake-browser" {
		t.Fatalf("after down, selected %q, want fake-browser", it.id)
	}
	h.keys("up", "enter")
	if h.m.state != statePickEnv || h.m.flow.ID != "fake-app" {
		t.Fatalf("after enter: state %s flow %v, want pick-env on fake-app", h.m.state, h.m.flow)
	}
	if !strings.Contains(h.screen(), "Local platform") {
		t.Fatalf("env picker does not list local first:\n%s", h.screen())
	}
	h.keys("esc")
	if h.m.state != statePickFlow {
		t.Fatalf("esc from env picker: state %s, want pick-flow", h.m.state)
	}
	h.keys("enter", "enter")
	if h.m.state != stateReady || h.m.env != "local" {
		t.Fatalf("choosing local: state %s env %q, want ready on local", h.m.state, h.m.env)
	}
	h.keys("esc")
	if h.m.state != statePickEnv || h.m.runner != nil {
		t.Fatalf("esc on the step screen: state %s, want pick-env with the journey released", h.m.state)
	}
}

func TestCredentialsFormMasksSecretAndFillsJourney(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app"}, deps)
	h.keys("down", "down") // local, sandbox, int
	h.keys("enter")
	if h.m.state != stateCredentials {
		t.Fatalf("state = %s, want credentials", h.m.state)
	}
	h.typeText("my-api-key")
	h.keys("tab")
	h.typeText("keys/int-1.pem")
	h.keys("tab")
	h.typeText("sup3r-s3cret-value")
	// q types into the field instead of quitting.
	h.typeText("q")
	if h.quit {
		t.Fatal("q in a text field quit the wizard")
	}
	if scr := h.screen(); strings.Contains(scr, "sup3r-s3cret") {
		t.Fatalf("the secret shows as typed:\n%s", scr)
	}
	h.keys("enter")
	if h.m.state != stateReady {
		t.Fatalf("state = %s, want ready", h.m.state)
	}
	j := h.m.journey
	if j.APIKey != "my-api-key" || j.KeyPath != "keys/int-1.pem" || j.APISecret != "sup3r-s3cret-valueq" {
		t.Fatalf("journey got key %q path %q secret %q", j.APIKey, j.KeyPath, j.APISecret)
	}
}

func TestRunOneStepAtATime(t *testing.T) {
	calls := &callLog{}
	h := stepScreen(t, fakeOpts{calls: calls})
	h.keys("enter")
	if got := h.status(0); got != flows.StatusDone {
		t.Fatalf("step 1 = %s, want done", got)
	}
	if got := h.status(1); got != flows.StatusPending {
		t.Fatalf("step 2 = %s, want pending", got)
	}
	if h.m.steps.cursor != 0 {
		t.Fatalf("selection moved to %d; it should stay on the step that ran", h.m.steps.cursor)
	}
	if !strings.Contains(h.screen(), "Loaded .auth/local-1.pem") {
		t.Fatalf("result not shown:\n%s", h.screen())
	}
	h.keys("enter") // runs the next step, not step 1 again
	if calls.String() != "key,assertion" {
		t.Fatalf("calls = %s, want key,assertion", calls)
	}
	// A later step cannot run before the earlier ones.
	h.keys("down", "down", "down", "r")
	if got := h.status(3); got != flows.StatusPending || !strings.Contains(h.m.notice, "needs the steps before it") {
		t.Fatalf("step 4 = %s, notice %q; want pending with an explanation", got, h.m.notice)
	}
}

func TestRunAllShowsSummary(t *testing.T) {
	calls := &callLog{}
	h := stepScreen(t, fakeOpts{calls: calls})
	h.keys("a")
	if calls.String() != "key,assertion,token,api" {
		t.Fatalf("calls = %s", calls)
	}
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done", h.m.state)
	}
	scr := h.screen()
	for _, want := range []string{"Summary", "Hello Application!", "HTTP 200 OK", "Access token issued"} {
		if !strings.Contains(scr, want) {
			t.Errorf("summary lacks %q:\n%s", want, scr)
		}
	}
}

func TestFailureStopsAndDiagnoses(t *testing.T) {
	calls := &callLog{}
	h := stepScreen(t, fakeOpts{failAt: 3, calls: calls})
	h.keys("a")
	if calls.String() != "key,assertion,token" {
		t.Fatalf("calls = %s: running all must stop at the failure", calls)
	}
	if h.m.state != stateFailed || h.status(2) != flows.StatusFailed || h.status(3) != flows.StatusPending {
		t.Fatalf("state %s, step 3 %s, step 4 %s", h.m.state, h.status(2), h.status(3))
	}
	if h.m.steps.cursor != 2 {
		t.Fatalf("selected %d, want the failed step 3", h.m.steps.cursor+1)
	}
	scr := h.screen()
	for _, want := range []string{"Diagnosis", "invalid_client", "Cause", "No key with kid local-1", "Fix"} {
		if !strings.Contains(scr, want) {
			t.Errorf("diagnosis lacks %q:\n%s", want, scr)
		}
	}
}

func TestRerunMakesLaterStepsStale(t *testing.T) {
	calls := &callLog{}
	h := stepScreen(t, fakeOpts{calls: calls})
	h.keys("a")
	h.keys("up", "up", "up") // from the summary row to step 2
	if h.m.steps.cursor != 1 {
		t.Fatalf("cursor = %d, want step 2", h.m.steps.cursor+1)
	}
	h.keys("r")
	if h.status(1) != flows.StatusDone || h.status(2) != flows.StatusStale || h.status(3) != flows.StatusStale {
		t.Fatalf("after re-running step 2: %s %s %s; want done stale stale", h.status(1), h.status(2), h.status(3))
	}
	if h.m.state == stateDone || strings.Contains(h.screen(), "Summary") {
		t.Fatal("the summary still shows with stale steps")
	}
	if !strings.Contains(h.screen(), "↻") {
		t.Fatalf("stale steps are not marked:\n%s", h.screen())
	}
	h.keys("a")
	if calls.String() != "key,assertion,token,api,assertion,token,api" {
		t.Fatalf("calls = %s", calls)
	}
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done", h.m.state)
	}
}

func TestEditInputsWritesBackAndInvalidates(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a")
	h.keys("g") // step 1
	h.keys("e")
	if h.m.form == nil {
		t.Fatal("e opened no form")
	}
	h.keys("ctrl+u")
	h.typeText("keys/local-1.pem.pub")
	h.keys("enter")
	if h.m.form == nil || !strings.Contains(h.screen(), "that is a public key") {
		t.Fatalf("a refused value must keep the form open with the reason:\n%s", h.screen())
	}
	for range len(".pub") {
		h.keys("backspace")
	}
	h.keys("enter")
	if h.m.form != nil {
		t.Fatal("form still open after a valid value")
	}
	if h.m.journey.KeyPath != "keys/local-1.pem" {
		t.Fatalf("KeyPath = %q", h.m.journey.KeyPath)
	}
	for i := range 4 {
		if h.status(i) != flows.StatusStale {
			t.Fatalf("step %d = %s, want stale", i+1, h.status(i))
		}
	}
	if !strings.Contains(h.screen(), "keys/local-1.pem") {
		t.Fatalf("the new value is not shown:\n%s", h.screen())
	}
}

func TestSecretsMaskedUntilRevealed(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a", "up", "up") // step 3, token request
	h.keys("left")          // Request tab
	if h.m.pane.tab != tabRequest {
		t.Fatalf("tab = %s, want Request", h.m.pane.tab)
	}
	scr := h.screen()
	if strings.Contains(scr, "client_assertion=eyJhbGci") || !strings.Contains(scr, "client_assertion=eyJh…") {
		t.Fatalf("the assertion is not masked:\n%s", scr)
	}
	if strings.Contains(scr, "nhsauth-local-api-secret") {
		t.Fatal("the API secret shows")
	}
	h.keys("s")
	if !strings.Contains(h.screen(), "client_assertion=eyJhbGciOiJSUzUxMiIsImtpZCI6") {
		t.Fatalf("s did not reveal:\n%s", h.screen())
	}
	h.keys("s")
	if strings.Contains(h.screen(), "client_assertion=eyJhbGciOiJSUzUxMiIsImtpZCI6") {
		t.Fatal("s did not hide again")
	}
}

func TestCurlTabAndCopy(t *testing.T) {
	deps, copied := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local"}, deps)
	h.keys("a", "up") // step 4, API call
	h.keys("right", "right")
	if h.m.pane.tab != tabCurl {
		t.Fatalf("tab = %s, want curl", h.m.pane.tab)
	}
	if !strings.Contains(h.screen(), "curl") || !strings.Contains(h.screen(), "/hello-world/hello/application") {
		t.Fatalf("curl tab:\n%s", h.screen())
	}
	h.keys("c")
	if len(*copied) != 1 {
		t.Fatalf("copied %d times, want 1", len(*copied))
	}
	got := (*copied)[0]
	if !strings.Contains(got, "curl") || strings.Contains(got, fakeAccess) || strings.Contains(got, "\x1b") {
		t.Fatalf("copied %q: want a plain curl command with the token masked", got)
	}
}

func TestBrowserStepPaste(t *testing.T) {
	deps, copied := fakeDeps(fakeBrowserFlow())
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a")
	if h.m.state != stateAwaitingCallback {
		t.Fatalf("state = %s, want awaiting-callback", h.m.state)
	}
	scr := h.screen()
	joined := strings.ReplaceAll(scr, "\n", "")
	if !strings.Contains(joined, "code_challenge_method=S256") || !strings.Contains(joined, "/protocol/openid-connect/auth?client_id=") {
		t.Fatalf("the authorise URL is not shown in full:\n%s", scr)
	}
	for _, want := range []string{"http://127.0.0.1:43111/callback", "Gives up in 5:00"} {
		if !strings.Contains(scr, want) {
			t.Errorf("wait screen lacks %q:\n%s", want, scr)
		}
	}
	h.keys("c")
	if len(*copied) != 1 || !strings.HasSuffix((*copied)[0], "code_challenge_method=S256") {
		t.Fatalf("c copied %q, want the authorise URL", *copied)
	}
	h.keys("p")
	h.typeText("https://example.org/?code=abcdefghijkl&state=x")
	h.keys("enter")
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done after the pasted URL", h.m.state)
	}
	if !strings.Contains(h.screen(), "Got code abcd…") {
		t.Fatalf("the step did not get the pasted URL:\n%s", h.screen())
	}
}

func TestEscCancelsRunningStep(t *testing.T) {
	deps, _ := fakeDeps(fakeBrowserFlow())
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a", "esc")
	if h.m.state != stateFailed || !errors.Is(h.m.runner.Result(1).Outcome.Err, context.Canceled) {
		t.Fatalf("state %s, outcome %v; want the step failed as cancelled", h.m.state, h.m.runner.Result(1).Outcome.Err)
	}
	if !strings.Contains(h.m.notice, "cancelled") {
		t.Fatalf("notice = %q", h.m.notice)
	}
}

func TestQuitCancelsRunningStep(t *testing.T) {
	block := make(chan struct{})
	h := stepScreen(t, fakeOpts{block: block})
	h.keys("a")
	if h.m.state != stateRunning || h.m.running != 2 {
		t.Fatalf("state %s running %d; want step 3 running", h.m.state, h.m.running)
	}
	_, cmd := h.m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if h.m.ctx.Err() == nil {
		t.Fatal("q did not cancel the running step's context")
	}
}

func TestIdleScreenIsStill(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	if _, cmd := h.m.Update(tickMsg(fixedNow)); cmd != nil {
		t.Fatal("an idle screen asked for another tick")
	}
	h.keys("a")
	if _, cmd := h.m.Update(tickMsg(fixedNow)); cmd != nil {
		t.Fatal("the summary asked for another tick")
	}
	var sp tea.Msg = h.m.spinner.Tick()
	if _, cmd := h.m.Update(sp); cmd != nil {
		t.Fatal("the spinner keeps animating with nothing running")
	}
	// The Token tab of the assertion, whose expiry is live, ticks.
	h.send(tea.WindowSizeMsg{Width: 100, Height: 50})
	h.keys("up", "up", "up") // step 2
	h.m.pane.tab = tabToken
	h.m.ticking = false
	if _, cmd := h.m.Update(tickMsg(fixedNow)); cmd == nil {
		t.Fatal("a visible expiry countdown does not tick")
	}
	if !strings.Contains(h.screen(), "expires in 4:00") {
		t.Fatalf("countdown not shown:\n%s", h.screen())
	}
}

func TestTokenTabDecodes(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.send(tea.WindowSizeMsg{Width: 100, Height: 50})
	h.keys("a", "up", "up", "up", "right") // step 2, Token tab
	scr := h.screen()
	for _, want := range []string{"RS512", "kid", "local-1", "iss", "Issuer", "2026-01-02 10:04:00 UTC", "✓ RSA key of at least 2048 bits"} {
		if !strings.Contains(scr, want) {
			t.Errorf("Token tab lacks %q:\n%s", want, scr)
		}
	}
}

func TestResizeFitsEverySize(t *testing.T) {
	h := stepScreen(t, fakeOpts{failAt: 3})
	h.keys("a")
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {160, 50}, {81, 25}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		lines := strings.Split(h.m.View(), "\n")
		if len(lines) != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", sz[0], sz[1], i, w, ansi.Strip(l))
			}
		}
	}
}

func TestTruncatedBodyShowsMark(t *testing.T) {
	s := defaultStyles()
	ex := steps.Exchange{Title: "Big", Method: "GET", URL: "http://x/", Status: 200, RespHeader: map[string][]string{"Content-Type": {"application/json"}}, RespBody: []byte(`{"a": [1, 2`), Truncated: true}
	got := renderResponses(s, transcript.PresentAll([]steps.Exchange{ex}, &steps.Redactor{}))
	if !strings.Contains(got, steps.TruncationMark) {
		t.Fatalf("no truncation mark in:\n%s", got)
	}
}

func TestJourneyErrorShownAndEscGoesBack(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	deps.Journey = func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error) {
		return nil, nil, errors.New("main: the local platform did not start")
	}
	h := newHarness(t, Config{FlowID: "fake-app"}, deps)
	h.keys("enter")
	if !strings.Contains(h.screen(), "the local platform did not start") {
		t.Fatalf("error not shown:\n%s", h.screen())
	}
	h.keys("esc")
	if h.m.state != statePickEnv {
		t.Fatalf("state = %s, want pick-env", h.m.state)
	}
}

func TestHelpListsKeys(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("?")
	scr := h.screen()
	for _, want := range []string{"run all", "re-run", "edit", "copy curl", "show secrets", "stale", "pgdn"} {
		if !strings.Contains(scr, want) {
			t.Errorf("help lacks %q:\n%s", want, scr)
		}
	}
	h.keys("?")
	if h.m.help.open {
		t.Fatal("? did not close the help")
	}
	_ = time.Second
}
