package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// TestCallAPISendsHeaders checks what call-api sends: the bearer token,
// the flags' headers, and X-Request-ID kept when given.
func TestCallAPISendsHeaders(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	var (
		mu  sync.Mutex
		got *http.Request
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Clone(r.Context())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true,"echo":"` + r.Header.Get("Authorization") + `"}`))
	}))
	defer api.Close()

	r := nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", files.Private,
		"--url", api.URL+"/thing", "--method", "post", "--nhs-number", "9912003071", "--product-id", "P.XWA-VFF",
		"--header", "X-Request-ID: 60E0B220-8136-4CA5-AE46-1D97EF59D068", "--header", "X-Correlation-ID: corr-1")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	mu.Lock()
	defer mu.Unlock()
	if got == nil {
		t.Fatal("the API was not called")
	}
	tok, ok := strings.CutPrefix(got.Header.Get("Authorization"), "Bearer ")
	if !ok || len(tok) != 28 {
		t.Errorf("Authorization = %q", got.Header.Get("Authorization"))
	}
	for name, want := range map[string]string{
		"nhs-login-nhs-number": "9912003071",
		"NHSE-Product-ID":      "P.XWA-VFF",
		"X-Request-ID":         "60E0B220-8136-4CA5-AE46-1D97EF59D068",
		"X-Correlation-ID":     "corr-1",
	} {
		if v := got.Header.Get(name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
	if got.Method != http.MethodPost {
		t.Errorf("method %s, want POST", got.Method)
	}
	if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
		t.Error("the token appears in full in call-api's output")
	}
	if !strings.Contains(r.stdout, `"ok": true`) {
		t.Errorf("JSON body not pretty-printed:\n%s", r.stdout)
	}
}

func TestCallAPIFailures(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/boom":
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("internal failure"))
		case "/denied":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"message":"Invalid access token"}`))
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>a web page</body></html>"))
		case "/cut": // the status and half the body, then nothing
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte(`{"entry": [`))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	defer api.Close()
	tests := []struct {
		name       string
		url        string
		args       []string
		code       int
		wantOut    string
		wantErr    string
		jsonStatus int
	}{
		{"server error", api.URL + "/boom", nil, exitFail, "internal failure", "the API answered HTTP 500", 500},
		{"unauthorised", api.URL + "/denied", nil, exitFail, "Invalid access token", "the API answered HTTP 401", 401},
		{"HTML page is still a reply", api.URL + "/html", nil, exitOK, "a web page", "✓ Response status: 200", 200},
		{"unreachable host", "http://" + closedPort(t) + "/x", nil, exitFail, "", "connection refused", 0},
		// A body that stops arriving is not a success, whatever the status.
		{"body cut short", api.URL + "/cut", []string{"--timeout", "2s"}, exitFail, `{"entry": [`, "the API answered HTTP 200 but its reply was cut short", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, append([]string{"call-api", "--env", "local", "--private-key", files.Private, "--url", tt.url}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if !strings.Contains(r.stdout, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, r.stdout)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, r.stderr)
			}
			if tt.jsonStatus == 0 {
				return
			}
			r = nhsauth(t, nil, nil, append([]string{"call-api", "--env", "local", "--private-key", files.Private, "--url", tt.url, "--json"}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("--json: exit %d, want %d", r.code, tt.code)
			}
			var doc struct {
				Status    int   `json:"status"`
				Body      any   `json:"body"`
				Truncated *bool `json:"truncated"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Status != tt.jsonStatus {
				t.Errorf("--json: %v %+v\n%s", err, doc, r.stdout)
			}
			if wantCut := tt.name == "body cut short"; doc.Truncated == nil || *doc.Truncated != wantCut {
				t.Errorf("--json: truncated = %v, want %v", doc.Truncated, wantCut)
			}
			if _, isString := doc.Body.(string); tt.jsonStatus != 401 && !isString {
				t.Errorf("a non-JSON body should be a JSON string, got %T", doc.Body)
			}
		})
	}
}

// TestCallAPIShowsFHIRErrorCodes: a FHIR OperationOutcome's "code" members
// (the Spine error code the developer needs) are not secrets and are shown
// in full; the bearer token still is masked.
func TestCallAPIShowsFHIRErrorCodes(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	for _, asJSON := range []bool{false, true} {
		args := []string{"call-api", "--env", "local", "--private-key", files.Private,
			"--url", "/personal-demographics/FHIR/R4/Patient/9000000000"}
		if asJSON {
			args = append(args, "--json")
		}
		r := nhsauth(t, nil, nil, args...)
		if r.code != exitFail {
			t.Fatalf("exit %d, want 1 for HTTP 400\n%v", r.code, r)
		}
		for _, want := range []string{`"INVALID_RESOURCE_ID"`, `"value"`, "OperationOutcome"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("json=%v: stdout lacks %s:\n%s", asJSON, want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "INVA…") {
			t.Errorf("json=%v: the Spine code is masked:\n%s", asJSON, r.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, "Response tab") {
			t.Errorf("json=%v: the CLI's hint points at a wizard tab:\n%s", asJSON, r.stderr)
		}
	}
}

// TestCallAPIHugeBody: a body past the 10 MB recording limit is shown cut,
// both outputs say so, and call-api fails: exit 0 promises the whole answer.
func TestCallAPIHugeBody(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(strings.Repeat("x", steps.MaxBody+100)))
	}))
	defer api.Close()
	r := nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", files.Private, "--url", api.URL)
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1 for a cut body: %v", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "✓ Response") {
		t.Errorf("a cut body is reported as a success: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "only its first 10 MB is shown") || !strings.Contains(r.stdout, "truncated") {
		t.Errorf("the cut is not reported: stderr %q, stdout ends %q", r.stderr, r.stdout[max(0, len(r.stdout)-200):])
	}
	r = nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", files.Private, "--url", api.URL, "--json")
	if r.code != exitFail {
		t.Errorf("--json: exit %d, want 1 for a cut body", r.code)
	}
	var doc struct {
		Truncated bool   `json:"truncated"`
		Body      string `json:"body"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || !doc.Truncated || len(doc.Body) != steps.MaxBody {
		t.Errorf("--json: err %v, truncated %v, body %d bytes", err, doc.Truncated, len(doc.Body))
	}
}

// TestCallAPIRedirect: an API's redirect is shown and fails the call with
// the way out (--follow); with --follow a redirect to another origin (here
// another port of the same host) is still refused, so the bearer token never
// reaches it, and a same-origin one is followed to a ✓.
func TestCallAPIRedirect(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	api, otherHits := redirectingAPI(t)
	for _, tt := range []struct {
		name    string
		path    string
		args    []string
		code    int
		wantErr string
	}{
		{"not followed by default", "/away", nil, exitFail, `/x". API redirects are not followed unless asked`},
		{"the way out is named", "/here", nil, exitFail, "--follow"},
		{"another origin refused with --follow", "/away", []string{"--follow"}, exitFail, "another origin"},
		{"same origin followed with --follow", "/here", []string{"--follow"}, exitOK, "✓ Response status: 200"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, append([]string{"call-api", "--env", "local", "--private-key", files.Private, "--url", api.URL + tt.path}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, r.stderr)
			}
			if tt.code != exitOK && strings.Contains(r.stderr, "✓ Response") {
				t.Errorf("a redirect at the end is reported as a success:\n%s", r.stderr)
			}
			if otherHits.Load() != 0 {
				t.Fatal("the other origin was called")
			}
		})
	}
}

// TestCallAPIHeaderRules: --header Host goes over the wire and the
// transcript shows it; Content-Length is a usage error before any token is
// fetched; a user Authorization is replaced with a warning.
func TestCallAPIHeaderRules(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	seen := make(chan *http.Request, 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Clone(r.Context())
		w.Write([]byte(`{"ok":true}`))
	}))
	defer api.Close()
	base := []string{"call-api", "--env", "local", "--private-key", files.Private, "--url", api.URL + "/x"}

	r := nhsauth(t, nil, nil, append(base, "--header", "Content-Length: 5")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "Content-Length") || strings.Contains(r.stderr, "Access token obtained") {
		t.Errorf("Content-Length: exit %d, want a usage error before the token\n%v", r.code, r)
	}

	r = nhsauth(t, nil, nil, append(base, "--header", "Host: api.example", "--header", "Authorization: Basic dXNlcjpwYXNz")...)
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	got := <-seen
	if got.Host != "api.example" {
		t.Errorf("Host on the wire %q, want api.example", got.Host)
	}
	if !strings.HasPrefix(got.Header.Get("Authorization"), "Bearer ") {
		t.Errorf("Authorization on the wire %q, want the bearer token", got.Header.Get("Authorization"))
	}
	if !strings.Contains(r.stdout, "Host: api.example") {
		t.Errorf("the transcript does not show the Host sent:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "warning: --header Authorization is not sent") {
		t.Errorf("no warning for the replaced Authorization:\n%s", r.stderr)
	}
}
