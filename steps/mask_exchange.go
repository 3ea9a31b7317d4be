package steps

import (
	"net/http"
	"net/url"
	"strings"
)

// MaskExchange returns a copy of ex with its secrets masked exactly as
// FormatExchange masks them (by header name, by form, query and JSON
// parameter name, and every value red knows), for renderers that emit the
// fields one by one, such as nhsauth run --json. Bodies keep their wire
// form: a form stays form-encoded, JSON keeps its layout. ex.Err is left as
// it is; mask its text with red.String. With red.Reveal set, ex comes back
// unchanged.
func MaskExchange(ex Exchange, red *Redactor) Exchange {
	if revealing(red) {
		return ex
	}
	out := ex
	out.Title = red.String(ex.Title)
	out.Note = red.String(ex.Note)
	out.URL = red.String(maskURL(ex.URL, red))
	out.ReqHeader = maskHeaders(ex.ReqHeader, red)
	out.RespHeader = maskHeaders(ex.RespHeader, red)
	out.ReqBody = maskRawBody(ex.ReqBody, ex.ReqHeader.Get("Content-Type"), red)
	out.RespBody = maskRawBody(ex.RespBody, ex.RespHeader.Get("Content-Type"), red)
	return out
}

// maskHeaders masks each header value by name and by known value.
func maskHeaders(h http.Header, red *Redactor) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = red.String(maskHeader(k, v, red))
		}
		out[k] = masked
	}
	return out
}

// maskRawBody masks a body without changing its encoding.
func maskRawBody(body []byte, ctype string, red *Redactor) []byte {
	if len(body) == 0 {
		return body
	}
	s := string(body)
	if isForm(ctype) {
		pairs := strings.Split(s, "&")
		for i, pair := range pairs {
			k, v, ok := strings.Cut(pair, "=")
			if !ok {
				continue
			}
			name, err := url.QueryUnescape(k)
			if err != nil || !secretParams[name] {
				continue
			}
			if dv, err := url.QueryUnescape(v); err == nil {
				v = dv
			}
			pairs[i] = k + "=" + url.QueryEscape(Mask(v))
		}
		s = strings.Join(pairs, "&")
	} else if _, ok := PrettyJSON(body); ok {
		s = maskJSONNames(s, body, red)
	}
	return []byte(red.String(s))
}
