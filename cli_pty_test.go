package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The binary's behaviour on a terminal, driven in a pty that never answers
// a query (as script, some IDE and CI terminals do).

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// nhsauthBinary builds nhsauth once for the tests that run it.
func nhsauthBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nhsauth-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "nhsauth")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// ptyRun is nhsauth running on a pty: everything it writes is collected.
type ptyRun struct {
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startPTY(t *testing.T, dir string, env []string, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(nhsauthBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "NHSAUTH_LOCAL_URL="}, env...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		tty.Close()
	})
	return r
}

func (r *ptyRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits until the output holds want (or the process ends).
func (r *ptyRun) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(r.output(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output:\n%q", want, r.output())
		}
		select {
		case <-r.done:
			if !strings.Contains(r.output(), want) {
				t.Fatalf("ended without %q:\n%q", want, r.output())
			}
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// exit waits for the process to end and returns its exit code.
func (r *ptyRun) exit(t *testing.T) int {
	t.Helper()
	err := r.cmd.Wait()
	select {
	case <-r.done:
	case <-time.After(5 * time.Second): // the reader gets EIO once the child is gone
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// queries are the terminal queries termenv sends: OSC 11 (background
// colour) and DSR (cursor position).
var queries = []string{"\x1b]11;?", "\x1b[6n"}

// TestNoTerminalQueryOutsideTheWizard: on a terminal that never answers,
// commands other than the wizard finish without asking it anything (they
// used to wait 5 s for the background colour).
func TestNoTerminalQueryOutsideTheWizard(t *testing.T) {
	dir := t.TempDir()
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	// A platform of the test's own, whatever listens on 127.0.0.1:8400.
	base, _ := startMockCmd(t, "--keys", filepath.Join(dir, ".auth"))
	for _, args := range [][]string{
		{"version"}, {"--version"}, {"run", "--help"}, {"get-token", "--help"},
		{"run", "app-restricted", "--env", "local"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := startPTY(t, dir, []string{"NHSAUTH_LOCAL_URL=" + base}, args...)
			if code := r.exit(t); code != exitOK {
				t.Fatalf("exit %d:\n%s", code, r.output())
			}
			for _, q := range queries {
				if strings.Contains(r.output(), q) {
					t.Errorf("wrote the query %q:\n%q", q, r.output())
				}
			}
		})
	}
}

// TestCtrlCDuringRunBrowser: Ctrl+C while run waits for the browser's
// redirect exits 130, having said so.
func TestCtrlCDuringRunBrowser(t *testing.T) {
	dir := t.TempDir()
	r := startPTY(t, dir, []string{"BROWSER=true"}, "run", "cis2-separate", "--env", "local", "--browser")
	r.waitFor(t, "Waiting up to")
	if _, err := r.tty.Write([]byte{3}); err != nil { // ^C: the pty's line discipline sends SIGINT
		t.Fatal(err)
	}
	if code := r.exit(t); code != exitInterrupted {
		t.Fatalf("exit %d, want %d:\n%s", code, exitInterrupted, r.output())
	}
	if !strings.Contains(r.output(), "interrupted") {
		t.Errorf("no word of the interruption:\n%s", r.output())
	}
}

// TestCtrlCInWizard: Ctrl+C in the wizard exits 130 with the terminal
// restored (the alternate screen left, the cursor shown).
func TestCtrlCInWizard(t *testing.T) {
	dir := t.TempDir()
	r := startPTY(t, dir, nil)
	r.waitFor(t, "Choose a flow")
	if _, err := r.tty.Write([]byte{3}); err != nil {
		t.Fatal(err)
	}
	if code := r.exit(t); code != exitInterrupted {
		t.Fatalf("exit %d, want %d:\n%q", code, exitInterrupted, r.output())
	}
	out := r.output()
	if i := strings.LastIndex(out, "\x1b[?1049l"); i < strings.LastIndex(out, "\x1b[?1049h") {
		t.Errorf("the alternate screen was not left:\n%q", out[max(0, len(out)-300):])
	}
}

// TestBareCommandOffTerminals: nhsauth with stdout not a terminal prints
// its help and exits 0; with only stdin not a terminal it says why in one
// line and exits 2, with no raw system error.
func TestBareCommandOffTerminals(t *testing.T) {
	bin := nhsauthBinary(t)
	cmd := exec.Command(bin)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "Commands:") {
		t.Fatalf("nhsauth > pipe: %v\n%s", err, out)
	}

	dir := t.TempDir()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	cmd = exec.Command(bin)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	got, _ := io.ReadAll(ptmx) // EIO once the child has gone
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
		t.Fatalf("nhsauth < /dev/null: %v\n%q", err, got)
	}
	text := strings.TrimSpace(string(got))
	if strings.Count(text, "\n") != 0 || !strings.Contains(text, "stdin is not a terminal") || strings.Contains(text, "epoll") {
		t.Errorf("nhsauth < /dev/null said %q", text)
	}
}
