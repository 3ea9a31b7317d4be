package tui

import (
	"strings"
	"testing"
	"time"
)

// TestQuitSummary: after a finished run the summary names the flow, the
// environment, each step's outcome, the API's status and the export; it
// masks secrets even when the wizard shows them.
func TestQuitSummary(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a")
	h.waitFor("4/4 done", 20*time.Second)
	h.keys("s") // show secrets
	if !h.m.reveal {
		t.Fatal("s did not reveal the secrets")
	}
	h.m.journey.Secret(fakeAccess)
	h.m.exportPath = "journey.har"
	got := h.m.QuitSummary()
	for _, want := range []string{"nhsauth: Fake application-restricted (fake-app)", "Environment: local", "✓ 1 Key ready: ", "✓ 4 API called: ", "4 of 4 steps done.", "API: HTTP 200 OK", "Export: journey.har"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the summary:\n%s", want, got)
		}
	}
	if strings.Contains(got, fakeAccess) {
		t.Errorf("the summary shows the access token:\n%s", got)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("the summary has escape sequences: %q", got)
	}
}

// TestQuitSummaryWhileAStepRuns: quitting mid-step gives the steps' record
// without reading the journey the step still holds.
func TestQuitSummaryWhileAStepRuns(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	h := stepScreen(t, fakeOpts{block: block})
	h.keys("a")
	for deadline := time.Now().Add(20 * time.Second); h.m.running != 2; h.settle(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("step 3 never ran (running %d)", h.m.running)
		}
	}
	got := h.m.QuitSummary()
	if !strings.Contains(got, "✓ 2 Assertion signed") || !strings.Contains(got, "3 Token requested (running)") || !strings.Contains(got, "Environment: local\n") {
		t.Fatalf("summary while step 3 runs:\n%s", got)
	}
	if (&Model{}).QuitSummary() != "" {
		t.Fatal("a summary before any journey")
	}
}
