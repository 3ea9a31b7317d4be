package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// sequenceModel is the sequence view, which v toggles with the step's
// detail: the flow's actors as lifelines (you and your browser, nhsauth as
// the app, the API platform, the identity provider, the API) and an arrow
// per request and reply, drawn as the flow runs, the selected step's in
// the accent colour, failed ones marked ✗. The lifelines' names stay at the
// top while the arrows scroll (the pager).
type sequenceModel struct {
	pager
	header string
	// followed is the selected step and the diagram's length when the view
	// last scrolled to that step: it scrolls again only when either
	// changes, so the wheel and the page keys can move it away.
	followed [2]int
}

func newSequence(c *common) sequenceModel { return sequenceModel{pager: newPager(c, 3)} }

// setSize sizes the frame; the names take the first line inside it.
func (m *sequenceModel) setSize(w, h int) {
	m.pager.setSize(w, h)
	m.textHeight = max(0, h-3)
	m.setYOffset(m.yOffset)
}

// show draws r's journey with step current selected, scrolled so that
// step's heading and as many of its arrows as fit are in view.
func (m *sequenceModel) show(r *flows.Runner, current int, spin string) {
	seq := transcript.SequenceOf(r, current)
	l := layoutSequence(seq, m.textWidth())
	m.header = m.c.styles.Bold.Render(l.headerLine())
	rows, at := drawSequence(m.c.styles, seq, l, spin)
	m.setContent(strings.Join(rows, "\n"))
	follow := [2]int{current, len(rows)}
	if current < 0 || follow == m.followed {
		return
	}
	m.followed = follow
	end := at + 1 + len(seq.Steps[min(current, len(seq.Steps)-1)].Arrows)
	if end > m.yOffset+m.textHeight {
		m.setYOffset(end - m.textHeight)
	}
	if at < m.yOffset {
		m.setYOffset(at)
	}
}

func (m sequenceModel) update(msg tea.Msg) (sequenceModel, tea.Cmd) {
	var cmd tea.Cmd
	m.pager, cmd = m.pager.update(msg)
	return m, cmd
}

func (m sequenceModel) view() string {
	body := m.header
	if m.textHeight > 0 {
		body += "\n" + m.body()
	}
	return m.c.frame("Sequence", m.indicator(false), body, m.width, m.height, m.focused)
}
