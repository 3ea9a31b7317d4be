package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// pickerItem is one choice: an ID, a title and a line on what it is for.
type pickerItem struct {
	id, title, desc string
}

// pickerModel chooses one item: the flow, then the environment.
type pickerModel struct {
	c       *common
	heading string
	intro   string
	items   []pickerItem
	listCursor
	width, height int
}

func newPicker(c *common, heading, intro string, items []pickerItem) pickerModel {
	return pickerModel{c: c, heading: heading, intro: intro, items: items}
}

func (p *pickerModel) setSize(w, h int) { p.width, p.height = w, h }

// selected is the highlighted item.
func (p pickerModel) selected() (pickerItem, bool) {
	if p.cursor < 0 || p.cursor >= len(p.items) {
		return pickerItem{}, false
	}
	return p.items[p.cursor], true
}

// selectID moves the cursor to the item with id, if there is one.
func (p *pickerModel) selectID(id string) {
	for i, it := range p.items {
		if it.id == id {
			p.cursor = i
		}
	}
}

func (p pickerModel) update(msg tea.Msg) (pickerModel, tea.Cmd) {
	p.move(p.c.keys, msg, len(p.items))
	return p, nil
}

func (p pickerModel) view() string {
	s := p.c.styles
	inner := innerWidth(p.width)
	var b strings.Builder
	if p.intro != "" {
		b.WriteString(wrap(p.intro, inner) + "\n\n")
	}
	for i, it := range p.items {
		mark, title := "  ", s.PickerTitle.Render(it.title)
		if i == p.cursor {
			mark = s.Label.Render("› ")
			title = s.Selected.Render(" " + it.title + " ")
		} else {
			title = " " + title
		}
		b.WriteString(mark + title + s.Dim.Render("  "+it.id) + "\n")
		if it.desc != "" {
			b.WriteString(s.PickerDesc.Render(indentAll(wrap(it.desc, inner-4), 4)) + "\n")
		}
		b.WriteString("\n")
	}
	return p.c.frame(p.heading, "", strings.TrimRight(b.String(), "\n"), p.width, p.height, false)
}

// indentAll indents every line of s by n spaces.
func indentAll(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
