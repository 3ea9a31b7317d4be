package tui

import (
	"fmt"
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
	var lines []string
	if p.intro != "" {
		lines = append(lines, strings.Split(wrap(p.intro, inner), "\n")...)
		lines = append(lines, "")
	}
	selFrom, selTo := 0, 0 // the selected item's lines
	for i, it := range p.items {
		mark, title := "  ", s.PickerTitle.Render(it.title)
		if i == p.cursor {
			mark = s.Label.Render("› ")
			title = s.Selected.Render(" " + it.title + " ")
			selFrom = len(lines)
		} else {
			title = " " + title
		}
		lines = append(lines, mark+title+s.Dim.Render("  "+it.id))
		if it.desc != "" {
			lines = append(lines, strings.Split(s.PickerDesc.Render(indentAll(wrap(it.desc, inner-4), 4)), "\n")...)
		}
		if i == p.cursor {
			selTo = len(lines)
		}
		lines = append(lines, "")
	}
	lines = lines[:len(lines)-1]
	visible, footer := p.window(lines, selFrom, selTo)
	return p.c.frame(p.heading, footer, strings.Join(visible, "\n"), p.width, p.height, false)
}

// window keeps the selected item's lines [from, to) in view when the list
// is taller than the frame, scrolling as little as it can, and says in the
// footer where the selection is.
func (p pickerModel) window(lines []string, from, to int) ([]string, string) {
	rows := p.height - 2
	if rows <= 0 || len(lines) <= rows {
		return lines, ""
	}
	start := max(0, min(to-rows, from))
	start = min(start, len(lines)-rows)
	return lines[start : start+rows], fmt.Sprintf("%d of %d · ↑/↓ more", p.cursor+1, len(p.items))
}

// indentAll indents every line of s by n spaces.
func indentAll(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
