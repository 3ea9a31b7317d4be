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

// String masks every registered secret in s, and the password of every
// URL's userinfo ("http://user:pass@host", RFC 3986 §3.2.1, which says
// such a form "is deprecated" and that applications should not render the
// password as clear text), registered or not. A nil Redactor masks
// userinfo only.
func (r *Redactor) String(s string) string {
	if r != nil && r.Reveal {
		return s
	}
	s = MaskUserinfo(s)
	if r == nil {
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

// MaskUserinfo masks the password of each URL's userinfo in s
// ("https://user:secret-pass@host/" becomes "https://user:secr…@host/"),
// keeping the user name so the URL can still be recognised.
func MaskUserinfo(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		// The authority ends at the path, query, fragment or anything that
		// cannot be in a URL written in text.
		end := strings.IndexAny(s, "/?#\"'<> \t\r\n")
		if end < 0 {
			end = len(s)
		}
		at := strings.LastIndexByte(s[:end], '@')
		if at < 0 {
			continue
		}
		user, pass, ok := strings.Cut(s[:at], ":")
		if !ok || pass == "" {
			continue
		}
		b.WriteString(user + ":" + Mask(pass) + "@")
		s = s[at+1:]
	}
}
