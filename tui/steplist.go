package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// stepListModel is the left column: every step with its number, status glyph
// and title, plus a Summary row once the flow has finished.
type stepListModel struct {
	c             *common
	cursor        int
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

// clamp keeps the cursor on a row that exists.
func (l *stepListModel) clamp(r *flows.Runner) {
	n := rows(r)
	l.cursor = max(0, min(l.cursor, n-1))
}

func (l stepListModel) update(msg tea.Msg, r *flows.Runner) (stepListModel, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return l, nil
	}
	switch {
	case key.Matches(k, l.c.keys.Up):
		l.cursor--
	case key.Matches(k, l.c.keys.Down):
		l.cursor++
	case key.Matches(k, l.c.keys.Top):
		l.cursor = 0
	case key.Matches(k, l.c.keys.Bottom):
		l.cursor = rows(r) - 1
	}
	l.clamp(r)
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
	const prefix = 6 // "›nn g "
	// Long titles wrap under themselves when every step still fits;
	// otherwise they are cut.
	titles := make([][]string, r.Len())
	total := 0
	for i, st := range r.Flow.Steps {
		titles[i] = strings.Split(wrap(st.Title, inner-prefix), "\n")
		total += len(titles[i])
	}
	if total+2 > l.height-2 {
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
