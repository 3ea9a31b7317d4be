package tui

import "github.com/nhsauth/nhsauth/flows"

// Where the sequence view goes on the step screen: with v, in the right
// column instead of the step's detail and exchanges (or of the summary);
// on a wide screen, always beside the summary, which would otherwise leave
// most of the screen empty.

// seqFullBelow is the screen width under which the sequence view takes the
// whole screen: its step headings stand in for the step list, whose
// cursor (↑/↓) still selects the step it highlights.
const seqFullBelow = 100

// seqFull reports whether the sequence view takes the whole screen.
func (s *stepPanes) seqFull() bool { return s.showSeq && s.width < seqFullBelow }

// wideSummary is the screen width from which the summary shares the right
// column with the sequence view.
const wideSummary = 160

// besideSummary reports whether the summary has the sequence view beside
// it.
func (s *stepPanes) besideSummary() bool { return s.width >= wideSummary }

// summaryWidth is the summary's width: the whole right column, or on a
// wide screen the part the sequence view leaves (at least 80 columns, so
// the API's answer reads as on an 80-column terminal).
func (s *stepPanes) summaryWidth() int {
	rw := s.rightWidth()
	if !s.besideSummary() {
		return rw
	}
	return max(80, rw/2)
}

// seqOnly reports whether the Summary row shows the sequence view alone.
func (s *stepPanes) seqOnly() bool { return s.showSeq && !s.besideSummary() }

// seqHasKeys reports whether the scroll keys and the mouse, meant for
// pane to, go to the sequence view: it fills the right column, or it is
// the summary's right-hand neighbour and the focus is on the exchanges'
// place.
func (s *stepPanes) seqHasKeys(r *flows.Runner, to focusPane) bool {
	if to == focusSteps {
		return false
	}
	if s.steps.onSummary(r) {
		return s.seqOnly() || s.besideSummary() && to == focusExchange
	}
	return s.showSeq
}

// showSequence sizes and draws the sequence view when it shows; the
// selected step is the one highlighted.
func (s *stepPanes) showSequence(v journeyView) {
	r := v.runner
	onSummary := s.steps.onSummary(r)
	if !s.showSeq && !(onSummary && s.besideSummary()) {
		return
	}
	w := s.rightWidth()
	if onSummary && s.besideSummary() {
		w -= s.summaryWidth()
		s.summary.focused = s.focus == focusDetail
	}
	s.seq.focused = s.seqHasKeys(r, s.focus) || s.seqFull()
	if s.seqFull() {
		w = s.width
	}
	s.seq.setSize(w, s.height)
	current := s.steps.cursor
	if current >= r.Len() {
		current = -1
	}
	s.seq.show(r, current, v.spin)
}
