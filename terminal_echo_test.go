//go:build linux

package main

import (
	"os"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestHideInputTurnsEchoOffAndOn: a secret typed at a plain-mode prompt is
// not echoed by the terminal, and echo comes back after it.
func TestHideInputTurnsEchoOffAndOn(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	if !echo() {
		t.Fatal("a new pty does not echo")
	}
	hide := hideInput(tty)
	if hide == nil {
		t.Fatal("hideInput refused a terminal")
	}
	restore := hide()
	if echo() {
		t.Fatal("echo still on while a secret is typed")
	}
	restore()
	if !echo() {
		t.Fatal("echo not back on after the secret")
	}
	f, err := os.CreateTemp(t.TempDir(), "notatty")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if hideInput(f) != nil {
		t.Fatal("hideInput on a file")
	}
}
