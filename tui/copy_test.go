package tui

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/flows"
)

// TestRunnableCurlRunsInAShell: C warns, then copies the API call's curl
// command with the real access token; run by bash against the local
// platform it gets the API's answer, where the masked one (c) is refused.
func TestRunnableCurlRunsInAShell(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	build, _ := localJourney(t, flows.LoginForm)
	deps, copied := fakeDeps(flows.All()...)
	deps.Journey = build
	h := newHarness(t, Config{FlowID: "app-restricted", Env: "local"}, deps)
	h.keys("a")
	h.waitFor("5/5 done", 60*time.Second)
	h.m.steps.cursor = 4 // the API call
	h.keys("C")
	if len(*copied) != 0 || !strings.Contains(h.m.notice, "WITH its secrets") {
		t.Fatalf("the first C copied (%d) or did not warn: %q", len(*copied), h.m.notice)
	}
	h.keys("C")
	if len(*copied) != 1 || !strings.Contains((*copied)[0], h.m.journey.Token.AccessToken) {
		t.Fatalf("the second C did not copy the curl command with the token: %q", *copied)
	}
	h.keys("c")
	if len(*copied) != 2 || strings.Contains((*copied)[1], h.m.journey.Token.AccessToken) {
		t.Fatalf("c copied the token in clear: %q", (*copied)[1])
	}
	run := func(cmd string) string {
		out, _ := exec.Command("bash", "-c", cmd+" -w ' HTTP %{http_code}'").CombinedOutput()
		return string(out)
	}
	if got := run((*copied)[0]); !strings.Contains(got, "Hello Application!") || !strings.Contains(got, "HTTP 200") {
		t.Fatalf("the runnable curl command did not get the API's answer: %s", got)
	}
	if got := run((*copied)[1]); !strings.Contains(got, "HTTP 401") {
		t.Fatalf("the masked curl command was not refused: %s", got)
	}
	// Any other key between the two presses disarms C.
	h.keys("C", "down", "C")
	if len(*copied) != 2 {
		t.Fatal("C after another key copied without a warning")
	}
	// The token request's assertion was spent by the run (reference §2.7):
	// the copy says so and names the way to a fresh one, and indeed the
	// platform refuses it again.
	h.m.steps.cursor = 3
	h.keys("C", "C")
	if len(*copied) != 3 || !strings.Contains(h.m.notice, "client_assertion is spent") || !strings.Contains(h.m.notice, "nhsauth assertion") {
		t.Fatalf("the token request's runnable curl does not say its assertion is spent: %q", h.m.notice)
	}
	if got := run((*copied)[2]); !strings.Contains(got, "HTTP 400") || !strings.Contains(got, "Non-unique 'jti' claim") {
		t.Fatalf("the spent assertion was not refused for its jti: %s", got)
	}
}

// TestPrintURLToScrollback: u hands the whole authorise URL, on one line,
// to the scrollback printer.
func TestPrintURLToScrollback(t *testing.T) {
	deps, _ := fakeDeps(fakeBrowserFlow())
	var printed []string
	deps.Scrollback = func(s string) tea.Cmd { printed = append(printed, s); return nil }
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a")
	h.waitFor("Waiting for you to sign in", 20*time.Second)
	h.keys("u")
	if len(printed) != 1 || printed[0] != h.m.wait.authURL || strings.Contains(printed[0], "\n") {
		t.Fatalf("u printed %q, want the authorise URL %q", printed, h.m.wait.authURL)
	}
}

// TestCopySequences: outside multiplexers the OSC 52 sequence goes as it
// is; inside GNU screen it is wrapped in screen's DCS passthrough; no copy
// says it was confirmed.
func TestCopySequences(t *testing.T) {
	for _, tt := range []struct {
		name, env, wantPrefix string
	}{
		{"plain", "", "\x1b]52;c;"},
		{"screen", "STY", "\x1bP\x1b]52;c;"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			getenv := func(k string) string {
				if k == tt.env {
					return "1"
				}
				return ""
			}
			msg := copyToClipboard(&out, getenv)("hello")()
			cm, ok := msg.(clipboardMsg)
			if !ok || cm.confirmed || cm.err != nil {
				t.Fatalf("copy said %#v", msg)
			}
			if !strings.HasPrefix(out.String(), tt.wantPrefix) || !strings.Contains(out.String(), "aGVsbG8=") {
				t.Fatalf("wrote %q, want %q… with hello in base64", out.String(), tt.wantPrefix)
			}
		})
	}
}

// TestHyperlinkedURLPieces: with links on, every line of a URL wrapped over
// several is a link to the whole URL; with them off nothing is added.
func TestHyperlinkedURLPieces(t *testing.T) {
	u := "http://127.0.0.1:8400/realms/Cis2-mock-local/protocol/openid-connect/auth?client_id=x&state=" + strings.Repeat("s", 60)
	wrapped := ansi.Hardwrap(u, 40, false)
	c := &common{links: true}
	got := c.linkURLs(u, wrapped)
	lines := strings.Split(got, "\n")
	if len(lines) < 3 {
		t.Fatalf("wrapped into %d lines", len(lines))
	}
	for i, l := range lines {
		if !strings.Contains(l, "\x1b]8;id=nhsauth-") || !strings.Contains(l, ";"+u+"\x07") || !strings.HasSuffix(l, "\x1b]8;;\x07") {
			t.Errorf("line %d is not a link to the whole URL: %q", i, l)
		}
	}
	if ansi.Strip(got) != wrapped {
		t.Errorf("the links changed the text: %q", ansi.Strip(got))
	}
	doc := "RFC 6749 §6 (https://datatracker.ietf.org/doc/html/rfc6749#section-6)"
	if got := c.linkURLs(doc, doc); !strings.Contains(got, ";https://datatracker.ietf.org/doc/html/rfc6749#section-6\x07https://") {
		t.Errorf("a Doc URL in parentheses is not linked: %q", got)
	}
	if off := (&common{}).linkURLs(u, wrapped); off != wrapped {
		t.Errorf("links off changed the text: %q", off)
	}
}

// TestHyperlinkLongestURLWins: where one URL contains another, a line
// showing the longer one links to it, not to the shorter.
func TestHyperlinkLongestURLWins(t *testing.T) {
	short, long := "http://127.0.0.1:8400/realms/A", "http://127.0.0.1:8400/realms/A/protocol/openid-connect/auth"
	src := "Issuer " + short + "\nauthorization_endpoint: " + long
	got := (&common{links: true}).linkURLs(src, src)
	if !strings.Contains(got, ";"+long+"\x07"+long) || !strings.Contains(got, ";"+short+"\x07"+short+"\x1b") {
		t.Fatalf("links: %q", got)
	}
}
