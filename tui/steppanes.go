package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// focusPane is the step screen's pane that scroll keys act on.
type focusPane int

const (
	focusSteps focusPane = iota
	focusDetail
	focusExchange
	numPanes
)

// stepPanes is the step screen's panes: the step list on the left and, on
// the right, the selected step's detail, its diagnosis when it failed and
// its exchanges, or the flow's summary on the Summary row. It owns which
// pane has the keys, routes scroll keys and the mouse to it, and shares the
// right column's height out. (The root embeds it, so the journey's code
// reads m.steps, m.summary and m.focus.)
type stepPanes struct {
	c             *common
	width, height int
	focus         focusPane
	steps         stepListModel
	detail        detailModel
	diagHeight    int // the diagnosis box's height; 0 hides it
	pane          exchangePane
	summary       summaryModel
	seq           sequenceModel
	flow          *flows.Flow // whose step titles the list's width fits
	showSeq       bool        // v: the sequence view in the detail's place
}

// journeyView is what the step screen shows of the journey, read afresh
// for every sync and every frame.
type journeyView struct {
	runner    *flows.Runner
	renders   []stepRender
	spin      string    // the spinner's frame
	runStart  time.Time // when the running step started
	revealGen int       // bumped on every reveal toggle
	reveal    bool
}

func newStepPanes(c *common) stepPanes {
	return stepPanes{c: c, steps: newStepList(c), detail: newDetail(c), pane: newExchangePane(c), summary: newSummary(c), seq: newSequence(c)}
}

func (s *stepPanes) leftWidth() int  { return listWidth(s.flow, s.width, s.height) }
func (s *stepPanes) rightWidth() int { return s.width - s.leftWidth() }

// setSize sizes the columns; the right column's detail, diagnosis and
// exchanges are shared out by show, as their share depends on the step.
func (s *stepPanes) setSize(w, h int) {
	s.width, s.height = w, h
	s.steps.setSize(s.leftWidth(), h)
	s.summary.setSize(s.summaryWidth(), h)
}

// update handles the panes' keys and the mouse: tab and shift+tab move the
// focus, ← and → switch the exchange pane's tabs from any pane, the page
// keys scroll the exchanges (or the summary) from the step list too, the
// other keys go to the focused pane and the mouse to the pane under it.
func (s stepPanes) update(msg tea.Msg, r *flows.Runner) (stepPanes, tea.Cmd) {
	k := s.c.keys
	to := s.focus
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.NextPane):
			s.focus = (s.focus + 1) % numPanes
			return s, nil
		case key.Matches(msg, k.PrevPane):
			s.focus = (s.focus + numPanes - 1) % numPanes
			return s, nil
		case key.Matches(msg, k.Sequence):
			s.showSeq = !s.showSeq
			return s, nil
		case key.Matches(msg, k.NextTab, k.PrevTab):
			s.pane, cmd = s.pane.update(msg)
			return s, cmd
		case to == focusSteps && key.Matches(msg, k.PageUp, k.PageDown):
			to = focusExchange
		}
	case tea.MouseMsg:
		if s.click(msg, r, "") {
			return s, nil
		}
		to = s.paneAt(msg.X, msg.Y)
	}
	switch {
	case to == focusSteps:
		s.steps, cmd = s.steps.update(msg, r)
	case s.seqHasKeys(r, to):
		s.seq, cmd = s.seq.update(msg)
	case s.steps.onSummary(r):
		s.summary, cmd = s.summary.update(msg)
	case to == focusDetail:
		s.detail, cmd = s.detail.update(msg)
	default:
		s.pane, cmd = s.pane.update(msg)
	}
	return s, cmd
}

// paneAt is the pane at column x, row y of the screen (the header is row 0).
func (s *stepPanes) paneAt(x, y int) focusPane {
	switch {
	case s.seqFull():
		return focusDetail // the sequence view covers the screen
	case x < s.steps.width:
		return focusSteps
	case y < 1+s.detail.height:
		return focusDetail
	}
	return focusExchange
}

// show fills the panes for the selected step and shares the right column's
// height between detail, diagnosis and exchanges.
func (s *stepPanes) show(v journeyView) {
	r := v.runner
	if r.Flow != s.flow {
		s.flow = r.Flow
		s.setSize(s.width, s.height)
	}
	s.steps.clamp(rows(r))
	s.steps.focused = s.focus == focusSteps
	s.detail.focused = s.focus == focusDetail
	s.pane.focused = s.focus == focusExchange
	s.summary.focused = s.focus != focusSteps
	s.showSequence(v)
	i := s.steps.cursor
	if i >= r.Len() {
		return // the summary row
	}
	rd := &v.renders[i]
	res := r.Result(i)
	rw := s.rightWidth()
	s.detail.setContent(stepDetail(s.c, r, i, rd, v.spin, innerWidth(rw)))
	detailH := s.shareColumn(rd, res)
	s.detail.setSize(rw, detailH)
	s.pane.setSize(rw, max(3, s.height-detailH-s.diagHeight))
	s.pane.show(i, rd, s.note(v, i, res), s.c.now(), v.revealGen, v.reveal)
}

// shareColumn sets the diagnosis box's height and returns the detail's.
// Before a step has run its explanation may take most of the column;
// afterwards the exchanges matter more and the detail scrolls. A failed
// step's diagnosis comes first of all.
func (s *stepPanes) shareColumn(rd *stepRender, res flows.Result) int {
	const paneMin, detailMin = 6, 4
	bh := s.height
	s.diagHeight = 0
	detailMax := bh - paneMin
	switch {
	case rd.failed && res.Status != flows.StatusRunning:
		s.diagHeight = min(diagnosisHeight(s.c, rd, s.rightWidth()), bh-paneMin-detailMin)
		detailMax = min(bh-s.diagHeight-paneMin, max(detailMin, bh/4))
	case res.Runs > 0 || res.Status == flows.StatusRunning:
		detailMax = min(detailMax, max(6, bh*2/5))
	}
	return max(4, min(s.detail.wantHeight(), detailMax))
}

// note is what the exchange pane says instead of exchanges: that step i
// runs (and for how long), or has not run yet.
func (s *stepPanes) note(v journeyView, i int, res flows.Result) string {
	switch {
	case res.Status == flows.StatusRunning:
		note := "Running"
		if res.Runs > 0 {
			note = "Running again"
		}
		if d := s.c.now().Sub(v.runStart); d >= time.Second {
			note += fmt.Sprintf(" for %d s", int(d/time.Second))
		}
		return note + "… esc cancels it."
	case res.Runs == 0:
		note := "Not run yet."
		if v.runner.CanRun(i) {
			note += " enter runs it; a runs every remaining step."
		}
		return note
	}
	return ""
}

// view lays the step list beside the right column; an open form (a step's
// inputs) takes the right column's place.
func (s stepPanes) view(v journeyView, form *formModel) string {
	if form == nil && s.seqFull() {
		return s.seq.view()
	}
	return joinColumns(s.steps.view(v.runner, v.spin), s.rightView(v, form))
}

func (s stepPanes) rightView(v journeyView, form *formModel) string {
	switch {
	case form != nil:
		return form.view()
	case s.steps.onSummary(v.runner) && s.seqOnly():
		return s.seq.view()
	case s.steps.onSummary(v.runner) && s.besideSummary():
		return joinColumns(s.summary.view(), s.seq.view())
	case s.steps.onSummary(v.runner):
		return s.summary.view()
	case s.showSeq:
		return s.seq.view()
	}
	out := s.detail.view()
	if i := s.steps.cursor; i < len(v.renders) && v.renders[i].failed && s.diagHeight > 0 {
		out += "\n" + diagnosisView(s.c, &v.renders[i], s.rightWidth(), s.diagHeight)
	}
	return out + "\n" + s.pane.view()
}
