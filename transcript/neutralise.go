package transcript

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line shows s safe for a terminal on one line: every C0 control character
// (newline and tab included), DEL and every C1 control character (ECMA-48
// §5, the bytes and code points a terminal acts on: ESC starts a sequence
// that can clear the screen or retitle the window, U+009B is a one-character
// CSI) is shown escaped, "\x1b" or "\u009b"; so is a byte that is not UTF-8.
func Line(s string) string { return clean(s, false) }

// Text is Line for text of several lines (a body, a message): newline and
// tab stay as they are and a CRLF line end becomes a newline; a lone
// carriage return, which would let a line overwrite what came before it, is
// shown escaped like every other control character.
func Text(s string) string { return clean(s, true) }

// clean escapes control characters; it returns s itself when there is
// nothing to escape, so a megabyte body of plain JSON costs one scan.
func clean(s string, multiline bool) string {
	i := firstUnsafe(s, multiline)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case multiline && c == '\r' && i+1 < len(s) && s[i+1] == '\n':
				// a CRLF line end: the newline follows
			case !safeByte(c, multiline):
				fmt.Fprintf(&b, `\x%02x`, c)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, c)
		case isC1(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// firstUnsafe is the index of the first byte clean must change, or -1.
func firstUnsafe(s string, multiline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !safeByte(c, multiline) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || isC1(r) {
			return i
		}
		i += n
	}
	return -1
}

// safeByte reports whether an ASCII byte may reach a terminal as it is.
func safeByte(c byte, multiline bool) bool {
	if c == '\n' || c == '\t' {
		return multiline
	}
	return c >= 0x20 && c != 0x7f
}

// isC1 reports whether r is a C1 control character (U+0080–U+009F).
func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// Capitalise upper-cases the first letter of s, for a sentence begun with a
// word that came from elsewhere (an error, a check's detail).
func Capitalise(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
