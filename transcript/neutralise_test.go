package transcript_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nhsauth/nhsauth/transcript"
)

func TestNeutralise(t *testing.T) {
	tests := []struct {
		name, in, line, text string
	}{
		{"plain", "hello, wörld", "hello, wörld", "hello, wörld"},
		{"ESC and BEL", "\x1b[2J\x1b]0;title\x07", `\x1b[2J\x1b]0;title\x07`, `\x1b[2J\x1b]0;title\x07`},
		{"C1 CSI", "a\u009b31mb", `a\u009b31mb`, `a\u009b31mb`},
		{"DEL and NUL", "a\x7fb\x00", `a\x7fb\x00`, `a\x7fb\x00`},
		{"not UTF-8", "a\x9bb", `a\x9bb`, `a\x9bb`},
		{"newline and tab", "a\n\tb", `a\x0a\x09b`, "a\n\tb"},
		{"CRLF and a lone CR", "a\r\nb\rc", `a\x0d\x0ab\x0dc`, "a\nb\\x0dc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transcript.Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := transcript.Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
		})
	}
}

// TestWriteJSONEscapesC1: the JSON writer leaves no control character raw
// (encoding/json escapes C0; C1 and DEL it would print as they are) and
// the document still decodes to the same strings.
func TestWriteJSONEscapesC1(t *testing.T) {
	in := map[string]string{"s": "a\x1b[2J\u009b31m\x7fb é"}
	var b bytes.Buffer
	transcript.WriteJSON(&b, in)
	if strings.ContainsAny(b.String(), "\x1b\u009b\x7f") {
		t.Errorf("raw control character in %q", b.String())
	}
	var out map[string]string
	if err := json.Unmarshal(b.Bytes(), &out); err != nil || out["s"] != in["s"] {
		t.Errorf("decoded %q (%v), want %q", out["s"], err, in["s"])
	}
}

// FuzzText: whatever a server sends, Text leaves no byte a terminal acts
// on but newline and tab, and changes nothing in text that has none.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "a\u009bb", "\xff\xfe", "a\r\nb\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := transcript.Text(s)
		for i, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("Text(%q) = %q: control %U at %d", s, out, r, i)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q is not UTF-8", s, out)
		}
		if transcript.Text(out) != out {
			t.Fatalf("Text is not idempotent on %q", s)
		}
	})
}

// TestCapitalise: the first letter, a multi-byte one too, and nothing else.
func TestCapitalise(t *testing.T) {
	for in, want := range map[string]string{"": "", "id token": "Id token", "éclair": "Éclair", "1 key": "1 key", "ID": "ID"} {
		if got := transcript.Capitalise(in); got != want {
			t.Errorf("Capitalise(%q) = %q, want %q", in, got, want)
		}
	}
}
