package tui

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// summaryModel is the flow's summary, shown without further keys when the
// last step finishes: each step's one-line result, then the API call's
// status and its response body in full.
type summaryModel struct {
	pager
	text        string // unwrapped
	head, tail  string // text around the API body
	body        string
	bodyPending bool
}

func newSummary(c *common) summaryModel {
	return summaryModel{pager: newPager(c, 3)}
}

// setSize sizes the frame and wraps the text to its width.
func (m *summaryModel) setSize(w, h int) {
	m.pager.setSize(w, h)
	m.setContent(hardwrapLines(m.text, m.textWidth()))
}

// build renders the summary. Call only while no step runs: it reads the
// journey's API result and its redactor.
func (m *summaryModel) build(r *flows.Runner, renders []stepRender, bodyPending bool) {
	s := m.c.styles
	j := r.Journey
	w := m.textWidth()
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
	if line := redirectLine(s, j); line != "" {
		b.WriteString("\n" + line + "\n")
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
	b.WriteString("\n" + s.Dim.Render(wrap("Select a step to see its exchanges; r re-runs one, esc goes back to the pickers.", w)))
	m.tail = b.String()
	m.compose()
	m.gotoTop()
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
	m.setContent(hardwrapLines(m.text, m.textWidth()))
}

func (m summaryModel) update(msg tea.Msg) (summaryModel, tea.Cmd) {
	var cmd tea.Cmd
	m.pager, cmd = m.pager.update(msg)
	return m, cmd
}

func (m summaryModel) view() string { return m.pager.view("Summary", m.indicator(false)) }

// redirectLine says which redirect_uri the authorise request sent: the
// loopback listener's address when nhsauth caught the redirect itself,
// which is not the mock client's registered placeholder
// (https://example.org/) the credentials step reports (RFC 8252 §7.3
// lets a native app's loopback redirect take any port). "" for a flow
// without a browser sign-in.
func redirectLine(s *Styles, j *flows.Journey) string {
	l := j.Login
	if l.SentRedirectURI == "" {
		return ""
	}
	sent := j.Redact.String(transcript.Line(l.SentRedirectURI))
	line := s.Section.Render("Redirect URI") + " " + sent
	if u, err := url.Parse(l.SentRedirectURI); err == nil && isLoopback(u.Hostname()) {
		line += s.Dim.Render(" (nhsauth's loopback listener")
		if reg := l.Creds.RedirectURI; reg != "" && reg != l.SentRedirectURI {
			line += s.Dim.Render("; the client's registered " + j.Redact.String(transcript.Line(reg)) + " was not used")
		}
		line += s.Dim.Render(")")
	}
	return line
}

// isLoopback reports whether host names the loopback interface.
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
