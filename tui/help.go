package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// helpModel is the full help over the whole body: every key from the key
// map, the status glyphs, and how text fields, the mouse and secrets behave.
// ? or esc closes it; ↑ and ↓ scroll it a line, the page keys to either end.
type helpModel struct {
	pager
	open bool
}

func newHelp(c *common) helpModel { return helpModel{pager: newPager(c, 1)} }

// show opens the help at its top.
func (h *helpModel) show() {
	h.open = true
	h.setContent(helpBody(h.c, h.textWidth()))
	h.gotoTop()
}

// setSize sizes the frame and, while open, wraps the text to its width.
func (h *helpModel) setSize(w, ht int) {
	h.pager.setSize(w, ht)
	if h.open {
		h.setContent(helpBody(h.c, h.textWidth()))
	}
}

func (h helpModel) update(msg tea.Msg) (helpModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	k := h.c.keys
	switch {
	case key.Matches(km, k.Help, k.Back):
		h.open = false
	case key.Matches(km, k.Up):
		h.scrollUp(1)
	case key.Matches(km, k.Down):
		h.scrollDown(1)
	case key.Matches(km, k.PageUp, k.Top):
		h.gotoTop()
	case key.Matches(km, k.PageDown, k.Bottom):
		h.gotoBottom()
	}
	return h, nil
}

// view renders the help afresh: the keys' help text follows the screen it
// was opened on (syncKeys runs after every update).
func (h helpModel) view() string {
	h.setContent(helpBody(h.c, h.textWidth()))
	footer := "? or esc closes"
	if h.moreBelow() {
		footer = "↓ more · " + footer
	}
	return h.pager.view("Help", footer)
}

// helpBody is the help's text at width w.
func helpBody(c *common, w int) string {
	h := c.help
	h.ShowAll = true
	// Every key, enabled here or not, in two rows of columns so it fits 80
	// columns.
	all := *c.keys
	groups := all.FullHelp()
	for _, g := range groups {
		for i := range g {
			g[i].SetEnabled(true)
		}
	}
	var b strings.Builder
	b.WriteString(h.FullHelpView(groups[:2]) + "\n\n" + h.FullHelpView(groups[2:]) + "\n\n")
	var legend []string
	for st := flows.StatusPending; st <= flows.StatusStale; st++ {
		legend = append(legend, c.styles.Status[st].Render(glyphs[st])+" "+st.String())
	}
	b.WriteString(c.styles.Bold.Render("Step status") + "  " + strings.Join(legend, "  ") + "\n")
	b.WriteString(c.styles.Dim.Render(wrap("A stale step ran before an earlier step ran again or its inputs changed: run it again.", w)) + "\n")
	b.WriteString("\n" + c.styles.Dim.Render(wrap("While a text field has focus, keys type into it: only ctrl+c, esc, enter and tab act on the wizard. With mouse mode on (m), clicks select steps and tabs and the mouse wheel scrolls the pane under the pointer. Secrets are masked everywhere until s shows them; a private key is never shown.", w)))
	return b.String()
}
