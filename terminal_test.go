package main

import (
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

func TestParseBackground(t *testing.T) {
	for _, tt := range []struct {
		reply    string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[12;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[1;1R", false, true},
		{"\x1b]11;rgb:fd/f6/e3\x1b\\\x1b[3;4R", false, true}, // Solarized light, two hex digits
		{"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\\x1b[3;4R", true, true},
		{"\x1b[12;1R", false, false}, // the terminal ignored OSC 11
		{"\x1b]11;rgb:zz/00/00\x1b\\", false, false},
	} {
		dark, ok := parseBackground(tt.reply)
		if dark != tt.dark || ok != tt.ok {
			t.Errorf("parseBackground(%q) = %v, %v; want %v, %v", tt.reply, dark, ok, tt.dark, tt.ok)
		}
	}
}

// TestQueryBackground asks a pty for its background: a terminal that
// answers is read (light here), and one that never answers gives up with
// no answer rather than waiting (the wizard then uses the dark palette).
func TestQueryBackground(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go func() { // the terminal: read the two queries, answer both
		buf := make([]byte, 64)
		var got string
		for !strings.Contains(got, "\x1b[6n") {
			n, err := ptmx.Read(buf)
			if err != nil {
				return
			}
			got += string(buf[:n])
		}
		ptmx.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[5;1R"))
	}()
	if dark, ok := queryBackground(tty, tty, 10*time.Second); !ok || dark {
		t.Errorf("answered light: dark %v ok %v", dark, ok)
	}

	silent, silentTTY, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer silent.Close()
	defer silentTTY.Close()
	go func() { // read the queries, never answer
		buf := make([]byte, 64)
		for {
			if _, err := silent.Read(buf); err != nil {
				return
			}
		}
	}()
	if _, ok := queryBackground(silentTTY, silentTTY, backgroundTimeout); ok {
		t.Error("a silent terminal gave an answer")
	}
}
