package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/doctor"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/mock"
)

// doctorPlatform serves a local platform for the folder dir/.auth (which
// plays the clock faults doctor --break asks for), and returns the variables that point nhsauth
// at it.
func doctorPlatform(t *testing.T, dir string) map[string]string {
	t.Helper()
	srv := mock.New(mock.Options{APIKey: flows.LocalAPIKey, APISecret: flows.LocalAPISecret, KeysDir: filepath.Join(dir, ".auth")})
	ts := httptest.NewServer(srv.HTTPServer().Handler)
	t.Cleanup(ts.Close)
	return map[string]string{"NHSAUTH_LOCAL_URL": ts.URL, "NHSAUTH_KEY_BITS": "2048"}
}

// keyedPlatform moves the test into a fresh folder with the local app's
// key in .auth and serves a local platform for it (doctorPlatform).
func keyedPlatform(t *testing.T) map[string]string {
	t.Helper()
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	return doctorPlatform(t, dir)
}

// checkLines are the report's check lines: those starting with a mark.
func checkLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "✓ ") || strings.HasPrefix(l, "✗ ") || strings.HasPrefix(l, "– ") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestDoctorFreshLocal: on a fresh folder the doctor makes the default key
// as run does, and every check passes: only ✓ and – lines, exit 0.
func TestDoctorFreshLocal(t *testing.T) {
	t.Run("running platform", func(t *testing.T) {
		dir := inTempDir(t)
		freshDoctor(t, dir, doctorPlatform(t, dir))
	})
	t.Run("private platform", func(t *testing.T) {
		freshDoctor(t, inTempDir(t), map[string]string{"NHSAUTH_KEY_BITS": "2048"})
	})
}

func freshDoctor(t *testing.T, dir string, vars map[string]string) {
	t.Helper()
	r := nhsauth(t, vars, nil, "doctor", "--env", "local")
	if r.code != exitOK {
		t.Fatalf("doctor on a fresh setup: %v", r)
	}
	lines := checkLines(r.stdout)
	for _, want := range []string{"✓ clock:", "✓ private key:", "✓ key file mode:", "✓ key folder:", "✓ JWKS file:", "✓ token request:", "– proxy:", "– CA certificates:"} {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("no line %q in:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "✗") {
		t.Errorf("a check failed on a fresh setup:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, ".auth", "local-1.pem")); err != nil {
		t.Errorf("the default key was not made: %v", err)
	}
}

// TestDoctorBroken breaks one part of a working setup at a time and
// expects its ✗ line, with a cause and a fix, and exit 1.
func TestDoctorBroken(t *testing.T) {
	closed := closedPort(t)
	for _, tt := range []struct {
		name     string
		breakIt  func(t *testing.T, dir string)
		args     []string
		wantLine string // the start of the ✗ line
		wantText []string
	}{
		{name: "key 0644", breakIt: func(t *testing.T, dir string) { chmod(t, filepath.Join(dir, ".auth", "local-1.pem"), 0o644) },
			wantLine: "✗ key file mode:", wantText: []string{"mode 0644", "fix:   chmod 600"}},
		{name: "JWKS of another key", breakIt: func(t *testing.T, dir string) {
			other, err := keystore.Generate(2048)
			if err != nil {
				t.Fatal(err)
			}
			set := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&other.PublicKey, "local-1")}}
			if err := os.WriteFile(filepath.Join(dir, ".auth", "local-1.json"), set.Marshal(), 0o644); err != nil {
				t.Fatal(err)
			}
		}, wantLine: "✗ JWKS file:", wantText: []string{"modulus differs", "JWT signature verification failed", "fix:   Use the private key that belongs to this JWKS"}},
		{name: "wrong kid", args: []string{"--kid", "other-9"},
			wantLine: "✗ JWKS file:", wantText: []string{`no "other-9"`, "Invalid 'kid' header in client_assertion JWT - no matching public key", "fix:   Pass --kid local-1"}},
		{name: "platform reads another folder", breakIt: func(t *testing.T, dir string) {
			other, err := keystore.Generate(2048)
			if err == nil {
				_, err = keystore.Write(filepath.Join(dir, "other"), "local-1", other, true)
			}
			if err != nil {
				t.Fatal(err)
			}
		},
			args:     []string{"--private-key", filepath.Join("other", "local-1.pem")},
			wantLine: "✗ local platform's keys:", wantText: []string{"reads its keys from", "fix:   Start the platform on this folder (nhsauth mock --keys other)"}},
		{name: "unknown API key", args: []string{"--api-key", "not-a-known-key"},
			wantLine: "✗ token request:", wantText: []string{"Invalid 'iss'/'sub' claims in client_assertion JWT", "fix:"}},
		{name: "clock ahead", args: []string{"--break", "clock-ahead"},
			wantLine: "✗ clock:", wantText: []string{"s behind the platform's", "cause: Your clock is 3", "fix:   Synchronise this machine's clock"}},
		{name: "clock behind", args: []string{"--break", "clock-behind"},
			wantLine: "✗ clock:", wantText: []string{"s ahead of the platform's", "cause: Your clock is 3", "fix:   Synchronise this machine's clock"}},
		{name: "unreachable JWKS URL", args: []string{"--jwks-url", "http://" + closed + "/local-1.json"},
			wantLine: "✗ published JWKS:", wantText: []string{"connection refused", "can't be reached", "fix:   Check the URL"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := inTempDir(t)
			writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
			vars := doctorPlatform(t, dir)
			if tt.breakIt != nil {
				tt.breakIt(t, dir)
			}
			r := nhsauth(t, vars, nil, append([]string{"doctor", "--env", "local"}, tt.args...)...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want 1: %v", r.code, r)
			}
			at := strings.Index(r.stdout, tt.wantLine)
			if at < 0 {
				t.Fatalf("no %q line:\n%s", tt.wantLine, r.stdout)
			}
			block := r.stdout[at:]
			if next := strings.Index(block[1:], "\n✓ "); next >= 0 {
				block = block[:next+1]
			}
			for _, want := range tt.wantText {
				if !strings.Contains(block, want) {
					t.Errorf("the ✗ line lacks %q:\n%s", want, block)
				}
			}
			if !strings.Contains(block, "cause: ") {
				t.Errorf("no cause:\n%s", block)
			}
		})
	}
}

// TestDoctorBreakUsage: --break is for the local platform only, and takes
// fault names.
func TestDoctorBreakUsage(t *testing.T) {
	inTempDir(t)
	for _, args := range [][]string{
		{"doctor", "--env", "int", "--api-key", "K", "--break", "clock-ahead"},
		{"doctor", "--break", "Clock Ahead"},
		{"doctor", "--flow", "cis2-seperate"},
	} {
		r := nhsauth(t, nil, nil, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "nhsauth doctor: ") {
			t.Errorf("%v: %v", args, r)
		}
	}
}

// TestDoctorSendsFaultOnlyToPlatform: the fault header reaches the
// platform and no other host.
func TestDoctorSendsFaultOnlyToPlatform(t *testing.T) {
	vars := keyedPlatform(t)
	var (
		mu        sync.Mutex
		jwksFault []string
	)
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		jwksFault = append(jwksFault, r.Header.Get(doctor.FaultHeader))
		mu.Unlock()
		b, _ := os.ReadFile(filepath.Join(".auth", "local-1.json"))
		w.Header().Set("Cache-Control", "max-age=300")
		_, _ = w.Write(b)
	}))
	defer jwks.Close()
	r := nhsauth(t, vars, nil, "doctor", "--break", "clock-behind", "--jwks-url", jwks.URL+"/local-1.json")
	if !strings.Contains(r.stdout, "✗ clock:") || !strings.Contains(r.stdout, "✓ published JWKS:") || !strings.Contains(r.stdout, "Cache-Control: max-age=300") {
		t.Errorf("%v", r)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(jwksFault) != 1 || jwksFault[0] != "" {
		t.Errorf("the JWKS host got fault headers %q", jwksFault)
	}
}

// TestDoctorUserRestricted: a combined setup checks mock-jwks and the
// registered callback; a callback other than the registered one fails with
// the platform's error.
func TestDoctorUserRestricted(t *testing.T) {
	vars := keyedPlatform(t)
	r := nhsauth(t, vars, nil, "doctor", "--flow", "cis2-combined", "--callback", mock.DefaultCallbackURL)
	if r.code != exitOK || !strings.Contains(r.stdout, "✓ mock-jwks credentials:") || !strings.Contains(r.stdout, "✓ registered callback:") {
		t.Fatalf("%v", r)
	}
	r = nhsauth(t, vars, nil, "doctor", "--flow", "cis2-combined", "--callback", "http://localhost:9/elsewhere")
	if r.code != exitFail || !strings.Contains(r.stdout, "✗ registered callback:") || !strings.Contains(r.stdout, "redirect_uri is invalid") {
		t.Errorf("%v", r)
	}
}

// TestDoctorJSON: --json is one document with a schema, and a check per
// line of the text report.
func TestDoctorJSON(t *testing.T) {
	vars := keyedPlatform(t)
	r := nhsauth(t, vars, nil, "doctor", "--json", "--break", "clock-ahead")
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	var doc struct {
		Schema string         `json:"schema"`
		OK     bool           `json:"ok"`
		Checks []doctor.Check `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if doc.Schema != "nhsauth/doctor@1" || doc.OK || len(doc.Checks) < 6 || doc.Checks[0].Name != "clock" || doc.Checks[0].Status != doctor.Fail || doc.Checks[0].Fix == "" {
		t.Errorf("document %+v", doc)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestDoctorFaultHeaderIsThePlatforms: doctor names the header the local
// platform reads, so doctor --break reaches it.
func TestDoctorFaultHeaderIsThePlatforms(t *testing.T) {
	if doctor.FaultHeader != mock.FaultHeader {
		t.Fatalf("doctor sends %q, the local platform reads %q", doctor.FaultHeader, mock.FaultHeader)
	}
}
