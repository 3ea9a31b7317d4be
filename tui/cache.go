package tui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// stepRender is everything the screen shows of one step's journey state and
// latest outcome, rendered while no step runs (a running step owns the
// journey) and kept until the step runs again or secrets are revealed or
// hidden. The panes read only this, so a 5 MB body is pretty-printed and
// coloured once, not per frame.
type stepRender struct {
	runs     int // the outcome's run number; 0 for a step never run
	summary  string
	details  []string
	inputs   []inputView
	signIn   string // how a browser step will sign in; "" for other steps
	byForm   bool   // the browser step signs in by form: nothing to wait for
	request  string
	response string
	curl     string // unstyled: it is also what c copies
	token    tokenDoc
	failed   bool
	// cancelled marks a failure that is only the user's esc (or q): it
	// needs no diagnosis.
	cancelled bool
	pending   bool         // request, response and curl are still being rendered
	errText   string       // the failure, worded as the CLI words it (transcript.Fail)
	hints     []steps.Hint // its diagnosis: cause and fix, masked

	wrapped map[wrapKey]string // tab text hard-wrapped to a pane width
}

// wrapKey names one tab's text wrapped at one width.
type wrapKey struct {
	tab   tab
	width int
}

// inputView is an input's label and its value as shown (masked if secret).
type inputView struct {
	key, label, help, value string
	secret, editable        bool
}

// renderInputs snapshots step's inputs from j. Call only while no step runs.
func renderInputs(step flows.Step, j *flows.Journey, reveal bool) []inputView {
	out := make([]inputView, 0, len(step.Inputs))
	for _, in := range step.Inputs {
		v := ""
		if in.Get != nil {
			v = in.Get(j)
		}
		switch {
		case in.Secret && !reveal:
			v = steps.Mask(v)
		default:
			v = j.Redact.String(transcript.Line(v))
		}
		out = append(out, inputView{key: in.Key, label: in.Label, help: in.Help, value: v, secret: in.Secret, editable: in.Set != nil})
	}
	return out
}

// renderOutcome renders the small parts of a finished step's outcome
// (transcript.PresentStep: masked with red, failure worded as the CLI words
// it, timeout being the per-request limit it may name); the exchange tabs,
// which may hold megabytes, are rendered by renderExchanges off the update
// loop (pending until then). Call only while no step runs: red belongs to
// the journey.
func renderOutcome(res flows.Result, red *steps.Redactor, timeout time.Duration) stepRender {
	o := res.Outcome
	r := stepRender{runs: res.Runs, failed: o.Failed(), wrapped: map[wrapKey]string{}}
	if res.Runs == 0 {
		return r
	}
	p := transcript.PresentStep(o, red, timeout)
	r.summary, r.details = p.Summary, p.Details
	r.pending = len(o.Exchanges) > 0
	r.token = tokenDoc{transcript.PresentToken(o.JWT, p.Checks, red)}
	if p.Failed {
		r.cancelled = p.Cancelled
		r.errText, r.hints = p.Failure.Text, p.Failure.Hints
	}
	return r
}

// renderedExchanges is the text of the Request, Response and curl tabs.
type renderedExchanges struct{ request, response, curl string }

// renderExchanges renders a step's exchanges: presented once
// (transcript.PresentAll: masked with red, neutralised), then laid out
// with colour. It reads nothing shared, so it runs in a tea.Cmd; red is a
// clone of the journey's redactor.
func renderExchanges(s *Styles, exs []steps.Exchange, red *steps.Redactor) renderedExchanges {
	parts := transcript.PresentAll(exs, red)
	return renderedExchanges{
		request:  renderRequests(s, parts),
		response: renderResponses(s, parts),
		curl:     renderCurl(parts),
	}
}

// text is the unwrapped text of a tab ("" when the tab has nothing).
func (r *stepRender) text(t tab) string {
	switch t {
	case tabRequest:
		return r.request
	case tabResponse:
		return r.response
	case tabCurl:
		return r.curl
	}
	return ""
}

// wrappedText is the tab's text wrapped to width, computed once per width.
func (r *stepRender) wrappedText(t tab, width int) string {
	k := wrapKey{t, width}
	if s, ok := r.wrapped[k]; ok {
		return s
	}
	s := hardwrapLines(r.text(t), width)
	if r.wrapped == nil {
		r.wrapped = map[wrapKey]string{}
	}
	r.wrapped[k] = s
	return s
}

// oneLine is the step's result in one line, for the summary.
func (r *stepRender) oneLine() string {
	if r.summary != "" {
		return r.summary
	}
	if r.failed {
		first, _, _ := strings.Cut(r.errText, "\n")
		return first
	}
	return ""
}

// refreshRenders re-renders what the screen shows of the journey: every
// step's inputs, and the outcomes of all steps (all) or of none. It touches
// the journey, so it runs only while no step does.
func (m *Model) refreshRenders(all bool) tea.Cmd {
	if m.runner == nil || m.running >= 0 {
		return nil
	}
	j := m.journey
	var cmds []tea.Cmd
	for i, st := range m.runner.Flow.Steps {
		if all {
			cmds = append(cmds, m.renderStep(i))
		}
		m.renders[i].inputs = renderInputs(st, j, m.reveal)
		m.renders[i].signIn, m.renders[i].byForm = "", false
		if st.Wait == flows.WaitBrowser {
			m.renders[i].signIn = signInHow(j.Login)
			m.renders[i].byForm = j.Login.Mode == flows.LoginForm
		}
	}
	return tea.Batch(cmds...)
}

// renderStep renders step i's outcome: the small parts now, the exchange
// tabs in a tea.Cmd. Call only while no step runs.
func (m *Model) renderStep(i int) tea.Cmd {
	res := m.runner.Result(i)
	keep := m.renders[i]
	m.renders[i] = renderOutcome(res, m.journey.Redact, m.requestTimeout())
	m.renders[i].inputs, m.renders[i].signIn, m.renders[i].byForm = keep.inputs, keep.signIn, keep.byForm
	if !m.renders[i].pending {
		return nil
	}
	return renderStepExchanges(m.gen, i, res.Runs, m.revealGen, m.common.styles, res.Outcome.Exchanges, m.journey.Redact.Clone())
}

// requestTimeout is the journey's per-request time limit, which a "no
// reply" failure names; 0 when unknown.
func (m *Model) requestTimeout() time.Duration {
	if m.journey == nil || m.journey.HTTP == nil {
		return 0
	}
	return m.journey.HTTP.Timeout
}

// formatting reports whether output is still being formatted off the
// update loop.
func (m *Model) formatting() bool {
	for i := range m.renders {
		if m.renders[i].pending {
			return true
		}
	}
	return m.state == stateDone && m.summary.bodyPending
}

// rendered installs a step's exchange tabs if they still match.
func (m *Model) rendered(msg renderedMsg) {
	if msg.gen != m.gen || m.runner == nil || msg.i >= len(m.renders) || msg.revealGen != m.revealGen {
		return
	}
	r := &m.renders[msg.i]
	if r.runs != msg.runs {
		return
	}
	r.request, r.response, r.curl = msg.text.request, msg.text.response, msg.text.curl
	r.pending = false
	r.wrapped = map[wrapKey]string{}
	m.syncPanes()
}

// buildSummary shows the summary; the API body follows in a tea.Cmd.
func (m *Model) buildSummary() tea.Cmd {
	m.summarySeq++
	j := m.journey
	m.summary.build(m.runner, m.renders, len(j.API.Body) > 0)
	if len(j.API.Body) == 0 {
		return nil
	}
	return renderSummaryBody(m.summarySeq, m.common.styles, j.API.Body, j.Redact.Clone())
}
