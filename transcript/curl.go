package transcript

import (
	"net/http"
	"strings"
)

// curl renders the request of p as a curl command, from parts already
// masked and neutralised.
//
// Form bodies become one --data-urlencode per parameter (decoded, so the
// command reads like NHS's own examples); other bodies --data-binary. Every
// argument is single-quoted with embedded quotes escaped for a POSIX shell.
// A synthetic exchange sent nothing and gives "".
func curl(p Exchange) string {
	if p.Synthetic || p.URL == "" {
		return ""
	}
	method := p.Method
	if method == "" {
		method = http.MethodGet
	}
	parts := []string{"curl", "-sS"}
	if method != http.MethodGet || p.ReqBody.Size > 0 {
		parts = append(parts, "-X", method)
	}
	parts = append(parts, shellQuote(p.URL))
	for _, h := range p.ReqHeaders {
		parts = append(parts, "-H", shellQuote(h.Name+": "+h.Value))
	}
	switch {
	case p.ReqBody.Kind == BodyForm:
		for _, f := range p.ReqBody.Fields {
			parts = append(parts, "--data-urlencode", shellQuote(f.Name+"="+f.Value))
		}
	case p.ReqBody.Size > 0:
		parts = append(parts, "--data-binary", shellQuote(p.ReqBody.Wire()))
	}
	return strings.Join(parts, " ")
}

// shellQuote single-quotes s for a POSIX shell, closing and reopening the
// quotes around each embedded single quote.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// CurlLines breaks a one-line curl command before each header and data
// argument with a shell line continuation, so it reads (and pastes) well.
func CurlLines(cmd string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		if c == '\\' && !quoted && i+1 < len(cmd) {
			b.WriteString(cmd[i : i+2]) // an escaped character outside quotes
			i++
			continue
		}
		if c == '\'' {
			quoted = !quoted
		}
		if c == ' ' && !quoted && (strings.HasPrefix(cmd[i+1:], "-H ") || strings.HasPrefix(cmd[i+1:], "--data")) {
			b.WriteString(" \\\n  ")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
