package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// listCursor is the selected row of a list, shared by the flow and
// environment pickers and the step list: ↑ and ↓ move it one row, home and
// end to either end, a turn of the mouse wheel one row, and it never leaves
// the rows that exist (no wrapping round).
type listCursor struct {
	cursor int
}

// clamp keeps the cursor on one of n rows (on the first when there are none).
func (l *listCursor) clamp(n int) { l.cursor = max(0, min(l.cursor, n-1)) }

// move applies a key or a mouse wheel turn to the cursor of a list of n
// rows.
func (l *listCursor) move(k *keyMap, msg tea.Msg, n int) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			l.cursor--
		case key.Matches(msg, k.Down):
			l.cursor++
		case key.Matches(msg, k.Top):
			l.cursor = 0
		case key.Matches(msg, k.Bottom):
			l.cursor = n - 1
		}
	case tea.MouseMsg:
		if msg.Action != tea.MouseActionPress {
			break
		}
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			l.cursor--
		case tea.MouseButtonWheelDown:
			l.cursor++
		}
	}
	l.clamp(n)
}
