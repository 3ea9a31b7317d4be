package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// echoMode says how a textField shows what was typed.
type echoMode int

const (
	// echoNormal shows the value as typed.
	echoNormal echoMode = iota
	// echoPassword shows one EchoCharacter per cell of the value, so a
	// secret never reaches the screen (issue 10: "when the wizard asks for
	// a secret it never echoes it").
	echoPassword
)

var (
	// fieldPlaceholder is the placeholder's style: dim grey (ANSI 240).
	fieldPlaceholder = lipgloss.NewStyle().Foreground(lipgloss.Color("240")).Inline(true)
	// fieldCursor draws the cursor as reverse video on the cell under it.
	fieldCursor = lipgloss.NewStyle().Inline(true).Reverse(true)
)

// textField is the wizard's single-line text field: the credentials form
// and the decode screen's token field. It replaces bubbles' textinput,
// whose clipboard package searched every $PATH directory for clipboard
// programs at the start of every command (issue 10, start-up).
//
// It edits with the usual line-editing keys: runes and the terminal's
// bracketed paste insert; backspace and delete; left and right; home and
// end (ctrl+a, ctrl+e); ctrl+u and ctrl+k delete to the start and the end;
// ctrl+w and alt+backspace delete the word before the cursor. Ctrl+V does
// not read the system clipboard: pasting is left to the terminal's own
// paste, which arrives as a bracketed paste. Control characters, typed or
// pasted, never enter the value (a paste's newlines are dropped with
// them). When the value is wider than Width the field scrolls so that the
// cursor stays visible. A focused field shows a steady cursor.
type textField struct {
	Prompt        string   // drawn before the value
	Placeholder   string   // shown, dim, while the value is empty
	EchoMode      echoMode // echoNormal or echoPassword
	EchoCharacter rune     // what echoPassword shows for each cell
	Width         int      // cells for the value; 0 for no limit

	value   []rune // never holds a control character
	pos     int    // the cursor, as an index into value
	offset  int    // the first rune shown when the value scrolls
	focused bool
}

// newTextField is an empty, blurred field with the prompt "> ".
func newTextField() textField {
	return textField{Prompt: "> ", EchoCharacter: '*'}
}

// Focus gives the field the keyboard and shows its cursor. It returns no
// command: the cursor does not blink.
func (f *textField) Focus() tea.Cmd {
	f.focused = true
	return nil
}

// Blur takes the keyboard away and hides the cursor.
func (f *textField) Blur() { f.focused = false }

// SetValue replaces the value, dropping control characters, and puts the
// cursor at its end.
func (f *textField) SetValue(s string) {
	f.value = cleanRunes([]rune(s))
	f.pos, f.offset = len(f.value), 0
}

// Value is the field's text.
func (f textField) Value() string { return string(f.value) }

// cleanRunes keeps the runes that may enter a value: no control
// characters (newlines and tabs included) and no invalid UTF-8.
func cleanRunes(rs []rune) []rune {
	out := make([]rune, 0, len(rs))
	for _, r := range rs {
		if unicode.IsControl(r) || r == utf8.RuneError {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Update edits the value for a key while the field has focus; other
// messages, and every message while blurred, leave it as it is.
func (f textField) Update(msg tea.Msg) (textField, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !f.focused || !ok {
		return f, nil
	}
	if !f.editKey(k.String()) && (k.Type == tea.KeyRunes || k.Type == tea.KeySpace) {
		f.insert(k.Runes)
	}
	f.offset, _ = f.window()
	return f, nil
}

// editKey applies a named editing key and reports whether it was one.
func (f *textField) editKey(name string) bool {
	switch name {
	case "backspace", "ctrl+h":
		if f.pos > 0 {
			f.cut(f.pos-1, f.pos)
		}
	case "delete", "ctrl+d":
		if f.pos < len(f.value) {
			f.cut(f.pos, f.pos+1)
		}
	case "left", "ctrl+b":
		f.pos = max(0, f.pos-1)
	case "right", "ctrl+f":
		f.pos = min(len(f.value), f.pos+1)
	case "home", "ctrl+a":
		f.pos = 0
	case "end", "ctrl+e":
		f.pos = len(f.value)
	case "ctrl+u":
		f.cut(0, f.pos)
	case "ctrl+k":
		f.cut(f.pos, len(f.value))
	case "ctrl+w", "alt+backspace":
		f.cut(f.wordStart(), f.pos)
	default:
		return false
	}
	return true
}

// wordStart is where the word before the cursor begins: back over spaces,
// then over the word. A masked field has no visible words, so it is the
// start of the value: word breaks of a secret are not revealed.
func (f *textField) wordStart() int {
	if f.EchoMode == echoPassword {
		return 0
	}
	i := f.pos
	for i > 0 && unicode.IsSpace(f.value[i-1]) {
		i--
	}
	for i > 0 && !unicode.IsSpace(f.value[i-1]) {
		i--
	}
	return i
}

// insert puts runes at the cursor, dropping control characters.
func (f *textField) insert(rs []rune) {
	rs = cleanRunes(rs)
	v := make([]rune, 0, len(f.value)+len(rs))
	v = append(v, f.value[:f.pos]...)
	v = append(v, rs...)
	v = append(v, f.value[f.pos:]...)
	f.value, f.pos = v, f.pos+len(rs)
}

// cut removes value[from:to] and leaves the cursor at from.
func (f *textField) cut(from, to int) {
	v := make([]rune, 0, len(f.value)-(to-from))
	v = append(v, f.value[:from]...)
	f.value, f.pos = append(v, f.value[to:]...), from
}

// echo is what the screen shows for s.
func (f textField) echo(s string) string {
	if f.EchoMode == echoPassword {
		return strings.Repeat(string(f.EchoCharacter), ansi.StringWidth(s))
	}
	return s
}

// View draws the prompt and the value (or the placeholder), with the
// cursor while focused, padded to Width+1 cells (the last for a cursor
// after the value).
func (f textField) View() string {
	if len(f.value) == 0 && f.Placeholder != "" {
		return f.placeholderView()
	}
	from, to := f.window()
	var b strings.Builder
	b.WriteString(f.Prompt)
	b.WriteString(f.echo(string(f.value[from:f.pos])))
	under, rest := " ", ""
	if f.pos < len(f.value) {
		under, rest = f.echo(string(f.value[f.pos])), f.echo(string(f.value[f.pos+1:to]))
	}
	if f.focused {
		under = fieldCursor.Render(under)
	}
	b.WriteString(under + rest)
	if f.Width > 0 {
		used := ansi.StringWidth(string(f.value[from:to]))
		if f.pos == len(f.value) {
			used++ // the cursor after the value
		}
		b.WriteString(strings.Repeat(" ", max(0, f.Width+1-used)))
	}
	return b.String()
}

// window is the part of the value shown, value[from:to]: all of it when it
// fits in Width cells, else at most Width cells that hold the cursor's
// rune, starting as near the last start (offset) as that allows. The cell
// after them is the cursor's when it is past the end, else padding.
func (f textField) window() (from, to int) {
	if f.Width <= 0 || ansi.StringWidth(string(f.value)) <= f.Width {
		return 0, len(f.value)
	}
	cell := func(i int) int { return ansi.StringWidth(string(f.value[i])) }
	to = min(f.pos+1, len(f.value)) // the cursor's rune shows
	from = min(f.offset, f.pos)
	used := 0
	for i := from; i < to; i++ {
		used += cell(i)
	}
	for ; from < f.pos && used > f.Width; from++ {
		used -= cell(from)
	}
	for ; to < len(f.value) && used+cell(to) <= f.Width; to++ {
		used += cell(to)
	}
	for to == len(f.value) && from > 0 && used+cell(from-1) <= f.Width {
		from-- // after a delete near the end, fill the field again
		used += cell(from)
	}
	return from, to
}

// placeholderView draws the prompt and the dim placeholder, its first
// character under the cursor while focused, cut with "…" to fit Width.
func (f textField) placeholderView() string {
	_, size := utf8.DecodeRuneInString(f.Placeholder)
	first, rest := f.Placeholder[:size], f.Placeholder[size:]
	if f.focused {
		first = fieldCursor.Render(first)
	} else {
		first = fieldPlaceholder.Render(first)
	}
	if f.Width <= 0 {
		return f.Prompt + first + fieldPlaceholder.Render(rest)
	}
	room := f.Width - ansi.StringWidth(f.Prompt) - ansi.StringWidth(f.Placeholder[:size])
	rest = ansi.Truncate(rest, room, "…")
	return f.Prompt + first + fieldPlaceholder.Render(rest) + strings.Repeat(" ", max(0, room-ansi.StringWidth(rest)))
}
