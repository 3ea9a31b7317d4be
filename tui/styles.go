package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/nhsauth/nhsauth/flows"
)

// Colours adapt to light and dark terminals; lipgloss drops them all when the
// terminal has no colour or NO_COLOR is set.
var (
	colAccent  = lipgloss.AdaptiveColor{Light: "#005EB8", Dark: "#41B6E6"} // NHS blue
	colDim     = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colBorder  = lipgloss.AdaptiveColor{Light: "#B0B0B0", Dark: "#4E4E4E"}
	colOK      = lipgloss.AdaptiveColor{Light: "#007F3B", Dark: "#5FD787"}
	colFail    = lipgloss.AdaptiveColor{Light: "#C0172B", Dark: "#FF6B6B"}
	colWarn    = lipgloss.AdaptiveColor{Light: "#A05A00", Dark: "#FFB454"}
	colKey     = lipgloss.AdaptiveColor{Light: "#7C3AAE", Dark: "#C792EA"}
	colString  = lipgloss.AdaptiveColor{Light: "#2F7D32", Dark: "#A5D6A7"}
	colNumber  = lipgloss.AdaptiveColor{Light: "#B35900", Dark: "#F78C6C"}
	colBarBg   = lipgloss.AdaptiveColor{Light: "#E4E4E4", Dark: "#262626"}
	colSelFg   = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#000000"}
	colSelBack = lipgloss.AdaptiveColor{Light: "#005EB8", Dark: "#41B6E6"}
)

// Styles is every style the wizard uses, built once by defaultStyles, as
// soft-serve's styles.go does.
type Styles struct {
	Header, HeaderDim lipgloss.Style

	Border, BorderFocused lipgloss.Style // colour of a pane's frame

	Selected lipgloss.Style // the selected row of a list
	Label    lipgloss.Style
	Dim      lipgloss.Style
	Bold     lipgloss.Style
	OK, Fail lipgloss.Style
	Warn     lipgloss.Style
	Status   map[flows.Status]lipgloss.Style

	TabActive, TabInactive lipgloss.Style

	Method, HeaderName, Section lipgloss.Style
	JSON                        jsonStyles

	DiagTitle lipgloss.Style

	Bar, BarAccent, Notice  lipgloss.Style
	PickerTitle, PickerDesc lipgloss.Style
}

// jsonStyles colour pretty-printed JSON. They are applied as precomputed
// escape sequences (see paint) because a 5 MB body has too many tokens to
// render each through lipgloss.
type jsonStyles struct {
	Key, String, Number, Literal, Punct paint
}

// paint is a style reduced to the escape sequences around its text.
type paint struct{ pre, post string }

func newPaint(s lipgloss.Style) paint {
	const marker = "\x00"
	out := s.Render(marker)
	i := strings.Index(out, marker)
	if i < 0 {
		return paint{}
	}
	return paint{pre: out[:i], post: out[i+len(marker):]}
}

func (p paint) wrap(s string) string {
	if p.pre == "" {
		return s
	}
	return p.pre + s + p.post
}

func defaultStyles() *Styles {
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := &Styles{
		Header:        lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		HeaderDim:     fg(colDim),
		Border:        fg(colBorder),
		BorderFocused: fg(colAccent),
		Selected:      lipgloss.NewStyle().Foreground(colSelFg).Background(colSelBack).Bold(true),
		Label:         lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		Dim:           fg(colDim),
		Bold:          lipgloss.NewStyle().Bold(true),
		OK:            fg(colOK),
		Fail:          fg(colFail).Bold(true),
		Warn:          fg(colWarn),
		TabActive:     lipgloss.NewStyle().Bold(true).Foreground(colAccent).Underline(true),
		TabInactive:   fg(colDim),
		Method:        lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		HeaderName:    fg(colKey),
		Section:       lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		DiagTitle:     fg(colFail).Bold(true),
		Bar:           lipgloss.NewStyle().Background(colBarBg),
		BarAccent:     lipgloss.NewStyle().Background(colBarBg).Foreground(colAccent).Bold(true),
		Notice:        lipgloss.NewStyle().Background(colBarBg).Foreground(colWarn),
		PickerTitle:   lipgloss.NewStyle().Bold(true),
		PickerDesc:    fg(colDim),
	}
	s.Status = map[flows.Status]lipgloss.Style{
		flows.StatusPending: fg(colDim),
		flows.StatusRunning: fg(colAccent).Bold(true),
		flows.StatusDone:    fg(colOK),
		flows.StatusFailed:  fg(colFail).Bold(true),
		flows.StatusSkipped: fg(colDim),
		flows.StatusStale:   fg(colWarn),
	}
	s.JSON = jsonStyles{
		Key:     newPaint(fg(colKey)),
		String:  newPaint(fg(colString)),
		Number:  newPaint(fg(colNumber)),
		Literal: newPaint(fg(colWarn)),
		Punct:   newPaint(fg(colDim)),
	}
	return s
}

// glyphs mark a step's status in the step list, the summary and the help.
var glyphs = map[flows.Status]string{
	flows.StatusPending: "○",
	flows.StatusRunning: "●",
	flows.StatusDone:    "✓",
	flows.StatusFailed:  "✗",
	flows.StatusSkipped: "–",
	flows.StatusStale:   "↻",
}
