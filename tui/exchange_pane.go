package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// tab is one view of the selected step's exchanges.
type tab int

// The exchange pane's tabs, in order.
const (
	tabRequest tab = iota
	tabResponse
	tabToken
	tabCurl
	numTabs
)

func (t tab) String() string { return [...]string{"Request", "Response", "Token", "curl"}[t] }

// exchangePane shows the selected step's exchanges in tabs, and owns them
// (soft-serve's components/tabs): ← and → move along the tabs, wrapping
// round, from any pane. Its pager is refilled only when the step, its run,
// the tab, the width or the secrets setting changes (and, on the Token tab,
// once a second while a countdown runs); View renders only the visible lines.
type exchangePane struct {
	pager
	tab    tab
	loaded paneKey
}

// paneKey identifies what the pager holds.
type paneKey struct {
	step, runs, width int
	tab               tab
	reveal            int // bumped on every reveal toggle
	note              string
	second            int64 // the Token tab's countdown second
}

func newExchangePane(c *common) exchangePane {
	return exchangePane{pager: newPager(c, 3), tab: tabResponse, loaded: paneKey{step: -1}}
}

// show loads step's render into the pager if anything changed. note, when
// set, replaces the content (a step not yet run, or running); so does a
// word on the exchanges still being formatted, except on the Token tab,
// which does not wait for them.
func (p *exchangePane) show(step int, r *stepRender, note string, now time.Time, revealGen int, reveal bool) {
	if note == "" && r != nil && r.pending && p.tab != tabToken {
		note = "Formatting the exchanges…"
	}
	k := paneKey{step: step, tab: p.tab, width: p.textWidth(), reveal: revealGen, note: note}
	if r != nil {
		k.runs = r.runs
	}
	if note == "" && p.tab == tabToken && r != nil && r.token.live(now) {
		k.second = now.Unix()
	}
	if k == p.loaded {
		return
	}
	sameDoc := k.step == p.loaded.step && k.runs == p.loaded.runs && k.tab == p.loaded.tab && k.width == p.loaded.width
	p.loaded = k
	var content string
	switch {
	case note != "":
		content = p.c.styles.Dim.Render(wrap(note, k.width))
	case r == nil:
		content = ""
	case p.tab == tabToken:
		content = r.token.view(p.c.styles, k.width, now, reveal)
	default:
		content = r.wrappedText(p.tab, k.width)
		if content == "" {
			content = p.c.styles.Dim.Render(emptyTab(p.tab))
		}
	}
	p.setContent(content)
	if !sameDoc {
		p.gotoTop()
	}
}

func emptyTab(t tab) string {
	switch t {
	case tabCurl:
		return "Nothing went over the wire in this step, so there is no curl command."
	default:
		return "This step made no HTTP exchange."
	}
}

// update switches tabs on ← and →, and scrolls on the rest.
func (p exchangePane) update(msg tea.Msg) (exchangePane, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, p.c.keys.NextTab):
			p.tab = (p.tab + 1) % numTabs
			return p, nil
		case key.Matches(k, p.c.keys.PrevTab):
			p.tab = (p.tab + numTabs - 1) % numTabs
			return p, nil
		}
	}
	var cmd tea.Cmd
	p.pager, cmd = p.pager.update(msg)
	return p, cmd
}

// tabsView is the row of tabs, the current one bracketed so it shows
// without colour too.
func (p exchangePane) tabsView() string {
	s := p.c.styles
	var tabs []string
	for t := range numTabs {
		if t == p.tab {
			tabs = append(tabs, s.TabActive.Render("["+t.String()+"]"))
		} else {
			tabs = append(tabs, s.TabInactive.Render(" "+t.String()+" "))
		}
	}
	return strings.Join(tabs, " ")
}

func (p exchangePane) view() string { return p.pager.view(p.tabsView(), p.indicator(true)) }
