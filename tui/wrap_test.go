package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name, in string
		w        int
		want     string
	}{
		{"fits", "a short line", 20, "a short line"},
		{"at spaces", "one two three four", 9, "one two\nthree\nfour"},
		{"hyphens stay", "see guides-and-documentation now", 30, "see guides-and-documentation\nnow"},
		{"long word broken", "x https://example.org/abcdefghij", 10, "x\nhttps://ex\nample.org/\nabcdefghij"},
		{"newlines kept", "a\nb c", 3, "a\nb c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.w)
			if got != tt.want {
				t.Fatalf("wrap(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			}
			for _, l := range strings.Split(got, "\n") {
				if ansi.StringWidth(l) > tt.w {
					t.Fatalf("line %q is wider than %d", l, tt.w)
				}
			}
		})
	}
}

func TestWidthMatchesAnsi(t *testing.T) {
	for _, s := range []string{"", "plain", "\x1b[38;5;2m\"key\"\x1b[0m: 12", "é accent", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "tab\there", "✓ done"} {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
	}
}
