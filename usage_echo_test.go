package main

import (
	"os"
	"strings"
	"testing"
)

// Issue 14's low items: an empty --user, header values that cannot be sent,
// and echoes of what the user typed are usage errors (exit 2) up front,
// before any key, platform or token, each naming its flag.
func TestUsageErrorsOnUserText(t *testing.T) {
	inTempDir(t)
	long := strings.Repeat("k", 100_000)
	callAPI := []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "/x"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"run empty user", []string{"run", "cis2-separate", "--user", "", "--login-timeout", "1s"}, "--user is empty"},
		{"run blank user", []string{"run", "nhs-login-separate", "--user", "  ", "--login-timeout", "1s"}, "--user is empty"},
		{"wizard empty user", []string{"wizard", "--flow", "cis2-separate", "--user="}, "--user is empty"},
		{"nhs number with CRLF", append(callAPI, "--nhs-number", "9000000009\r\nX-Evil: 1"), `--nhs-number "9000000009\r\nX-Evil: 1" holds a line break`},
		{"product id with LF", append(callAPI, "--product-id", "P.XWA\n"), `--product-id "P.XWA\n" holds a line break`},
		{"header ending in LF", append(callAPI, "--header", "X-Thing: a\n"), `--header "X-Thing: a\n" holds a line break`},
		{"header with a control character", append(callAPI, "--header", "X-Thing: a\x00b"), "--header \"a\\x00b\" holds a control character"},
		{"run session urid with CRLF", []string{"run", "cis2-separate", "--user", "656005750104", "--session-urid", "555021935107\r\n"}, `--session-urid "555021935107\r\n" holds a line break`},
		{"run session urid with a control character", []string{"run", "cis2-separate", "--user", "656005750104", "--session-urid", "5550\x1b[2J"}, "--session-urid \"5550\\x1b[2J\" holds a control character"},
		{"negative bits echoed as typed", []string{"generate-keys", "--bits", "-1"}, "--bits -1 is too small"},
		{"long flow name", []string{"run", long}, `unknown flow "` + long[:maxEcho] + `…"`},
		{"long kid", []string{"generate-keys", "--env", "local", "--kid", long + "/"}, `--kid "` + long[:maxEcho] + `…" cannot name the key files`},
		{"long env", []string{"get-token", "--env", long, "--private-key", "x.pem"}, `unknown environment "` + long[:maxEcho] + `…"`},
		{"long wizard flow", []string{"wizard", "--flow", long}, `unknown flow "` + long[:maxEcho] + `…"`},
		{"long unknown flag", []string{"run", "app-restricted", "--" + long}, "unknown flag --" + long[:maxEcho] + "…"},
		{"long bad boolean", []string{"run", "app-restricted", "--reveal=" + long}, "invalid boolean value \"" + long[:maxEcho-1] + "…"},
		{"long url", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "ftp://" + long}, `--url "ftp://` + long[:maxEcho-6] + `…" is not an http(s) URL`},
		{"long unknown command", []string{long}, `unknown command "` + long[:maxEcho] + `…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, tt.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d\n%.600s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %.600q does not say %q", r.stderr, tt.want)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || len(r.stderr) > 400 {
				t.Errorf("a usage error should be one short line, got %d bytes: %.600q", len(r.stderr), r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %.300q, want nothing: the command went ahead", r.stdout)
			}
		})
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("usage errors wrote files: %v", entries)
	}
}

func TestEchoAndQuotedArgs(t *testing.T) {
	if got := echo(strings.Repeat("é", maxEcho)); got != strings.Repeat("é", maxEcho) {
		t.Errorf("echo cut %d characters", maxEcho)
	}
	if got, want := echo(strings.Repeat("é", maxEcho+1)), strings.Repeat("é", maxEcho)+"…"; got != want {
		t.Errorf("echo = %q, want %q", got, want)
	}
	// Lists the command line offers (%s) are never cut; quoted echoes are.
	list := strings.Repeat("flow, ", 30)
	err := usagef("unknown flow %q: use one of %s (100%% sure, %d)", strings.Repeat("x", 200), list, 7)
	if !strings.Contains(err.Error(), `"`+strings.Repeat("x", maxEcho)+`…"`) || !strings.Contains(err.Error(), list+" (100% sure, 7)") {
		t.Errorf("usagef = %q", err)
	}
}
