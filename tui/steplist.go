package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// stepListModel is the left column: every step with its number, status glyph
// and title, plus a Summary row once the flow has finished.
type stepListModel struct {
	c *common
	listCursor
	width, height int
	focused       bool
}

func newStepList(c *common) stepListModel { return stepListModel{c: c} }

func (l *stepListModel) setSize(w, h int) { l.width, l.height = w, h }

// rows is the number of selectable rows: the steps, and the summary when r
// has finished.
func rows(r *flows.Runner) int {
	if r == nil {
		return 0
	}
	if r.Finished() {
		return r.Len() + 1
	}
	return r.Len()
}

// update moves the selection on the scroll keys and the mouse wheel.
func (l stepListModel) update(msg tea.Msg, r *flows.Runner) (stepListModel, tea.Cmd) {
	l.move(l.c.keys, msg, rows(r))
	return l, nil
}

// onSummary reports whether the Summary row is selected.
func (l stepListModel) onSummary(r *flows.Runner) bool {
	return r != nil && r.Finished() && l.cursor == r.Len()
}

func (l stepListModel) view(r *flows.Runner, spin string) string {
	if r == nil {
		return ""
	}
	s := l.c.styles
	inner := innerWidth(l.width)
	const prefix = titlePrefix
	// Long titles wrap under themselves when every step still fits (the
	// list is made wide enough for that: listWidth); otherwise they are cut.
	titles := make([][]string, r.Len())
	for i, st := range r.Flow.Steps {
		titles[i] = strings.Split(wrap(st.Title, inner-prefix), "\n")
	}
	if total, _ := titleLines(r.Flow, inner-prefix); total+2 > l.height-2 {
		for i, st := range r.Flow.Steps {
			titles[i] = []string{st.Title}
		}
	}
	var b strings.Builder
	for i := range r.Flow.Steps {
		res := r.Result(i)
		glyph := glyphs[res.Status]
		if res.Status == flows.StatusRunning && spin != "" {
			glyph = spin
		}
		mark := " "
		if i == l.cursor {
			mark = "›" // the selection shows without colour too
		}
		for k, t := range titles[i] {
			num := fmt.Sprintf("%s%2d ", mark, i+1)
			head := num + glyph + " "
			if k > 0 {
				head = strings.Repeat(" ", prefix)
			}
			line := fit(head+t, inner)
			if i == l.cursor {
				line = s.Selected.Render(line)
			} else if k == 0 {
				line = s.Dim.Render(num) + s.Status[res.Status].Render(glyph) + fit(" "+t, inner-prefix+1)
			}
			b.WriteString(line + "\n")
		}
	}
	if r.Finished() {
		line := "    ≡ Summary"
		if l.cursor == r.Len() {
			line = s.Selected.Render(fit("›   ≡ Summary", inner))
		} else {
			line = s.OK.Render(line)
		}
		b.WriteString("\n" + line + "\n")
	}
	done := 0
	for i := range r.Len() {
		if st := r.Result(i).Status; st == flows.StatusDone || st == flows.StatusSkipped {
			done++
		}
	}
	footer := fmt.Sprintf("%d/%d done", done, r.Len())
	return l.c.frame("Steps", footer, strings.TrimRight(b.String(), "\n"), l.width, l.height, l.focused)
}

// titlePrefix is the cells before a step's title: "›nn g ".
const titlePrefix = 6

// titleLines is how many lines f's step titles take wrapped at w cells, in
// all and for the longest.
func titleLines(f *flows.Flow, w int) (total, most int) {
	for _, st := range f.Steps {
		n := strings.Count(wrap(st.Title, w), "\n") + 1
		total += n
		most = max(most, n)
	}
	return total, most
}

// listWidth is the step list's width on a screen w cells wide and h high
// (the list's height): 30% of the width (24 to 36 cells), or wider, up to
// 40% of the screen, so that every title of f fits in two lines and the
// whole list in its frame (a cut title reads "Obtain the mo…").
func listWidth(f *flows.Flow, w, h int) int {
	lw := max(24, min(36, w*3/10))
	if f == nil {
		return lw
	}
	for try := lw; try <= max(lw, min(36, w*2/5)); try++ {
		text := innerWidth(try) - titlePrefix
		if total, most := titleLines(f, text); most <= 2 && total+2 <= h-2 {
			return try
		}
	}
	return lw
}
