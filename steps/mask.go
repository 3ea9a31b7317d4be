package steps

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Mask shows the first 4 characters of a secret and an ellipsis, so two
// secrets can be told apart without either being disclosed.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if utf8.RuneCountInString(s) <= 8 {
		return "…"
	}
	r := []rune(s)
	return string(r[:4]) + "…"
}

// Redactor masks known secret values wherever they appear in text (a URL, a
// form body, a JSON reply, a curl command). Reveal turns it off.
type Redactor struct {
	Reveal  bool
	secrets []string
}

// Add registers secret values; empty and very short values are ignored
// because masking them would mangle ordinary text.
func (r *Redactor) Add(values ...string) {
	for _, v := range values {
		if len(v) < 6 {
			continue
		}
		r.secrets = append(r.secrets, v)
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String masks every registered secret in s.
func (r *Redactor) String(s string) string {
	if r == nil || r.Reveal {
		return s
	}
	for _, v := range r.secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask(v))
		}
	}
	return s
}

// Clone returns a redactor that masks the same values as r, for a renderer
// that works on another goroutine while the journey goes on learning
// secrets (the wizard formats a large body off its update loop).
func (r *Redactor) Clone() *Redactor {
	if r == nil {
		return nil
	}
	return &Redactor{Reveal: r.Reveal, secrets: append([]string(nil), r.secrets...)}
}
