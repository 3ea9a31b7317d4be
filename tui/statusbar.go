package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
)

// headerView is the top line: the product, the flow and the environment
// (env is "" until one is chosen).
func headerView(c *common, f *flows.Flow, env string) string {
	s := c.styles
	h := s.Header.Render(" nhsauth")
	if f != nil {
		h += s.HeaderDim.Render(" · ") + f.Title
	}
	if env != "" {
		h += s.HeaderDim.Render(" · ") + env
	}
	return fit(h, c.width)
}

// whereView is the status bar's left part: the flow, the environment, and
// a warning while secrets are shown.
func whereView(f *flows.Flow, env string, secretsShown bool) string {
	var parts []string
	if f != nil {
		parts = append(parts, f.ID)
	}
	if env != "" {
		parts = append(parts, env)
	}
	if secretsShown {
		// Hidden is the default, and "s show secrets" says so; shown is
		// worth a warning (a screenshot would leak them).
		parts = append(parts, "secrets shown")
	}
	if len(parts) == 0 {
		return "nhsauth"
	}
	return strings.Join(parts, " · ")
}

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
