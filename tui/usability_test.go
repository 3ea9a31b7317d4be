package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// Regression tests for what a newcomer and a debugging user ran into when
// driving the real binary in a terminal (QA of issue 4).

// statusLine is the screen's last line.
func statusLine(h *harness) string {
	scr := h.screen()
	return scr[strings.LastIndexByte(scr, '\n')+1:]
}

func TestStatusBarKeepsHelpAndQuitAt80Columns(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{block: block}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Width: 80, Height: 24}, deps)
	bar := statusLine(h)
	for _, want := range []string{"enter run", "a run all", "? help", "q quit"} {
		if !strings.Contains(bar, want) {
			t.Errorf("status bar at 80 columns lacks %q: %q", want, bar)
		}
	}
	if strings.Contains(bar, "secrets hidden") {
		t.Errorf("status bar spends room on the default secrets state: %q", bar)
	}
	h.keys("a") // runs until the token step blocks
	if h.m.running != 2 {
		t.Fatalf("running = %d, want step 3", h.m.running)
	}
	bar = statusLine(h)
	if !strings.Contains(bar, "esc cancel step") || strings.Contains(bar, "a run all") {
		t.Errorf("while a step runs the status bar should offer esc, not run keys: %q", bar)
	}
	if !strings.Contains(h.screen(), "esc cancels it") {
		t.Errorf("the running step's pane does not say how to cancel it:\n%s", h.screen())
	}
	h.keys("s")
	if bar = statusLine(h); !strings.Contains(bar, "secrets shown") && !strings.Contains(bar, "Secrets will be shown") {
		t.Errorf("revealing secrets is not flagged: %q", bar)
	}
}

func TestLongNoticeTakesTheWholeStatusBar(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Width: 80, Height: 24}, deps)
	h.keys("a", "up", "right", "right", "c") // step 4, curl tab, copy
	bar := statusLine(h)
	if !strings.Contains(bar, h.m.notice) || strings.Contains(bar, "…") {
		t.Fatalf("notice %q cut in the status bar: %q", h.m.notice, bar)
	}
}

func TestResultShowsWithoutScrolling(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Width: 80, Height: 24}, deps)
	// A long explanation, so the detail pane overflows.
	h.m.flow.Steps[0].Why = strings.Repeat("The platform verifies the assertion with its public half. ", 8)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if scr := h.screen(); !strings.Contains(scr, "a runs every remaining") || !strings.Contains(scr, "│ step.") {
		t.Errorf("the pane's note is cut at 80 columns:\n%s", scr)
	}
	h.keys("enter")
	scr := h.screen()
	if !strings.Contains(scr, "Result  Loaded .auth/local-1.pem") {
		t.Errorf("the step's result is scrolled out of sight:\n%s", scr)
	}
	if !strings.Contains(scr, "more: tab, ↓") {
		t.Errorf("an overflowing detail pane does not say how to scroll it:\n%s", scr)
	}
}

func TestCancelledStepIsNotDiagnosed(t *testing.T) {
	deps, _ := fakeDeps(fakeBrowserFlow())
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a", "esc")
	scr := h.screen()
	if !strings.Contains(scr, "Cancelled with esc") || strings.Contains(scr, "No known diagnosis") {
		t.Fatalf("a cancelled step reads as an unexplained failure:\n%s", scr)
	}
}

// loginFlow is a user-restricted flow in small: an authorise step that makes
// a single-use login (as the real one opens a listener that takes one
// callback), and a sign-in step with a Test user input that signs in by form
// or waits for a pasted URL.
func loginFlow(authorised *int) *flows.Flow {
	return &flows.Flow{
		ID: "fake-login", Title: "Fake login", Pattern: "A user signs in.",
		Steps: []flows.Step{
			{ID: "authorise", Title: "Authorise URL built", Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
				*authorised++
				j.Login.AuthURL = fakeBase + "/auth?state=s"
				j.Login.State = "s"
				return flows.Outcome{Summary: "Authorise URL ready"}
			}},
			{ID: "sign-in", Title: "Signed in", Wait: flows.WaitBrowser, PreparedBy: "authorise",
				Inputs: []flows.Input{{Key: "user", Label: "Test user",
					Get: func(j *flows.Journey) string { return j.Login.User },
					Set: func(j *flows.Journey, v string) error { j.Login.User = v; return nil }}},
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					if j.Login.State == "" {
						return flows.Fail(steps.WithHint(context.DeadlineExceeded, "The login was used.", "Run the authorise step again."))
					}
					j.Login.State = "" // used once
					if j.Login.Mode == flows.LoginForm {
						return flows.Outcome{Summary: "Signed in by form as " + j.Login.User}
					}
					select {
					case u := <-j.Login.Pasted:
						return flows.Outcome{Summary: "Signed in with " + u}
					case <-ctx.Done():
						return flows.Fail(ctx.Err())
					}
				}},
		},
	}
}

func loginHarness(t *testing.T, authorised *int) *harness {
	t.Helper()
	deps, _ := fakeDeps(loginFlow(authorised))
	build := deps.Journey
	deps.Journey = func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error) {
		j, cleanup, err := build(ctx, flowID, env, creds)
		if j != nil {
			j.Login.Mode = flows.LoginBrowser // as cmd_wizard builds it
		}
		return j, cleanup, err
	}
	return newHarness(t, Config{FlowID: "fake-login", Env: "local"}, deps)
}

func TestBrowserStepRerunGetsAFreshLogin(t *testing.T) {
	authorised := 0
	h := loginHarness(t, &authorised)
	h.keys("a", "esc") // cancel the wait: the login is spent
	if h.m.state != stateFailed || authorised != 1 {
		t.Fatalf("state %s, authorised %d times", h.m.state, authorised)
	}
	h.keys("enter")
	if authorised != 2 || h.m.state != stateAwaitingCallback {
		t.Fatalf("enter on the spent sign-in: authorised %d times, state %s; want a fresh authorise and the wait", authorised, h.m.state)
	}
	h.keys("p")
	h.typeText("http://127.0.0.1:1/callback?code=c&state=s")
	h.keys("enter")
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done:\n%s", h.m.state, h.screen())
	}
	// Re-running the authorise step by hand already made a fresh login:
	// the sign-in step then runs on it, without a second authorise.
	h.keys("g", "r")
	h.keys("down", "enter")
	if authorised != 3 || h.m.state != stateAwaitingCallback {
		t.Fatalf("authorised %d times, state %s; want 3 and the wait", authorised, h.m.state)
	}
}

// The Runner reports that it re-runs the step preparing a spent login, and
// the wizard says so while that step runs.
func TestSpentLoginNoticeNamesThePreparingStep(t *testing.T) {
	authorised := 0
	h := loginHarness(t, &authorised)
	h.keys("a", "esc") // the sign-in's login is spent
	_, cmd := h.m.Update(keyMsg("enter"))
	if want := "Step 2's login was used up: step 1 runs again first for a fresh one."; h.m.notice != want || h.m.running != 0 {
		t.Fatalf("notice %q, running step %d; want %q and step 1 running", h.m.notice, h.m.running+1, want)
	}
	h.spawn(cmd)
	h.settle(60 * time.Millisecond)
	if authorised != 2 || h.m.state != stateAwaitingCallback {
		t.Fatalf("authorised %d times, state %s; want 2 and the wait", authorised, h.m.state)
	}
}

func TestTestUserSignsInByForm(t *testing.T) {
	authorised := 0
	h := loginHarness(t, &authorised)
	h.keys("down")
	if scr := h.screen(); !strings.Contains(scr, "Opens the browser") || !strings.Contains(scr, "A test user (e) signs in by form instead") {
		t.Fatalf("the sign-in step does not say how it will sign in:\n%s", scr)
	}
	h.keys("e")
	h.typeText("656005750110")
	h.keys("enter")
	if got := h.m.journey.Login.Mode; got != flows.LoginForm {
		t.Fatalf("after choosing a test user the login mode is %s, want form", got)
	}
	if !strings.Contains(h.m.notice, "signs in as 656005750110 by submitting the login form") {
		t.Fatalf("notice = %q", h.m.notice)
	}
	h.keys("a")
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done without waiting for a browser:\n%s", h.m.state, h.screen())
	}
	if !strings.Contains(h.screen(), "Signed in by form as 656005750110") {
		t.Fatalf("summary:\n%s", h.screen())
	}
	// Clearing the test user brings the browser back.
	h.keys("up", "e", "ctrl+u", "enter")
	if got := h.m.journey.Login.Mode; got != flows.LoginBrowser {
		t.Fatalf("after clearing the test user the login mode is %s, want browser", got)
	}
}

func TestIDTokenHeaderIsNotExplainedAsAnAssertion(t *testing.T) {
	s := defaultStyles()
	idToken := tokenDoc{transcript.PresentToken(fakeJWT(`{"alg":"RS256","kid":"k1"}`, `{"iss":"http://127.0.0.1:8400/realms/Cis2-mock-local","sub":"656005750104","aud":"nhsauth-cis2-client","acr":"AAL3_ANY"}`), nil, nil)}
	got := idToken.view(s, 90, fixedNow, false)
	if strings.Contains(got, "client assertions") || strings.Contains(got, "your app's published JWKS") {
		t.Errorf("an ID token's header is explained as a client assertion's:\n%s", got)
	}
	if !strings.Contains(got, "issuer's published JWKS") {
		t.Errorf("kid not explained for an issuer's token:\n%s", got)
	}
	if !strings.Contains(got, "AAL3_ANY · A") {
		t.Errorf("claim explanations do not start with a capital:\n%s", got)
	}
	assertion := tokenDoc{transcript.PresentToken(fakeJWT(`{"alg":"RS512","kid":"local-1"}`, `{"iss":"k","sub":"k","aud":"http://127.0.0.1:8400/oauth2/token"}`), nil, nil)}
	if got := assertion.view(s, 90, fixedNow, false); !strings.Contains(got, "RS512 only") {
		t.Errorf("a client assertion's alg lacks the platform's rule:\n%s", got)
	}
}

func TestExchangesAreSeparatedByOneBlankLine(t *testing.T) {
	s := defaultStyles()
	exs := []steps.Exchange{
		{Title: "JWKS", Synthetic: true, Note: "built", ReqBody: []byte(`{"keys":[]}`)},
		{Title: "Info", Method: "GET", URL: "http://x/", Status: 200, RespHeader: map[string][]string{"Date": {"today"}}},
		{Title: "Again", Method: "GET", URL: "http://x/", Status: 204},
	}
	red := &steps.Redactor{}
	for name, text := range map[string]string{"requests": renderRequests(s, transcript.PresentAll(exs, red)), "responses": renderResponses(s, transcript.PresentAll(exs, red))} {
		if strings.Contains(text, "\n\n\n") {
			t.Errorf("%s: more than one blank line between exchanges:\n%s", name, text)
		}
		if got := strings.Count(text, "\n\n── "); got != 2 {
			t.Errorf("%s: %d blank lines before headings, want 2:\n%s", name, got, text)
		}
	}
}

func TestHelpFitsAndScrollsAt80x24(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Width: 80, Height: 24}, deps)
	h.keys("?")
	scr := h.screen()
	if !strings.Contains(scr, "? or esc closes") {
		t.Fatalf("the help does not say how to close it:\n%s", scr)
	}
	if !strings.Contains(statusLine(h), "close help") {
		t.Errorf("status bar in the help: %q", statusLine(h))
	}
	h.keys("G")
	if scr = h.screen(); !strings.Contains(scr, "a private key is never") || !strings.Contains(scr, "mouse wheel") {
		t.Fatalf("the end of the help cannot be reached:\n%s", scr)
	}
	h.keys("esc")
	if h.m.help.open {
		t.Fatal("esc did not close the help")
	}
}

func TestCredentialsAskForTheSecretOnlyWhenTheFlowUsesIt(t *testing.T) {
	f := fakeAppFlow(fakeOpts{})
	f.Steps[0].Inputs = f.Steps[0].Inputs[:1] // no api-secret input
	deps, _ := fakeDeps(f)
	h := newHarness(t, Config{FlowID: "fake-app"}, deps)
	h.keys("down", "down", "enter") // int
	if h.m.state != stateCredentials {
		t.Fatalf("state = %s", h.m.state)
	}
	scr := h.screen()
	if strings.Contains(scr, "API secret") {
		t.Errorf("asks for a secret the flow never uses:\n%s", scr)
	}
	if !strings.Contains(scr, "enter continues") || !strings.Contains(statusLine(h), "enter continue") {
		t.Errorf("what enter does on the credentials form:\n%s", scr)
	}
}

func TestPasteFieldHints(t *testing.T) {
	deps, _ := fakeDeps(fakeBrowserFlow())
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a", "p")
	bar := statusLine(h)
	if !strings.Contains(bar, "enter send") || strings.Contains(bar, "next field") {
		t.Fatalf("paste field status bar: %q", bar)
	}
}

func TestRunningStepShowsElapsedTime(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	now := fixedNow
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{block: block}))
	deps.Now = func() time.Time { return now }
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local"}, deps)
	h.keys("a")
	now = now.Add(7 * time.Second)
	h.m.syncPanes()
	if !strings.Contains(h.screen(), "Running for 7 s… esc cancels it.") {
		t.Fatalf("no elapsed time while running:\n%s", h.screen())
	}
}

func TestSummaryBodyKeepsOneBlankLineBeforeSteps(t *testing.T) {
	c := &common{styles: defaultStyles(), keys: defaultKeyMap(), now: func() time.Time { return fixedNow }}
	sm := newSummary(c)
	sm.setSize(80, 20)
	sm.head, sm.tail = "API call HTTP 200 OK\n", "\nSteps\n"
	sm.setBody("{\n  \"message\": \"Hello User!\"\n}\n") // json.Indent keeps the trailing newline
	if strings.Contains(sm.text, "}\n\n\n") || !strings.Contains(sm.text, "}\n\nSteps") {
		t.Fatalf("summary text:\n%q", sm.text)
	}
}

func TestWrappedLinesKeepTheirIndentation(t *testing.T) {
	in := "  \"error_description\": \"Invalid 'kid' header in JWT - no matching public key\""
	got := hardwrapLines(in, 40)
	for i, l := range strings.Split(got, "\n") {
		if !strings.HasPrefix(l, "  ") || len(l) > 40 {
			t.Errorf("line %d %q: want at most 40 cells, indented like the first", i, l)
		}
	}
	if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
		t.Errorf("text changed:\n%s", got)
	}
}

func TestSyntheticNoteIsNotPrefixedTwice(t *testing.T) {
	s := defaultStyles()
	red := &steps.Redactor{}
	got := renderRequests(s, transcript.PresentAll([]steps.Exchange{{Title: "Authorise URL", Synthetic: true, Note: "Nothing is sent yet: the browser opens this URL."}}, red))
	if strings.Contains(got, "nothing sent: Nothing") || strings.Count(strings.ToLower(got), "nothing") != 1 {
		t.Errorf("note repeated:\n%s", got)
	}
	got = renderRequests(s, transcript.PresentAll([]steps.Exchange{{Title: "JWKS", Synthetic: true, Note: "The public key as a JWKS."}}, red))
	if !strings.Contains(got, "Built locally: nothing went over the wire.\nThe public key as a JWKS.") {
		t.Errorf("synthetic exchange:\n%s", got)
	}
}

// TestBrowserFailureShowsWhileWaiting: a browser command that fails while
// the sign-in step waits (flows.LoginState.Notify) shows at once on the
// wait screen, and the wait goes on: a pasted URL still finishes it.
func TestBrowserFailureShowsWhileWaiting(t *testing.T) {
	const note = "The browser command failed (exit status 1): open the authorise URL yourself; still waiting for the redirect or a pasted URL."
	f := loginFlow(new(int))
	wait := f.Steps[1].Run
	f.Steps[1].Run = func(ctx context.Context, j *flows.Journey) flows.Outcome {
		if j.Login.Notify != nil {
			j.Login.Notify(note + "\x1b[31m")
		}
		return wait(ctx, j)
	}
	deps, _ := fakeDeps(f)
	build := deps.Journey
	deps.Journey = func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error) {
		j, cleanup, err := build(ctx, flowID, env, creds)
		if j != nil {
			j.Login.Mode = flows.LoginBrowser
		}
		return j, cleanup, err
	}
	h := newHarness(t, Config{FlowID: "fake-login", Env: "local"}, deps)
	h.keys("a")
	h.waitFor("The browser command failed (exit status 1)", 5*time.Second)
	if h.m.state != stateAwaitingCallback {
		t.Fatalf("state = %s, want the wait to go on", h.m.state)
	}
	if strings.Contains(h.m.View(), "\x1b[31m") {
		t.Errorf("the notice's control characters reached the screen")
	}
	h.keys("p")
	h.typeText("http://127.0.0.1:1/callback?code=c&state=s")
	h.keys("enter")
	if h.m.state != stateDone {
		t.Fatalf("state = %s, want done:\n%s", h.m.state, h.screen())
	}
}
