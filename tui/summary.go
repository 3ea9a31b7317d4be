package tui

import (
	"fmt"
	"net/http"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// summaryModel is the flow's summary, shown without further keys when the
// last step finishes: each step's one-line result, then the API call's
// status and its response body in full.
type summaryModel struct {
	c             *common
	vp            pager
	text          string // unwrapped
	head, tail    string // text around the API body
	body          string
	bodyPending   bool
	width, height int
	focused       bool
}

func newSummary(c *common) summaryModel {
	return summaryModel{c: c, vp: newPager(3)}
}

func (m *summaryModel) setSize(w, h int) {
	m.width, m.height = w, h
	m.vp.setSize(innerWidth(w), h-2)
	m.vp.setContent(hardwrapLines(m.text, innerWidth(w)))
}

// build renders the summary. Call only while no step runs: it reads the
// journey's API result and its redactor.
func (m *summaryModel) build(r *flows.Runner, renders []stepRender, bodyPending bool) {
	s := m.c.styles
	j := r.Journey
	w := innerWidth(m.width)
	var b strings.Builder
	b.WriteString(s.Section.Render(r.Flow.Title) + s.Dim.Render(" on "+j.Env.Name) + "\n")
	// The API's answer first: it is what the flow was for.
	if j.API.Status != 0 {
		st := s.OK
		if j.API.Status >= 400 {
			st = s.Fail
		}
		b.WriteString("\n" + s.Section.Render("API call") + " " + st.Render(fmt.Sprintf("HTTP %d %s", j.API.Status, http.StatusText(j.API.Status))) + "\n")
	}
	m.head = b.String()
	b.Reset()
	m.body = ""
	m.bodyPending = bodyPending
	if bodyPending {
		m.body = s.Dim.Render("Formatting the response body…")
	}
	b.WriteString("\n" + s.Section.Render("Steps") + "\n")
	for i, st := range r.Flow.Steps {
		res := r.Result(i)
		line := fmt.Sprintf("%s %d %s", s.Status[res.Status].Render(glyphs[res.Status]), i+1, s.Bold.Render(st.Title))
		if one := renders[i].oneLine(); one != "" {
			line += s.Dim.Render(" · ") + one
		}
		b.WriteString(indentAfterFirst(wrap(line, w-4), 4) + "\n")
	}
	b.WriteString("\n" + s.Dim.Render(wrap("Select a step to see its exchanges; r re-runs one, esc goes back to the pickers.", innerWidth(m.width))))
	m.tail = b.String()
	m.compose()
	m.vp.gotoTop()
}

// setBody puts the formatted API body in place.
func (m *summaryModel) setBody(body string) {
	m.body, m.bodyPending = body, false
	m.compose()
}

func (m *summaryModel) compose() {
	m.text = m.head
	if m.body != "" {
		// A JSON body keeps its trailing newline through json.Indent.
		m.text += strings.TrimRight(m.body, "\n") + "\n"
	}
	m.text += m.tail
	m.vp.setContent(hardwrapLines(m.text, innerWidth(m.width)))
}

func (m summaryModel) update(msg tea.Msg) (summaryModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		scroll(&m.vp, m.c.keys, msg)
	case tea.MouseMsg:
		m.vp.wheel(msg)
	}
	return m, nil
}

func (m summaryModel) view() string {
	footer := ""
	if m.vp.overflows() {
		footer = fmt.Sprintf("%d%%", m.vp.percent())
	}
	return m.c.frame("Summary", footer, m.vp.view(), m.width, m.height, m.focused)
}
