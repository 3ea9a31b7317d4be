package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// common is what every child shares: the screen size, the styles, the keys
// and the clock (glow's commonModel, soft-serve's common.Common).
type common struct {
	width, height int
	styles        *Styles
	keys          *keyMap
	help          help.Model
	now           func() time.Time
	links         bool // URLs are OSC 8 hyperlinks (osc8.go)
}

// bodyHeight is the height between the header line and the status bar.
func (c *common) bodyHeight() int { return max(1, c.height-2) }

// component is the shape of every child model (soft-serve
// common/component.go); each also has an update returning its own concrete
// type.
type component interface {
	view() string
	setSize(width, height int)
}

// The children that are components.
var (
	_ component = (*detailModel)(nil)
	_ component = (*exchangePane)(nil)
	_ component = (*summaryModel)(nil)
	_ component = (*helpModel)(nil)
	_ component = (*pickerModel)(nil)
	_ component = (*formModel)(nil)
)

// Minimum size the layout is designed for (issue 4: "from 80×24 up").
const (
	minWidth  = 80
	minHeight = 24
)

// frame draws a box of exactly w×h cells around body, with title in the
// top edge and footer at the right of the bottom edge; lines of body are cut
// or padded to fit. The focused pane has a heavy border as well as the
// accent colour, so focus shows without colour (NO_COLOR).
func (c *common) frame(title, footer, body string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return ""
	}
	bs := c.styles.Border
	bx := lightBox
	if focused {
		bs, bx = c.styles.BorderFocused, heavyBox
	}
	inner := w - 2
	var b strings.Builder
	top := bx.h
	if title != "" {
		top += " " + ansi.Truncate(title, inner-3, "…") + " "
	}
	if fill := inner - ansi.StringWidth(top); fill > 0 {
		top += strings.Repeat(bx.h, fill)
	}
	b.WriteString(bs.Render(bx.tl + top + bx.tr))
	lines := strings.Split(body, "\n")
	side := bs.Render(bx.v)
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString("\n" + side + " " + fit(line, inner-2) + " " + side)
	}
	bottom := strings.Repeat(bx.h, inner)
	if footer != "" && ansi.StringWidth(footer)+4 <= inner {
		footer = " " + footer + " "
		bottom = strings.Repeat(bx.h, inner-ansi.StringWidth(footer)-1) + footer + bx.h
	}
	b.WriteString("\n" + bs.Render(bx.bl+bottom+bx.br))
	return b.String()
}

// boxChars are a frame's corners and edges.
type boxChars struct{ tl, tr, bl, br, h, v string }

var (
	lightBox = boxChars{"╭", "╮", "╰", "╯", "─", "│"}
	heavyBox = boxChars{"┏", "┓", "┗", "┛", "━", "┃"}
)

// innerWidth is the width of the text inside a frame w cells wide: the
// borders and a space either side.
func innerWidth(w int) int { return max(1, w-4) }

// fit cuts or pads s to exactly w cells.
func fit(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// wrap word-wraps s to w cells at spaces only, breaking a word longer than a
// line (a URL, a token) so nothing is ever cut off. (ansi.Wordwrap also
// breaks at hyphens, which tears URLs apart.)
func wrap(s string, w int) string {
	if w < 1 {
		return s
	}
	var out strings.Builder
	for li, line := range strings.Split(s, "\n") {
		if li > 0 {
			out.WriteByte('\n')
		}
		if ansi.StringWidth(line) <= w {
			out.WriteString(line)
			continue
		}
		col := 0
		for wi, word := range strings.Split(line, " ") {
			ww := ansi.StringWidth(word)
			switch {
			case wi == 0:
			case col+1+ww <= w:
				out.WriteByte(' ')
				col++
			default:
				out.WriteByte('\n')
				col = 0
			}
			if ww > w-col {
				// Too long for any line: fill this one and break it.
				broken := ansi.Hardwrap(word, w, true)
				if col > 0 {
					out.WriteByte('\n')
				}
				out.WriteString(broken)
				last := broken[strings.LastIndexByte(broken, '\n')+1:]
				col = ansi.StringWidth(last)
				continue
			}
			out.WriteString(word)
			col += ww
		}
	}
	return out.String()
}

// hardwrapLines breaks every line of s longer than w cells (at spaces when it
// can, inside a word too long for a line), keeping the rest as they are.
// A broken line's continuations keep its indentation (a JSON member, an
// explanation under a form field), so the structure still reads. Lines no
// longer than w bytes cannot be wider than w cells and are skipped without
// measuring, which keeps a 5 MB body fast.
func hardwrapLines(s string, w int) string {
	if w < 1 {
		return s
	}
	lines := strings.Split(s, "\n")
	changed := false
	for i, l := range lines {
		if len(l) <= w || width(l) <= w {
			continue
		}
		lines[i] = wrapIndented(l, w)
		changed = true
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "\n")
}

// wrapIndented wraps one line to w cells, indenting its continuations as
// deep as the line itself when that leaves room for the text (at most half
// the width).
func wrapIndented(l string, w int) string {
	text := strings.TrimLeft(l, " ")
	n := len(l) - len(text)
	if n == 0 || n > w/2 {
		return wrap(l, w)
	}
	pad := l[:n]
	return pad + strings.ReplaceAll(wrap(text, w-n), "\n", "\n"+pad)
}

// width is ansi.StringWidth with a fast path for ASCII text with SGR
// sequences, which is what a coloured JSON body is: measuring graphemes line
// by line dominates wrapping a 5 MB body otherwise.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return ansi.StringWidth(s)
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			if j >= len(s) || s[j] != 'm' {
				return ansi.StringWidth(s)
			}
			i = j
		case c < 0x20 || c == 0x7f:
			return ansi.StringWidth(s)
		default:
			n++
		}
	}
	return n
}

// labelled renders "Label  text" with text wrapped under itself.
func (c *common) labelled(label string, labelWidth int, text string, w int) string {
	body := wrap(text, max(10, w-labelWidth))
	pad := strings.Repeat(" ", labelWidth)
	lines := strings.Split(body, "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = c.styles.Label.Render(fit(label, labelWidth)) + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// joinColumns lays two blocks side by side.
func joinColumns(left, right string) string {
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}

// countdown renders d as m:ss, or h:mm:ss.
func countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
