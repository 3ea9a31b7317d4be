package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

var tokenShape = regexp.MustCompile(`^[A-Za-z0-9]{28}\n$`)

// TestSeedFlowLocal is the seed's journey in a fresh folder with nothing
// running: generate-keys, then get-token and call-api on the private local
// platform each command starts.
func TestSeedFlowLocal(t *testing.T) {
	inTempDir(t)
	if r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048"); r.code != exitOK {
		t.Fatalf("generate-keys: %v", r)
	}

	r := nhsauth(t, nil, nil, "get-token", "--env", "local", "--private-key", ".auth/local-1.pem")
	if r.code != exitOK {
		t.Fatalf("get-token: %v", r)
	}
	if !tokenShape.MatchString(r.stdout) {
		t.Errorf("stdout %q is not a 28-character token alone", r.stdout)
	}
	if !strings.Contains(r.stderr, "✓ Access token obtained (expires in 599 seconds)") || !strings.Contains(r.stderr, "Expires: ") {
		t.Errorf("stderr lacks the expiry: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "Using KID: local-1") {
		t.Errorf("stderr does not say which kid: %q", r.stderr)
	}

	r = nhsauth(t, nil, nil, "get-token", "--env", "local", "--private-key", ".auth/local-1.pem", "--json")
	if r.code != exitOK {
		t.Fatalf("get-token --json: %v", r)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &body); err != nil {
		t.Fatalf("--json stdout is not JSON: %q", r.stdout)
	}
	if body["expires_in"] != "599" || body["token_type"] != "Bearer" || len(body["access_token"].(string)) != 28 {
		t.Errorf("--json body = %v", body)
	}

	r = nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", ".auth/local-1.pem", "--url", "/hello-world/hello/application")
	if r.code != exitOK {
		t.Fatalf("call-api: %v", r)
	}
	if !strings.Contains(r.stdout, "Hello Application!") {
		t.Errorf("call-api output lacks the API's answer:\n%s", r.stdout)
	}
	bearer := regexp.MustCompile(`(?m)^Authorization: Bearer (\S+)$`).FindStringSubmatch(r.stdout)
	if bearer == nil {
		t.Fatalf("call-api output shows no Authorization header:\n%s", r.stdout)
	}
	if !strings.HasSuffix(bearer[1], "…") || len([]rune(bearer[1])) > 5 {
		t.Errorf("bearer token not masked: %q", bearer[1])
	}
	if !strings.Contains(r.stdout, "X-Request-Id:") && !strings.Contains(r.stdout, "X-Request-ID:") {
		t.Errorf("no X-Request-ID sent:\n%s", r.stdout)
	}

	r = nhsauth(t, nil, nil, "call-api", "--env", "local", "--private-key", ".auth/local-1.pem", "--url", "/hello-world/hello/application", "--json")
	if r.code != exitOK {
		t.Fatalf("call-api --json: %v", r)
	}
	var doc struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    struct {
			Message string `json:"message"`
		} `json:"body"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("call-api --json: %v\n%s", err, r.stdout)
	}
	if doc.Status != 200 || doc.Body.Message != "Hello Application!" || len(doc.Headers) == 0 {
		t.Errorf("call-api --json = %+v", doc)
	}
}

// TestGetTokenBadKeys: each unusable key file gets one plain sentence and
// exit 1, before anything is sent.
func TestGetTokenBadKeys(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	writePEM := func(name, typ string, headers map[string]string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Headers: headers, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other, err := keystore.Generate(2048)
	if err != nil {
		t.Fatal(err)
	}
	// A key whose JWKS beside it holds another public key.
	mismatch := filepath.Join(dir, "mismatch")
	writeTestKey(t, mismatch, "m-1")
	os.WriteFile(filepath.Join(mismatch, "m-1.pem"), keystore.EncodePrivatePEM(other), 0o600)

	if err := os.Mkdir(filepath.Join(dir, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}

	keyMaterial := strings.Split(string(keystore.EncodePrivatePEM(testKey())), "\n")[1]
	const unusable = "nhsauth get-token: cannot use the private key: "
	tests := []struct {
		name string
		key  string
		args []string
		want string
	}{
		{"missing file", filepath.Join(dir, "nope.pem"), nil, "no such file"},
		{"a folder", filepath.Join(dir, "keys"), nil, "is a folder, not a key file"},
		{"public key", files.Public, nil, unusable + files.Public + ": this is a public key"},
		{"EC key", writePEM("ec.pem", "EC PRIVATE KEY", nil, ecDER), nil, unusable},
		{"encrypted PKCS#8", writePEM("enc8.pem", "ENCRYPTED PRIVATE KEY", nil, []byte{1, 2, 3}), nil, "encrypted"},
		{"encrypted PKCS#1", writePEM("enc1.pem", "RSA PRIVATE KEY", map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00000000000000000000000000000000"}, []byte{1, 2, 3}), nil, "encrypted"},
		{"not PEM", files.JWKS, nil, "no PEM block"},
		{"JWKS holds another key", filepath.Join(mismatch, "m-1.pem"), nil, "do not match"},
		// The JWKS beside the key is named after the file (local-1.json),
		// not after --kid: the mismatch is caught before anything is sent.
		{"kid not in the JWKS beside the key", files.Private, []string{"--kid", "other-9"}, unusable + files.JWKS + `, the JWKS beside the key, has no key with kid "other-9"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"get-token", "--env", "local", "--private-key", tt.key}, tt.args...)
			r := nhsauth(t, nil, nil, args...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want 1\n%v", r.code, r)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, keyMaterial) || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("stderr leaks a key or a stack: %q", r.stderr)
			}
			if strings.Contains(r.stderr, ": key: ") || strings.Contains(r.stderr, "check key:") {
				t.Errorf("stderr shows an internal step label: %q", r.stderr)
			}
			if strings.Contains(r.stderr, "Response (HTTP") {
				t.Errorf("a doomed request was sent: %q", r.stderr)
			}
		})
	}
}

// TestGetTokenPlatformFailures: replies that are not a token each get a
// clear sentence and exit 1, without a panic.
func TestGetTokenPlatformFailures(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	tests := []struct {
		name    string
		handler http.HandlerFunc
		args    []string
		want    []string
		notWant []string
	}{
		{"HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html><html><head><title>Sign in to Wi-Fi</title></head><body>hi</body></html>"))
		}, nil, []string{"HTML"}, nil},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"abc`))
		}, nil, []string{"JSON"}, nil},
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("upstream exploded"))
		}, nil, []string{"HTTP 500"}, nil},
		{"OAuth error", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"invalid_request","error_description":"Missing or invalid 'aud' claim in client_assertion JWT","message_id":"rrt-1"}`))
		}, nil, []string{"Missing or invalid 'aud' claim", "Response (HTTP 401)", "rrt-1"}, nil},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so the server notices the client hang up
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, []string{"--timeout", "200ms"}, []string{"200ms"}, nil},
		// A 5xx with an OAuth-shaped body is the server failing, not a
		// refusal of the input.
		{"gateway error as JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(`{"error":"upstream_unavailable","message_id":"rrt-9"}`))
		}, nil, []string{"the server failed: upstream_unavailable", "HTTP 502", "Retry"}, []string{"platform refused", "Fix that input"}},
		// A huge page is quoted, not dumped.
		{"huge HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>" + strings.Repeat("<p>portal</p>", 20000) + "</body></html>"))
		}, nil, []string{"HTML", "more bytes not shown"}, nil},
		// The body stops arriving: the message says so, and net/http's
		// "RoundTripper returned a response & error" log line stays out.
		// The limit leaves the headers ample time even on a loaded -race
		// run; only the body may run into it.
		{"body cut by the time limit", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			io.Copy(io.Discard, r.Body)
			w.Write([]byte(`{"access_token":`))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, []string{"--timeout", "2s"}, []string{"stopped arriving", "--timeout"}, nil},
	}
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := fakePlatform(t, tt.handler)
			args := append([]string{"get-token", "--env", "local", "--private-key", files.Private}, tt.args...)
			r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": ts.URL}, nil, args...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want 1\n%v", r.code, r)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "Using KID: local-1\nnhsauth get-token: no access token: ") {
				t.Errorf("stderr does not start with the failure sentence: %q", r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
			if !strings.Contains(r.stderr, "fix:") {
				t.Errorf("stderr gives no fix: %q", r.stderr)
			}
			for _, nw := range tt.notWant {
				if strings.Contains(r.stderr, nw) {
					t.Errorf("stderr %q says %q", r.stderr, nw)
				}
			}
			if len(r.stderr) > 4000 {
				t.Errorf("stderr is %d bytes: the reply should be quoted, not dumped", len(r.stderr))
			}
		})
	}
	if logged.Len() > 0 {
		t.Errorf("something wrote to the log (the process's stderr): %q", logged.String())
	}
}

func TestGetTokenLocalURLUnreachable(t *testing.T) {
	dir := inTempDir(t)
	files := writeTestKey(t, dir, "local-1")
	addr := closedPort(t)
	r := nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": "http://" + addr}, nil, "get-token", "--env", "local", "--private-key", files.Private)
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "NHSAUTH_LOCAL_URL=http://"+addr+" does not answer") || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "start 'nhsauth mock --addr "+addr+"' or unset NHSAUTH_LOCAL_URL") {
		t.Errorf("stderr does not say how to start the platform there: %q", r.stderr)
	}

	// Something that is not nhsauth.
	ts := fakePlatform(t, nil)
	r = nhsauth(t, map[string]string{"NHSAUTH_LOCAL_URL": ts.URL + "/elsewhere"}, nil, "get-token", "--env", "local", "--private-key", files.Private)
	if r.code != exitFail || !strings.Contains(r.stderr, "HTTP 404") {
		t.Errorf("a non-platform NHSAUTH_LOCAL_URL: %v", r)
	}
}

// TestKidBesideKey: a --kid that differs from the key file's name is
// checked against the JWKS generate-keys wrote beside the key, and against
// every JWKS in the folder, as the local platform reads them.
func TestKidBesideKey(t *testing.T) {
	dir := t.TempDir()
	files := writeTestKey(t, dir, "int-1")
	if err := kidBesideKey(files.Private, "int-1"); err != nil {
		t.Errorf("the file's own kid: %v", err)
	}
	if err := kidBesideKey(files.Private, ""); err != nil {
		t.Errorf("no --kid: %v", err)
	}
	err := kidBesideKey(files.Private, "int-2")
	if err == nil || !strings.Contains(err.Error(), `has no key with kid "int-2"`) {
		t.Fatalf("unknown kid: err = %v", err)
	}
	if h := steps.HintsOf(err); len(h) == 0 || !strings.Contains(h[0].Fix, "--kid int-1") {
		t.Errorf("hint = %+v, want the kid to pass instead", h)
	}
	// Another JWKS in the folder holds it: not this check's business.
	set := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&testKey().PublicKey, "int-2")}}
	if err := os.WriteFile(filepath.Join(dir, "rotation.json"), set.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := kidBesideKey(files.Private, "int-2"); err != nil {
		t.Errorf("kid published in another JWKS: %v", err)
	}
	// No JWKS of the key's own: nothing to compare with.
	lone := filepath.Join(t.TempDir(), "k.pem")
	if err := os.WriteFile(lone, keystore.EncodePrivatePEM(testKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := kidBesideKey(lone, "whatever"); err != nil {
		t.Errorf("key without a JWKS: %v", err)
	}
}

// TestDamagedKeyPlainMessage: a --private-key whose PEM block holds garbage
// DER is named with a plain reason and the fix, never Go's asn1 structure
// error.
func TestDamagedKeyPlainMessage(t *testing.T) {
	dir := inTempDir(t)
	path := filepath.Join(dir, "int-1.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte("garbage, not DER")}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"get-token", "--env", "int", "--api-key", "k", "--private-key", path},
		{"run", "app-restricted", "--env", "int", "--api-key", "k", "--private-key", path},
	} {
		r := nhsauth(t, nil, nil, args...)
		if r.code == exitOK {
			t.Fatalf("%s: %v", args[0], r)
		}
		out := r.stdout + r.stderr
		if strings.Contains(out, "asn1") || strings.Contains(out, "tags don't match") {
			t.Errorf("%s: shows Go's asn1 error: %q", args[0], out)
		}
		for _, want := range []string{path, "not a valid key", "nhsauth generate-keys"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q: %q", args[0], want, out)
			}
		}
	}
}
