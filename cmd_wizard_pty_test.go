package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cursorAddressing matches the sequences a line-by-line transcript must not
// hold: cursor position (CUP, HVP), cursor moves (CUU, CUD, CUF, CUB, CNL,
// CPL, CHA), erasing (ED, EL), scrolling regions and the alternate screen
// (ECMA-48 §8.3; xterm's private modes).
var cursorAddressing = regexp.MustCompile(`\x1b\[[0-9;?]*[HfABCDEFGJKr]|\x1b\[\?1049[hl]|\x1b\[\?47[hl]`)

// ownPlatform writes a key in dir/.auth and starts a local platform of the
// test's own on it, whatever listens on 127.0.0.1:8400; it returns the
// environment that points the binary at it.
func ownPlatform(t *testing.T, dir string) []string {
	t.Helper()
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	base, _ := startMockCmd(t, "--keys", filepath.Join(dir, ".auth"))
	return []string{"NHSAUTH_LOCAL_URL=" + base}
}

// TestDumbTerminalGetsThePlainWizard: with TERM=dumb the bare command walks
// the flow line by line on a terminal: no alternate screen, no cursor
// addressing, no colour, and the summary at the end.
func TestDumbTerminalGetsThePlainWizard(t *testing.T) {
	dir := t.TempDir()
	r := startPTY(t, dir, append(ownPlatform(t, dir), "TERM=dumb", "BROWSER=true"))
	r.waitFor(t, "Flow: a number from 1 to 6")
	// Lines typed ahead wait in the terminal's line discipline, and the
	// plain mode reads them one prompt at a time.
	if _, err := r.tty.Write([]byte("1\r\r\r\r\r\r\r")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "5 of 5 steps done.")
	if code := r.exit(t); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, r.output())
	}
	out := r.output()
	if m := cursorAddressing.FindString(out); m != "" {
		t.Errorf("the plain wizard wrote %q on a dumb terminal:\n%q", m, out)
	}
	if strings.Contains(out, "\x1b[3") || strings.Contains(out, "\x1b[38;") {
		t.Errorf("the plain wizard wrote colour on a dumb terminal:\n%q", out)
	}
	for _, want := range []string{"Step 1 of 5: Key ready", "Hello Application!", "API: HTTP 200 OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the plain transcript:\n%s", want, out)
		}
	}
}

// TestQuitLeavesTheSummaryOnTheNormalScreen runs the full-screen wizard to
// the end, quits, and finds the summary written after the alternate screen
// was left: it is in the normal screen's buffer, hence the scrollback.
func TestQuitLeavesTheSummaryOnTheNormalScreen(t *testing.T) {
	dir := t.TempDir()
	r := startPTY(t, dir, ownPlatform(t, dir), "wizard", "--flow", "app-restricted", "--env", "local")
	r.waitFor(t, "Key ready")
	if _, err := r.tty.Write([]byte("a")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "Hello Application!")
	if _, err := r.tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if code := r.exit(t); code != exitOK {
		t.Fatalf("exit %d:\n%q", code, r.output())
	}
	out := r.output()
	i := strings.LastIndex(out, "\x1b[?1049l")
	if i < 0 || i < strings.LastIndex(out, "\x1b[?1049h") {
		t.Fatalf("the alternate screen was not left:\n%q", out)
	}
	normal := out[i:]
	for _, want := range []string{"nhsauth: Application-restricted (signed JWT) (app-restricted)", "Environment: local", "✓ 5 API called", "5 of 5 steps done.", "API: HTTP 200 OK", "Token: expires at"} {
		if !strings.Contains(normal, want) {
			t.Errorf("no %q on the normal screen after leaving:\n%q", want, normal)
		}
	}
}

// TestCtrlCInPlainWizard: Ctrl+C at a plain-mode prompt exits 130.
func TestCtrlCInPlainWizard(t *testing.T) {
	dir := t.TempDir()
	r := startPTY(t, dir, append(ownPlatform(t, dir), "TERM=dumb"))
	r.waitFor(t, "Flow: a number from 1 to 6")
	if _, err := r.tty.Write([]byte{3}); err != nil {
		t.Fatal(err)
	}
	if code := r.exit(t); code != exitInterrupted {
		t.Fatalf("exit %d, want %d:\n%q", code, exitInterrupted, r.output())
	}
}
