package transcript

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/nhsauth/nhsauth/steps"
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

const formContentType = "application/x-www-form-urlencoded"

// maskExchange returns a copy of ex with its secrets masked: by header
// name, by form, query and JSON parameter name, and every value red knows
// (with the password of any URL's userinfo). Bodies keep their wire form: a
// form stays form-encoded, JSON keeps its layout. This is the one place an
// exchange is masked; with red.Reveal set, ex comes back unchanged.
func maskExchange(ex steps.Exchange, red *steps.Redactor) steps.Exchange {
	if red != nil && red.Reveal {
		return ex
	}
	out := ex
	out.Title = red.String(ex.Title)
	out.Note = red.String(ex.Note)
	out.URL = red.String(maskURL(ex.URL))
	out.ReqHeader = maskHeaders(ex.ReqHeader, red)
	out.RespHeader = maskHeaders(ex.RespHeader, red)
	out.ReqBody = maskBody(ex.ReqBody, ex.ReqHeader.Get("Content-Type"), red)
	out.RespBody = maskBody(ex.RespBody, ex.RespHeader.Get("Content-Type"), red)
	if ex.Err != nil {
		out.Err = maskedError{red.String(ex.Err.Error()), ex.Err}
	}
	return out
}

// maskedError is an error whose text was masked; errors.Is and errors.As
// still see the original.
type maskedError struct {
	text string
	err  error
}

func (e maskedError) Error() string { return e.text }
func (e maskedError) Unwrap() error { return e.err }

// maskHeaders masks each header value by name and by known value.
func maskHeaders(h http.Header, red *steps.Redactor) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = red.String(maskHeader(k, v))
		}
		out[k] = masked
	}
	return out
}

// maskHeader masks a secret header's value by name, keeping the scheme of
// an Authorization header ("Bearer abcd…") and the names of cookies.
func maskHeader(name, v string) string {
	canon := http.CanonicalHeaderKey(name)
	if !secretHeaders[canon] {
		return v
	}
	if canon == "Authorization" || canon == "Proxy-Authorization" {
		if scheme, cred, ok := strings.Cut(v, " "); ok {
			return scheme + " " + steps.Mask(cred)
		}
	}
	if canon == "Set-Cookie" || canon == "Cookie" {
		return maskCookies(v)
	}
	return steps.Mask(v)
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
		parts[i] = name + "=" + steps.Mask(val)
	}
	return strings.Join(parts, ";")
}

// maskURL masks secret query parameters by name, keeping the rest of the
// URL as it was written.
func maskURL(raw string) string {
	base, query, ok := strings.Cut(raw, "?")
	if !ok {
		return raw
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	pairs := splitPairs(query)
	for i, p := range pairs {
		if !p.hasValue || !p.nameOK || !secretParams[p.name] {
			continue
		}
		v := p.rawValue
		if p.valueOK {
			v = p.value
		}
		pairs[i].rawValue = steps.Mask(v)
	}
	out := base + "?" + joinPairs(pairs)
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// pair is one name=value of a form body or query string (the WHATWG URL
// Standard's application/x-www-form-urlencoded), as written and decoded.
type pair struct {
	rawName, rawValue string
	hasValue          bool // there was an "="
	name, value       string
	nameOK, valueOK   bool // the name, the value percent-decoded
}

// splitPairs splits a form or query string at "&" and decodes each part:
// the one place both are read.
func splitPairs(s string) []pair {
	parts := strings.Split(s, "&")
	out := make([]pair, len(parts))
	for i, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		out[i] = pair{rawName: k, rawValue: v, hasValue: ok, name: name, value: value, nameOK: err1 == nil, valueOK: err2 == nil}
	}
	return out
}

// joinPairs writes pairs back as they were written (or as masking changed
// them).
func joinPairs(pairs []pair) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.rawName
		if p.hasValue {
			parts[i] += "=" + p.rawValue
		}
	}
	return strings.Join(parts, "&")
}

// maskBody masks a body without changing its encoding.
func maskBody(body []byte, ctype string, red *steps.Redactor) []byte {
	if len(body) == 0 {
		return body
	}
	s := string(body)
	if isForm(ctype) {
		s = maskForm(s, red)
	} else if _, ok := PrettyJSON(body); ok {
		s = maskJSONNames(s, body)
	}
	return []byte(red.String(s))
}

// maskForm masks a form body's values: secret names whatever their value,
// and every value red knows once decoded (a registered secret may be
// percent-encoded on the wire). A changed value is encoded again; the rest
// of the body stays byte for byte as sent.
func maskForm(body string, red *steps.Redactor) string {
	pairs := splitPairs(body)
	for i, p := range pairs {
		if !p.hasValue || !p.nameOK || !p.valueOK {
			continue
		}
		masked := red.String(p.value)
		if secretParams[p.name] {
			masked = steps.Mask(p.value)
		}
		if masked != p.value {
			pairs[i].rawValue = url.QueryEscape(masked)
		}
	}
	return joinPairs(pairs)
}

// isForm reports whether a Content-Type is a form.
func isForm(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	return err == nil && mt == formContentType
}

// maskJSONNames masks the string values of secret names anywhere in a JSON
// document, keeping the text's layout: the values are found by decoding and
// then replaced in text.
func maskJSONNames(text string, doc []byte) string {
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
		text = strings.ReplaceAll(text, string(enc), fmt.Sprintf("%q", steps.Mask(s)))
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
