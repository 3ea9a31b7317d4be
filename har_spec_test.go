package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"
)

// harField is one field of an object of the HAR 1.2 spec
// (http://www.softwareishard.com/blog/har-12-spec/): its JSON type, and
// for an object or an array of objects, the object's own fields.
type harField struct {
	typ      string // "string", "number", "integer", "boolean", "object", "array", "date"
	optional bool
	of       map[string]harField
}

func req(typ string, of ...map[string]harField) harField {
	f := harField{typ: typ}
	if len(of) > 0 {
		f.of = of[0]
	}
	return f
}

func opt(typ string, of ...map[string]harField) harField {
	f := req(typ, of...)
	f.optional = true
	return f
}

// harSpec is the log object of HAR 1.2, every field the spec lists.
func harSpec() map[string]harField {
	nameValue := map[string]harField{"name": req("string"), "value": req("string"), "comment": opt("string")}
	cookie := map[string]harField{"name": req("string"), "value": req("string"), "path": opt("string"), "domain": opt("string"),
		"expires": opt("date"), "httpOnly": opt("boolean"), "secure": opt("boolean"), "comment": opt("string")}
	request := map[string]harField{
		"method": req("string"), "url": req("string"), "httpVersion": req("string"),
		"cookies": req("array", cookie), "headers": req("array", nameValue), "queryString": req("array", nameValue),
		"postData": opt("object", map[string]harField{"mimeType": req("string"), "text": req("string"), "comment": opt("string"),
			"params": req("array", map[string]harField{"name": req("string"), "value": opt("string"), "fileName": opt("string"), "contentType": opt("string"), "comment": opt("string")})}),
		"headersSize": req("integer"), "bodySize": req("integer"), "comment": opt("string"),
	}
	response := map[string]harField{
		"status": req("integer"), "statusText": req("string"), "httpVersion": req("string"),
		"cookies": req("array", cookie), "headers": req("array", nameValue),
		"content": req("object", map[string]harField{"size": req("integer"), "compression": opt("integer"), "mimeType": req("string"),
			"text": opt("string"), "encoding": opt("string"), "comment": opt("string")}),
		"redirectURL": req("string"), "headersSize": req("integer"), "bodySize": req("integer"), "comment": opt("string"),
	}
	timings := map[string]harField{"blocked": opt("number"), "dns": opt("number"), "connect": opt("number"), "send": req("number"),
		"wait": req("number"), "receive": req("number"), "ssl": opt("number"), "comment": opt("string")}
	entry := map[string]harField{
		"pageref": opt("string"), "startedDateTime": req("date"), "time": req("number"),
		"request": req("object", request), "response": req("object", response),
		"cache":   req("object", map[string]harField{"beforeRequest": opt("object"), "afterRequest": opt("object"), "comment": opt("string")}),
		"timings": req("object", timings), "serverIPAddress": opt("string"), "connection": opt("string"), "comment": opt("string"),
	}
	page := map[string]harField{"startedDateTime": req("date"), "id": req("string"), "title": req("string"), "comment": opt("string"),
		"pageTimings": req("object", map[string]harField{"onContentLoad": opt("number"), "onLoad": opt("number"), "comment": opt("string")})}
	return map[string]harField{
		"version": req("string"),
		"creator": req("object", map[string]harField{"name": req("string"), "version": req("string"), "comment": opt("string")}),
		"browser": opt("object", map[string]harField{"name": req("string"), "version": req("string"), "comment": opt("string")}),
		"pages":   opt("array", page), "entries": req("array", entry), "comment": opt("string"),
	}
}

// checkHAR reports every required field missing, every field of the
// wrong type and every field the spec does not name (custom fields must
// start with "_"), at each level of obj.
func checkHAR(path string, obj map[string]any, spec map[string]harField) []string {
	var errs []string
	for name, f := range spec {
		v, ok := obj[name]
		if !ok {
			if !f.optional {
				errs = append(errs, fmt.Sprintf("%s.%s is missing", path, name))
			}
			continue
		}
		errs = append(errs, checkHARValue(path+"."+name, v, f)...)
	}
	for name := range obj {
		if _, ok := spec[name]; !ok && !strings.HasPrefix(name, "_") {
			errs = append(errs, fmt.Sprintf("%s.%s is not a HAR 1.2 field", path, name))
		}
	}
	return errs
}

func checkHARValue(path string, v any, f harField) []string {
	bad := []string{fmt.Sprintf("%s is %T, want %s", path, v, f.typ)}
	switch f.typ {
	case "string":
		if _, ok := v.(string); !ok {
			return bad
		}
	case "date":
		s, ok := v.(string)
		if !ok {
			return bad
		}
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return []string{fmt.Sprintf("%s = %q is not ISO 8601: %v", path, s, err)}
		}
	case "number", "integer":
		n, ok := v.(float64)
		if !ok || (f.typ == "integer" && n != math.Trunc(n)) {
			return bad
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad
		}
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			return bad
		}
		if f.of != nil {
			return checkHAR(path, o, f.of)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return bad
		}
		var errs []string
		for i, el := range a {
			errs = append(errs, checkHARValue(fmt.Sprintf("%s[%d]", path, i), el, harField{typ: "object", of: f.of})...)
		}
		return errs
	}
	return nil
}

// TestHARRequiredFields: the HAR of a cis2-separate run by form (cookies,
// a redirect, form posts, JSON replies) has every field HAR 1.2 requires,
// at every level, of the type it names, and no other; version 1.2 and
// creator nhsauth; one entry per exchange with timings that add up to its
// time; each entry's page exists.
func TestHARRequiredFields(t *testing.T) {
	dir := inTempDir(t)
	ts, _ := tappedPlatform(t, dir)
	text := exportRun(t, ts.URL, dir, "cis2-separate", "--env", "local", "--user", "656005750104")["--har"]
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(doc) != 1 || doc["log"] == nil {
		t.Fatalf("the document is not {\"log\": …}: %v keys", len(doc))
	}
	logObj, _ := doc["log"].(map[string]any)
	for _, e := range checkHAR("log", logObj, harSpec()) {
		t.Error(e)
	}
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Pages   []struct{ ID string }
			Entries []struct {
				PageRef  string
				Time     float64
				Timings  map[string]float64
				Request  struct{ Method, URL string }
				Response struct {
					Status      int
					RedirectURL string
					Cookies     []struct{ Name, Value string }
				}
			}
		}
	}
	json.Unmarshal([]byte(text), &har)
	if har.Log.Version != "1.2" || har.Log.Creator.Name != "nhsauth" || har.Log.Creator.Version != shortVersion() {
		t.Errorf("version %q, creator %+v", har.Log.Version, har.Log.Creator)
	}
	pages := map[string]bool{}
	for _, p := range har.Log.Pages {
		pages[p.ID] = true
	}
	var redirect, cookie bool
	for i, e := range har.Log.Entries {
		if u, err := url.Parse(e.Request.URL); err != nil || !u.IsAbs() {
			t.Errorf("entry %d: url %q is not absolute", i, e.Request.URL)
		}
		sum := 0.0
		for name, v := range e.Timings {
			if v < -1 || (v == -1 && (name == "send" || name == "wait" || name == "receive")) {
				t.Errorf("entry %d: timings.%s = %v", i, name, v)
			}
			if v > 0 {
				sum += v
			}
		}
		if math.Abs(sum-e.Time) > 0.0015 {
			t.Errorf("entry %d: time %v is not the sum of its timings %v", i, e.Time, sum)
		}
		if !pages[e.PageRef] {
			t.Errorf("entry %d: pageref %q names no page", i, e.PageRef)
		}
		redirect = redirect || e.Response.RedirectURL != ""
		cookie = cookie || len(e.Response.Cookies) > 0
	}
	// Nine steps: credentials, discovery, the authorise page, the login
	// form, the code exchange, the realm's JWKS, token exchange, the API,
	// refresh, and the local platform's own calls.
	if len(har.Log.Entries) < 9 {
		t.Errorf("%d entries, want one per exchange (at least 9)", len(har.Log.Entries))
	}
	if !redirect || !cookie {
		t.Errorf("the login's redirect (%v) or its Set-Cookie (%v) is not recorded", redirect, cookie)
	}
}
