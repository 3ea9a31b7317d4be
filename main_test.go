package main

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/spf13/pflag"
)

// TestMain points the look for a running `nhsauth mock` at a closed port,
// so no test meets (or binds) 127.0.0.1:8400.
func TestMain(m *testing.M) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("cannot find a free port: " + err.Error())
	}
	localProbeAddr = ln.Addr().String()
	ln.Close()
	os.Exit(m.Run())
}

// result is what one in-process run of nhsauth produced.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s\n--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// nhsauth runs the command line in-process with the given environment
// variables and stdin.
func nhsauth(t *testing.T, vars map[string]string, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	env := &cliEnv{stdin: stdin, stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := runMain(env, args)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// inTempDir moves the test into a fresh folder.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

// testKey is one 2048-bit key shared by every test: RSA keygen is slow
// under -race.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := keystore.Generate(2048)
	if err != nil {
		panic(err)
	}
	return k
})

// writeTestKey writes the shared key as kid's three files in dir.
func writeTestKey(t *testing.T, dir, kid string) keystore.Files {
	t.Helper()
	f, err := keystore.Write(dir, kid, testKey(), true)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// fakePlatform answers /_mock/info as an nhsauth local platform and hands
// the token endpoint to token, so a test can make it misbehave.
func fakePlatform(t *testing.T, token http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_mock/info", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"name": "nhsauth local platform", "version": "test", "api_key": "nhsauth-local-api-key"})
	})
	if token != nil {
		mux.HandleFunc("/oauth2/token", token)
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine and read
// from another.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	flagSets := map[string]func() *pflag.FlagSet{
		"generate-keys": func() *pflag.FlagSet { fs, _ := generateKeysFlags(); return fs },
		"get-token":     func() *pflag.FlagSet { fs, _ := getTokenFlags(); return fs },
		"call-api":      func() *pflag.FlagSet { fs, _ := callAPIFlags(); return fs },
		"run":           func() *pflag.FlagSet { fs, _ := runFlags(); return fs },
		"mock":          func() *pflag.FlagSet { fs, _ := mockFlags(); return fs },
	}
	// The flags the issues name for each command: a flag dropped from the
	// code fails here even though --help lists whatever is registered.
	want := map[string][]string{
		"generate-keys": {"api-key", "env", "kid", "output-dir", "force", "bits"},
		"get-token":     {"api-key", "env", "kid", "private-key", "json", "timeout"},
		"call-api":      {"api-key", "env", "kid", "private-key", "url", "method", "nhs-number", "product-id", "header", "json", "timeout"},
		"run": {"env", "api-key", "api-secret", "private-key", "kid", "url", "timeout", "login-timeout", "user", "browser",
			"redirect-uri", "client-auth", "session-urid", "header", "reveal", "json"},
		"mock": {"addr", "keys", "jwks-url", "api-key", "api-secret", "scopes", "public-url", "allow-remote"},
	}
	for name, mk := range flagSets {
		t.Run(name, func(t *testing.T) {
			for _, helpArg := range []string{"--help", "-h"} {
				r := nhsauth(t, nil, nil, name, helpArg)
				if r.code != exitOK {
					t.Fatalf("%s %s: %v", name, helpArg, r)
				}
				if r.stderr != "" {
					t.Errorf("--help wrote to stderr: %q", r.stderr)
				}
				flat := strings.Join(strings.Fields(r.stdout), " ") // undo the wrapping
				fs := mk()
				registered := map[string]bool{}
				fs.VisitAll(func(f *pflag.Flag) {
					registered[f.Name] = true
					if !strings.Contains(r.stdout, "--"+f.Name) {
						t.Errorf("help does not document --%s", f.Name)
					}
					if f.DefValue != "" && !isZeroDefault(f.DefValue) && !strings.Contains(flat, "(default "+shownDefault(f)+")") {
						t.Errorf("help does not show --%s's default %q", f.Name, shownDefault(f))
					}
				})
				for _, w := range want[name] {
					if !registered[w] {
						t.Errorf("flag --%s is not registered", w)
					}
				}
				for _, section := range []string{"Usage:", "Flags:", "Examples:"} {
					if !strings.Contains(r.stdout, section) {
						t.Errorf("help has no %q section", section)
					}
				}
				examples := strings.Count(r.stdout[strings.Index(r.stdout, "Examples:"):], "\n  nhsauth ")
				if examples < 2 || examples > 4 {
					t.Errorf("help has %d examples, want 2–4", examples)
				}
			}
		})
	}
	// Durations read as people write them, not as Go prints them.
	if r := nhsauth(t, nil, nil, "run", "--help"); !strings.Contains(r.stdout, "(default 5m)") || strings.Contains(r.stdout, "5m0s") {
		t.Errorf("run --help shows --login-timeout's default as Go prints it:\n%s", r.stdout)
	}
	// help COMMAND is the same as COMMAND --help.
	if a, b := nhsauth(t, nil, nil, "help", "get-token"), nhsauth(t, nil, nil, "get-token", "--help"); a.stdout != b.stdout {
		t.Errorf("help get-token differs from get-token --help")
	}
}

func TestUsageErrors(t *testing.T) {
	inTempDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"get-token", "--nope"}, "unknown flag --nope;"},
		{"unknown flag near a known one", []string{"get-token", "--private_key", "x.pem"}, "unknown flag --private_key: did you mean --private-key?"},
		{"flag without value", []string{"get-token", "--private-key"}, "--private-key needs a value (PEM) after it"},
		{"flag followed by a flag", []string{"get-token", "--env", "local", "--private-key", "--json"}, "--private-key needs a value (PEM) before --json"},
		{"bad duration", []string{"get-token", "--timeout", "soon", "--private-key", "x.pem"}, `--timeout "soon" is not a valid duration`},
		{"bad number", []string{"generate-keys", "--bits", "many"}, `--bits "many" is not a valid whole number`},
		{"version with an argument", []string{"version", "--short"}, `unexpected argument "--short"`},
		{"missing private key", []string{"get-token", "--env", "local"}, "--private-key is required"},
		{"unknown env", []string{"get-token", "--env", "staging", "--private-key", "x.pem"}, `unknown environment "staging"`},
		{"empty api key on int", []string{"get-token", "--env", "int", "--private-key", "x.pem"}, "--api-key is required on int"},
		{"blank api key on int", []string{"get-token", "--env", "int", "--api-key", "  ", "--private-key", "x.pem"}, "--api-key is required on int"},
		{"stray argument", []string{"get-token", "extra", "--private-key", "x.pem"}, `unexpected argument "extra"`},
		{"call-api without url", []string{"call-api", "--env", "local", "--private-key", "x.pem"}, "--url is required"},
		{"malformed url", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "ht tp://x"}, "is not a valid URL"},
		{"url without scheme", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "example.org/x"}, "not an http(s) URL"},
		{"ftp url", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "ftp://example.org/x"}, "not an http(s) URL"},
		{"header without colon", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "/x", "--header", "X-Thing"}, `--header "X-Thing" has no colon`},
		{"header without name", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "/x", "--header", ": v"}, "no valid header name"},
		{"bad method", []string{"call-api", "--env", "local", "--private-key", "x.pem", "--url", "/x", "--method", "GE T"}, "is not an HTTP method"},
		{"generate-keys unknown env", []string{"generate-keys", "--env", "qa"}, `unknown environment "qa"`},
		{"generate-keys small key", []string{"generate-keys", "--bits", "1024"}, "--bits 1024 is too small"},
		{"generate-keys huge key", []string{"generate-keys", "--bits", "99999"}, "--bits 99999 is too large"},
		{"generate-keys kid with a slash", []string{"generate-keys", "--kid", "team/int-1"}, `--kid "team/int-1" cannot name the key files`},
		{"generate-keys kid climbing out", []string{"generate-keys", "--kid", "../int-1"}, `--kid "../int-1" cannot name the key files`},
		{"generate-keys kid with a space", []string{"generate-keys", "--kid", "int 1"}, `--kid "int 1" cannot name the key files`},
		{"generate-keys empty kid", []string{"generate-keys", "--kid", ""}, "--kid is empty"},
		{"run without flow", []string{"run"}, "app-restricted, cis2-separate, nhs-login-separate"},
		{"run unknown flow", []string{"run", "combined"}, `unknown flow "combined": use one of app-restricted`},
		{"run two flows", []string{"run", "app-restricted", "cis2-separate"}, `unexpected argument "cis2-separate"`},
		{"run on int without api key", []string{"run", "app-restricted", "--env", "int"}, "--api-key is required on int"},
		{"run unknown env", []string{"run", "app-restricted", "--env", "mars"}, `unknown environment "mars"`},
		{"run bad client auth", []string{"run", "cis2-separate", "--client-auth", "private_key_jwt"}, "--client-auth"},
		{"run user and browser", []string{"run", "cis2-separate", "--user", "656005750104", "--browser"}, "exclude each other"},
		{"run header without colon", []string{"run", "app-restricted", "--header", "nocolon"}, `--header "nocolon" has no colon`},
		{"run malformed url", []string{"run", "app-restricted", "--url", "::nope"}, `--url "::nope" is not a valid URL`},
		{"run ftp url", []string{"run", "app-restricted", "--url", "ftp://example.org/x"}, "not an http(s) URL"},
		{"run relative redirect uri", []string{"run", "cis2-separate", "--redirect-uri", "callback"}, `--redirect-uri "callback" is not an absolute URL`},
		{"mock keys and jwks-url", []string{"mock", "--keys", "k", "--jwks-url", "https://example.org/jwks.json"}, "exclude each other"},
		{"mock remote", []string{"mock", "--addr", "0.0.0.0:0"}, "not loopback"},
		{"mock every interface", []string{"mock", "--addr", ":8400"}, "every interface"},
		{"mock bad addr", []string{"mock", "--addr", "8400"}, "is not HOST:PORT"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, tt.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d\n%v", r.code, exitUsage, r)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tt.want)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("a usage error should be one line, got %q", r.stderr)
			}
			if !strings.Contains(r.stderr, "--help") {
				t.Errorf("stderr %q does not point at --help", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("usage errors wrote files: %v", entries)
	}
}

// TestInterspersedFlags: flags and positional arguments mix in any order,
// "--" ends the flags, and "-name" is read as "--name" as Go's flag
// package read it before cobra.
func TestInterspersedFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantPos []string
		wantEnv string
		reveal  bool
	}{
		{"flags after", []string{"cis2-separate", "--env", "int"}, []string{"cis2-separate"}, "int", false},
		{"flags before", []string{"-env=int", "--reveal", "cis2-separate"}, []string{"cis2-separate"}, "int", true},
		{"mixed", []string{"a", "--reveal", "b", "--env", "dev", "c"}, []string{"a", "b", "c"}, "dev", true},
		{"double dash ends flags", []string{"a", "--", "--reveal", "-x"}, []string{"a", "--reveal", "-x"}, "local", false},
		{"none", nil, nil, "local", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			env := fs.String("env", "local", "")
			reveal := fs.Bool("reveal", false, "")
			if err := fs.Parse(longDashes(fs, tt.args)); err != nil {
				t.Fatal(err)
			}
			if pos := fs.Args(); !reflect.DeepEqual(pos, tt.wantPos) && (len(pos) != 0 || len(tt.wantPos) != 0) {
				t.Errorf("positionals = %q, want %q", pos, tt.wantPos)
			}
			if *env != tt.wantEnv || *reveal != tt.reveal {
				t.Errorf("env, reveal = %q, %v; want %q, %v", *env, *reveal, tt.wantEnv, tt.reveal)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    http.Header
		wantErr string
	}{
		{"trimmed", []string{"  X-Correlation-ID :  abc  "}, http.Header{"X-Correlation-Id": {"abc"}}, ""},
		{"first colon splits", []string{"X-Url: https://example.org:443/x"}, http.Header{"X-Url": {"https://example.org:443/x"}}, ""},
		{"repeated", []string{"A: 1", "A: 2"}, http.Header{"A": {"1", "2"}}, ""},
		{"empty value", []string{"X-Empty:"}, http.Header{"X-Empty": {""}}, ""},
		{"no colon", []string{"A: 1", "Broken"}, nil, `"Broken" has no colon`},
		{"space in name", []string{"Bad Name: v"}, nil, "no valid header name"},
		{"Content-Length", []string{"content-length: 5"}, nil, "Content-Length is computed from the request body"},
		{"Transfer-Encoding", []string{"Transfer-Encoding: chunked"}, nil, "cannot be set"},
		{"Host kept for the request", []string{"Host: api.example"}, http.Header{"Host": {"api.example"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseHeaders(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNoArgsPrintsUsageWhenNotATerminal(t *testing.T) {
	r := nhsauth(t, nil, nil)
	if r.code != exitOK || !strings.Contains(r.stdout, "generate-keys") || !strings.Contains(r.stdout, "Examples:") {
		t.Errorf("%v", r)
	}
}

func TestKeysDirFor(t *testing.T) {
	if got := keysDirFor(filepath.Join("keys", "int-1.pem")); got != "keys" {
		t.Errorf("keysDirFor = %q", got)
	}
	if got := keysDirFor(""); got != ".auth" {
		t.Errorf("keysDirFor(\"\") = %q", got)
	}
}

// TestPlainTransportErrorNamesTheURL: a failed request whose URL has no
// host still says which URL failed, not "the request to  failed".
func TestPlainTransportErrorNamesTheURL(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "::nope", Err: errors.New("unsupported protocol scheme")}
	got := plainTransportError(err, time.Second)
	if !strings.Contains(got, `"::nope"`) || strings.Contains(got, "to  failed") {
		t.Errorf("plainTransportError = %q", got)
	}
	err = &url.Error{Op: "Get", URL: "http://example.test/x", Err: errors.New("boom")}
	if got := plainTransportError(err, time.Second); got != "the request to example.test failed: boom" {
		t.Errorf("plainTransportError = %q", got)
	}
}

// TestUntrustedCertificateNamesSSLCertFile: a certificate the system does
// not trust says where the trust comes from, so a proxy's CA can be added.
func TestUntrustedCertificateNamesSSLCertFile(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://int.api.service.nhs.uk/oauth2/token", Err: x509.UnknownAuthorityError{}}
	if got := plainTransportError(err, time.Second); !strings.Contains(got, "not trusted") || !strings.Contains(got, "SSL_CERT_FILE") {
		t.Errorf("plainTransportError = %q", got)
	}
}
