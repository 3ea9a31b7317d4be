package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// statusBar renders the bottom line: where the user is (flow, environment,
// secrets), then a notice or the keys that act now. A notice matters more
// than where the user is (the header line says that too), so a notice too
// long to sit beside it takes the whole line.
func statusBar(c *common, where, notice string, bindings []key.Binding) string {
	s := c.styles
	left := s.BarAccent.Render(" " + where + " ")
	room := c.width - ansi.StringWidth(left) - 1
	var right string
	if notice != "" {
		if ansi.StringWidth(notice)+1 > room {
			left, room = "", c.width-1
		}
		right = s.Notice.Render(" " + ansi.Truncate(notice, max(0, room-1), "…"))
	} else {
		h := c.help
		h.Width = max(0, room-1)
		right = s.Bar.Render(" " + h.ShortHelpView(bindings))
	}
	return s.Bar.Render(fit(left+right, c.width))
}
