package tui

import (
	"fmt"
	"strings"
	"time"

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

// exchangePane shows the selected step's exchanges in tabs. Its viewport is
// refilled only when the step, its run, the tab, the width or the secrets
// setting changes (and, on the Token tab, once a second while a countdown
// runs); View renders only the visible lines.
type exchangePane struct {
	c             *common
	vp            pager
	tab           tab
	width, height int
	focused       bool
	loaded        paneKey
}

// paneKey identifies what the viewport holds.
type paneKey struct {
	step, runs, width int
	tab               tab
	reveal            int // bumped on every reveal toggle
	note              string
	second            int64 // the Token tab's countdown second
}

func newExchangePane(c *common) exchangePane {
	return exchangePane{c: c, vp: newPager(3), tab: tabResponse, loaded: paneKey{step: -1}}
}

func (p *exchangePane) setSize(w, h int) {
	p.width, p.height = w, h
	p.vp.setSize(innerWidth(w), h-2)
}

// innerWidth is the width text is wrapped to.
func (p *exchangePane) innerWidth() int { return innerWidth(p.width) }

// show loads step's render into the viewport if anything changed. note, when
// set, replaces the content (a step not yet run, or running).
func (p *exchangePane) show(step int, r *stepRender, note string, now time.Time, revealGen int, reveal bool) {
	k := paneKey{step: step, tab: p.tab, width: p.innerWidth(), reveal: revealGen, note: note}
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
	p.vp.setContent(content)
	if !sameDoc {
		p.vp.gotoTop()
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

// switchTab moves d tabs along, wrapping round.
func (p *exchangePane) switchTab(d int) {
	p.tab = tab((int(p.tab) + d + int(numTabs)) % int(numTabs))
}

func (p exchangePane) update(msg tea.Msg) (exchangePane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		scroll(&p.vp, p.c.keys, msg)
	case tea.MouseMsg:
		p.vp.wheel(msg)
	}
	return p, nil
}

func (p exchangePane) view() string {
	s := p.c.styles
	var tabs []string
	for t := range numTabs {
		if t == p.tab {
			tabs = append(tabs, s.TabActive.Render("["+t.String()+"]"))
		} else {
			tabs = append(tabs, s.TabInactive.Render(" "+t.String()+" "))
		}
	}
	footer := ""
	if p.vp.overflows() {
		total := p.vp.totalLines()
		footer = fmt.Sprintf("%d/%d lines · %d%%", min(total, p.vp.yOffset+p.vp.height), total, p.vp.percent())
	}
	return p.c.frame(strings.Join(tabs, " "), footer, p.vp.view(), p.width, p.height, p.focused)
}
