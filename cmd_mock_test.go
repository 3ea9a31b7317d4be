package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/mock"
)

// startMockCmd runs `nhsauth mock` in-process until the test ends and
// returns its base URL.
func startMockCmd(t *testing.T, args ...string) (base string, stdout *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	env := &cliEnv{stdin: strings.NewReader(""), stdout: out, stderr: errb, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- execute(ctx, env, newRootCmd(env), append([]string{"mock", "--addr", "127.0.0.1:0"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("mock exited %d after cancel; stderr %q", code, errb.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("mock did not stop after its context was cancelled")
		}
	})
	first := regexp.MustCompile(`^base URL: (http://127\.0\.0\.1:(\d+))\nAPI key: (\S+)\n`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := first.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case code := <-done:
			t.Fatalf("mock exited %d: %s%s", code, out.String(), errb.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("mock did not print its two first lines: %q", out.String())
	return "", nil
}

func TestMockCommandServes(t *testing.T) {
	dir := inTempDir(t)
	base, out := startMockCmd(t, "--keys", dir, "--api-key", "team-key")
	lines := strings.SplitN(out.String(), "\n", 3)
	if lines[1] != "API key: team-key" {
		t.Errorf("second line = %q", lines[1])
	}
	if strings.Contains(out.String(), "nhsauth-local-api-secret") {
		t.Error("the API secret is printed unmasked")
	}
	if !strings.Contains(out.String(), "Ctrl+C") {
		t.Error("no hint on how to stop")
	}
	resp, err := http.Get(base + "/_mock/info")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/_mock/info: %d %v", resp.StatusCode, err)
	}
	if info["api_key"] != "team-key" || info["base_url"] != base {
		t.Errorf("/_mock/info = %v", info)
	}
}

// TestLocalUsesRunningMock: --env local finds `nhsauth mock` (through
// $NHSAUTH_LOCAL_URL, and at the default address) and uses its API key.
func TestLocalUsesRunningMock(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir+"/.auth", "local-1")
	base, _ := startMockCmd(t, "--keys", dir+"/.auth", "--api-key", "team-key")

	r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": base}, nil, "get-token", "--env", "local", "--private-key", files.Private)
	if r.code != exitOK || !tokenShape.MatchString(r.stdout) {
		t.Fatalf("get-token through NHSAUTH_LOCAL_URL: %v", r)
	}

	// The default address: point the probe at this mock for a moment.
	saved := localProbeAddr
	localProbeAddr = strings.TrimPrefix(base, "http://")
	defer func() { localProbeAddr = saved }()
	r = nhsauth(t, nil, nil, "get-token", "--env", "local", "--private-key", files.Private)
	if r.code != exitOK || !tokenShape.MatchString(r.stdout) {
		t.Fatalf("get-token through the running mock: %v", r)
	}
	r = nhsauth(t, nil, nil, "get-token", "--env", "local", "--api-key", "another-key", "--private-key", files.Private)
	if !strings.Contains(r.stderr, "warning:") || !strings.Contains(r.stderr, `"team-key"`) {
		t.Errorf("no warning about the API key mismatch: %v", r)
	}
	if r.code != exitFail {
		t.Errorf("a token for an unknown API key: %v", r)
	}
}

func TestMockRefusals(t *testing.T) {
	inTempDir(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := nhsauth(t, nil, nil, "mock", "--addr", ln.Addr().String())
	if r.code != exitFail || !strings.Contains(r.stderr, ln.Addr().String()+" is in use") || !strings.Contains(r.stderr, "--addr 127.0.0.1:0") {
		t.Errorf("port in use: %v", r)
	}
	if r.stdout != "" {
		t.Errorf("printed a base URL it does not serve: %q", r.stdout)
	}
}

func TestCheckMockAddr(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
		want   string
		ok     bool
	}{
		{"127.0.0.1:8400", false, "127.0.0.1:8400", true},
		{":0", false, "127.0.0.1:0", true},
		{"localhost:0", false, "localhost:0", true},
		{"[::1]:0", false, "[::1]:0", true},
		{"0.0.0.0:8400", false, "", false},
		{":8400", false, "", false},
		{"10.1.2.3:8400", false, "", false},
		{"example.org:80", false, "", false},
		{"0.0.0.0:8400", true, "0.0.0.0:8400", true},
		{"127.0.0.1", false, "", false},
	}
	for _, tt := range tests {
		got, err := checkMockAddr(tt.addr, tt.remote)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("checkMockAddr(%q, %v) = %q, %v; want %q, ok %v", tt.addr, tt.remote, got, err, tt.want, tt.ok)
		}
	}
}

// TestMockFlagRefusals (issue 14): a scope list that names no scope, and a
// --keys that is a file, are usage errors whose message names the fix.
func TestMockFlagRefusals(t *testing.T) {
	dir := inTempDir(t)
	file := filepath.Join(dir, "local-1.json")
	if err := os.WriteFile(file, []byte(`{"keys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--scopes", ""}, []string{"--scopes", "names no scope", "leave --scopes out"}},
		{[]string{"--scopes", ",,,"}, []string{"names no scope", mock.DefaultScopes[0]}},
		{[]string{"--scopes", " , "}, []string{"names no scope"}},
		{[]string{"--keys", file}, []string{"is a file", "wants the folder", `--keys "` + dir + `"`}},
	}
	for _, tt := range tests {
		r := nhsauth(t, nil, nil, append([]string{"mock", "--addr", "127.0.0.1:0"}, tt.args...)...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("mock %q: %v", tt.args, r)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("mock %q: stderr %q lacks %q", tt.args, r.stderr, w)
			}
		}
	}
}

// TestMockCommandHostGuard (issue 14): on loopback, nhsauth mock answers 421
// to a request naming another Host (DNS rebinding), unless --allow-remote.
func TestMockCommandHostGuard(t *testing.T) {
	dir := inTempDir(t)
	get := func(base, host string) int {
		req, err := http.NewRequest(http.MethodGet, base+"/_ping", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	base, _ := startMockCmd(t, "--keys", dir)
	if got := get(base, "rebound.attacker.example"); got != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d, want 421", got)
	}
	if got := get(base, "localhost"); got != http.StatusOK {
		t.Errorf("Host localhost: %d", got)
	}
	open, _ := startMockCmd(t, "--keys", dir, "--allow-remote")
	if got := get(open, "rebound.attacker.example"); got != http.StatusOK {
		t.Errorf("--allow-remote, foreign Host: %d", got)
	}
}
