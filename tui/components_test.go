package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func testCommon() *common {
	return &common{styles: defaultStyles(), keys: defaultKeyMap(), now: func() time.Time { return fixedNow }}
}

func wheel(b tea.MouseButton, x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: b}
}

func TestListCursorStopsAtTheEnds(t *testing.T) {
	tests := []struct {
		name     string
		start, n int
		msg      tea.Msg
		want     int
	}{
		{"down", 0, 3, keyMsg("down"), 1},
		{"k is up", 2, 3, keyMsg("k"), 1},
		{"up at the top stays", 0, 3, keyMsg("up"), 0},
		{"down at the bottom stays", 2, 3, keyMsg("down"), 2},
		{"G to the bottom", 0, 3, keyMsg("G"), 2},
		{"g to the top", 2, 3, keyMsg("g"), 0},
		{"wheel down", 0, 3, wheel(tea.MouseButtonWheelDown, 0, 0), 1},
		{"wheel up at the top stays", 0, 3, wheel(tea.MouseButtonWheelUp, 0, 0), 0},
		{"wheel release ignored", 0, 3, tea.MouseMsg{Action: tea.MouseActionRelease, Button: tea.MouseButtonWheelDown}, 0},
		{"out of range clamped", 5, 3, keyMsg("x"), 2},
		{"no rows", 1, 0, keyMsg("down"), 0},
	}
	k := defaultKeyMap()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listCursor{cursor: tt.start}
			l.move(k, tt.msg, tt.n)
			if l.cursor != tt.want {
				t.Fatalf("cursor = %d, want %d", l.cursor, tt.want)
			}
		})
	}
}

func TestPagerScrollsAndSaysWhere(t *testing.T) {
	p := newPager(testCommon(), 3)
	p.setSize(20, 5) // 3 lines inside the frame
	p.setContent("one line")
	if got := p.indicator(true); got != "" {
		t.Fatalf("text that fits: indicator %q, want none", got)
	}
	p.setContent(strings.Repeat("line\n", 9) + "last")
	if got := p.indicator(true); got != "3/10 lines · 0%" {
		t.Fatalf("indicator %q", got)
	}
	p, _ = p.update(wheel(tea.MouseButtonWheelDown, 0, 0))
	if p.yOffset != 3 {
		t.Fatalf("wheel down: offset %d, want 3", p.yOffset)
	}
	p, _ = p.update(keyMsg("pgdown"))
	if p.yOffset != 6 {
		t.Fatalf("page down: offset %d, want 6", p.yOffset)
	}
	p, _ = p.update(keyMsg("G"))
	if got := p.indicator(false); got != "100%" || p.moreBelow() {
		t.Fatalf("at the bottom: indicator %q, more below %v", got, p.moreBelow())
	}
	if got := p.view("T", ""); !strings.Contains(got, "last") || strings.Count(got, "\n") != 4 {
		t.Fatalf("view is not a 5-line frame ending on the last line:\n%s", got)
	}
}

func TestTabsSwitchFromAnyPaneAndWrapRound(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	if h.m.focus != focusSteps || h.m.pane.tab != tabResponse {
		t.Fatalf("focus %d tab %s, want the step list and Response", h.m.focus, h.m.pane.tab)
	}
	for _, want := range []tab{tabToken, tabCurl, tabRequest} {
		h.keys("right")
		if h.m.pane.tab != want {
			t.Fatalf("right: tab %s, want %s", h.m.pane.tab, want)
		}
	}
	h.keys("left")
	if h.m.pane.tab != tabCurl || h.m.steps.cursor != 0 {
		t.Fatalf("left from Request: tab %s cursor %d, want curl with the selection kept", h.m.pane.tab, h.m.steps.cursor)
	}
	h.keys("a") // the summary row
	h.keys("right")
	if h.m.pane.tab != tabRequest {
		t.Fatalf("right on the summary: tab %s, want Request", h.m.pane.tab)
	}
}

// scrollHarness is a finished one-step flow whose long explanation and
// response overflow their panes, with the step selected.
func scrollHarness(t *testing.T) *harness {
	t.Helper()
	f := largeBodyFlow(largeJSON(8 << 10))
	f.Steps[0].Why = strings.Repeat("The platform verifies the assertion with its public half. ", 12)
	deps, _ := fakeDeps(f)
	h := newHarness(t, Config{FlowID: "large", Env: "local"}, deps)
	h.keys("enter", "up")
	if h.m.steps.cursor != 0 || !h.m.detail.overflows() || !h.m.pane.overflows() {
		t.Fatalf("cursor %d, detail overflows %v, pane overflows %v", h.m.steps.cursor, h.m.detail.overflows(), h.m.pane.overflows())
	}
	return h
}

func TestMouseWheelScrollsThePaneUnderThePointer(t *testing.T) {
	h := scrollHarness(t)
	right := h.m.steps.width + 2
	h.send(wheel(tea.MouseButtonWheelDown, right, 2))
	if h.m.detail.yOffset != 1 || h.m.pane.yOffset != 0 {
		t.Fatalf("wheel over the detail: detail %d, pane %d; want 1, 0", h.m.detail.yOffset, h.m.pane.yOffset)
	}
	h.send(wheel(tea.MouseButtonWheelDown, right, 1+h.m.detail.height+2))
	if h.m.pane.yOffset != 3 || h.m.detail.yOffset != 1 {
		t.Fatalf("wheel over the exchanges: pane %d, detail %d; want 3, 1", h.m.pane.yOffset, h.m.detail.yOffset)
	}
	if h.m.focus != focusSteps {
		t.Fatalf("the wheel moved the focus to %d", h.m.focus)
	}
	h.send(wheel(tea.MouseButtonWheelDown, 1, 3))
	if !h.m.steps.onSummary(h.m.runner) {
		t.Fatalf("wheel over the step list: cursor %d, want the summary row", h.m.steps.cursor)
	}
}

func TestPageKeysScrollTheExchangesFromTheStepList(t *testing.T) {
	h := scrollHarness(t)
	h.keys("pgdown")
	if h.m.pane.yOffset == 0 || h.m.steps.cursor != 0 || h.m.detail.yOffset != 0 {
		t.Fatalf("pgdown on the step list: pane %d, cursor %d, detail %d", h.m.pane.yOffset, h.m.steps.cursor, h.m.detail.yOffset)
	}
	h.keys("tab", "down") // the detail has the keys now
	if h.m.detail.yOffset != 1 || h.m.steps.cursor != 0 {
		t.Fatalf("down in the detail: detail %d, cursor %d", h.m.detail.yOffset, h.m.steps.cursor)
	}
}

func TestHelpPageKeysGoToEitherEnd(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Width: 80, Height: 24}, deps)
	h.keys("?")
	if !strings.Contains(h.screen(), "↓ more") {
		t.Fatalf("the help does not say there is more:\n%s", h.screen())
	}
	h.keys("pgdown")
	if strings.Contains(h.screen(), "↓ more") {
		t.Fatalf("pgdown did not reach the end of the help:\n%s", h.screen())
	}
	h.keys("pgup")
	if h.m.help.yOffset != 0 {
		t.Fatalf("pgup: offset %d, want the top", h.m.help.yOffset)
	}
}
