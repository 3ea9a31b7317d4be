package tui

import (
	"strings"
	"testing"
)

// stepListText is the step list's column of the screen, its lines joined
// by single spaces, without the frame.
func stepListText(h *harness) string {
	var parts []string
	for _, line := range strings.Split(h.screen(), "\n") {
		r := []rune(line)
		if len(r) < h.m.steps.width {
			continue
		}
		parts = append(parts, strings.Trim(string(r[:h.m.steps.width]), "│┃╭╮╰╯┏┓┗┛─━ "))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// TestNewcomerWalkTitlesAt80x24: at 80×24, every flow's step list shows
// every step's whole title (wrapped, never cut with "…"), before the run
// and when it has finished.
func TestNewcomerWalkTitlesAt80x24(t *testing.T) {
	for id := range sequenceWire {
		t.Run(id, func(t *testing.T) {
			h := sequenceScreen(t, id, false, 80, 24)
			if h.m.state != stateDone {
				t.Fatalf("state %s, want done", h.m.state)
			}
			for _, when := range []string{"finished", "first step selected"} {
				list := stepListText(h)
				if strings.Contains(list, "…") {
					t.Errorf("%s: a title is cut: %q", when, list)
				}
				for _, st := range h.m.runner.Flow.Steps {
					if !strings.Contains(list, st.Title) {
						t.Errorf("%s: step list lacks %q:\n%s", when, st.Title, h.screen())
					}
				}
				h.keys("g")
			}
		})
	}
}

// TestGoldenStepTitlesWrapped80x24: cis2-separate's nine steps at 80×24,
// the list just wide enough for each title to wrap in two lines.
func TestGoldenStepTitlesWrapped80x24(t *testing.T) {
	h := sequenceScreen(t, "cis2-separate", true, 80, 24)
	requireScreen(t, h)
}
