package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// click is a left click at column x, row y of the screen.
func click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}
}

// TestMouseModeToggles: capture is off until m, and m turns it off again;
// a text field keeps its m.
func TestMouseModeToggles(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	if h.m.mouse {
		t.Fatal("mouse capture is on from the start")
	}
	_, cmd := h.m.Update(keyMsg("m"))
	if !h.m.mouse || cmd == nil || !strings.Contains(h.m.notice, "Mouse on") {
		t.Fatalf("m did not turn the mouse on (notice %q)", h.m.notice)
	}
	h.keys("m")
	if h.m.mouse || !strings.Contains(h.screen(), "m turns it") && !strings.Contains(h.m.notice, "Mouse off") {
		t.Fatalf("m did not turn the mouse off (notice %q)", h.m.notice)
	}
	h.keys("e") // the selected step's inputs
	if h.m.form != nil {
		h.keys("m")
		if h.m.mouse {
			t.Fatal("m typed into a field turned the mouse on")
		}
	}
}

// TestClicksSelectStepsAndTabs: a click on a step's line selects it, on the
// Summary row the summary, and on a tab's name opens that tab.
func TestClicksSelectStepsAndTabs(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a")
	h.waitFor("4/4 done", 20*time.Second)
	lines := strings.Split(h.screen(), "\n")
	row := func(text string) int {
		for y, l := range lines {
			if strings.Contains(l, text) {
				return y
			}
		}
		t.Fatalf("no %q on the screen:\n%s", text, h.screen())
		return -1
	}
	h.send(click(5, row("Assertion signed")))
	if h.m.steps.cursor != 1 {
		t.Fatalf("clicking step 2 selected row %d", h.m.steps.cursor)
	}
	scr := h.screen()
	lines = strings.Split(scr, "\n")
	y := row("Response")
	x := strings.Index(string([]rune(lines[y])), "Token")
	x = len([]rune(lines[y][:x]))
	h.send(click(x+1, y))
	if h.m.pane.tab != tabToken {
		t.Fatalf("clicking the Token tab opened %s:\n%s", h.m.pane.tab, scr)
	}
	h.send(click(5, row("≡ Summary")))
	if !h.m.steps.onSummary(h.m.runner) {
		t.Fatalf("clicking Summary selected row %d", h.m.steps.cursor)
	}
}
