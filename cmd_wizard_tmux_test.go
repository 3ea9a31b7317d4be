package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession is a tmux server of the test's own (its own socket), running
// one command in a window of fixed size.
type tmuxSession struct {
	t    *testing.T
	sock string
}

// newTmux starts cmd in a private tmux server, or skips when tmux is
// absent (fails when NHSAUTH_REQUIRE_BROWSER=1, as CI sets, which
// installs tmux beside Chromium).
func newTmux(t *testing.T, dir, cmd string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("NHSAUTH_REQUIRE_BROWSER") == "1" {
			t.Fatal("tmux is not installed, and NHSAUTH_REQUIRE_BROWSER=1 requires this test")
		}
		t.Skip("tmux is not installed")
	}
	s := &tmuxSession{t: t, sock: filepath.Join(dir, "tmux.sock")}
	s.run("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-c", dir, cmd)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// waitFor polls the pane until it shows want.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		screen := s.run("capture-pane", "-p")
		if strings.Contains(screen, want) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no %q in the pane:\n%s", want, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCopyAuthoriseURLInTmux: inside tmux, c on the browser step puts the
// whole authorise URL in tmux's paste buffer, and says so.
func TestCopyAuthoriseURLInTmux(t *testing.T) {
	dir := t.TempDir()
	local := ownPlatform(t, dir)[0]
	bin := nhsauthBinary(t)
	s := newTmux(t, dir, "env HOME="+dir+" "+local+" "+bin+" wizard --flow cis2-separate --env local --no-browser; sleep 30")
	s.waitFor("Obtain the mock")
	s.run("send-keys", "a")
	screen := s.waitFor("Waiting for you to sign in")
	s.run("send-keys", "c")
	s.waitFor("copied to tmux's paste buffer")
	got := s.run("show-buffer")
	// The URL as the screen shows it, broken over lines at the width.
	var shown strings.Builder
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "If no browser opened") {
			for _, u := range lines[i+1:] {
				if strings.TrimSpace(u) == "" {
					break
				}
				shown.WriteString(strings.TrimSpace(u))
			}
		}
	}
	if got != shown.String() || !strings.Contains(got, "/protocol/openid-connect/auth?") || !strings.HasSuffix(got, "code_challenge_method=S256") {
		t.Fatalf("tmux's buffer holds %q, want the whole authorise URL %q", got, shown.String())
	}
	s.run("send-keys", "q")
}
