package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// detailModel explains the selected step: what it does, why, the document
// that defines it, its inputs and its latest result.
type detailModel struct {
	pager
	title   string
	content string
}

func newDetail(c *common) detailModel {
	return detailModel{pager: newPager(c, 1)}
}

// setContent replaces the text; the pager is refilled only on change.
func (d *detailModel) setContent(title, content string) {
	d.title = title
	if content == d.content {
		return
	}
	d.content = content
	d.pager.setContent(content)
	d.gotoTop()
}

// wantHeight is the height that shows everything, borders included.
func (d detailModel) wantHeight() int { return strings.Count(d.content, "\n") + 3 }

func (d detailModel) update(msg tea.Msg) (detailModel, tea.Cmd) {
	var cmd tea.Cmd
	d.pager, cmd = d.pager.update(msg)
	return d, cmd
}

func (d detailModel) view() string {
	footer := d.indicator(false)
	if footer != "" && !d.focused {
		// The step list has the arrows: say how to reach the rest.
		footer = "more: tab, ↓ · " + footer
	}
	return d.pager.view(d.title, footer)
}

// stepDetail renders the detail text of step i at width w.
func stepDetail(c *common, r *flows.Runner, i int, rd *stepRender, spin string, w int) (title, body string) {
	s := c.styles
	st := r.Flow.Steps[i]
	res := r.Result(i)
	title = fmt.Sprintf("Step %d of %d · %s", i+1, r.Len(), st.Title)
	const lw = 8
	var b strings.Builder
	status := s.Status[res.Status].Render(glyphs[res.Status] + " " + res.Status.String())
	switch res.Status {
	case flows.StatusRunning:
		status = s.Status[res.Status].Render(spin + " running")
		if st.Wait == flows.WaitBrowser && (rd == nil || !rd.byForm) {
			status += s.Dim.Render(" · waiting for the browser")
		}
	case flows.StatusStale:
		status += s.Dim.Render(" · an input or an earlier step changed since it ran; run it again")
	case flows.StatusPending:
		if r.CanRun(i) {
			status += s.Dim.Render(" · enter runs it")
		}
	}
	if res.Runs > 1 {
		status += s.Dim.Render(fmt.Sprintf(" · ran %d times", res.Runs))
	}
	b.WriteString(c.labelled("Status", lw, status, w))
	// What the step learned comes right under its status: after a run it
	// is what the user looks for, and the explanation below may scroll.
	if rd != nil && rd.runs > 0 && rd.summary != "" {
		res := rd.summary
		for _, d := range rd.details {
			res += "\n" + d
		}
		b.WriteString("\n" + c.linkURLs(res, c.labelled("Result", lw, res, w)))
	}
	if rd != nil && rd.signIn != "" {
		how := transcript.Capitalise(rd.signIn) + "."
		for _, in := range rd.inputs {
			if in.key == "user" && in.editable && in.value == "" {
				how += " A test user (e) signs in by form instead."
			}
		}
		b.WriteString("\n" + c.labelled("Sign-in", lw, how, w))
	}
	if st.What != "" {
		b.WriteString("\n" + c.labelled("What", lw, st.What, w))
	}
	if st.Why != "" {
		b.WriteString("\n" + c.labelled("Why", lw, st.Why, w))
	}
	if st.Doc != "" {
		b.WriteString("\n" + c.linkURLs(st.Doc, c.labelled("Doc", lw, st.Doc, w)))
	}
	if rd != nil && len(rd.inputs) > 0 {
		b.WriteString("\n" + inputsView(c, rd.inputs, lw, w))
	}
	return title, b.String()
}

// inputsView lists a step's inputs with their current values.
func inputsView(c *common, ins []inputView, lw, w int) string {
	s := c.styles
	nw := 0
	for _, in := range ins {
		nw = max(nw, len(inputLabel(in)))
	}
	nw = min(nw, 22) + 2
	var b strings.Builder
	editable := false
	for i, in := range ins {
		editable = editable || in.editable
		v := in.value
		if v == "" {
			v = s.Dim.Render("(default)")
		}
		line := s.Dim.Render(fit(inputLabel(in), nw)) + indentAfterFirst(wrap(v, max(10, w-lw-nw)), lw+nw)
		if i == 0 {
			b.WriteString(s.Label.Render(fit("Inputs", lw)) + line)
		} else {
			b.WriteString("\n" + strings.Repeat(" ", lw) + line)
		}
	}
	if editable {
		b.WriteString("\n" + strings.Repeat(" ", lw) + s.Dim.Render("e edits these inputs"))
	}
	return b.String()
}

func inputLabel(in inputView) string {
	if in.label != "" {
		return in.label
	}
	return in.key
}
