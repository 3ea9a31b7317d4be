package steps_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// sepFakeBrowser writes a script that records its arguments in a file, and
// returns the script and the file.
func sepFakeBrowser(t *testing.T) (script, out string) {
	t.Helper()
	dir := t.TempDir()
	script, out = filepath.Join(dir, "browser.sh"), filepath.Join(dir, "args")
	body := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + out + ".tmp && mv " + out + ".tmp " + out + "\necho noise; echo more noise >&2\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, out
}

func sepReadEventually(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil {
			return string(b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared: the browser command did not run", path)
	return ""
}

func TestBrowserOpenerEnv(t *testing.T) {
	const u = "http://127.0.0.1:1234/auth?a=1&b=two%20words"
	script, out := sepFakeBrowser(t)
	for _, tt := range []struct {
		name, env, want string
	}{
		{"URL appended", script + " --new-window", "--new-window\n" + u + "\n"},
		{"%s replaced", script + " --open=%s --flag", "--open=" + u + "\n--flag\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(out)
			if err := steps.BrowserOpener(tt.env).Open(u); err != nil {
				t.Fatal(err)
			}
			if got := sepReadEventually(t, out); got != tt.want {
				t.Errorf("browser got args %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBrowserOpenerEnvMissingCommand(t *testing.T) {
	err := steps.BrowserOpener("/nonexistent/browser-xyz").Open("http://x")
	if err == nil || !strings.Contains(hintText(err), "$BROWSER") {
		t.Fatalf("err = %v, hints %q", err, hintText(err))
	}
}

func TestOpenerFunc(t *testing.T) {
	var got string
	var o steps.Opener = steps.OpenerFunc(func(u string) error { got = u; return nil })
	o.Open("http://x")
	if got != "http://x" {
		t.Errorf("got %q", got)
	}
}

// TestBrowserOpenerEnvExitFailure: a $BROWSER command that starts and then
// exits non-zero is reported through OpenNotify's callback.
func TestBrowserOpenerEnvExitFailure(t *testing.T) {
	f, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false command here")
	}
	o, ok := steps.BrowserOpener(f).(steps.ExitNotifier)
	if !ok {
		t.Fatal("the $BROWSER opener cannot report a failed exit")
	}
	failed := make(chan error, 1)
	if err := o.OpenNotify("http://127.0.0.1:1/auth", func(err error) { failed <- err }); err != nil {
		t.Fatalf("OpenNotify: %v (the command did start)", err)
	}
	select {
	case err := <-failed:
		if len(steps.HintsOf(err)) == 0 || !strings.Contains(err.Error(), "exit status 1") {
			t.Errorf("err %v, want exit status 1 with a hint", err)
		}
	case <-time.After(time.Minute): // a guard against a hang, not a timing check
		t.Fatal("the failed exit was never reported")
	}
}
