package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTooSmallMessageFits: at every size from 20×5 up to the smallest
// layout, the too-small message fits whole: no line wider than the screen,
// no more lines than it has, and it still names the size needed.
func TestTooSmallMessageFits(t *testing.T) {
	for w := 20; w < 40; w++ {
		for h := 5; h < 12; h++ {
			out := tooSmallView(w, h)
			lines := strings.Split(out, "\n")
			if len(lines) > h {
				t.Fatalf("%d×%d: %d lines:\n%s", w, h, len(lines), out)
			}
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Fatalf("%d×%d: line %q is wider", w, h, l)
				}
			}
			if !strings.Contains(strings.Join(strings.Fields(out), " "), "80×24") {
				t.Fatalf("%d×%d: the size needed is not named:\n%s", w, h, out)
			}
		}
	}
}

// TestFlowPickerHeaderAfterEsc: going back to the flow picker leaves no
// flow named in the header or the status bar.
func TestFlowPickerHeaderAfterEsc(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}), fakeBrowserFlow())
	h := newHarness(t, Config{}, deps)
	h.keys("enter") // the first flow; the environment picker
	if first := strings.SplitN(h.screen(), "\n", 2)[0]; !strings.Contains(first, "Fake") {
		t.Fatalf("the env picker's header does not name the chosen flow: %q", first)
	}
	h.keys("esc")
	scr := h.screen()
	first := strings.SplitN(scr, "\n", 2)[0]
	lines := strings.Split(scr, "\n")
	last := lines[len(lines)-1]
	if h.m.state != statePickFlow || strings.Contains(first, "Fake") || strings.Contains(last, "fake-") {
		t.Fatalf("after esc (state %s) the header %q or status bar %q names the old flow", h.m.state, first, last)
	}
}
