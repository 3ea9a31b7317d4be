package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
)

// TestBreakItScreen picks wrong-kid on the break-it screen of the real
// app-restricted flow on the local platform: the journey is rebuilt with
// the fault, and the run stops at the token step with the platform's exact
// reply and the diagnosis naming the kid.
func TestBreakItScreen(t *testing.T) {
	h := appRestrictedLocal(t)
	h.keys("b")
	scr := h.screen()
	for _, want := range []string{"Break it on purpose", "No fault", "wrong-kid (client)", "rate-limited (platform)"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the break-it screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "code-replayed") {
		t.Errorf("the screen offers a fault that does not fit app-restricted:\n%s", scr)
	}
	// Down to wrong-kid, then choose it.
	for _, it := range faultItems("app-restricted") {
		if it.id == "wrong-kid" {
			break
		}
		h.keys("down")
	}
	h.keys("enter")
	if h.m.brk.open || h.m.brk.fault == nil || h.m.brk.fault.Name != "wrong-kid" {
		t.Fatalf("after enter: open %v, fault %v", h.m.brk.open, h.m.brk.fault)
	}
	h.waitFor("Key ready", 10*time.Second)
	if !strings.Contains(h.screen(), "break wrong-kid") {
		t.Errorf("the status bar does not show the armed fault:\n%s", h.screen())
	}
	h.keys("a")
	h.waitFor("Invalid 'kid' header in client_assertion JWT", 60*time.Second)
	if h.m.state != stateFailed {
		t.Fatalf("state %s, want failed", h.m.state)
	}
	if o := h.m.runner.Result(3).Outcome; !strings.Contains(o.Err.Error(), "no matching public key") || len(o.Hints) == 0 {
		t.Errorf("token step: %v, hints %v", o.Err, o.Hints)
	}
	// Esc closes the screen without a change; "none" takes the fault off.
	h.keys("b", "esc")
	if h.m.brk.open || h.m.brk.fault == nil {
		t.Fatalf("esc changed the choice: open %v, fault %v", h.m.brk.open, h.m.brk.fault)
	}
	h.keys("b", "home", "enter")
	if h.m.brk.fault != nil {
		t.Fatalf("none kept the fault %s", h.m.brk.fault.Name)
	}
}

// TestBreakItLocalOnly checks b off the local platform only says why.
func TestBreakItLocalOnly(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "int"}, deps)
	h.m.env = "int"
	h.m.state = stateReady
	h.keys("b")
	if h.m.brk.open {
		t.Fatal("the break-it screen opened off local")
	}
}

// TestBreakItKeyInAField: b typed into a step's input is a letter, not the
// break-it screen.
func TestBreakItKeyInAField(t *testing.T) {
	h := appRestrictedLocal(t)
	h.keys("e")
	if h.m.focusedField() == nil {
		t.Fatal("e opened no field")
	}
	h.keys("b")
	if h.m.brk.open {
		t.Fatal("b in a text field opened the break-it screen")
	}
}

// appRestrictedLocal is the wizard on the real app-restricted flow on an
// in-process local platform, its step screen showing.
func appRestrictedLocal(t *testing.T) *harness {
	t.Helper()
	build, _ := localJourney(t, flows.LoginForm)
	deps, _ := fakeDeps(flows.All()...)
	deps.Journey = build
	h := newHarness(t, Config{FlowID: "app-restricted", Env: "local", Width: 120, Height: 40}, deps)
	h.waitFor("Key ready", 10*time.Second)
	return h
}
