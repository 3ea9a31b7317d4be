package tui

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/nhsauth/nhsauth/mock"
)

// End-to-end: the real nhsauth binary in a pseudo-terminal of 100×30, in a
// fresh folder, driven by keys as a person would.

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// binaries builds nhsauth and the fake browser once for the package.
func binaries(t *testing.T) (nhsauth, fakeBrowser string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("end-to-end: needs a Unix pseudo-terminal")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build the binary with")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "nhsauth-e2e-")
		if buildErr != nil {
			return
		}
		for _, b := range [][2]string{{"nhsauth", ".."}, {"fakebrowser", "./testdata/fakebrowser"}} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(buildDir, b[0]), b[1]).CombinedOutput()
			if err != nil {
				buildErr = err
				buildDir = string(out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildDir)
	}
	return filepath.Join(buildDir, "nhsauth"), filepath.Join(buildDir, "fakebrowser")
}

func TestMain(m *testing.M) {
	log.SetOutput(io.Discard) // the model logs step starts; main sends them to $NHSAUTH_LOG
	code := m.Run()
	if buildDir != "" && buildErr == nil {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// term is a program running in a pseudo-terminal, with everything it drew.
type term struct {
	t    *testing.T
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

// startTerm runs bin in a 100×30 pseudo-terminal in dir. It answers the
// terminal queries a real terminal would (background colour, device
// attributes, cursor position), so nothing waits for a reply that never
// comes.
func startTerm(t *testing.T, dir string, env []string, bin string, args ...string) *term {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatalf("start in a pty: %v", err)
	}
	tm := &term{t: t, f: f, cmd: cmd, done: make(chan struct{})}
	go tm.read()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-tm.done
		_ = f.Close()
	})
	return tm
}

func (tm *term) read() {
	defer close(tm.done)
	buf := make([]byte, 32<<10)
	for {
		n, err := tm.f.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			tm.mu.Lock()
			tm.out.Write(chunk)
			tm.mu.Unlock()
			if bytes.Contains(chunk, []byte("\x1b]11;?")) {
				_, _ = io.WriteString(tm.f, "\x1b]11;rgb:0000/0000/0000\x1b\\")
			}
			if bytes.Contains(chunk, []byte("\x1b[c")) {
				_, _ = io.WriteString(tm.f, "\x1b[?62;22c")
			}
			if bytes.Contains(chunk, []byte("\x1b[6n")) {
				_, _ = io.WriteString(tm.f, "\x1b[1;1R")
			}
		}
		if err != nil {
			return
		}
	}
}

// text is everything drawn so far, escape sequences removed.
func (tm *term) text() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.Strip(tm.out.String())
}

func (tm *term) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.f, keys); err != nil {
		tm.t.Fatalf("send %q: %v", keys, err)
	}
}

// waitFor polls the screen until it shows want.
func (tm *term) waitFor(want string, d time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.text(), want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	txt := tm.text()
	tm.t.Fatalf("the screen never showed %q; the last 3000 characters drawn:\n%s", want, txt[max(0, len(txt)-3000):])
}

// exit presses q and waits for the program to end with status 0.
func (tm *term) exit() {
	tm.t.Helper()
	tm.send("q")
	errc := make(chan error, 1)
	go func() { errc <- tm.cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			tm.t.Fatalf("nhsauth exited with %v", err)
		}
	case <-time.After(15 * time.Second):
		tm.t.Fatal("nhsauth did not exit after q")
	}
}

// e2eEnv is the environment of the binary: a terminal, a fresh home, small
// keys, and a local platform of its own. If an nhsauth platform already
// listens on 127.0.0.1:8400, the binary would use it (and its keys), so the
// test hands it a private one instead.
func e2eEnv(t *testing.T, dir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TERM", "HOME", "BROWSER", "NO_COLOR", "NHSAUTH_LOCAL_URL", "NHSAUTH_LOG", "TMUX", "COLORTERM":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TERM=xterm-256color", "HOME="+dir, "NHSAUTH_KEY_BITS=2048")
	hc := &http.Client{Timeout: 500 * time.Millisecond}
	if resp, err := hc.Get("http://127.0.0.1:8400/_mock/info"); err == nil {
		resp.Body.Close()
		ts := httptest.NewServer(mock.New(mock.Options{KeysDir: filepath.Join(dir, ".auth")}))
		t.Cleanup(ts.Close)
		env = append(env, "NHSAUTH_LOCAL_URL="+ts.URL)
	}
	return append(env, extra...)
}

func TestEndToEndAppRestricted(t *testing.T) {
	bin, _ := binaries(t)
	dir := t.TempDir()
	tm := startTerm(t, dir, e2eEnv(t, dir), bin, "wizard", "--flow", "app-restricted", "--env", "local")
	tm.waitFor("Key ready", 20*time.Second)
	tm.send("a")
	// The summary: every step done and the API's answer. (The API step's
	// own explanation quotes "Hello Application!" too, so wait for both.)
	tm.waitFor("5/5 done", 90*time.Second)
	tm.waitFor("API call HTTP 200 OK", 5*time.Second)
	tm.waitFor("Hello Application!", 5*time.Second)
	tm.exit()
	if _, err := os.Stat(filepath.Join(dir, ".auth", "local-1.pem")); err != nil {
		t.Fatalf("the key was not made in the fresh folder: %v", err)
	}
}

func TestEndToEndCIS2SeparateWithBrowser(t *testing.T) {
	bin, browser := binaries(t)
	dir := t.TempDir()
	log := filepath.Join(dir, "fakebrowser.log")
	tm := startTerm(t, dir, e2eEnv(t, dir, "BROWSER="+browser, "FAKEBROWSER_LOG="+log), bin, "wizard", "--flow", "cis2-separate", "--env", "local")
	tm.waitFor("Obtain the mock", 20*time.Second)
	tm.send("a")
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(tm.text(), "9/9 done") {
		if b, err := os.ReadFile(log); err == nil {
			t.Fatalf("the stand-in browser failed: %s", b)
		}
		if time.Now().After(deadline) {
			tm.waitFor("9/9 done", 0)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tm.waitFor("Signed in as the user in the browser", 5*time.Second)
	tm.waitFor("API call HTTP 200 OK", 5*time.Second)
	tm.waitFor("Hello User!", 5*time.Second)
	tm.exit()
}
