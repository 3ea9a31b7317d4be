package flows

import (
	"context"
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
		_, pasted, err := waitForRedirect(ctx, &l)
		if !pasted {
			t.Fatalf("trial %d: the pasted line lost to the cancel: err %v", i, err)
		}
		if err == nil || !strings.Contains(err.Error(), "pasted URL") {
			t.Fatalf("trial %d: err %v, want the paste's own error", i, err)
		}
	}
}
