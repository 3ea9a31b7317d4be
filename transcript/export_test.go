package transcript

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

func TestHARTimingsAddUp(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name                string
		took, sent, first   time.Duration
		send, wait, receive float64
	}{
		{"all known", 10 * ms, 2 * ms, 7 * ms, 2, 5, 3},
		{"nothing known: all waiting", 10 * ms, 0, 0, 0, 10, 0},
		{"reply before the body was written", 10 * ms, 6 * ms, 4 * ms, 6, 4, 0},
		{"no reply", 10 * ms, 3 * ms, 0, 3, 7, 0},
	}
	for _, tt := range tests {
		got := harTimings(tt.took, tt.sent, tt.first)
		if got.Send != tt.send || got.Wait != tt.wait || got.Receive != tt.receive {
			t.Errorf("%s: send/wait/receive = %v/%v/%v, want %v/%v/%v", tt.name, got.Send, got.Wait, got.Receive, tt.send, tt.wait, tt.receive)
		}
		if got.Blocked != -1 || got.DNS != -1 || got.Connect != -1 || got.SSL != -1 {
			t.Errorf("%s: unknown timings not -1: %+v", tt.name, got)
		}
	}
}

// hostileJourney is a one-step run whose server sent control characters,
// backticks and shell metacharacters, and whose request carried a secret.
func hostileJourney(t *testing.T) *Journey {
	t.Helper()
	const token = "tok'$(touch pwned)`x`-0123456789"
	f := &flows.Flow{ID: "f", Title: "T\x1b[2J", Steps: []flows.Step{{ID: "s", Title: "Call", Run: func(context.Context, *flows.Journey) flows.Outcome {
		return flows.Outcome{Summary: "ok", Exchanges: []steps.Exchange{{
			Title: "API call", Method: "GET", URL: "http://h/api?q=a%20b", Proto: "HTTP/1.1",
			ReqHeader:  http.Header{"Authorization": {"Bearer " + token}, "X-Evil": {"a'b\"c$d"}},
			Status:     200,
			RespHeader: http.Header{"Content-Type": {"text/plain"}, "X-Title": {"\x1b]0;owned\x07"}},
			RespBody:   []byte("```\n# not a heading\x1b[31m"),
		}}}
	}}}}
	j := flows.NewJourney(flows.Local("http://h"), http.DefaultClient)
	j.Secret(token)
	r := flows.NewRunner(f, j)
	if err := r.Drive(context.Background(), flows.Hooks{}); err != nil {
		t.Fatal(err)
	}
	return NewJourney(r, Meta{Version: "v1", Time: time.Unix(0, 0)})
}

func TestMarkdownNeutralisesAndFences(t *testing.T) {
	j := hostileJourney(t)
	var b strings.Builder
	j.WriteMarkdown(&b, []Section{{Title: "Sequence", Body: "```mermaid\nsequenceDiagram\n```"}})
	md := b.String()
	if strings.ContainsAny(md, "\x1b\x07") {
		t.Errorf("a control character reached the Markdown:\n%q", md)
	}
	if !strings.Contains(md, "````http\nHTTP/1.1 200 OK") {
		t.Errorf("a body with ``` is not fenced by a longer fence:\n%s", md)
	}
	seq, step := strings.Index(md, "## Sequence\n\n```mermaid"), strings.Index(md, "## Step 1: Call")
	if seq < 0 || step < seq {
		t.Errorf("the extra section is not before the steps:\n%s", md)
	}
	if !strings.Contains(md, "request header Authorization, shown as ` Bearer tok'… `") {
		t.Errorf("the redacted value is not listed:\n%s", md)
	}
}

// TestCurlScriptQuotesEverything: the script bash runs (with a fake curl)
// passes every value through as one argument, never runs what a value
// holds, and takes the secret from its variable.
func TestCurlScriptQuotesEverything(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	j := hostileJourney(t)
	var b strings.Builder
	j.WriteCurlScript(&b)
	dir := t.TempDir()
	script := filepath.Join(dir, "s.sh")
	os.WriteFile(script, []byte(b.String()), 0o600)
	// A curl that prints its arguments one a line and answers 200.
	fake := "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >>\"$ARGS\"; done\nprintf 200\n"
	os.WriteFile(filepath.Join(dir, "curl"), []byte(fake), 0o700)
	cmd := exec.Command("bash", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + dir + ":" + os.Getenv("PATH"), "ARGS=" + filepath.Join(dir, "args"), "BASE_URL=http://h", "ACCESS_TOKEN=given-token"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s\n%s", err, out, b.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Fatal("the script ran a command a value held")
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	for _, want := range []string{"\nhttp://h/api?q=a%20b\n", "\nAuthorization: Bearer given-token\n", "\nX-Evil: a'b\"c$d\n"} {
		if !strings.Contains("\n"+string(args), want) {
			t.Errorf("curl did not get %q; it got:\n%s", want, args)
		}
	}
	if strings.Contains(b.String(), "touch pwned") {
		t.Error("the masked script holds the secret")
	}
}

// TestMarkdownFailedStep: a failed step shows its failure and each
// diagnosis (cause and fix); the steps after it show as not run.
func TestMarkdownFailedStep(t *testing.T) {
	fail := func(context.Context, *flows.Journey) flows.Outcome {
		return flows.Fail(steps.WithHint(errors.New("steps: token: invalid_request"), "The kid is not in the JWKS.", "Publish the key's JWKS."))
	}
	f := &flows.Flow{ID: "f", Title: "F", Steps: []flows.Step{{ID: "a", Title: "Token", Doc: "RFC 7523", Run: fail}, {ID: "b", Title: "API", Run: fail}}}
	r := flows.NewRunner(f, flows.NewJourney(flows.Local("http://h"), http.DefaultClient))
	r.Drive(context.Background(), flows.Hooks{})
	var b strings.Builder
	NewJourney(r, Meta{}).WriteMarkdown(&b, nil)
	md := b.String()
	for _, want := range []string{"## Step 1: Token\n\n**Outcome** (failed): ✗ failed: ", "**Diagnosis**\n\n- Cause: The kid is not in the JWKS.\n  Fix: Publish the key's JWKS.\n",
		"**Document**: RFC 7523", "## Step 2: API\n\n**Outcome** (pending): not run"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}
