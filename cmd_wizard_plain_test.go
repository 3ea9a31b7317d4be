package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// plainVolatile are the parts of a plain transcript that change from run
// to run (ports, folders, keys, random values, times), each with what it
// becomes in a golden file.
var plainVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`%3A\d+`), "%3APORT"},
	{regexp.MustCompile(`\bin (\d+h)?\d+m\d+s\b`), "in MmSs"},
	{regexp.MustCompile(`\b\d+s (ago|from now)\b`), "Ns $1"},
	{regexp.MustCompile(`\b59\d\b`), "599"},
	{regexp.MustCompile(`\b431\d\d\b`), "43199"},
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "UUID"},
	{regexp.MustCompile(`Date: .* GMT`), "Date: DATE"},
	{regexp.MustCompile(`\(\d+ ms\)`), "(N ms)"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(Z| UTC)`), "TIME"},
	{regexp.MustCompile(`\b1\d{9}(\d{3})?\b`), "EPOCH"},
	{regexp.MustCompile(`expires in \d+:\d\d`), "expires in M:SS"},
	{regexp.MustCompile(`[A-Za-z0-9_\-]{4}…`), "XXXX…"},
	{regexp.MustCompile(`"(n|jwk_thumbprint|kid|sid|session_state|jti|at_hash|c_hash|code_challenge|nonce|state|auth_time)": ("[^"]*"|\d+)`), `"$1": "…"`},
	{regexp.MustCompile(`\b(state|nonce|code_challenge|code|session_state|iss)=[^&\s"]+`), "$1=…"},
	{regexp.MustCompile(`(Content-Length|Location|Set-Cookie|X-Nhsauth-[A-Za-z-]+): .*`), "$1: …"},
}

// labelledRandom is a generated value after the label that names it: the
// heuristic of random() misses the rare one without a digit (about 1 in
// 230 for 32 base64url characters), so these are replaced by their label.
var labelledRandom = regexp.MustCompile(`\b(state: |nonce: |code_challenge |tab_id=|kid: |with key )[A-Za-z0-9_\-]{16,}`)

// randomish matches a long run of base64url or hex: a key id, state,
// nonce, tab or session id.
var randomish = regexp.MustCompile(`[A-Za-z0-9_\-]{20,}`)

// random reports whether w looks generated rather than written: hex, or
// upper and lower case letters mixed with digits.
func random(w string) bool {
	if strings.Trim(w, "0123456789abcdef") == "" {
		return true
	}
	return strings.ContainsAny(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(w, "0123456789")
}

// normalisePlain replaces what changes between runs in a plain transcript.
func normalisePlain(s, dir string) string {
	s = strings.ReplaceAll(s, dir, "DIR")
	s = labelledRandom.ReplaceAllString(s, "${1}RANDOM")
	s = randomish.ReplaceAllStringFunc(s, func(w string) string {
		if random(w) {
			return "RANDOM"
		}
		return w
	})
	for _, v := range plainVolatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// plainRun runs the plain wizard on the local platform with scripted
// stdin, a key ready in .auth, and returns its normalised transcript.
func plainRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := inTempDir(t)
	defer t.Chdir(wd) // back for the golden file in testdata
	dir, _ = filepath.EvalSymlinks(dir)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	r := nhsauth(t, map[string]string{"TERM": "dumb"}, strings.NewReader(stdin), append([]string{"wizard", "--plain", "--no-browser"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("plain wizard: %v", r)
	}
	for _, esc := range []string{"\x1b[", "\x1b]", "\x1b["} {
		if strings.Contains(r.stdout, esc) {
			t.Errorf("plain mode wrote an escape sequence %q", esc)
		}
	}
	return normalisePlain(r.stdout, dir)
}

// TestGoldenPlainAppRestricted walks app-restricted in plain mode, choosing
// the flow and environment by prompt and pressing Enter for each step.
func TestGoldenPlainAppRestricted(t *testing.T) {
	out := plainRun(t, "1\nlocal\n\n\n\n\n\n")
	for _, want := range []string{"Step 5 of 5: API called", "Hello Application!", "✓ All 5 steps done.", "  API: HTTP 200 OK", "  Token: expires at"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the transcript:\n%s", want, out)
		}
	}
	golden.RequireEqual(t, []byte(out))
}

// TestGoldenPlainCIS2Separate walks cis2-separate in plain mode, signing in
// by form as the test user typed at the sign-in step's prompt.
func TestGoldenPlainCIS2Separate(t *testing.T) {
	out := plainRun(t, "\n\n\n656005750104\n\n\n\n\n\n\n", "--flow", "cis2-separate", "--env", "local")
	for _, want := range []string{"Saved: step 4 signs in as 656005750104", "Hello User!", "✓ All 9 steps done.", "  API: HTTP 200 OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the transcript:\n%s", want, out)
		}
	}
	golden.RequireEqual(t, []byte(out))
}

// TestPlainQuitAndSecrets: q at a prompt ends the walk with the summary so
// far, exit 0.
func TestPlainQuit(t *testing.T) {
	out := plainRun(t, "\nq\n", "--flow", "app-restricted", "--env", "local")
	if !strings.Contains(out, "✓ 1 Key ready") || !strings.Contains(out, "1 of 5 steps done.") || strings.Contains(out, "Step 3 of 5") {
		t.Fatalf("q after step 1 did not stop there with the summary:\n%s", out)
	}
}

// TestWizardThemeFlag: --theme and NHSAUTH_THEME take light or dark, the
// flag wins, and anything else is a usage error naming where it came from.
func TestWizardThemeFlag(t *testing.T) {
	for _, tt := range []struct {
		name, flag, env, want string
		wantErr               string
	}{
		{name: "default asks the terminal"},
		{name: "flag", flag: "light", want: "light"},
		{name: "env", env: "DARK", want: "dark"},
		{name: "flag wins", flag: "dark", env: "light", want: "dark"},
		{name: "bad flag", flag: "blue", wantErr: `--theme "blue"`},
		{name: "bad env", env: "sepia", wantErr: `NHSAUTH_THEME "sepia"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := &cliEnv{getenv: func(k string) string {
				if k == "NHSAUTH_THEME" {
					return tt.env
				}
				return ""
			}}
			o := &wizardOptions{theme: tt.flag}
			err := checkTheme(env, o)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
			case err != nil || o.theme != tt.want:
				t.Fatalf("theme %q, err %v; want %q", o.theme, err, tt.want)
			}
		})
	}
	if r := nhsauth(t, nil, nil, "wizard", "--theme", "blue"); r.code != exitUsage {
		t.Fatalf("--theme blue: %v", r)
	}
}

// TestTerminalChoices: which terminals get the plain mode and which get
// hyperlinks.
func TestTerminalChoices(t *testing.T) {
	for _, tt := range []struct {
		vars        map[string]string
		terminal    bool
		plain, link bool
	}{
		{map[string]string{"TERM": "xterm-256color"}, true, false, true},
		{map[string]string{"TERM": "dumb"}, true, true, false},
		{map[string]string{}, true, true, false},
		{map[string]string{"TERM": "dumb"}, false, false, false}, // not a terminal: wizard refuses, --plain works
		{map[string]string{"TERM": "xterm", "NO_COLOR": "1"}, true, false, false},
		{map[string]string{"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"}, true, false, false},
		{map[string]string{"TERM": "screen", "STY": "1.x", "NHSAUTH_HYPERLINKS": "1"}, true, false, true},
	} {
		env := &cliEnv{isTerminal: tt.terminal, getenv: func(k string) string { return tt.vars[k] }}
		if got := plainTerminal(env); got != tt.plain {
			t.Errorf("%v: plain %v, want %v", tt.vars, got, tt.plain)
		}
		if got := hyperlinks(env); got != tt.link {
			t.Errorf("%v: hyperlinks %v, want %v", tt.vars, got, tt.link)
		}
	}
}
