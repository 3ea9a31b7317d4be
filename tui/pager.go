package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// pager shows a long text one screenful at a time: the scrolling of
// bubbles/viewport without the cost of its SetContent, which measures the
// width of every line for horizontal scrolling (0.3 s for a coloured 5 MB
// body; nhsauth wraps lines instead). View touches only the visible lines.
type pager struct {
	width, height int
	yOffset       int
	wheelDelta    int
	lines         []string
}

func newPager(wheelDelta int) pager { return pager{wheelDelta: wheelDelta} }

// setSize sets the visible area.
func (p *pager) setSize(w, h int) {
	p.width, p.height = w, max(0, h)
	p.setYOffset(p.yOffset)
}

// setContent replaces the text, keeping the scroll position when it can.
func (p *pager) setContent(s string) {
	p.lines = strings.Split(s, "\n")
	p.setYOffset(p.yOffset)
}

func (p *pager) maxYOffset() int { return max(0, len(p.lines)-p.height) }

func (p *pager) setYOffset(n int) { p.yOffset = max(0, min(n, p.maxYOffset())) }

func (p *pager) scrollUp(n int)   { p.setYOffset(p.yOffset - n) }
func (p *pager) scrollDown(n int) { p.setYOffset(p.yOffset + n) }
func (p *pager) pageUp()          { p.scrollUp(max(1, p.height)) }
func (p *pager) pageDown()        { p.scrollDown(max(1, p.height)) }
func (p *pager) gotoTop()         { p.yOffset = 0 }
func (p *pager) gotoBottom()      { p.yOffset = p.maxYOffset() }

// totalLines is the number of lines of the text.
func (p *pager) totalLines() int { return len(p.lines) }

// overflows reports whether the text is longer than the visible area.
func (p *pager) overflows() bool { return len(p.lines) > p.height }

// percent is how far down the text the view is, 0 to 100.
func (p *pager) percent() int {
	if m := p.maxYOffset(); m > 0 {
		return p.yOffset * 100 / m
	}
	return 100
}

// wheel scrolls on a mouse wheel event.
func (p *pager) wheel(msg tea.MouseMsg) {
	if msg.Action != tea.MouseActionPress {
		return
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		p.scrollUp(p.wheelDelta)
	case tea.MouseButtonWheelDown:
		p.scrollDown(p.wheelDelta)
	}
}

// view is the visible lines, exactly height of them; the frame around it
// cuts or pads each to the width.
func (p *pager) view() string {
	if p.height == 0 {
		return ""
	}
	end := min(len(p.lines), p.yOffset+p.height)
	vis := p.lines[p.yOffset:end]
	out := strings.Join(vis, "\n")
	if pad := p.height - len(vis); pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	return out
}
