package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// docExamples reads docs/json.md's example document of each command: the
// first ```json block under its "## nhsauth <command>" heading.
func docExamples(t *testing.T) map[string]any {
	t.Helper()
	md, err := os.ReadFile(filepath.Join("docs", "json.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	re := regexp.MustCompile("(?s)\n## nhsauth ([a-z-]+)[^\n]*\n.*?```json\n(.*?)```")
	for _, m := range re.FindAllStringSubmatch(string(md), -1) {
		var v any
		if err := json.Unmarshal([]byte(m[2]), &v); err != nil {
			t.Fatalf("docs/json.md's %s example is not JSON: %v", m[1], err)
		}
		out[m[1]] = v
	}
	return out
}

// freeForm are the fields whose content is the server's or the user's:
// only their presence is described.
var freeForm = map[string]bool{"request_headers": true, "response_headers": true, "headers": true,
	"body": true, "request_json": true, "response_json": true}

// sameShape reports where got differs from the documented want: another
// set of fields in an object, or another JSON type. Every element of an
// array is compared with the example's first.
func sameShape(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, documented an object", path, got)}
		}
		if wk, gk := keys(w), keys(g); wk != gk {
			return []string{fmt.Sprintf("%s: fields %s, documented %s", path, gk, wk)}
		}
		var diffs []string
		for k := range w {
			if !freeForm[k] {
				diffs = append(diffs, sameShape(path+"."+k, w[k], g[k])...)
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, documented an array", path, got)}
		}
		var diffs []string
		for i, e := range g {
			if len(w) > 0 {
				diffs = append(diffs, sameShape(fmt.Sprintf("%s[%d]", path, i), w[0], e)...)
			}
		}
		return diffs
	}
	if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
		return []string{fmt.Sprintf("%s: got %T, documented %T", path, got, want)}
	}
	return nil
}

func keys(m map[string]any) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// TestJSONMatchesDocs runs each command with --json on the local platform
// and checks its document against docs/json.md's example, schema included.
func TestJSONMatchesDocs(t *testing.T) {
	docs := docExamples(t)
	dir := inTempDir(t)
	files := writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	vars := doctorPlatform(t, dir)
	idToken := func(t *testing.T) string { return idTokenFrom(t, vars, "cis2-separate", "656005750104") }
	for _, tt := range []struct {
		cmd    string
		args   []string
		schema string
	}{
		{"run", []string{"run", "app-restricted", "--json"}, "nhsauth/run@1"},
		{"call-api", []string{"call-api", "--env", "local", "--private-key", files.Private, "--url", "/hello-world/hello/application", "--json"}, "nhsauth/call-api@1"},
		{"get-token", []string{"get-token", "--env", "local", "--private-key", files.Private, "--json"}, "nhsauth/get-token@1"},
		{"doctor", []string{"doctor", "--json"}, "nhsauth/doctor@1"},
		{"decode", []string{"decode", "--env", "local", "--json", idToken(t)}, "nhsauth/decode@1"},
	} {
		t.Run(tt.cmd, func(t *testing.T) {
			want, ok := docs[tt.cmd]
			if !ok {
				t.Fatalf("docs/json.md has no example for %s", tt.cmd)
			}
			var with map[string]string // run, call-api and get-token start their own platform
			if tt.cmd == "doctor" || tt.cmd == "decode" {
				with = vars
			}
			r := nhsauth(t, with, nil, tt.args...)
			if r.code != exitOK {
				t.Fatalf("%v", r)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, r.stdout)
			}
			if got["schema"] != tt.schema || want.(map[string]any)["schema"] != tt.schema {
				t.Errorf("schema %v, documented %v, want %s", got["schema"], want.(map[string]any)["schema"], tt.schema)
			}
			for _, d := range sameShape(tt.cmd, want, got) {
				t.Error(d)
			}
		})
	}
}

// TestJSONBodiesEmbedded: a JSON reply is in run's document parsed and
// as text, the same document.
func TestJSONBodiesEmbedded(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	r := nhsauth(t, nil, nil, "run", "app-restricted", "--json")
	var doc struct {
		Steps []struct {
			Exchanges []struct {
				ResponseBody string          `json:"response_body"`
				ResponseJSON json.RawMessage `json:"response_json"`
			} `json:"exchanges"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, s := range doc.Steps {
		for _, ex := range s.Exchanges {
			if !strings.Contains(ex.ResponseBody, "Hello Application!") {
				continue
			}
			seen = true
			var parsed, fromText map[string]any
			if json.Unmarshal(ex.ResponseJSON, &parsed) != nil || json.Unmarshal([]byte(ex.ResponseBody), &fromText) != nil ||
				parsed["message"] != "Hello Application!" || fromText["message"] != parsed["message"] {
				t.Errorf("response_json %s, response_body %q", ex.ResponseJSON, ex.ResponseBody)
			}
		}
	}
	if !seen {
		t.Fatalf("no API reply in the run:\n%s", r.stdout)
	}
}
