package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pager is the wizard's one scrolling pane, embedded by the detail, the
// summary, the exchange pane and the help (glow's pagerModel): a framed box
// of text that the scroll keys and the mouse wheel move through, with a
// footer that says how far down it is.
//
// It scrolls as bubbles/viewport does, without the cost of its SetContent,
// which measures the width of every line for horizontal scrolling (0.3 s for
// a coloured 5 MB body; nhsauth wraps lines instead). View touches only the
// visible lines.
type pager struct {
	c             *common
	width, height int // the frame, borders included
	focused       bool
	textHeight    int // the lines inside the frame
	yOffset       int
	wheelDelta    int // lines a turn of the mouse wheel scrolls
	lines         []string
}

func newPager(c *common, wheelDelta int) pager { return pager{c: c, wheelDelta: wheelDelta} }

// setSize sets the frame's size; the text inside is innerWidth(w) cells wide
// and h-2 lines high.
func (p *pager) setSize(w, h int) {
	p.width, p.height = w, h
	p.textHeight = max(0, h-2)
	p.setYOffset(p.yOffset)
}

// textWidth is the width text is wrapped to inside the frame.
func (p *pager) textWidth() int { return innerWidth(p.width) }

// setContent replaces the text, keeping the scroll position when it can.
func (p *pager) setContent(s string) {
	p.lines = strings.Split(s, "\n")
	p.setYOffset(p.yOffset)
}

func (p *pager) maxYOffset() int { return max(0, len(p.lines)-p.textHeight) }

func (p *pager) setYOffset(n int) { p.yOffset = max(0, min(n, p.maxYOffset())) }

func (p *pager) scrollUp(n int)   { p.setYOffset(p.yOffset - n) }
func (p *pager) scrollDown(n int) { p.setYOffset(p.yOffset + n) }
func (p *pager) pageUp()          { p.scrollUp(max(1, p.textHeight)) }
func (p *pager) pageDown()        { p.scrollDown(max(1, p.textHeight)) }
func (p *pager) gotoTop()         { p.yOffset = 0 }
func (p *pager) gotoBottom()      { p.yOffset = p.maxYOffset() }

// totalLines is the number of lines of the text.
func (p *pager) totalLines() int { return len(p.lines) }

// overflows reports whether the text is longer than the frame holds.
func (p *pager) overflows() bool { return len(p.lines) > p.textHeight }

// moreBelow reports whether text is hidden below the frame.
func (p *pager) moreBelow() bool { return p.yOffset < p.maxYOffset() }

// percent is how far down the text the view is, 0 to 100.
func (p *pager) percent() int {
	if m := p.maxYOffset(); m > 0 {
		return p.yOffset * 100 / m
	}
	return 100
}

// indicator is the footer that says where the view is: "" when everything
// fits, else "42%", or with lines "120/300 lines · 42%".
func (p *pager) indicator(lines bool) string {
	if !p.overflows() {
		return ""
	}
	if lines {
		total := p.totalLines()
		return fmt.Sprintf("%d/%d lines · %d%%", min(total, p.yOffset+p.textHeight), total, p.percent())
	}
	return fmt.Sprintf("%d%%", p.percent())
}

// update scrolls on the wizard's scroll keys and the mouse wheel.
func (p pager) update(msg tea.Msg) (pager, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		k := p.c.keys
		switch {
		case key.Matches(msg, k.Up):
			p.scrollUp(1)
		case key.Matches(msg, k.Down):
			p.scrollDown(1)
		case key.Matches(msg, k.PageUp):
			p.pageUp()
		case key.Matches(msg, k.PageDown):
			p.pageDown()
		case key.Matches(msg, k.Top):
			p.gotoTop()
		case key.Matches(msg, k.Bottom):
			p.gotoBottom()
		}
	case tea.MouseMsg:
		if msg.Action != tea.MouseActionPress {
			break
		}
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			p.scrollUp(p.wheelDelta)
		case tea.MouseButtonWheelDown:
			p.scrollDown(p.wheelDelta)
		}
	}
	return p, nil
}

// body is the visible lines, exactly textHeight of them; the frame cuts or
// pads each to the width.
func (p *pager) body() string {
	if p.textHeight == 0 {
		return ""
	}
	end := min(len(p.lines), p.yOffset+p.textHeight)
	vis := p.lines[p.yOffset:end]
	out := strings.Join(vis, "\n")
	if pad := p.textHeight - len(vis); pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	return out
}

// view draws the visible text in the pane's frame.
func (p *pager) view(title, footer string) string {
	return p.c.frame(title, footer, p.body(), p.width, p.height, p.focused)
}
