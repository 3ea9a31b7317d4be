package tui

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
)

// localJourney starts an in-process local platform publishing keys from a
// fresh folder and returns a journey builder for it (2048-bit keys: fast
// under -race).
func localJourney(t *testing.T, mode flows.LoginMode) (JourneyFunc, **flows.Journey) {
	t.Helper()
	dir := t.TempDir()
	ts := httptest.NewServer(mock.New(mock.Options{KeysDir: dir}))
	t.Cleanup(ts.Close)
	var built *flows.Journey
	var mu sync.Mutex
	return func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error) {
		hc := ts.Client()
		hc.Timeout = 20 * time.Second
		j := flows.NewJourney(flows.Local(ts.URL), hc)
		j.KeyDir, j.KeyBits = dir, 2048
		j.Login.Mode = mode
		j.Login.User = "656005750104"
		mu.Lock()
		built = j
		mu.Unlock()
		return j, func() {}, nil
	}, &built
}

// TestRealAppRestrictedFlow runs the real application-restricted flow
// against the local platform and checks the screen for the API's answer, and
// every tab of every step for leaked secrets.
func TestRealAppRestrictedFlow(t *testing.T) {
	build, _ := localJourney(t, flows.LoginForm)
	deps, copied := fakeDeps(flows.All()...)
	deps.Journey = build
	h := newHarness(t, Config{FlowID: "app-restricted", Env: "local"}, deps)
	h.keys("a")
	h.waitFor("5/5 done", 60*time.Second)
	if h.m.state != stateDone || !strings.Contains(h.screen(), "Hello Application!") {
		t.Fatalf("state = %s, want done with the API's answer:\n%s", h.m.state, h.screen())
	}
	j := h.m.journey
	secrets := []string{j.Token.AccessToken, j.Assertion}
	h.keys("g", "tab", "tab") // step 1, exchange pane
	for i := range h.m.runner.Len() {
		h.m.steps.cursor = i
		for range numTabs {
			h.keys("right")
			scr := h.screen()
			for _, s := range secrets {
				if leaks(scr, s) {
					t.Fatalf("step %d tab %s shows a secret:\n%s", i+1, h.m.pane.tab, scr)
				}
			}
			if strings.Contains(scr, "PRIVATE KEY") {
				t.Fatalf("step %d tab %s shows a private key", i+1, h.m.pane.tab)
			}
		}
		h.keys("c")
		for _, c := range *copied {
			for _, s := range secrets {
				if s != "" && strings.Contains(c, s) {
					t.Fatalf("c copied a secret from step %d: %q", i+1, c)
				}
			}
		}
	}
	// Revealed, the assertion does show: the check above can see a leak.
	h.keys("s")
	for i := range h.m.runner.Len() {
		if h.m.runner.Result(i).Outcome.JWT == j.Assertion {
			h.m.steps.cursor = i
		}
	}
	h.m.pane.tab = tabToken
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !leaks(h.screen(), j.Assertion) {
		t.Fatalf("revealed, the Token tab does not show the assertion:\n%s", h.screen())
	}
}

// TestRealCIS2SeparateFlow drives the real CIS2 separate flow (sign-in by
// form) through a real Bubble Tea program with teatest.
func TestRealCIS2SeparateFlow(t *testing.T) {
	build, _ := localJourney(t, flows.LoginForm)
	deps, _ := fakeDeps(flows.All()...)
	deps.Journey = build
	m := New(Config{FlowID: "cis2-separate", Env: "local", Width: 100, Height: 30}, deps)
	t.Cleanup(m.Close)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Obtain the mock")) },
		teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains([]byte(ansi.Strip(string(b))), []byte("Hello User!")) },
		teatest.WithDuration(60*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if !ok {
		t.Fatal("final model is not *Model")
	}
	if fm.state != stateDone {
		t.Fatalf("state = %s, want done", fm.state)
	}
	if !strings.Contains(string(fm.journey.API.Body), "Hello User!") {
		t.Fatalf("API body = %s", fm.journey.API.Body)
	}
}

// leaks reports whether any 12-character piece of secret shows on screen:
// a secret wrapped over several lines still has whole pieces on one.
func leaks(screen, secret string) bool {
	const n = 12
	for k := 0; k+n <= len(secret); k += n / 2 {
		if strings.Contains(screen, secret[k:k+n]) {
			return true
		}
	}
	return false
}
