package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestSequenceViewFollowsTheRun: v swaps the detail for the sequence view
// and back; while a step runs the finished steps' arrows show and the
// running one says so; its arrows come when it ends.
func TestSequenceViewFollowsTheRun(t *testing.T) {
	block := make(chan struct{})
	h := stepScreen(t, fakeOpts{block: block})
	h.keys("v")
	if scr := h.screen(); !strings.Contains(scr, "─ Sequence ") || !strings.Contains(scr, "App") || strings.Contains(scr, "Status ") {
		t.Fatalf("v does not show the sequence view:\n%s", scr)
	}
	h.keys("a")
	scr := h.screen()
	for _, want := range []string{"◆", "Client assertion", "› 3 ● Token requested", "running…"} {
		if !strings.Contains(scr, want) {
			t.Errorf("while the token step runs, the sequence lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "POST /oauth2/token") {
		t.Errorf("the running step's request is drawn before it ends:\n%s", scr)
	}
	close(block)
	h.waitFor("GET /hello-world/hello/application", 5e9)
	if scr := h.screen(); !strings.Contains(scr, "POST /oauth2/token") || !strings.Contains(scr, "200 OK") {
		t.Errorf("the finished flow's sequence lacks the token request:\n%s", scr)
	}
	h.keys("v")
	if scr := h.screen(); strings.Contains(scr, "─ Sequence ") {
		t.Errorf("v again does not go back:\n%s", scr)
	}
}

// TestSequenceViewScrollsToTheSelectedStep: in a sequence longer than its
// frame, the selected step's heading is kept in view; pgup scrolls back.
func TestSequenceViewScrollsToTheSelectedStep(t *testing.T) {
	h := sequenceScreen(t, "cis2-combined", false, 80, 24)
	h.keys("up", "v") // the last step, sign-out
	if scr := h.screen(); !strings.Contains(scr, "› 9 ✓ Back-channel logout") || strings.Contains(scr, "1 ✓ The app's registration") {
		t.Fatalf("the view is not scrolled to step 9:\n%s", scr)
	}
	h.keys("g") // the first step
	if scr := h.screen(); !strings.Contains(scr, "› 1 ✓ The app's registration") {
		t.Fatalf("selecting step 1 does not scroll back to it:\n%s", scr)
	}
}

// TestSequenceViewWheel: with the sequence view over the whole 80-column
// screen, the mouse wheel scrolls it, wherever the pointer is.
func TestSequenceViewWheel(t *testing.T) {
	h := sequenceScreen(t, "cis2-combined", false, 80, 24)
	h.keys("up", "v")
	before := h.m.seq.yOffset
	if before == 0 {
		t.Fatalf("the view is not scrolled down to step 9")
	}
	h.send(tea.MouseMsg{X: 5, Y: 5, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelUp})
	if h.m.seq.yOffset >= before {
		t.Errorf("the wheel did not scroll the sequence up: offset %d, was %d", h.m.seq.yOffset, before)
	}
}

// TestSequenceViewMarksAFailedCheck: a step that failed without a failed
// reply (here, a key file missing) is marked ✗ on the app's lifeline with
// the reason.
func TestSequenceViewMarksAFailedCheck(t *testing.T) {
	h := stepScreen(t, fakeOpts{failAt: 1})
	h.keys("a", "v")
	if scr := h.screen(); !strings.Contains(scr, "✗ read .auth/local-1.pem: no such file") {
		t.Errorf("the failed check is not marked:\n%s", scr)
	}
}
