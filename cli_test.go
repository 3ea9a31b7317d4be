package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/mock"
	"github.com/spf13/pflag"
)

func TestFormatVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/nhsauth/nhsauth", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-06T16:30:00Z"},
			{Key: "vcs.modified", Value: "true"}, {Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}}
	got := formatVersion(bi)
	for _, want := range []string{"nhsauth v1.2.3", "revision: 0123abcd (modified)", "2026-12-06T16:30:00Z", "go1.26.8 linux/amd64"} {
		if !strings.Contains(got, want) {
			t.Errorf("formatVersion lacks %q:\n%s", want, got)
		}
	}
	bi.Main.Version = "(devel)"
	bi.Settings = bi.Settings[:1]
	if got := formatVersion(bi); !strings.HasPrefix(got, "nhsauth "+version+"\n") || strings.Contains(got, "modified") {
		t.Errorf("a development build:\n%s", got)
	}
	// Without a revision, a development build says why and how to get one;
	// a released module version needs none.
	bi.Settings = nil
	if got := formatVersion(bi); !strings.Contains(got, "revision: not recorded") || !strings.Contains(got, "-buildvcs=auto") {
		t.Errorf("a development build without a revision does not say how to record one:\n%s", got)
	}
	bi.Main.Version = "v1.2.3"
	if got := formatVersion(bi); strings.Contains(got, "revision") {
		t.Errorf("a released version without VCS data talks of a revision:\n%s", got)
	}
}

// TestBuiltVersionNamesRevision builds nhsauth in a clone of this checkout
// (Go stamps VCS data in a clone, not in a git worktree) and checks that
// version names the commit.
func TestBuiltVersionNamesRevision(t *testing.T) {
	if testing.Short() {
		t.Skip("clones and builds")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	rev, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not a git checkout")
	}
	dir := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command(git, "clone", "-q", "--no-hardlinks", ".", dir).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	build := exec.Command("go", "build", "-buildvcs=true", "-o", "nhsauth", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(dir, "nhsauth"), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "revision: " + strings.TrimSpace(string(rev)); !strings.Contains(string(out), want) {
		t.Errorf("version says %q, want %q", out, want)
	}
}

// TestBashCompletion sources `nhsauth completion bash` in bash and asks it
// to complete a command, a flag and a flow name.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := nhsauthBinary(t)
	script := filepath.Join(t.TempDir(), "nhsauth.bash")
	r := nhsauth(t, nil, nil, "completion", "bash")
	if r.code != exitOK || !strings.Contains(r.stdout, "complete") {
		t.Fatalf("completion bash: %v", r)
	}
	if err := os.WriteFile(script, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		line string
		want []string
	}{
		{"nhsauth ru", []string{"run"}},
		{"nhsauth get-token --private-", []string{"--private-key"}},
		{"nhsauth run cis2", []string{"cis2-separate"}},
		{"nhsauth run app-restricted --env ", []string{"local", "int", "prod"}},
	} {
		t.Run(tt.line, func(t *testing.T) {
			// cobra's script uses bash-completion's _get_comp_words_by_ref: the
			// package's own when installed, else the same in four lines.
			prog := `PATH="` + filepath.Dir(bin) + `:$PATH"
if [ -r /usr/share/bash-completion/bash_completion ]; then source /usr/share/bash-completion/bash_completion; fi
if ! declare -F _get_comp_words_by_ref >/dev/null; then
  _get_comp_words_by_ref() { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
fi
source "` + script + `"
COMP_LINE='` + tt.line + `'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_nhsauth nhsauth; printf '%s\n' "${COMPREPLY[@]}"`
			out, err := exec.Command(bash, "--norc", "-c", prog).CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains("\n"+string(out), "\n"+w) {
					t.Errorf("completing %q gave %q, want %q", tt.line, out, w)
				}
			}
		})
	}
}

func TestSuggestions(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"rnu"}, "did you mean run?"},
		{[]string{"run", "cis2-seperate"}, "did you mean cis2-separate?"},
		{[]string{"wizard", "--flow", "app-restrcted"}, "did you mean app-restricted?"},
		{[]string{"run", "app-restricted", "--privat-key", "x"}, "did you mean --private-key?"},
	} {
		r := nhsauth(t, nil, nil, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%q: %v; want exit 2 and %q", tt.args, r, tt.want)
		}
	}
}

// TestCredsFromEnv: NHSAUTH_API_KEY and NHSAUTH_API_SECRET stand in for
// their flags, a flag wins, and --api-secret - reads stdin's first line
// only.
func TestCredsFromEnv(t *testing.T) {
	vars := map[string]string{envAPIKey: "env-key", envAPISecret: "env-secret"}
	for _, tt := range []struct {
		name             string
		args             []string
		stdin            string
		wantKey, wantSec string
		wantRest         string
		wantErr          string
	}{
		{name: "environment", wantKey: "env-key", wantSec: "env-secret"},
		{name: "flags win", args: []string{"--api-key", "flag-key", "--api-secret", "flag-secret"}, wantKey: "flag-key", wantSec: "flag-secret"},
		{name: "stdin", args: []string{"--api-secret", "-"}, stdin: "piped-secret\nhttp://x/?code=1\n", wantKey: "env-key", wantSec: "piped-secret", wantRest: "http://x/?code=1\n"},
		{name: "empty stdin", args: []string{"--api-secret", "-"}, wantErr: "stdin held no line"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs, o := runFlags()
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			in := strings.NewReader(tt.stdin)
			env := &cliEnv{stdin: in, getenv: func(k string) string { return vars[k] }}
			err := credsFromEnv(env, fs, &o.appCreds)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || o.apiKey != tt.wantKey || o.apiSecret != tt.wantSec {
				t.Fatalf("err %v, key %q, secret %q; want %q %q", err, o.apiKey, o.apiSecret, tt.wantKey, tt.wantSec)
			}
			if rest := tt.stdin[len(tt.stdin)-in.Len():]; rest != tt.wantRest {
				t.Errorf("stdin left %q, want %q", rest, tt.wantRest)
			}
		})
	}
	// get-token takes the key from the environment too; its --help names both variables.
	fs, tf := getTokenFlags()
	_ = fs.Parse(nil)
	if err := credsFromEnv(&cliEnv{getenv: func(k string) string { return vars[k] }}, fs, &tf.appCreds); err != nil || tf.apiKey != "env-key" {
		t.Errorf("get-token key %q, err %v", tf.apiKey, err)
	}
	if r := nhsauth(t, nil, nil, "run", "--help"); !strings.Contains(r.stdout, envAPIKey) || !strings.Contains(r.stdout, envAPISecret) {
		t.Errorf("run --help names neither variable:\n%s", r.stdout)
	}
	_ = pflag.ContinueOnError
}

// TestSecretFromEnvironmentUsed: against a running local platform that
// knows only its own secret, run refreshes with $NHSAUTH_API_SECRET (a
// wrong one fails the refresh), --api-secret wins over it, and the secret
// is never printed.
func TestSecretFromEnvironmentUsed(t *testing.T) {
	inTempDir(t)
	base, _ := startMockCmd(t)
	const wrong = "env-supplied-wrong-secret-123"
	vars := map[string]string{"NHSAUTH_LOCAL_URL": base, envAPISecret: wrong, "NHSAUTH_KEY_BITS": "2048"}
	args := []string{"run", "cis2-separate", "--env", "local", "--user", "656005750104"}
	r := nhsauth(t, vars, nil, args...)
	if r.code != exitFail {
		t.Fatalf("a wrong secret from the environment: %v", r)
	}
	if strings.Contains(r.stdout+r.stderr, wrong) {
		t.Error("the secret from the environment was printed")
	}
	if r := nhsauth(t, vars, nil, append(args, "--api-secret", mock.DefaultAPISecret)...); r.code != exitOK {
		t.Fatalf("--api-secret should win over the environment: %v", r)
	}
	vars[envAPISecret] = mock.DefaultAPISecret
	if r := nhsauth(t, vars, nil, args...); r.code != exitOK {
		t.Fatalf("the right secret from the environment: %v", r)
	}
}

// TestHelpCommand: help COMMAND is COMMAND --help; help of a command that
// does not exist is a usage error naming the nearest one.
func TestHelpCommand(t *testing.T) {
	if r := nhsauth(t, nil, nil, "help", "rnu"); r.code != exitUsage || !strings.Contains(r.stderr, "did you mean run?") {
		t.Errorf("help rnu: %v", r)
	}
	if r := nhsauth(t, nil, nil, "help"); r.code != exitOK || !strings.Contains(r.stdout, "Commands:") {
		t.Errorf("help: %v", r)
	}
}
