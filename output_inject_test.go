package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// hostileDescription is an error_description that, printed raw, clears the
// screen (ESC [2J) and retitles the terminal window (OSC 0 … BEL).
const hostileDescription = `\u001b[2J\u001b]0;title\u0007`

// hostileToken is a token endpoint refusing with that description.
func hostileToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte(`{"error":"invalid_request","error_description":"` + hostileDescription + `"}`))
}

// assertNoControls fails when out holds a byte a terminal would act on:
// ESC, BEL, any other C0 character but newline and tab, or a C1 character.
func assertNoControls(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s holds control character %U at byte %d:\n%q", what, r, i, out)
			return
		}
	}
}

// TestServerTextIsNeutralised: text a server controls never reaches the
// terminal raw from get-token, run or call-api, with or without --json;
// the escaped form shows instead (issue 14, Medium 1).
func TestServerTextIsNeutralised(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	ts := fakePlatform(t, hostileToken)
	vars := map[string]string{"NHSAUTH_LOCAL_URL": ts.URL}
	key := []string{"--env", "local", "--private-key", files.Private}
	for _, args := range [][]string{
		append([]string{"get-token"}, key...),
		append([]string{"run", "app-restricted"}, key...),
		append([]string{"run", "app-restricted", "--json"}, key...),
		append([]string{"call-api", "--url", "/hello-world/hello/application"}, key...),
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			r := nhsauth(t, vars, nil, args...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want 1\n%v", r.code, r)
			}
			assertNoControls(t, "stdout", r.stdout)
			assertNoControls(t, "stderr", r.stderr)
			if !strings.Contains(r.stderr, `\x1b[2J\x1b]0;title\x07`) {
				t.Errorf("stderr does not show the description escaped:\n%s", r.stderr)
			}
		})
	}
}

// TestCallAPIShowsHostileReplyEscaped: an API's status reason, headers
// and body reach the terminal escaped; with --json the body stays JSON
// (escaped by encoding/json) and no raw control character is printed.
func TestCallAPIShowsHostileReplyEscaped(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Evil", "a\u009b2Jb") // Go refuses C0 in headers, not C1
		w.Write([]byte("line one\n\x1b[2Jline two\u009b31m\twith a tab\n"))
	}))
	defer api.Close()
	for _, extra := range [][]string{nil, {"--json"}} {
		args := append([]string{"call-api", "--env", "local", "--private-key", files.Private, "--url", api.URL + "/x"}, extra...)
		r := nhsauth(t, nil, nil, args...)
		if r.code != exitOK {
			t.Fatalf("%v", r)
		}
		assertNoControls(t, "stdout", r.stdout)
		assertNoControls(t, "stderr", r.stderr)
		if extra == nil {
			for _, want := range []string{`X-Evil: a\u009b2Jb`, "line one\n\\x1b[2Jline two\\u009b31m\twith a tab"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			continue
		}
		var doc struct {
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("--json is not JSON: %v\n%s", err, r.stdout)
		}
		if doc.Body != "line one\n\x1b[2Jline two\u009b31m\twith a tab\n" || doc.Headers["X-Evil"] != "a\u009b2Jb" {
			t.Errorf("--json does not carry the reply as sent: %+v", doc)
		}
	}
}

// TestURLCredentialsMasked: a password inside --url or NHSAUTH_LOCAL_URL
// (http://user:pass@host) is masked like any other secret wherever the URL
// is shown (issue 14, Low).
func TestURLCredentialsMasked(t *testing.T) {
	const pass = "s3cret-passw0rd"
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"message":"Hello"}`))
	}))
	defer api.Close()
	withCreds := strings.Replace(api.URL, "http://", "http://user:"+pass+"@", 1)
	r := nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", files.Private, "--url", withCreds+"/x")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if strings.Contains(r.stdout+r.stderr, pass) {
		t.Errorf("the URL's password is shown:\n%v", r)
	}
	if !strings.Contains(r.stderr, "Calling API: GET http://user:s3cr…@") || !strings.Contains(r.stdout, "GET http://user:s3cr…@") {
		t.Errorf("the URL is not shown masked:\n%v", r)
	}

	ts := fakePlatform(t, hostileToken)
	vars := map[string]string{"NHSAUTH_LOCAL_URL": strings.Replace(ts.URL, "http://", "http://user:"+pass+"@", 1)}
	for _, args := range [][]string{{"get-token"}, {"run", "app-restricted"}, {"run", "app-restricted", "--json"}} {
		r := nhsauth(t, vars, nil, append(args, "--env", "local", "--private-key", files.Private)...)
		if r.code != exitFail {
			t.Fatalf("%v", r)
		}
		if strings.Contains(r.stdout+r.stderr, pass) {
			t.Errorf("%s shows the NHSAUTH_LOCAL_URL password:\n%v", args, r)
		}
	}
}
