package tui

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
)

// Mouse mode: off by default, so the terminal's own selection and copying
// work; m turns capture on, and then a click selects a step or a tab and the
// wheel scrolls the pane under the pointer.

// mouseKey is m on any screen but a text field: it turns mouse capture on or
// off.
func (m *Model) mouseKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if m.focusedField() != nil || !key.Matches(msg, m.common.keys.Mouse) {
		return nil, false
	}
	m.mouse = !m.mouse
	m.common.keys.Mouse.SetHelp("m", mouseHelp(m.mouse))
	if m.mouse {
		m.notice = "Mouse on: click a step or a tab, the wheel scrolls; m turns it off so the terminal can select text."
		return tea.EnableMouseCellMotion, true
	}
	m.notice = "Mouse off: the terminal selects and copies text again."
	return tea.DisableMouse, true
}

func mouseHelp(on bool) string {
	if on {
		return "mouse off"
	}
	return "mouse on"
}

// click handles a left click on the step screen: on a step (or the Summary
// row) it selects it, on a tab of the exchange pane it opens that tab. It
// reports whether the click hit one.
func (s *stepPanes) click(msg tea.MouseMsg, r *flows.Runner, spin string) bool {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft || r == nil {
		return false
	}
	if msg.X < s.steps.width {
		row, ok := stepAtLine(s.steps.view(r, spin), msg.Y-1)
		if ok && row < rows(r) {
			s.steps.cursor = row
			s.focus = focusSteps
		}
		return ok
	}
	if s.steps.onSummary(r) {
		return false
	}
	i := s.steps.cursor
	top := 1 + s.detail.height
	if i < r.Len() && r.Result(i).Status == flows.StatusFailed {
		top += s.diagHeight
	}
	if msg.Y != top {
		return false
	}
	if t, ok := tabAt(s.pane.view(), msg.X-s.steps.width); ok {
		s.pane.tab = t
		s.focus = focusExchange
		return true
	}
	return false
}

// stepRow matches the first line of a step in the step list: the
// selection mark, the step's number and its status glyph.
var stepRow = regexp.MustCompile(`^[│┃] [ ›]\s*(\d+) `)

// stepAtLine is the row of the step list (a step's index, or the Summary
// row after the last step) shown on line y of the list's frame; a wrapped
// title's second line belongs to its step.
func stepAtLine(list string, y int) (int, bool) {
	lines := strings.Split(ansi.Strip(list), "\n")
	if y < 1 || y >= len(lines)-1 {
		return 0, false // the frame's top or bottom edge
	}
	if strings.Contains(lines[y], "≡ Summary") {
		n := 0
		for _, l := range lines[:y] {
			if stepRow.MatchString(l) {
				n++
			}
		}
		return n, true
	}
	for k := y; k >= 1; k-- {
		if sm := stepRow.FindStringSubmatch(lines[k]); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			return n - 1, true
		}
		if strings.TrimSpace(strings.Trim(lines[k], "│┃")) == "" {
			return 0, false // a blank line between rows
		}
	}
	return 0, false
}

// tabAt is the tab whose name is at column x of the exchange pane's top
// edge.
func tabAt(pane string, x int) (tab, bool) {
	top, _, _ := strings.Cut(ansi.Strip(pane), "\n")
	cells := []rune(top)
	for t := range numTabs {
		name := []rune(t.String())
		for at := 0; at+len(name) <= len(cells); at++ {
			if string(cells[at:at+len(name)]) == string(name) {
				if x >= at-1 && x <= at+len(name) {
					return t, true
				}
				break
			}
		}
	}
	return 0, false
}
