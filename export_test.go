package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
)

// wireTap records, on the platform's side of the wire, every secret that
// crossed it: the independent list an export is searched for.
type wireTap struct {
	next http.Handler
	mu   sync.Mutex
	// secrets maps each value to what it was ("form client_assertion").
	secrets map[string]string
}

func (w *wireTap) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	w.next.ServeHTTP(rec, r)
	w.mu.Lock()
	defer w.mu.Unlock()
	if form, err := url.ParseQuery(string(body)); err == nil {
		for _, k := range []string{"client_assertion", "client_secret", "code", "code_verifier", "refresh_token", "subject_token"} {
			what := "form " + k
			if k == "client_secret" && form.Get("client_id") == mock.DefaultAPIKey {
				what = "API secret"
			}
			w.add(what, form.Get(k))
		}
	}
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
		w.add("Authorization", cred)
	}
	for _, c := range r.Cookies() {
		w.add("cookie "+c.Name, c.Value)
	}
	for _, c := range rec.Result().Cookies() {
		w.add("set-cookie "+c.Name, c.Value)
	}
	if loc, err := url.Parse(rec.Header().Get("Location")); err == nil {
		w.add("redirect code", loc.Query().Get("code"))
	}
	var reply map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &reply) == nil {
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if s, ok := reply[k].(string); ok {
				w.add("reply "+k, s)
			}
		}
	}
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.WriteHeader(rec.Code)
	rw.Write(rec.Body.Bytes())
}

// add keeps a secret long enough that finding it is not chance.
func (w *wireTap) add(what, v string) {
	if len(v) >= 8 {
		w.secrets[v] = what
	}
}

func (w *wireTap) take() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.secrets
	w.secrets = map[string]string{}
	return out
}

// tappedPlatform starts a local platform in-process that reads the app's
// keys from dir/.auth, behind a wireTap.
func tappedPlatform(t *testing.T, dir string) (*httptest.Server, *wireTap) {
	t.Helper()
	keys := filepath.Join(dir, ".auth")
	writeTestKey(t, keys, "local-1")
	tap := &wireTap{next: mock.New(mock.Options{KeysDir: keys, Version: "test"}), secrets: map[string]string{}}
	ts := httptest.NewServer(tap)
	t.Cleanup(ts.Close)
	return ts, tap
}

// exportRun runs a flow with all three exports into dir and returns the
// files' contents by flag.
func exportRun(t *testing.T, base, dir string, args ...string) map[string]string {
	t.Helper()
	paths := map[string]string{"--har": "out.har", "--markdown": "out.md", "--curl-script": "out.sh"}
	for flag, name := range paths {
		args = append(args, flag, filepath.Join(dir, name))
	}
	r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": base}, nil, append([]string{"run"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	files := map[string]string{}
	for flag, name := range paths {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
		files[flag] = string(b)
	}
	if !strings.Contains(r.stderr, "Wrote ") {
		t.Errorf("run did not say where it wrote the exports: %q", r.stderr)
	}
	return files
}

// TestExportsRedactSecrets: every exported file of a cis2-separate (form
// login) and an app-restricted journey holds none of the journey's
// secrets as the platform saw them, and says which it redacted; with
// --reveal the HAR and the Markdown hold every one, and the curl script
// every one the user must supply.
func TestExportsRedactSecrets(t *testing.T) {
	for _, flow := range [][]string{{"app-restricted"}, {"cis2-separate", "--user", "656005750104"}} {
		t.Run(flow[0], func(t *testing.T) {
			dir := inTempDir(t)
			ts, tap := tappedPlatform(t, dir)
			args := append(flow, "--env", "local")
			files := exportRun(t, ts.URL, dir, args...)
			secrets := tap.take()
			if len(secrets) < 2 {
				t.Fatalf("the tap saw too few secrets to test with: %v", secrets)
			}
			for flag, text := range files {
				for v, what := range secrets {
					if strings.Contains(text, v) || strings.Contains(text, url.QueryEscape(v)) {
						t.Errorf("%s file holds the %s unredacted", flag, what)
					}
				}
			}
			if !strings.Contains(files["--markdown"], "## Redacted values\n") || !strings.Contains(files["--markdown"], "form field client_assertion, shown as ` eyJh… `") {
				t.Errorf("the Markdown does not list what it redacted")
			}
			f, _ := flows.ByID(flow[0])
			if !strings.Contains(files["--har"], `"comment": "`+f.Title) || !strings.Contains(files["--har"], "Secrets are redacted") {
				t.Errorf("the HAR does not say what it redacted")
			}

			files = exportRun(t, ts.URL, dir, append(args, "--reveal")...)
			secrets = tap.take()
			for v, what := range secrets {
				for _, flag := range []string{"--har", "--markdown"} {
					if !strings.Contains(files[flag], v) && !strings.Contains(files[flag], url.QueryEscape(v)) {
						t.Errorf("with --reveal the %s file lacks the %s", flag, what)
					}
				}
				if supplied(what) && !strings.Contains(files["--curl-script"], ":-"+v+"}") {
					t.Errorf("with --reveal the curl script lacks the %s as a default", what)
				}
			}
		})
	}
}

// supplied reports whether a curl script takes the secret from the user
// (with --reveal: as a default) rather than from an earlier reply (the
// tokens, the mock client's secret), fresh (an assertion), or from its
// cookie jar.
func supplied(what string) bool {
	switch what {
	case "API secret", "form code", "form code_verifier":
		return true
	}
	return false
}

// TestCurlScriptReplaysAppRestricted: the curl script of an app-restricted
// run, run by bash with a fresh assertion in $CLIENT_ASSERTION, gets a
// token from the local platform and calls the API with it.
func TestCurlScriptReplaysAppRestricted(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: %v", tool, err)
		}
	}
	dir := inTempDir(t)
	ts, _ := tappedPlatform(t, dir)
	script := exportRun(t, ts.URL, dir, "app-restricted", "--env", "local")["--curl-script"]
	if !strings.HasPrefix(script, "#!/usr/bin/env bash\n") || !strings.Contains(script, "set -euo pipefail\n") {
		t.Errorf("not a strict bash script:\n%s", script)
	}
	if !strings.Contains(script, "nhsauth assertion --env local") {
		t.Errorf("the script does not say how to make an assertion:\n%s", script)
	}
	// Each run a fresh assertion, as `nhsauth assertion` signs it: the
	// recorded one is spent (its jti is single use).
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// As it is on a developer's machine, and with none of jq and python3,
	// so that the token is read with sed.
	for _, path := range []string{os.Getenv("PATH"), sedOnlyPath(t)} {
		assertion, _, err := steps.PlatformAuth(testKey(), "local-1", mock.DefaultAPIKey, nil).Sign(ts.URL + "/oauth2/token")
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(ctx, "bash", filepath.Join(dir, "out.sh"))
		cmd.Env = []string{"PATH=" + path, "HOME=" + dir, "CLIENT_ASSERTION=" + assertion}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("PATH=%s: the script failed: %v\n--- stdout\n%s\n--- stderr\n%s\n--- script\n%s", path, err, &stdout, &stderr, script)
		}
		if !strings.Contains(stdout.String(), "Hello Application!") {
			t.Errorf("PATH=%s: the API did not answer: %s\n%s", path, &stdout, &stderr)
		}
	}
	// The same assertion twice: the platform refuses a replayed jti, and
	// the script stops saying the reply differs.
	assertion, _, err := steps.PlatformAuth(testKey(), "local-1", mock.DefaultAPIKey, nil).Sign(ts.URL + "/oauth2/token")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(dir, "out.sh"))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "CLIENT_ASSERTION=" + assertion}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	cmd = exec.CommandContext(ctx, "bash", filepath.Join(dir, "out.sh"))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "CLIENT_ASSERTION=" + assertion}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "differs from the recorded run") {
		t.Errorf("a replayed assertion should stop the script: %v\n%s", err, out)
	}
}

// TestMarkdownHasEveryStepAndExchange: the Markdown transcript of a
// cis2-separate run names the run's facts, has a heading, an outcome and a
// document for each step, an http block for each exchange's request and
// response, and the list of redacted values.
func TestMarkdownHasEveryStepAndExchange(t *testing.T) {
	dir := inTempDir(t)
	ts, _ := tappedPlatform(t, dir)
	md := exportRun(t, ts.URL, dir, "cis2-separate", "--env", "local", "--user", "656005750104")["--markdown"]
	f, _ := flows.ByID("cis2-separate")
	for _, want := range []string{"# nhsauth transcript: " + f.Title, "| Flow | `cis2-separate`", "| Environment | local (" + ts.URL + ") |",
		"| nhsauth | " + shortVersion() + " |", "| Time | ", "## Redacted values",
		// issue 16: the sequence as Mermaid, with the browser, the app, the
		// platform and the identity provider, and the token request drawn.
		"## Sequence", "```mermaid\nsequenceDiagram\n", "participant You as ", "participant App as ",
		"participant APIM as ", "participant IdP as ", "App->>APIM: POST /oauth2-mock/token"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	var har struct {
		Log struct {
			Entries []struct {
				Comment string
				Request struct{ Method, URL string }
			}
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out.har"))
	json.Unmarshal(b, &har)
	at := 0
	for i, st := range f.Steps {
		head := fmt.Sprintf("## Step %d: %s\n\n**Outcome** (done): ✓ ", i+1, st.Title)
		n := strings.Index(md[at:], head)
		if n < 0 {
			t.Errorf("the Markdown lacks step %d (%q) with its outcome, in order", i+1, st.Title)
			continue
		}
		at += n
	}
	if got := strings.Count(md, "**Document**: "); got != len(f.Steps) {
		t.Errorf("%d documents, want one per step (%d)", got, len(f.Steps))
	}
	for _, e := range har.Log.Entries {
		title, _, _ := strings.Cut(e.Comment, " · ")
		block := "```http\n" + e.Request.Method + " " + e.Request.URL + " HTTP/1.1\n"
		if !strings.Contains(md, "### "+title) || !strings.Contains(md, block) {
			t.Errorf("the Markdown lacks the exchange %q as an http block %q", title, block)
		}
	}
	if got, want := strings.Count(md, "```http\nHTTP/1.1 "), len(har.Log.Entries); got != want {
		t.Errorf("%d response blocks, want %d", got, want)
	}
}

// TestExportFlagsChecked: an export into a folder that does not exist is
// a usage error before anything runs; an existing file is replaced whole.
func TestExportFlagsChecked(t *testing.T) {
	dir := inTempDir(t)
	r := nhsauth(t, nil, nil, "run", "app-restricted", "--har", filepath.Join(dir, "nowhere", "x.har"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "does not exist") || strings.Contains(r.stdout, "[1/5]") {
		t.Errorf("a missing folder: %v", r)
	}
	ts, _ := tappedPlatform(t, dir)
	old := filepath.Join(dir, "out.md")
	if err := os.WriteFile(old, []byte(strings.Repeat("stale\n", 10000)), 0o644); err != nil {
		t.Fatal(err)
	}
	md := exportRun(t, ts.URL, dir, "app-restricted", "--env", "local")["--markdown"]
	if strings.Contains(md, "stale") {
		t.Error("the old file's text is still there")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".out.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// sedOnlyPath is a folder holding only the tools the script needs besides
// a JSON reader: bash, curl, and the coreutils and sed it calls.
func sedOnlyPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range []string{"bash", "curl", "mktemp", "rm", "cat", "tr", "sed"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
