package tui

import (
	"strings"
	"testing"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// typed is the key message for typing s.
func typed(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// pasted is the key message for a bracketed paste of s.
func pasted(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

func keyOf(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

func altKey(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t, Alt: true} }

// withColour renders with escape sequences, so the cursor's reverse video
// shows, and puts the package's plain profile back afterwards.
func withColour(t *testing.T) {
	t.Helper()
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
}

// underCursor is the text drawn in reverse video, and whether there is any.
func underCursor(view string) (string, bool) {
	const rev = "\x1b[7m"
	i := strings.Index(view, rev)
	if i < 0 {
		return "", false
	}
	rest := view[i+len(rev):]
	return rest[:strings.Index(rest, "\x1b[")], true
}

func run(f textField, msgs ...tea.Msg) textField {
	for _, m := range msgs {
		f, _ = f.Update(m)
	}
	return f
}

func focusedField(value string) textField {
	f := newTextField()
	f.Prompt = ""
	f.SetValue(value)
	f.Focus()
	return f
}

func TestTextFieldEditingKeys(t *testing.T) {
	tests := []struct {
		name      string
		start     string
		keys      []tea.Msg
		want      string
		wantPos   int
		passwords bool
	}{
		{"typing appends", "", []tea.Msg{typed("ab"), typed("c")}, "abc", 3, false},
		{"space types a space", "a", []tea.Msg{tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}}, "a ", 2, false},
		{"left then type inserts", "ac", []tea.Msg{keyOf(tea.KeyLeft), typed("b")}, "abc", 2, false},
		{"left stops at the start", "ab", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyLeft), keyOf(tea.KeyLeft)}, "ab", 0, false},
		{"right stops at the end", "ab", []tea.Msg{keyOf(tea.KeyRight)}, "ab", 2, false},
		{"backspace deletes before the cursor", "abc", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyBackspace)}, "ac", 1, false},
		{"backspace at the start does nothing", "abc", []tea.Msg{keyOf(tea.KeyHome), keyOf(tea.KeyBackspace)}, "abc", 0, false},
		{"delete deletes under the cursor", "abc", []tea.Msg{keyOf(tea.KeyHome), keyOf(tea.KeyDelete)}, "bc", 0, false},
		{"delete at the end does nothing", "abc", []tea.Msg{keyOf(tea.KeyDelete)}, "abc", 3, false},
		{"home and end", "abc", []tea.Msg{keyOf(tea.KeyHome), typed("x"), keyOf(tea.KeyEnd), typed("y")}, "xabcy", 5, false},
		{"ctrl+a and ctrl+e", "abc", []tea.Msg{keyOf(tea.KeyCtrlA), typed("x"), keyOf(tea.KeyCtrlE), typed("y")}, "xabcy", 5, false},
		{"ctrl+u deletes to the start", "abcd", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyCtrlU)}, "d", 0, false},
		{"ctrl+k deletes to the end", "abcd", []tea.Msg{keyOf(tea.KeyHome), keyOf(tea.KeyRight), keyOf(tea.KeyCtrlK)}, "a", 1, false},
		{"ctrl+w deletes the word and the spaces after it", "foo bar  ", []tea.Msg{keyOf(tea.KeyCtrlW)}, "foo ", 4, false},
		{"alt+backspace deletes the word", "foo bar", []tea.Msg{altKey(tea.KeyBackspace)}, "foo ", 4, false},
		{"ctrl+w mid-word keeps what follows", "foo bar", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyCtrlW)}, "foo r", 4, false},
		{"ctrl+w on a secret deletes to the start", "foo bar", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyCtrlW)}, "r", 0, true},
		{"wide characters are one rune each", "漢字", []tea.Msg{keyOf(tea.KeyLeft), keyOf(tea.KeyBackspace)}, "字", 0, false},
		{"typed control characters are dropped", "", []tea.Msg{typed("a\x00b\x1bc\x7f")}, "abc", 3, false},
		{"a paste drops newlines and control characters", "x", []tea.Msg{pasted("ey\r\nJ\thb\x1b[31m\x00G\n")}, "xeyJhb[31mG", 11, false},
		{"a paste inserts at the cursor", "ab", []tea.Msg{keyOf(tea.KeyLeft), pasted("12\n")}, "a12b", 3, false},
		{"keys that edit nothing are ignored", "ab", []tea.Msg{keyOf(tea.KeyTab), keyOf(tea.KeyUp), keyOf(tea.KeyCtrlV)}, "ab", 2, false},
		{"other messages are ignored", "ab", []tea.Msg{tea.WindowSizeMsg{Width: 3}}, "ab", 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := focusedField(tc.start)
			if tc.passwords {
				f.EchoMode = echoPassword
			}
			f = run(f, tc.keys...)
			if f.Value() != tc.want || f.pos != tc.wantPos {
				t.Errorf("value %q cursor %d, want %q cursor %d", f.Value(), f.pos, tc.want, tc.wantPos)
			}
		})
	}
}

func TestTextFieldBlurredIgnoresKeys(t *testing.T) {
	f := focusedField("ab")
	f.Blur()
	if f = run(f, typed("c"), keyOf(tea.KeyBackspace)); f.Value() != "ab" {
		t.Errorf("a blurred field took keys: %q", f.Value())
	}
}

func TestTextFieldSetValueDropsControlCharacters(t *testing.T) {
	f := newTextField()
	f.SetValue("a\nb\tc\x1b")
	if f.Value() != "abc" || f.pos != 3 {
		t.Errorf("SetValue kept %q cursor %d, want \"abc\" cursor 3", f.Value(), f.pos)
	}
}

func TestTextFieldPasswordNeverShowsTheValue(t *testing.T) {
	withColour(t)
	const secret = "s3cr3t-漢"
	f := focusedField(secret)
	f.EchoMode, f.EchoCharacter, f.Prompt, f.Width = echoPassword, '•', "Token: ", 20
	for _, f := range []textField{f, run(f, keyOf(tea.KeyHome)), run(f, keyOf(tea.KeyLeft), keyOf(tea.KeyLeft))} {
		v := f.View()
		for _, r := range secret {
			if strings.ContainsRune(v, r) {
				t.Fatalf("masked view %q shows %q of the secret", v, r)
			}
		}
		// One dot per cell: the wide 漢 is two.
		if got, want := strings.Count(v, "•"), ansi.StringWidth(secret); got != want {
			t.Errorf("view %q has %d dots, want %d", v, got, want)
		}
	}
	f.EchoMode = echoNormal
	if !strings.Contains(ansi.Strip(f.View()), secret) {
		t.Errorf("revealed view %q lacks the value", f.View())
	}
}

// TestTextFieldScrollKeepsTheCursorVisible walks the cursor over a value
// four times the field's width, there and back, and checks at each step
// that the rune under the cursor is drawn, that the shown text is a piece
// of the value, and that the field keeps its width.
func TestTextFieldScrollKeepsTheCursorVisible(t *testing.T) {
	withColour(t)
	values := map[string]string{
		"ascii": "0123456789abcdefghijABCDEFGHIJklmnopqrst",
		"wide":  "ab漢字cdef漢字ghij漢字klmn漢字opqr漢字stuvwx漢",
	}
	for name, value := range values {
		t.Run(name, func(t *testing.T) {
			f := focusedField(value)
			f.Width = 10
			runes := []rune(value)
			check := func(step string) {
				t.Helper()
				v := f.View()
				under, ok := underCursor(v)
				want := " "
				if f.pos < len(f.value) {
					want = string(f.value[f.pos])
				}
				if !ok || under != want {
					t.Fatalf("%s: cursor %d: drawn under the cursor %q, want %q (view %q)", step, f.pos, under, want, v)
				}
				plain := ansi.Strip(v)
				if w := ansi.StringWidth(plain); w != f.Width+1 {
					t.Fatalf("%s: view %q is %d cells, want %d", step, plain, w, f.Width+1)
				}
				if shown := strings.TrimRight(plain, " "); !strings.Contains(f.Value(), shown) {
					t.Fatalf("%s: view %q is not a piece of the value", step, plain)
				}
			}
			check("end")
			for range runes {
				f = run(f, keyOf(tea.KeyLeft))
				check("left")
			}
			for range runes {
				f = run(f, keyOf(tea.KeyRight))
				check("right")
			}
			f = run(f, keyOf(tea.KeyHome))
			check("home")
			for range runes {
				f = run(f, keyOf(tea.KeyDelete))
				check("delete")
			}
		})
	}
}

func TestTextFieldScrollMovesOnlyAsFarAsNeeded(t *testing.T) {
	f := focusedField("0123456789abcdefghij")
	f.Width = 10
	f = run(f, keyOf(tea.KeyHome))
	if got := strings.TrimRight(ansi.Strip(f.View()), " "); got != "0123456789" {
		t.Fatalf("at home the field shows %q", got)
	}
	for range 12 {
		f = run(f, keyOf(tea.KeyRight))
	}
	// The cursor is on c (index 12): the window slid by three, not a page.
	if got := ansi.Strip(f.View()); got != "3456789abc " {
		t.Errorf("cursor at 12 shows %q, want %q", got, "3456789abc ")
	}
	f = run(f, keyOf(tea.KeyLeft))
	if got := ansi.Strip(f.View()); got != "3456789abc " {
		t.Errorf("one left shows %q, want the same window", got)
	}
}

func TestTextFieldBlurHidesTheCursor(t *testing.T) {
	withColour(t)
	for _, value := range []string{"abc", ""} {
		f := focusedField(value)
		f.Placeholder, f.Width = "paste a token", 20
		if _, ok := underCursor(f.View()); !ok {
			t.Errorf("focused field %q shows no cursor: %q", value, f.View())
		}
		f.Blur()
		if _, ok := underCursor(f.View()); ok {
			t.Errorf("blurred field %q shows a cursor: %q", value, f.View())
		}
	}
}

func TestTextFieldPlaceholder(t *testing.T) {
	withColour(t)
	f := focusedField("")
	f.Prompt, f.Placeholder, f.Width = "Token: ", "paste a JWT (ID token, access token)", 20
	v := f.View()
	if under, _ := underCursor(v); under != "p" {
		t.Errorf("the cursor is on %q, want the placeholder's first character", under)
	}
	if got, want := ansi.Strip(v), "Token: paste a JWT …"; got != want {
		t.Errorf("placeholder view %q, want %q cut to the width", got, want)
	}
	if !strings.Contains(v, "\x1b[38;2;") && !strings.Contains(v, "\x1b[38;5;240m") {
		t.Errorf("placeholder %q is not dim", v)
	}
}

// FuzzTextField types random key sequences: no sequence panics, the value
// never holds a control character, and a focused field always draws its
// cursor.
func FuzzTextField(f *testing.F) {
	f.Add([]byte("ab\x01\x02c\x03\x04\x05"), "x\ny\x1b", uint8(10), false)
	f.Add([]byte("\x10\x11\x0e\x0f"), "漢字\t", uint8(3), true)
	keys := []tea.KeyMsg{
		keyOf(tea.KeyBackspace), keyOf(tea.KeyDelete), keyOf(tea.KeyLeft), keyOf(tea.KeyRight),
		keyOf(tea.KeyHome), keyOf(tea.KeyEnd), keyOf(tea.KeyCtrlA), keyOf(tea.KeyCtrlE),
		keyOf(tea.KeyCtrlU), keyOf(tea.KeyCtrlK), keyOf(tea.KeyCtrlW), altKey(tea.KeyBackspace),
		keyOf(tea.KeyCtrlH), keyOf(tea.KeyCtrlD), keyOf(tea.KeyEnter), keyOf(tea.KeyTab),
	}
	f.Fuzz(func(t *testing.T, ops []byte, text string, width uint8, secret bool) {
		withColour(t)
		// Bounded so that each input runs in well under a millisecond.
		ops, text = ops[:min(len(ops), 128)], text[:min(len(text), 64)]
		fl := focusedField("")
		fl.Width = int(width % 40)
		if secret {
			fl.EchoMode, fl.EchoCharacter = echoPassword, '•'
		}
		for i, op := range ops {
			switch {
			case int(op) < len(keys):
				fl, _ = fl.Update(keys[op])
			case op%2 == 0:
				fl, _ = fl.Update(pasted(text))
			default:
				rs := []rune(text)
				fl, _ = fl.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: rs[:min(len(rs), i%3+1)]})
			}
			for _, r := range fl.Value() {
				if unicode.IsControl(r) {
					t.Fatalf("value %q holds control character %U", fl.Value(), r)
				}
			}
			if fl.pos < 0 || fl.pos > len(fl.value) {
				t.Fatalf("cursor %d outside a value of %d runes", fl.pos, len(fl.value))
			}
			if _, ok := underCursor(fl.View()); !ok && (fl.pos == len(fl.value) || ansi.StringWidth(string(fl.value[fl.pos])) > 0) {
				t.Fatalf("no cursor drawn in %q", fl.View())
			}
		}
	})
}
