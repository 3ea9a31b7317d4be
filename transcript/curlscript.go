package transcript

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// The curl-script export: a bash script that sends the journey's requests
// again with curl, in order, and stops at the first reply whose status
// differs from the recorded one. No secret is written into it (unless the
// journey reveals): each value the masking hid becomes a variable, either
// captured at run time from an earlier reply (an access token from the
// token response, read with jq, python3 or sed) or set by the user at the
// top. A client assertion is a signed JWT with a single-use jti (RFC 7523
// §3; the platform refuses a replayed one), so it is always made afresh:
// from $CLIENT_ASSERTION, a file, or `nhsauth assertion`.

// scriptVar is one variable of the script: a secret value and where the
// script gets it.
type scriptVar struct {
	name  string
	value string // the recorded value (unmasked)
	shown string // masked, for comments
	what  string // where it was sent: "form field client_assertion"
	// from is the exchange (index into script order) whose JSON reply
	// holds it as member; -1 when the user sets it.
	from   int
	member string
}

// curlCall is one request of the script.
type curlCall struct {
	step, title string
	e           ExportExchange
}

// WriteCurlScript writes the journey as a bash script of curl commands.
func (j *Journey) WriteCurlScript(w io.Writer) {
	var calls []curlCall
	for i, st := range j.Steps {
		for _, e := range st.Exchanges {
			if !e.Synthetic && e.Open.URL != "" {
				calls = append(calls, curlCall{step: fmt.Sprintf("Step %d: %s", i+1, st.Title), title: e.Title, e: e})
			}
		}
	}
	vars := scriptVars(calls)
	var b strings.Builder
	j.writeScriptHead(&b, vars)
	for k, c := range calls {
		writeScriptCall(&b, k, c, vars, j.openBase())
		for _, v := range vars {
			if v.from == k {
				fmt.Fprintf(&b, "%s=\"$(json_field \"$work/%d.body\" %s)\"\n", v.name, k+1, v.member)
			}
		}
		b.WriteString("\n")
	}
	if len(calls) > 0 {
		fmt.Fprintf(&b, "cat \"$work/%d.body\"\necho\n", len(calls))
	}
	_, _ = io.WriteString(w, b.String())
}

// openBase is the environment's base URL as the requests used it, when
// some request went there, for the script's BASE_URL; else "".
func (j *Journey) openBase() string {
	for _, st := range j.Steps {
		for _, e := range st.Exchanges {
			if !e.Synthetic && j.rawBase != "" && strings.HasPrefix(e.Open.URL, j.rawBase) {
				return j.rawBase
			}
		}
	}
	return ""
}

// scriptHelpers are the script's functions: json_field reads a string
// member of a JSON reply with jq, else python3, else sed; call sends one
// request through the cookie jar, keeps its body and checks its status.
const scriptHelpers = `work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$work/cookies"

# json_field FILE PATH: the string member at PATH ("access_token",
# "cis2.client_secret") of the JSON object in FILE. Without jq or python3,
# sed finds the first member named as PATH's last part.
json_field() {
  if command -v jq >/dev/null 2>&1; then
    jq -er --arg p "$2" 'getpath($p | split(".")) | strings' "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import functools, json, sys; print(functools.reduce(lambda o, k: o[k], sys.argv[2].split("."), json.load(open(sys.argv[1]))))' "$1" "$2"
  else
    tr -d '\n' <"$1" | sed -n 's/[^"]*"'"${2##*.}"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'
  fi
}

# call N EXPECTED TITLE CURL-ARGS...: one request; its body goes to
# $work/N.body; a status other than the recorded one stops the script.
call() {
  local n="$1" want="$2" title="$3"
  shift 3
  local got
  : >"$work/$n.body"
  got="$(curl -sS -b "$jar" -c "$jar" -o "$work/$n.body" -w '%{http_code}' "$@")" || got="000"
  echo "[$n] $title: HTTP $got (recorded: ${want:-no response})" >&2
  if [ -n "$want" ] && [ "$got" != "$want" ]; then
    echo "The reply differs from the recorded run's; its body:" >&2
    cat "$work/$n.body" >&2 || true
    echo >&2
    exit 1
  fi
}
`

// writeScriptHead writes the shebang, what the script is, the variables
// and the helpers.
func (j *Journey) writeScriptHead(b *strings.Builder, vars []*scriptVar) {
	b.WriteString("#!/usr/bin/env bash\n")
	fmt.Fprintf(b, "# nhsauth curl script: %s on %s, recorded %s by nhsauth %s.\n",
		shComment(j.FlowTitle), shComment(j.Env), j.Time.UTC().Format("2006-01-02 15:04:05 UTC"), shComment(j.Version))
	b.WriteString("# It sends the journey's HTTP requests again with curl, in order, and stops at\n" +
		"# the first reply whose status differs from the recorded run's. Needs bash and\n" +
		"# curl; reads JSON replies with jq, else python3, else sed. Recorded Cookie\n" +
		"# headers are left out: a cookie jar carries the cookies the replies set.\n")
	if j.Revealed {
		b.WriteString("# Written with --reveal: the recorded secrets are the defaults below. Keep it private.\n")
	} else {
		b.WriteString("# No secret is written here: set each variable below (export it, or edit this\n" +
			"# file) before running. Codes and single-use values from the recorded run are\n" +
			"# spent; a journey through a browser sign-in replays only up to the sign-in.\n")
	}
	b.WriteString("set -euo pipefail\n\n")
	if base := j.openBase(); base != "" {
		fmt.Fprintf(b, "# BASE_URL: the API platform the requests go to (the recorded run used %s).\n", shComment(base))
		fmt.Fprintf(b, "BASE_URL=\"${BASE_URL:-%s}\"\n", shDefault(base))
	}
	for _, v := range vars {
		if v.from < 0 {
			j.writeInputVar(b, v)
		}
	}
	for _, v := range vars {
		if v.from >= 0 {
			fmt.Fprintf(b, "# %s is read from reply %d when it comes (%s; recorded as %s).\n", v.name, v.from+1, shComment(v.what), shComment(v.shown))
		}
	}
	b.WriteString("\n" + scriptHelpers + "\n")
}

// writeInputVar writes one variable the user sets: a client assertion is
// made afresh by nhsauth assertion unless given (or given in a file);
// other secrets are required, or default to the recorded value when the
// journey reveals.
func (j *Journey) writeInputVar(b *strings.Builder, v *scriptVar) {
	fmt.Fprintf(b, "\n# %s: sent as %s (recorded as %s).\n", v.name, shComment(v.what), shComment(v.shown))
	if strings.HasPrefix(v.name, "CLIENT_ASSERTION") {
		fmt.Fprintf(b, "# A signed JWT (RFC 7523 §3) whose jti the platform accepts once and which\n"+
			"# expires within 5 minutes, so each run needs a new one: set %[1]s, or\n"+
			"# %[1]s_FILE to a file holding one, or leave both unset to run\n"+
			"# `nhsauth assertion --env %[2]s` (add --api-key and --private-key for a real app).\n", v.name, shComment(j.Env))
		fmt.Fprintf(b, "if [ -n \"${%[1]s_FILE:-}\" ]; then %[1]s=\"$(cat \"$%[1]s_FILE\")\"; fi\n", v.name)
		fmt.Fprintf(b, "%[1]s=\"${%[1]s:-$(nhsauth assertion --env %[2]s)}\"\n", v.name, shDefault(j.Env))
		return
	}
	if j.Revealed {
		fmt.Fprintf(b, "%[1]s=\"${%[1]s:-%[2]s}\"\n", v.name, shDefault(v.value))
		return
	}
	fmt.Fprintf(b, "%[1]s=\"${%[1]s:?set %[1]s: the value sent as %[2]s}\"\n", v.name, shDefault(v.what))
}

// writeScriptCall writes request k as a call to the call helper.
func writeScriptCall(b *strings.Builder, k int, c curlCall, vars []*scriptVar, base string) {
	o := c.e.Open
	want := ""
	if o.Status != 0 {
		want = fmt.Sprint(o.Status)
	}
	fmt.Fprintf(b, "# %s · %s\n", shComment(c.step), shComment(c.title))
	args := []string{"call", fmt.Sprint(k + 1), shellQuote(want), shellQuote(Line(c.title))}
	method := o.Method
	if method == "" {
		method = "GET"
	}
	args = append(args, "-X", shellQuote(method))
	url := shellWord(o.URL, vars)
	if base != "" && strings.HasPrefix(o.URL, base) {
		url = `"${BASE_URL}"` + shellWord(strings.TrimPrefix(o.URL, base), vars)
	}
	args = append(args, url)
	for _, h := range o.ReqHeaders {
		if strings.EqualFold(h.Name, "Cookie") {
			continue // the cookie jar carries cookies from reply to request
		}
		args = append(args, "-H", shellWord(h.Name+": "+h.Value, vars))
	}
	switch {
	case o.ReqBody.Kind == BodyForm:
		for _, f := range o.ReqBody.Fields {
			args = append(args, "--data-urlencode", shellWord(f.Name+"="+f.Value, vars))
		}
	case o.ReqBody.Size > 0:
		args = append(args, "--data-binary", shellWord(o.ReqBody.Wire(), vars))
	}
	b.WriteString(CurlLines(strings.Join(args, " ")) + "\n")
}

// shellWord is s as one shell word: literal runs single-quoted, each
// secret value the script holds in a variable as "${NAME}".
func shellWord(s string, vars []*scriptVar) string {
	type hit struct {
		at int
		v  *scriptVar
	}
	var out []string
	for len(s) > 0 {
		best := hit{at: -1}
		for _, v := range vars { // the first; at one place, the longest
			i := strings.Index(s, v.value)
			if i >= 0 && (best.at < 0 || i < best.at || i == best.at && len(v.value) > len(best.v.value)) {
				best = hit{i, v}
			}
		}
		if best.at < 0 {
			out = append(out, shellQuote(s))
			break
		}
		if best.at > 0 {
			out = append(out, shellQuote(s[:best.at]))
		}
		out = append(out, `"${`+best.v.name+`}"`)
		s = s[best.at+len(best.v.value):]
	}
	if len(out) == 0 {
		return "''"
	}
	return strings.Join(out, "")
}

// scriptVars finds the secret values the script's requests send: every
// request value the masking changed (an Authorization header's credentials
// after the scheme; a Cookie header is left to the jar) becomes a
// variable, named by the reply member it was read from, else by where it
// was sent.
func scriptVars(calls []curlCall) []*scriptVar {
	var vars []*scriptVar
	byValue := map[string]*scriptVar{}
	names := map[string]bool{"BASE_URL": true}
	add := func(k int, value, shown, what, name string) {
		if value == "" || byValue[value] != nil {
			return
		}
		v := &scriptVar{value: value, shown: shown, what: what + " (" + calls[k].title + ")", from: -1}
		for prev := k - 1; prev >= 0 && v.from < 0; prev-- {
			if m := jsonMemberWith(calls[prev].e.Open.RespBody, value); m != "" {
				v.from, v.member, name = prev, m, m[strings.LastIndex(m, ".")+1:]
			}
		}
		v.name = uniqueName(varName(name), names)
		byValue[value] = v
		vars = append(vars, v)
	}
	for k, c := range calls {
		m, o := c.e.hidden, c.e.Open
		mq, oq := queryFields(m.URL), queryFields(o.URL)
		for i := range mq {
			if i < len(oq) && mq[i].Value != oq[i].Value {
				add(k, oq[i].Value, mq[i].Value, "query parameter "+oq[i].Name, oq[i].Name)
			}
		}
		for i := range m.ReqHeaders {
			if i >= len(o.ReqHeaders) || m.ReqHeaders[i].Value == o.ReqHeaders[i].Value || strings.EqualFold(o.ReqHeaders[i].Name, "Cookie") {
				continue
			}
			name, value, shown := o.ReqHeaders[i].Name, o.ReqHeaders[i].Value, m.ReqHeaders[i].Value
			if scheme, cred, ok := strings.Cut(value, " "); ok && strings.EqualFold(name, "Authorization") {
				_, mcred, _ := strings.Cut(shown, " ")
				name := scheme + "_credentials"
				if strings.EqualFold(scheme, "Bearer") {
					name = "access_token" // RFC 6750 §2.1
				}
				add(k, cred, mcred, "header Authorization: "+scheme, name)
				continue
			}
			add(k, value, shown, "header "+name, name)
		}
		if m.ReqBody.Kind == BodyForm && len(m.ReqBody.Fields) == len(o.ReqBody.Fields) {
			for i, f := range o.ReqBody.Fields {
				if f.Value != m.ReqBody.Fields[i].Value {
					add(k, f.Value, m.ReqBody.Fields[i].Value, "form field "+f.Name, secretName(f.Name, o.ReqBody.Fields, byValue))
				}
			}
		}
	}
	return vars
}

// secretName names a form field's variable: a client_secret sent beside
// the API key as client_id is the app's API secret (the platform's
// refresh, reference §3), else the field's own name.
func secretName(field string, form []Field, byValue map[string]*scriptVar) string {
	if field != "client_secret" {
		return field
	}
	for _, f := range form {
		if v := byValue[f.Value]; f.Name == "client_id" && v != nil && v.name == "API_KEY" {
			return "api_secret"
		}
	}
	return field
}

// jsonMemberWith is the path ("access_token", "cis2.client_secret") of a
// string member of a JSON body, in an object at any depth outside arrays,
// whose value is value; or "".
func jsonMemberWith(body Body, value string) string {
	if body.Kind != BodyJSON {
		return ""
	}
	var obj map[string]any
	if json.Unmarshal([]byte(body.Text), &obj) != nil {
		return ""
	}
	return memberPath(obj, value)
}

func memberPath(obj map[string]any, value string) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if validMember().MatchString(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := obj[k].(type) {
		case string:
			if v == value {
				return k
			}
		case map[string]any:
			if p := memberPath(v, value); p != "" {
				return k + "." + p
			}
		}
	}
	return ""
}

// validMember is a member name the script may pass to json_field as it is.
var validMember = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// varName makes a shell variable name: upper case, other characters "_".
func varName(s string) string {
	s = strings.ToUpper(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(s, "_"))
	s = strings.Trim(s, "_")
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "V_" + s
	}
	if s == "APIKEY" {
		s = "API_KEY"
	}
	return s
}

// uniqueName is name, or name_2, name_3… when it is taken.
func uniqueName(name string, taken map[string]bool) string {
	out := name
	for n := 2; taken[out]; n++ {
		out = fmt.Sprintf("%s_%d", name, n)
	}
	taken[out] = true
	return out
}

// shComment is text safe on a comment line: one line, neutralised.
func shComment(s string) string { return strings.ReplaceAll(Line(s), "\n", " ") }

// shDefault is s safe inside a double-quoted ${VAR:-…} default: the
// characters bash expands there escaped.
func shDefault(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`, `}`, `\}`)
	return r.Replace(Line(s))
}
