package flows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestWaitForRedirectPasteBeatsCancel: a URL already pasted when the wait's
// context ends (run cancels the sign-in once stdin reaches EOF, right after
// the last line was handed over) is read, not dropped for the cancel. A
// select between two ready channels picks at random, so many trials.
func TestWaitForRedirectPasteBeatsCancel(t *testing.T) {
	for i := 0; i < 200; i++ {
		l := newLoginState()
		l.State = "st"
		l.Deadline = time.Now().Add(time.Minute)
		l.Pasted <- "hello"
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, pasted, _, err := waitForRedirect(ctx, &l, nil)
		if !pasted {
			t.Fatalf("trial %d: the pasted line lost to the cancel: err %v", i, err)
		}
		if err == nil || !strings.Contains(err.Error(), "pasted URL") {
			t.Fatalf("trial %d: err %v, want the paste's own error", i, err)
		}
	}
}

// exitFailOpener starts "a browser" that then exits with an error.
type exitFailOpener struct{}

func (exitFailOpener) Open(string) error { return nil }

func (exitFailOpener) OpenNotify(_ string, failed func(error)) error {
	go failed(errors.New("exit status 1"))
	return nil
}

// TestBrowserExitFailureReportedWhileWaiting: a browser command that exits
// with an error is told to Notify while the step still waits, and a URL
// pasted after that still finishes the wait.
func TestBrowserExitFailureReportedWhileWaiting(t *testing.T) {
	l := newLoginState()
	l.State, l.AuthURL, l.Mode = "st", "http://127.0.0.1:1/authorize", LoginBrowser
	l.Deadline = time.Now().Add(time.Hour)
	l.Opener = exitFailOpener{}
	told := make(chan string, 2)
	l.Notify = func(msg string) { told <- msg }
	failed, opened := openBrowser(&l)
	if !strings.Contains(opened, "Opened the browser") {
		t.Errorf("open note %q", opened)
	}
	go func() {
		<-told // the user is told while the step waits
		l.Pasted <- "hello"
	}()
	_, pasted, notes, err := waitForRedirect(context.Background(), &l, failed)
	if !pasted || err == nil || !strings.Contains(err.Error(), "pasted URL") {
		t.Fatalf("pasted %v, err %v; want the paste's own error", pasted, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "The browser command failed (exit status 1)") || !strings.Contains(notes[0], "still waiting") {
		t.Errorf("notes %q, want the browser failure", notes)
	}
}
