package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// Drawing a transcript.Sequence in a terminal: the lifelines side by side
// on the left, one row per arrow, and the arrow's label to their right, so
// a label never covers a lifeline and the diagram fits 80 columns.

const (
	seqMinLabel  = 24 // the label column's least width
	seqFullLabel = 40 // the label width full names leave at least
	seqMinGap    = 5  // columns per lifeline with the short names
	seqMaxGap    = 9
	// seqIndent puts an arrow's label under its step's title
	// (" ›nn g " is the heading's prefix after the lifelines).
	seqIndent = "       "
)

// seqLayout is where the lifelines stand at one width.
type seqLayout struct {
	gap    int      // columns per lifeline
	names  []string // the names shown over the lifelines
	labelW int      // the label column's width
}

// layoutSequence fits the lifelines in w columns: full names when they all
// fit beside a label column, else the short ones ("You", "App", "APIM",
// "IdP", "API") on lifelines as far apart as the longest label allows.
func layoutSequence(seq transcript.Sequence, w int) seqLayout {
	n := max(1, len(seq.Actors))
	full, want := 0, seqMinLabel
	for _, a := range seq.Actors {
		full = max(full, ansi.StringWidth(seq.Names[a]))
	}
	for _, st := range seq.Steps {
		want = max(want, ansi.StringWidth(st.Title)+6) // "›9 ✓ "
		for _, ar := range st.Arrows {
			want = max(want, ansi.StringWidth(ar.Label())+len(seqIndent)+2) // "✗ "
		}
	}
	l := seqLayout{gap: full + 2}
	if n*l.gap+1+min(want, seqFullLabel) <= w {
		for _, a := range seq.Actors {
			l.names = append(l.names, seq.Names[a])
		}
	} else {
		l.gap = max(seqMinGap, min(seqMaxGap, (w-1-want)/n))
		for _, a := range seq.Actors {
			l.names = append(l.names, a.Short())
		}
	}
	l.labelW = max(8, w-n*l.gap-1)
	return l
}

// lane is the column of lifeline k.
func (l seqLayout) lane(k int) int { return k*l.gap + l.gap/2 }

// headerLine is the lifelines' names, each centred over its lifeline.
func (l seqLayout) headerLine() string {
	row := []rune(strings.Repeat(" ", len(l.names)*l.gap))
	for k, name := range l.names {
		r := []rune(name)
		start := max(0, min(len(row)-len(r), l.lane(k)-len(r)/2))
		copy(row[start:], r)
	}
	return string(row)
}

// lifelines is a row of bare lifelines.
func (l seqLayout) lifelines() []rune {
	row := []rune(strings.Repeat(" ", len(l.names)*l.gap))
	for k := range l.names {
		row[l.lane(k)] = '│'
	}
	return row
}

// arrowRow draws an arrow between lanes a and b: solid for a request,
// dashed for a reply, ✗ for a head when it failed, ◆ for a local record
// (✗ for the app's own check that failed).
func (l seqLayout) arrowRow(seq transcript.Sequence, ar transcript.Arrow) string {
	row := l.lifelines()
	a, b := l.lane(seq.Lane(ar.From)), l.lane(seq.Lane(ar.To))
	if a == b {
		row[a] = '◆'
		if ar.State == transcript.ArrowFailed {
			row[a] = '✗'
		}
		return string(row)
	}
	line := '─'
	if ar.Reply {
		line = '╌'
	}
	lo, hi := min(a, b), max(a, b)
	for x := lo + 1; x < hi; x++ {
		row[x] = line
	}
	row[lo], row[hi] = '├', '┤'
	head := map[bool]rune{true: '▸', false: '◂'}[b > a]
	if ar.State == transcript.ArrowFailed {
		head = '✗'
	}
	if b > a {
		row[hi-1] = head
	} else {
		row[lo+1] = head
	}
	return string(row)
}

// drawSequence is the diagram's rows under the header, and the row of the
// current step's heading (to keep it in view). spin stands for a running
// step's arrows, which come when it ends.
func drawSequence(s *Styles, seq transcript.Sequence, l seqLayout, spin string) ([]string, int) {
	var rows []string
	at := 0
	bare := string(l.lifelines())
	for _, st := range seq.Steps {
		mark := " "
		if st.Current {
			mark, at = "›", len(rows)
		}
		head := fit(fmt.Sprintf("%s%2d %s %s", mark, st.Number, glyphs[st.Status], st.Title), l.labelW)
		style := s.Bold
		switch {
		case st.Current:
			style = s.Label.Bold(true)
		case st.Status == flows.StatusPending:
			style = s.Dim
		case st.Status == flows.StatusFailed:
			style = s.Fail.Bold(true)
		}
		rows = append(rows, s.Dim.Render(bare)+" "+style.Render(head))
		if st.Status == flows.StatusRunning {
			rows = append(rows, s.Dim.Render(bare)+seqIndent+s.Label.Render(spin+" running…"))
		}
		for _, ar := range st.Arrows {
			rows = append(rows, arrowLine(s, seq, l, ar))
		}
	}
	return rows, at
}

// arrowLine is an arrow and its label, styled by the arrow's state.
func arrowLine(s *Styles, seq transcript.Sequence, l seqLayout, ar transcript.Arrow) string {
	label := ar.Label()
	if ar.State == transcript.ArrowFailed {
		label = "✗ " + label
	}
	label = shortLabel(label, l.labelW+1-len(seqIndent))
	var style lipgloss.Style
	switch ar.State {
	case transcript.ArrowFailed:
		style = s.Fail
	case transcript.ArrowCurrent:
		style = s.Label
	case transcript.ArrowPending:
		style = s.Dim
	default:
		style = lipgloss.NewStyle()
	}
	return style.Render(l.arrowRow(seq, ar)) + seqIndent + style.Render(label)
}

// shortLabel fits a label in w cells, dropping a long path's middle
// segments first ("GET /realms/…/openid-connect/auth"), so its ends stay.
func shortLabel(label string, w int) string {
	if ansi.StringWidth(label) <= w {
		return label
	}
	head, path, ok := strings.Cut(label, " /")
	if ok {
		segs := strings.Split(path, "/")
		for len(segs) > 2 {
			segs = append(segs[:1], segs[2:]...)
			try := head + " /" + segs[0] + "/…/" + strings.Join(segs[1:], "/")
			if ansi.StringWidth(try) <= w {
				return try
			}
		}
		if try := head + " …/" + segs[len(segs)-1]; ansi.StringWidth(try) <= w {
			return try
		}
	}
	return fit(label, w)
}
