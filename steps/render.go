package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// secretParams are form, query and JSON names whose values are always
// masked, whether or not the Redactor was told the value: defence in depth
// for a secret a step forgot to register.
var secretParams = map[string]bool{
	"client_secret":    true,
	"client_assertion": true,
	"code":             true,
	"code_verifier":    true,
	"refresh_token":    true,
	"subject_token":    true,
	"access_token":     true,
	"id_token":         true,
	"password":         true,
	"logout_token":     true,
}

// secretHeaders are header names whose values are always masked.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Apikey":              true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// revealing reports whether red shows secrets.
func revealing(red *Redactor) bool { return red != nil && red.Reveal }

// FormatExchange writes an exchange as text (request line, headers, body;
// status, headers, body, JSON pretty-printed), masking secrets with red.
//
// Form bodies are shown one decoded parameter per line. A synthetic
// exchange shows its note and what it built; a request that got no response
// ends with "✗ no response: <err>"; a cut body ends with TruncationMark.
// Unless red.Reveal is set, Authorization-like headers and the parameters
// of secretParams are masked by name, and every value red knows by value.
func FormatExchange(w io.Writer, ex Exchange, red *Redactor) {
	var b strings.Builder
	if ex.Synthetic {
		if ex.Note != "" {
			b.WriteString(ex.Note)
			b.WriteString("\n\n")
		}
		b.WriteString(displayBody(ex.ReqBody, "", false, red))
		b.WriteString("\n")
		io.WriteString(w, red.String(b.String()))
		return
	}
	fmt.Fprintf(&b, "%s %s\n", ex.Method, maskURL(ex.URL, red))
	writeHeaders(&b, ex.ReqHeader, red)
	if len(ex.ReqBody) > 0 {
		b.WriteString("\n")
		b.WriteString(displayBody(ex.ReqBody, ex.ReqHeader.Get("Content-Type"), false, red))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if ex.Status == 0 {
		err := ex.Err
		if err == nil {
			err = fmt.Errorf("the request was not sent")
		}
		fmt.Fprintf(&b, "✗ no response: %v\n", err)
		io.WriteString(w, red.String(b.String()))
		return
	}
	fmt.Fprintf(&b, "← %d %s (%d ms)\n", ex.Status, http.StatusText(ex.Status), ex.Took.Milliseconds())
	writeHeaders(&b, ex.RespHeader, red)
	if len(ex.RespBody) > 0 || ex.Truncated {
		b.WriteString("\n")
		b.WriteString(displayBody(ex.RespBody, ex.RespHeader.Get("Content-Type"), ex.Truncated, red))
		b.WriteString("\n")
	}
	if ex.Err != nil {
		fmt.Fprintf(&b, "✗ the response was cut short: %v\n", ex.Err)
	}
	io.WriteString(w, red.String(b.String()))
}

// writeHeaders writes headers in name order, masking secret ones by name.
func writeHeaders(b *strings.Builder, h http.Header, red *Redactor) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, maskHeader(k, v, red))
		}
	}
}

// maskHeader masks a secret header's value by name, keeping the scheme of
// an Authorization header ("Bearer abcd…").
func maskHeader(name, v string, red *Redactor) string {
	if revealing(red) || !secretHeaders[http.CanonicalHeaderKey(name)] {
		return v
	}
	canon := http.CanonicalHeaderKey(name)
	if canon == "Authorization" || canon == "Proxy-Authorization" {
		if scheme, cred, ok := strings.Cut(v, " "); ok {
			return scheme + " " + Mask(cred)
		}
	}
	if canon == "Set-Cookie" || canon == "Cookie" {
		return maskCookies(v)
	}
	return Mask(v)
}

// maskCookies masks each cookie's value, keeping names and attributes.
func maskCookies(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		attr := strings.ToLower(strings.TrimSpace(name))
		if i > 0 && (attr == "path" || attr == "domain" || attr == "expires" || attr == "max-age" || attr == "samesite") {
			continue
		}
		parts[i] = name + "=" + Mask(val)
	}
	return strings.Join(parts, ";")
}

// maskURL masks secret query parameters by name, keeping the rest of the
// URL as it was written.
func maskURL(raw string, red *Redactor) string {
	if revealing(red) {
		return raw
	}
	base, query, ok := strings.Cut(raw, "?")
	if !ok {
		return raw
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	pairs := strings.Split(query, "&")
	for i, pair := range pairs {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		if name, err := url.QueryUnescape(k); err == nil && secretParams[name] {
			if dv, err := url.QueryUnescape(v); err == nil {
				v = dv
			}
			pairs[i] = k + "=" + Mask(v)
		}
	}
	out := base + "?" + strings.Join(pairs, "&")
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// displayBody renders a body for reading: a form one decoded parameter per
// line, JSON indented, anything else as it is; secret names masked.
func displayBody(body []byte, ctype string, truncated bool, red *Redactor) string {
	var out string
	switch {
	case isForm(ctype) && !truncated:
		out = formLines(body, red)
	default:
		if pretty, ok := PrettyJSON(body); ok {
			out = maskJSONNames(string(pretty), pretty, red)
		} else {
			out = string(body)
		}
	}
	if truncated {
		out = strings.TrimRight(out, "\n") + "\n" + TruncationMark
	}
	return out
}

// isForm reports whether a Content-Type is a form.
func isForm(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	return err == nil && mt == formContentType
}

// formLines shows a form body one decoded parameter per line, in the order
// sent.
func formLines(body []byte, red *Redactor) string {
	pairs, ok := formPairs(body, red)
	if !ok {
		return string(body) // not really a form: show it raw
	}
	return strings.Join(pairs, "\n")
}

// formPairs decodes a form body into "name=value" strings in the order
// sent, masking secret names; it reports false when body is not a form.
func formPairs(body []byte, red *Redactor) ([]string, bool) {
	var pairs []string
	for _, pair := range strings.Split(string(body), "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		if secretParams[dk] && !revealing(red) {
			dv = Mask(dv)
		}
		pairs = append(pairs, dk+"="+dv)
	}
	return pairs, true
}

// maskJSONNames masks the string values of secret names anywhere in a JSON
// document, keeping the text's layout: the values are found by decoding and
// then replaced in text.
func maskJSONNames(text string, doc []byte, red *Redactor) string {
	if revealing(red) {
		return text
	}
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return text
	}
	var found []string
	collectSecrets(v, &found)
	if len(found) == 0 {
		return text
	}
	sort.Slice(found, func(i, j int) bool { return len(found[i]) > len(found[j]) })
	for _, s := range found {
		enc, _ := json.Marshal(s) // a string: cannot fail
		text = strings.ReplaceAll(text, string(enc), fmt.Sprintf("%q", Mask(s)))
	}
	return text
}

// secretJSONName reports whether a JSON member's value is masked by its
// name: every secretParams name except "code", which in JSON is nearly
// always something else (a FHIR OperationOutcome's issue code, a coding's
// code such as INVALID_RESOURCE_ID) and which no OAuth reply carries. An
// authorization code is a query or form parameter; the journey registers
// it with the Redactor, which masks it by value wherever it appears.
func secretJSONName(name string) bool {
	return secretParams[name] && name != "code"
}

func collectSecrets(v any, found *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && secretJSONName(k) && s != "" {
				*found = append(*found, s)
				continue
			}
			collectSecrets(val, found)
		}
	case []any:
		for _, val := range t {
			collectSecrets(val, found)
		}
	}
}

// PrettyJSON indents valid JSON (RFC 8259) with two spaces; it reports
// false, and returns b unchanged, for anything else.
func PrettyJSON(b []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || !json.Valid(trimmed) {
		return b, false
	}
	var out bytes.Buffer
	if err := json.Indent(&out, trimmed, "", "  "); err != nil {
		return b, false
	}
	return out.Bytes(), true
}

// Curl renders an exchange as a curl command, masking secrets with red.
//
// Form bodies become one --data-urlencode per parameter (decoded, so the
// command reads like NHS's own examples); other bodies --data-binary. Every
// argument is single-quoted with embedded quotes escaped for a POSIX shell.
// A synthetic exchange sent nothing and gives "".
func Curl(ex Exchange, red *Redactor) string {
	if ex.Synthetic || ex.URL == "" {
		return ""
	}
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	parts := []string{"curl", "-sS"}
	if method != http.MethodGet || len(ex.ReqBody) > 0 {
		parts = append(parts, "-X", method)
	}
	parts = append(parts, shellQuote(maskURL(ex.URL, red)))
	names := make([]string, 0, len(ex.ReqHeader))
	for k := range ex.ReqHeader {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range ex.ReqHeader[k] {
			parts = append(parts, "-H", shellQuote(k+": "+maskHeader(k, v, red)))
		}
	}
	if len(ex.ReqBody) > 0 {
		if pairs, ok := formPairs(ex.ReqBody, red); ok && isForm(ex.ReqHeader.Get("Content-Type")) {
			for _, p := range pairs {
				parts = append(parts, "--data-urlencode", shellQuote(p))
			}
		} else {
			parts = append(parts, "--data-binary", shellQuote(maskJSONNames(string(ex.ReqBody), ex.ReqBody, red)))
		}
	}
	return red.String(strings.Join(parts, " "))
}

// shellQuote single-quotes s for a POSIX shell, closing and reopening the
// quotes around each embedded single quote.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
