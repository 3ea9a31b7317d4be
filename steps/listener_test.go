package steps_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// sepListen starts a listener for state "good-state" on a free port.
func sepListen(t *testing.T) *steps.Listener {
	t.Helper()
	l, err := steps.ListenCallback("127.0.0.1:0", "/callback", "good-state")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// sepGet fetches a URL and returns its status and body.
func sepGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitShort(t *testing.T, l *steps.Listener) (steps.Callback, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return l.Wait(ctx)
}

func TestListenerCallback(t *testing.T) {
	l := sepListen(t)
	if !strings.HasPrefix(l.Addr(), "127.0.0.1:") || l.RedirectURI() != "http://"+l.Addr()+"/callback" {
		t.Fatalf("addr %s, redirect URI %s", l.Addr(), l.RedirectURI())
	}
	// The browser asks for a favicon first: it must not count as the callback.
	if status, _ := sepGet(t, "http://"+l.Addr()+"/favicon.ico"); status != http.StatusNotFound {
		t.Errorf("favicon: HTTP %d, want 404", status)
	}
	status, body := sepGet(t, l.RedirectURI()+"?code=the-code&state=good-state&session_state=ss")
	if status != http.StatusOK || !strings.Contains(body, "You can close this tab and return to nhsauth") {
		t.Errorf("page: HTTP %d %q", status, body)
	}
	cb, err := waitShort(t, l)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Code != "the-code" || cb.State != "good-state" || cb.SessionState != "ss" || !strings.HasPrefix(cb.URL, l.RedirectURI()+"?") {
		t.Errorf("callback = %+v", cb)
	}
}

func TestListenerAcceptsOneCallback(t *testing.T) {
	l := sepListen(t)
	sepGet(t, l.RedirectURI()+"?code=first&state=good-state")
	status, body := sepGet(t, l.RedirectURI()+"?code=second&state=good-state")
	if status != http.StatusOK || !strings.Contains(body, "already handled") {
		t.Errorf("second callback: HTTP %d %q", status, body)
	}
	cb, err := waitShort(t, l)
	if err != nil || cb.Code != "first" {
		t.Fatalf("got %+v, %v; want the first callback", cb, err)
	}
}

func TestListenerStateMismatch(t *testing.T) {
	for _, tt := range []struct{ name, query, hint string }{
		{"other state", "?code=c&state=forged", "stale browser tab or a replayed link"},
		{"no state", "?code=c", "carries no state"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := sepListen(t)
			status, body := sepGet(t, l.RedirectURI()+tt.query)
			if status != http.StatusBadRequest || !strings.Contains(body, "Sign-in failed") {
				t.Errorf("page: HTTP %d %q", status, body)
			}
			_, err := waitShort(t, l)
			if !errors.Is(err, steps.ErrStateMismatch) {
				t.Fatalf("err = %v, want ErrStateMismatch", err)
			}
			if h := hintText(err); !strings.Contains(h, tt.hint) || !strings.Contains(h, "Start the login again") {
				t.Errorf("hints = %q", h)
			}
		})
	}
}

func TestListenerErrorCallback(t *testing.T) {
	l := sepListen(t)
	status, body := sepGet(t, l.RedirectURI()+"?error=access_denied&error_description=User+cancelled&state=good-state")
	if status != http.StatusBadRequest || !strings.Contains(body, "access_denied") {
		t.Errorf("page: HTTP %d %q", status, body)
	}
	_, err := waitShort(t, l)
	var ce *steps.CallbackError
	if !errors.As(err, &ce) || ce.Code != "access_denied" || ce.Description != "User cancelled" {
		t.Fatalf("err = %v, want a CallbackError access_denied", err)
	}
	if !strings.Contains(hintText(err), "cancelled") {
		t.Errorf("hints = %q", hintText(err))
	}
}

func TestListenerTimeout(t *testing.T) {
	l := sepListen(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := l.Wait(ctx)
	if !errors.Is(err, steps.ErrLoginTimeout) || !strings.Contains(hintText(err), "--login-timeout") {
		t.Fatalf("err = %v (hints %q), want ErrLoginTimeout with a --login-timeout hint", err, hintText(err))
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) || errors.Is(err, steps.ErrLoginTimeout) {
		t.Errorf("cancelled wait: err = %v, want context.Canceled", err)
	}
}

func TestListenerClose(t *testing.T) {
	l, err := steps.ListenCallback("127.0.0.1:0", "callback", "s")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(l.RedirectURI(), "/callback") {
		t.Errorf("redirect URI %s", l.RedirectURI())
	}
	addr := l.Addr()
	l.Close()
	l.Close() // twice is fine
	if _, err := waitShort(t, l); err == nil {
		t.Error("Wait after Close returned no error")
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("still listening after Close")
	}
}

func TestListenerAddresses(t *testing.T) {
	// A fixed port from a loopback redirect URI, spelled localhost.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	l, err := steps.ListenCallback("localhost:"+strconv.Itoa(port), "/cb", "s")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Addr() != "127.0.0.1:"+strconv.Itoa(port) {
		t.Errorf("addr %s", l.Addr())
	}
	// The same port again: in use.
	if _, err := steps.ListenCallback("127.0.0.1:"+strconv.Itoa(port), "/cb", "s"); err == nil || !strings.Contains(hintText(err), "already in use") {
		t.Errorf("second listener: err = %v", err)
	}
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.1:0", "[::]:0", "example.org:80"} {
		if l, err := steps.ListenCallback(addr, "/", "s"); err == nil {
			l.Close()
			t.Errorf("%s: listened, want a refusal (127.0.0.1 only)", addr)
		}
	}
}

func TestListenerMethod(t *testing.T) {
	l := sepListen(t)
	resp, err := http.Post(l.RedirectURI(), "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: HTTP %d", resp.StatusCode)
	}
	// The POST did not use up the one callback.
	sepGet(t, l.RedirectURI()+"?code=c&state=good-state")
	if cb, err := waitShort(t, l); err != nil || cb.Code != "c" {
		t.Errorf("got %+v, %v", cb, err)
	}
}
