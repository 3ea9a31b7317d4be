package transcript

import (
	"encoding/json"
	"sort"
	"strings"
)

// redactions lists what the masked presentation of e shows differently
// from the unmasked one: the values the one masking (maskExchange) hid,
// found by comparing its output, never by masking a second way.
func redactions(step string, e ExportExchange) []Redaction {
	var out []Redaction
	seen := map[string]bool{}
	add := func(where, shown string) {
		if key := where + "\x00" + shown; !seen[key] {
			seen[key] = true
			out = append(out, Redaction{Step: step, Exchange: e.Title, Where: where, Shown: shown})
		}
	}
	m, o := e.Exchange, e.Open
	if m.URL != o.URL {
		mq, oq := queryFields(m.URL), queryFields(o.URL)
		found := false
		for i := range mq {
			if i < len(oq) && mq[i].Value != oq[i].Value {
				add("query parameter "+mq[i].Name, mq[i].Value)
				found = true
			}
		}
		if !found {
			add("URL", m.URL)
		}
	}
	diffHeaders("request header ", m.ReqHeaders, o.ReqHeaders, add)
	diffBody("request ", m.ReqBody, o.ReqBody, add)
	diffHeaders("response header ", m.RespHeaders, o.RespHeaders, add)
	diffBody("response ", m.RespBody, o.RespBody, add)
	return out
}

// queryFields is a URL's query parameters, decoded, in order.
func queryFields(u string) []Field {
	_, q, ok := strings.Cut(u, "?")
	if !ok {
		return nil
	}
	q, _, _ = strings.Cut(q, "#")
	var out []Field
	for _, p := range splitPairs(q) {
		out = append(out, Field{Name: p.name, Value: p.value})
	}
	return out
}

// diffHeaders reports each header whose masked value differs; masking
// keeps the names and their order.
func diffHeaders(prefix string, m, o []Header, add func(where, shown string)) {
	for i := range m {
		if i < len(o) && m[i].Value != o[i].Value {
			add(prefix+m[i].Name, m[i].Value)
		}
	}
}

// diffBody reports the form fields or JSON members whose masked value
// differs, or the body as a whole.
func diffBody(prefix string, m, o Body, add func(where, shown string)) {
	if m.Text == o.Text {
		return
	}
	switch {
	case m.Kind == BodyForm && len(m.Fields) == len(o.Fields):
		for i := range m.Fields {
			if m.Fields[i].Value != o.Fields[i].Value {
				add(prefix+"form field "+m.Fields[i].Name, m.Fields[i].Value)
			}
		}
		return
	case m.Kind == BodyJSON:
		var mv, ov any
		if json.Unmarshal([]byte(m.Text), &mv) == nil && json.Unmarshal([]byte(o.Text), &ov) == nil {
			var diffs []string
			diffJSON("", mv, ov, func(path, shown string) {
				diffs = append(diffs, path)
				add(prefix+"JSON member "+path, shown)
			})
			if len(diffs) > 0 {
				return
			}
		}
	}
	add(prefix+"body", "")
}

// diffJSON walks two decoded JSON documents of the same shape and reports
// each string that differs, by its path ("access_token", "claims.jti").
func diffJSON(path string, m, o any, report func(path, shown string)) {
	switch mt := m.(type) {
	case map[string]any:
		ot, _ := o.(map[string]any)
		keys := make([]string, 0, len(mt))
		for k := range mt {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			diffJSON(joinPath(path, k), mt[k], ot[k], report)
		}
	case []any:
		ot, _ := o.([]any)
		for i := range mt {
			if i < len(ot) {
				diffJSON(path+"[]", mt[i], ot[i], report)
			}
		}
	case string:
		if os, ok := o.(string); !ok || os != mt {
			report(path, mt)
		}
	}
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
