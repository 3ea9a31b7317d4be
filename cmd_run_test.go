package main

import (
	"bytes"
	"encoding/json"
	"github.com/spf13/pflag"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
)

// runDoc is the --json document of run, decoded strictly enough to catch
// a renamed field.
type runDoc struct {
	Flow  string `json:"flow"`
	Env   string `json:"env"`
	Steps []struct {
		ID        string                    `json:"id"`
		Title     string                    `json:"title"`
		Status    string                    `json:"status"`
		Summary   string                    `json:"summary"`
		Exchanges []transcript.JSONExchange `json:"exchanges"`
		Checks    []any                     `json:"checks"`
		Error     string                    `json:"error"`
		Hint      []struct {
			Cause string `json:"cause"`
			Fix   string `json:"fix"`
		} `json:"hint"`
	} `json:"steps"`
}

func decodeRun(t *testing.T, out string) runDoc {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("--json output is not one JSON document: %v\n%s", err, out)
	}
	for _, k := range []string{"flow", "env", "steps"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	var steps []map[string]json.RawMessage
	json.Unmarshal(raw["steps"], &steps)
	for _, s := range steps {
		for _, k := range []string{"id", "title", "status", "summary", "exchanges", "checks", "error", "hint"} {
			if _, ok := s[k]; !ok {
				t.Errorf("a step lacks %q", k)
			}
		}
	}
	var doc runDoc
	json.Unmarshal([]byte(out), &doc)
	return doc
}

func TestRunAppRestrictedLocal(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1") // 2048 bits: no slow keygen
	// Flags after the flow's name, as people type them.
	r := nhsauth(t, nil, nil, "run", "app-restricted", "--env", "local")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stdout, "Hello Application!") {
		t.Errorf("no API answer in the transcript:\n%s", r.stdout)
	}
	n := len(flows.AppRestricted().Steps)
	for i := 1; i <= n; i++ {
		if !regexp.MustCompile(`(?m)^\[` + strconv.Itoa(i) + `/` + strconv.Itoa(n) + `\] .+ … ✓ `).MatchString(r.stdout) {
			t.Errorf("step %d/%d is not reported as done:\n%s", i, n, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "✓ All ") {
		t.Errorf("no closing line:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "PRIVATE KEY") {
		t.Error("the transcript shows a private key")
	}
	bearer := regexp.MustCompile(`Authorization: Bearer (\S+)`).FindAllStringSubmatch(r.stdout, -1)
	if len(bearer) == 0 {
		t.Errorf("the transcript shows no API request:\n%s", r.stdout)
	}
	for _, b := range bearer {
		if !strings.HasSuffix(b[1], "…") {
			t.Errorf("bearer token shown in full: %q", b[1])
		}
	}
	if regexp.MustCompile(`"access_token": "[A-Za-z0-9]{28}"`).MatchString(r.stdout) {
		t.Error("the access token is shown in full in the token response")
	}
}

func TestRunJSON(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	r := nhsauth(t, nil, nil, "run", "--json", "app-restricted")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	doc := decodeRun(t, r.stdout)
	if doc.Flow != "app-restricted" || doc.Env != "local" || len(doc.Steps) != len(flows.AppRestricted().Steps) {
		t.Fatalf("doc = %+v", doc)
	}
	var token string
	sawAPI := false
	for _, s := range doc.Steps {
		if s.Status != "done" || s.Error != "" {
			t.Errorf("step %s: status %q error %q", s.ID, s.Status, s.Error)
		}
		for _, ex := range s.Exchanges {
			if strings.Contains(ex.ResponseBody, "Hello Application!") {
				sawAPI = true
				if ex.Status != 200 || ex.Method != "GET" {
					t.Errorf("API exchange = %+v", ex)
				}
				auth := ex.RequestHeaders["Authorization"]
				if !strings.HasPrefix(auth, "Bearer ") || !strings.HasSuffix(auth, "…") {
					t.Errorf("Authorization not masked: %q", auth)
				}
			}
			if m := regexp.MustCompile(`"access_token":\s*"([^"]+)"`).FindStringSubmatch(ex.ResponseBody); m != nil {
				token = m[1]
			}
			if form, err := url.ParseQuery(ex.RequestBody); err == nil && form.Has("client_assertion") {
				if a := form.Get("client_assertion"); !strings.HasSuffix(a, "…") || len([]rune(a)) > 5 {
					t.Errorf("client assertion shown in full: %.80q", a)
				}
			}
		}
	}
	if !sawAPI {
		t.Error("no API exchange in --json")
	}
	if token == "" || !strings.HasSuffix(token, "…") {
		t.Errorf("access token in --json = %q, want masked", token)
	}

	// --reveal shows it whole.
	r = nhsauth(t, nil, nil, "run", "app-restricted", "--json", "--reveal")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !regexp.MustCompile(`access_token[^A-Za-z0-9]+[A-Za-z0-9]{28}`).MatchString(r.stdout) {
		t.Error("--reveal did not show the access token")
	}
}

func TestRunFailingStep(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	// A kid the published JWKS does not hold: the token step fails.
	r := nhsauth(t, nil, nil, "run", "app-restricted", "--kid", "other-9", "--private-key", files.Private)
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stdout, "✗") || !strings.Contains(r.stdout, "cause:") {
		t.Errorf("transcript shows no failure and diagnosis:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "nhsauth run: step ") || !strings.Contains(r.stderr, "fix:") {
		t.Errorf("stderr lacks the diagnosis: %q", r.stderr)
	}

	r = nhsauth(t, nil, nil, "run", "app-restricted", "--kid", "other-9", "--private-key", files.Private, "--json")
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	doc := decodeRun(t, r.stdout)
	failed := 0
	for _, s := range doc.Steps {
		switch s.Status {
		case "failed":
			failed++
			if s.Error == "" || len(s.Hint) == 0 {
				t.Errorf("failed step %s has no error or hint", s.ID)
			}
		case "done", "pending":
		default:
			t.Errorf("step %s has status %q", s.ID, s.Status)
		}
	}
	if failed != 1 {
		t.Errorf("%d failed steps, want 1", failed)
	}
}

func TestRunUserRestrictedByForm(t *testing.T) {
	tests := []struct {
		flow, user string
		code       int
		want       string
	}{
		{"cis2-separate", "656005750104", exitOK, "Hello User!"},
		{"nhs-login-separate", "9912003071", exitOK, "Hello User!"},
		{"cis2-separate", "656005750110", exitFail, "assurance"},
	}
	for _, tt := range tests {
		t.Run(tt.flow+"/"+tt.user, func(t *testing.T) {
			dir := inTempDir(t)
			writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
			r := nhsauth(t, nil, nil, "run", tt.flow, "--env", "local", "--user", tt.user)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("output lacks %q:\n%v", tt.want, r)
			}
		})
	}
}

// TestRunPastedRedirect: without --user or --browser, the sign-in step
// takes the URL the browser landed on from stdin.
func TestRunPastedRedirect(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	stdinR, stdinW := io.Pipe()
	out, errb := &syncBuffer{}, &syncBuffer{}
	env := &cliEnv{stdin: stdinR, stdout: out, stderr: errb, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- runMain(env, []string{"run", "cis2-separate", "--redirect-uri", "https://example.org/", "--login-timeout", "20s"})
	}()
	defer stdinW.Close()

	authURL := regexp.MustCompile(`https?://127\.0\.0\.1:\d+/realms/Cis2-mock-local/protocol/openid-connect/auth\?\S+`)
	var found string
	deadline := time.Now().Add(20 * time.Second)
	for found == "" && time.Now().Before(deadline) {
		if strings.Contains(errb.String(), "paste the URL the browser landed on") {
			found = authURL.FindString(out.String() + errb.String())
		}
		select {
		case code := <-done:
			t.Fatalf("run ended (%d) before waiting for the sign-in:\n%s\n%s", code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if found == "" {
		t.Fatalf("no authorise URL printed:\n%s\n%s", out.String(), errb.String())
	}
	landed := signInByForm(t, found, "656005750104")
	if _, err := stdinW.Write([]byte(landed + "\n")); err != nil {
		t.Fatal(err)
	}
	// stdin ends right after the URL, as with echo URL | nhsauth run …:
	// the pasted URL still counts.
	stdinW.Close()
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(out.String(), "Hello User!") {
			t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("run did not finish after the paste:\n%s\n%s", out.String(), errb.String())
	}
}

// TestRunStdinClosed: without --user, a sign-in that only a pasted URL can
// finish fails at once when stdin has ended, instead of waiting for
// --login-timeout; with the loopback listener it says it waits for the
// redirect only, and waits.
func TestRunStdinClosed(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")

	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		env := &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		code := runMain(env, []string{"run", "cis2-separate", "--redirect-uri", "https://example.org/", "--login-timeout", "1h", "--json"})
		done <- result{stdout: out.String(), stderr: errb.String(), code: code}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("run waited for --login-timeout although stdin was closed and nothing else could finish the sign-in")
	}
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1\n%v", r.code, r)
	}
	if !strings.Contains(r.stderr, "stdin closed before the URL the browser landed on was pasted") || !strings.Contains(r.stderr, "--user") {
		t.Errorf("stderr does not say stdin ended and what to do instead:\n%s", r.stderr)
	}
	doc := decodeRun(t, r.stdout)
	for _, st := range doc.Steps {
		if st.ID == "sign-in" && (st.Status != "failed" || !strings.Contains(st.Error, "stdin closed") || len(st.Hint) == 0) {
			t.Errorf("sign-in step in --json = %+v", st)
		}
	}

	r = nhsauth(t, nil, nil, "run", "cis2-separate", "--login-timeout", "1s")
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1\n%v", r.code, r)
	}
	if !strings.Contains(r.stderr, "stdin is closed, so nothing can be pasted: waiting for the browser's redirect only") ||
		!strings.Contains(r.stderr, "no sign-in arrived before the login timeout") {
		t.Errorf("listener mode with stdin closed:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "Waiting up to 1s for the redirect") {
		t.Errorf("the wait is not announced with its limit:\n%s", r.stderr)
	}
}

func TestJourneyFromFlags(t *testing.T) {
	ts := fakePlatform(t, nil)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	o := addJourneyFlags(fs, "local")
	err := fs.Parse([]string{"--api-secret", "a-very-secret-value", "--user", "656005750104", "--kid", "k-1",
		"--private-key", "keys/k-1.pem", "--url", "/x", "--header", "A: b", "--timeout", "7s", "--login-timeout", "1m",
		"--client-auth", "client_secret_basic", "--session-urid", "555021935107", "--redirect-uri", "https://example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &syncBuffer{}, stderr: &syncBuffer{}, getenv: func(k string) string {
		return map[string]string{"NHSAUTH_LOCAL_URL": ts.URL, "BROWSER": "firefox %s"}[k]
	}}
	j, cleanup, err := o.journey(env, flows.AppRestricted(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if j.Env.APIBase != ts.URL || !j.Env.Local {
		t.Errorf("env = %+v", j.Env)
	}
	if j.APIKey != flows.LocalAPIKey || j.APISecret != "a-very-secret-value" || j.KID != "k-1" || j.KeyPath != "keys/k-1.pem" || j.KeyDir != "keys" {
		t.Errorf("inputs = %q %q %q %q %q", j.APIKey, j.APISecret, j.KID, j.KeyPath, j.KeyDir)
	}
	if j.APIURL != "/x" || j.Headers.Get("A") != "b" || j.HTTP.Timeout != 7*time.Second {
		t.Errorf("url %q headers %v timeout %v", j.APIURL, j.Headers, j.HTTP.Timeout)
	}
	l := j.Login
	if l.Mode != flows.LoginForm || l.User != "656005750104" || l.LoginTimeout != time.Minute || l.ClientAuth != "client_secret_basic" ||
		l.SessionURID != "555021935107" || l.RedirectURI != "https://example.org/" || l.BrowserCmd != "firefox %s" {
		t.Errorf("login = %+v", l)
	}
	if got := j.Redact.String("secret=a-very-secret-value"); strings.Contains(got, "a-very-secret-value") {
		t.Errorf("the API secret is not registered as a secret: %q", got)
	}

	// On int the real catalogue row is used and nothing is started.
	j, cleanup, err = o.journey(env, nil, "int")
	if err != nil {
		t.Fatal(err)
	}
	cleanup()
	if j.Env.APIBase != "https://int.api.service.nhs.uk" || j.APIKey != "" {
		t.Errorf("int journey: %+v, api key %q", j.Env, j.APIKey)
	}
}

// TestJourneyStartsPrivatePlatform: with nothing running, journey starts a
// local platform on a free loopback port and cleanup stops it.
func TestJourneyStartsPrivatePlatform(t *testing.T) {
	inTempDir(t)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	o := addJourneyFlags(fs, "local")
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &syncBuffer{}, stderr: &syncBuffer{}, getenv: func(string) string { return "" }}
	j, cleanup, err := o.journey(env, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(j.Env.APIBase, "http://127.0.0.1:") || j.Env.APIBase == "http://"+localProbeAddr {
		t.Fatalf("APIBase = %q", j.Env.APIBase)
	}
	resp, err := http.Get(j.Env.APIBase + "/_mock/info")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cleanup()
	if resp, err := http.Get(j.Env.APIBase + "/_mock/info"); err == nil {
		resp.Body.Close()
		t.Error("the private platform still answers after cleanup")
	}
}

// signInByForm does what a person does in the browser: opens the authorise
// URL, submits the login form as user, and returns where the browser lands.
func signInByForm(t *testing.T, authURL, user string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`<form id="kc-form-login" action="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no login form at %s:\n%s", authURL, page)
	}
	action, _ := url.Parse(html.UnescapeString(string(m[1])))
	base, _ := url.Parse(authURL)
	resp, err = hc.PostForm(base.ResolveReference(action).String(), url.Values{"username": {user}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		t.Fatalf("login answered %d, Location %q", resp.StatusCode, loc)
	}
	return loc
}

// TestRunPastedNonsense: a pasted line that is not the landed URL is named
// as such, not reported as a state mismatch.
func TestRunPastedNonsense(t *testing.T) {
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	r := nhsauth(t, nil, strings.NewReader("hello\n"), "run", "cis2-separate", "--redirect-uri", "https://example.org/", "--login-timeout", "1m")
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1\n%v", r.code, r)
	}
	if !strings.Contains(r.stderr, `The pasted text "hello" is not the address the browser landed on`) {
		t.Errorf("stderr does not say the paste is not the landed URL:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "state in the redirect does not match") {
		t.Errorf("a stray word is reported as a state mismatch:\n%s", r.stderr)
	}
}
