package flows_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// arLocal starts a local platform reading its keys from a fresh folder and
// returns a journey for it whose keys go to that folder (2048-bit keys:
// fast under -race).
func arLocal(t *testing.T, opts mock.Options) (*flows.Journey, string) {
	t.Helper()
	dir := t.TempDir()
	if opts.KeysDir == "" && opts.JWKSURL == "" {
		opts.KeysDir = dir
	}
	ts := httptest.NewServer(mock.New(opts))
	t.Cleanup(ts.Close)
	j := flows.NewJourney(flows.Local(ts.URL), ts.Client())
	j.KeyDir, j.KeyBits = dir, 2048
	return j, dir
}

func arTitles(r *flows.Runner) []string {
	var out []string
	for i := 0; i < r.Len(); i++ {
		for _, ex := range r.Result(i).Outcome.Exchanges {
			out = append(out, ex.Title)
		}
	}
	return out
}

// arHints joins an outcome's hints for substring checks.
func arHints(o flows.Outcome) string {
	var b strings.Builder
	for _, h := range o.Hints {
		b.WriteString(h.Cause + " | " + h.Fix + "\n")
	}
	return b.String()
}

func TestAppRestrictedLocal(t *testing.T) {
	j, dir := arLocal(t, mock.Options{})
	f := flows.AppRestricted()
	r := flows.NewRunner(f, j)
	if err := r.RunAll(context.Background(), nil); err != nil {
		for i := 0; i < r.Len(); i++ {
			o := r.Result(i).Outcome
			t.Logf("step %s: %s %v %s", f.Steps[i].ID, o.Summary, o.Err, arHints(o))
		}
		t.Fatalf("RunAll: %v", err)
	}
	want := []string{"Private key", "JWKS", "Local platform info", "Client assertion", "Token request", "API call"}
	if got := arTitles(r); !reflect.DeepEqual(got, want) {
		t.Errorf("exchanges = %q, want %q", got, want)
	}
	if j.API.Status != 200 || !strings.Contains(string(j.API.Body), "Hello Application!") {
		t.Errorf("API = %d %s, want Hello Application!", j.API.Status, j.API.Body)
	}
	if got := r.Result(4).Outcome.Summary; got != "200 OK: Hello Application!" {
		t.Errorf("API summary = %q", got)
	}
	if got := r.Result(3).Outcome.Summary; got != "Access token issued, expires in 599 s" {
		t.Errorf("token summary = %q", got)
	}
	if j.KID != "local-1" || j.KeyPath != filepath.Join(dir, "local-1.pem") || j.Key == nil {
		t.Errorf("journey key = %q %q %v", j.KID, j.KeyPath, j.Key != nil)
	}
	for _, name := range []string{"local-1.pem", "local-1.pem.pub", "local-1.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the key pair was not created: %v", err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "local-1.pem")); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode = %v, want 0600", fi.Mode().Perm())
	}

	// Every secret the journey learned is masked in every exchange.
	for i := 0; i < r.Len(); i++ {
		for _, ex := range r.Result(i).Outcome.Exchanges {
			var b strings.Builder
			b.WriteString(transcript.ExchangeText(transcript.Present(ex, j.Redact)))
			for _, secret := range []string{j.Token.AccessToken, j.Assertion} {
				if strings.Contains(b.String(), secret) {
					t.Errorf("%s shows a secret:\n%s", ex.Title, b.String())
				}
			}
			if strings.Contains(b.String(), "PRIVATE KEY") {
				t.Errorf("%s shows the private key", ex.Title)
			}
		}
	}
	if r.Result(2).Outcome.JWT != j.Assertion || j.Assertion == "" {
		t.Error("the assertion step does not hand its JWT to the Token tab")
	}

	// Re-running the token step signs a fresh assertion: the platform
	// would refuse the spent jti (§2.7).
	o, err := r.RunStep(context.Background(), 3)
	if err != nil || o.Failed() {
		t.Fatalf("re-run token step: %v %v %s", err, o.Err, arHints(o))
	}
	if got := []string{o.Exchanges[0].Title, o.Exchanges[1].Title}; !reflect.DeepEqual(got, []string{"Client assertion", "Token request"}) {
		t.Errorf("re-run exchanges = %q", got)
	}
	if r.Result(4).Status != flows.StatusStale {
		t.Errorf("API step status = %v, want stale after the token step re-ran", r.Result(4).Status)
	}
}

func TestAppRestrictedFailures(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(j *flows.Journey)
		failStep string
		wantHint string
	}{
		{
			name:     "unknown API key",
			edit:     func(j *flows.Journey) { j.APIKey = "not-the-local-key" },
			failStep: "token", wantHint: "does not know this API key",
		},
		{
			name:     "clock ahead",
			edit:     func(j *flows.Journey) { j.Now = func() time.Time { return time.Now().Add(10 * time.Minute) } },
			failStep: "token", wantHint: "ahead of the server's",
		},
		{
			name:     "clock behind",
			edit:     func(j *flows.Journey) { j.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) } },
			failStep: "token", wantHint: "behind the server's",
		},
		{
			name:     "user-restricted endpoint",
			edit:     func(j *flows.Journey) { j.APIURL = "/hello-world/hello/user" },
			failStep: "api", wantHint: "pattern or level",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := arLocal(t, mock.Options{})
			tt.edit(j)
			f := flows.AppRestricted()
			r := flows.NewRunner(f, j)
			err := r.RunAll(context.Background(), nil)
			if err == nil {
				t.Fatal("the flow succeeded")
			}
			i := r.Next()
			if f.Steps[i].ID != tt.failStep || r.Result(i).Status != flows.StatusFailed {
				t.Fatalf("failed at %s (%v), want %s", f.Steps[i].ID, r.Result(i).Status, tt.failStep)
			}
			o := r.Result(i).Outcome
			if !strings.Contains(arHints(o), tt.wantHint) {
				t.Errorf("hints = %q, want %q", arHints(o), tt.wantHint)
			}
			if len(o.Exchanges) == 0 || o.Exchanges[len(o.Exchanges)-1].Status == 0 {
				t.Errorf("the failed step lost its exchanges: %+v", o.Exchanges)
			}
		})
	}
}

// TestAppRestrictedSkewHintInError checks that the clock-skew hint of a
// refused token request travels in the step's error too, where the command
// line reads its hints (steps.HintsOf), first, as the wizard shows it.
// Before the one skew rule, only the outcome carried it.
func TestAppRestrictedSkewHintInError(t *testing.T) {
	j, _ := arLocal(t, mock.Options{})
	j.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	r := flows.NewRunner(flows.AppRestricted(), j)
	if err := r.RunAll(context.Background(), nil); err == nil {
		t.Fatal("the flow succeeded with the clock 10 minutes ahead")
	}
	o := r.Result(r.Next()).Outcome
	hints := steps.HintsOf(o.Err)
	if len(hints) == 0 || !strings.Contains(hints[0].Cause, "ahead of the server's") || hints[0] != o.Hints[0] {
		t.Errorf("error hints %+v, outcome hints %+v: want the skew hint first in both", hints, o.Hints)
	}
}

var (
	arKeyOnce sync.Once
	arKey     *rsa.PrivateKey
)

func arSharedKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	arKeyOnce.Do(func() {
		var err error
		if arKey, err = keystore.Generate(2048); err != nil {
			panic(err)
		}
	})
	return arKey
}

func TestReadyKey(t *testing.T) {
	key := arSharedKey(t)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalECPrivateKey(ecKey)
	pub, _ := keystore.EncodePublicPEM(&key.PublicKey)
	write := func(dir, name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	intEnv, _ := flows.LookupEnv("int")
	tests := []struct {
		name     string
		env      flows.Env
		setup    func(j *flows.Journey, dir string)
		wantErr  string
		wantHint string
		wantKID  string
	}{
		{name: "missing on int", env: intEnv, wantErr: "does not exist", wantHint: "nhsauth generate-keys --env int"},
		{name: "existing key, kid from the file name", env: intEnv, wantKID: "int-7", setup: func(j *flows.Journey, dir string) {
			keystore.Write(dir, "int-7", key, false)
			j.KeyPath = filepath.Join(dir, "int-7.pem")
		}},
		{name: "kid given", env: intEnv, wantKID: "my-kid", setup: func(j *flows.Journey, dir string) {
			write(dir, "k.pem", keystore.EncodePrivatePEM(key))
			j.KeyPath, j.KID = filepath.Join(dir, "k.pem"), "my-kid"
		}},
		{name: "encrypted", env: intEnv, wantErr: "encrypted", wantHint: "openssl rsa -in", setup: func(j *flows.Journey, dir string) {
			write(dir, "int-1.pem", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}}))
		}},
		{name: "public key", env: intEnv, wantErr: "public key", wantHint: "not <kid>.pem.pub", setup: func(j *flows.Journey, dir string) {
			write(dir, "int-1.pem", pub)
		}},
		{name: "EC key", env: intEnv, wantErr: "not an RSA key", wantHint: "RS512", setup: func(j *flows.Journey, dir string) {
			write(dir, "int-1.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}))
		}},
		{name: "damaged DER", env: intEnv, wantErr: "int-1.pem: the PEM block's content is not a valid key", wantHint: "Copy the key again", setup: func(j *flows.Journey, dir string) {
			write(dir, "int-1.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte("garbage")}))
		}},
		{name: "not PEM", env: intEnv, wantErr: "no PEM", wantHint: "BEGIN RSA PRIVATE KEY", setup: func(j *flows.Journey, dir string) {
			write(dir, "int-1.pem", []byte("hello"))
		}},
		{name: "JWKS beside with other kid", env: intEnv, wantErr: "no key with kid", wantHint: "--kid other", setup: func(j *flows.Journey, dir string) {
			keystore.Write(dir, "other", key, false)
			os.Rename(filepath.Join(dir, "other.pem"), filepath.Join(dir, "int-1.pem"))
			os.Rename(filepath.Join(dir, "other.json"), filepath.Join(dir, "int-1.json"))
		}},
		{name: "oversized sparse file", env: intEnv, wantErr: "1 MiB limit", wantHint: "a PEM private key is a few KB", setup: func(j *flows.Journey, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "int-1.pem"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			os.Truncate(filepath.Join(dir, "int-1.pem"), 3<<30)
		}},
		{name: "a device", env: intEnv, wantErr: "not a regular file", wantHint: "the private key file itself", setup: func(j *flows.Journey, dir string) {
			j.KeyPath = os.DevNull
		}},
		{name: "created on local", env: flows.Local("http://127.0.0.1:1"), wantKID: "local-1"},
		{name: "named key missing on local", env: flows.Local("http://127.0.0.1:1"), wantErr: "does not exist", wantHint: "--env local", setup: func(j *flows.Journey, dir string) {
			j.KeyPath = filepath.Join(dir, "mine.pem")
		}},
		{name: "leftover JWKS on local", env: flows.Local("http://127.0.0.1:1"), wantErr: "already exists", wantHint: "--force", setup: func(j *flows.Journey, dir string) {
			write(dir, "local-1.json", []byte(`{"keys":[]}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			j := flows.NewJourney(tt.env, nil)
			j.KeyDir, j.KeyBits = dir, 2048
			if tt.setup != nil {
				tt.setup(j, dir)
			}
			before, _ := os.ReadDir(dir)
			o := flows.ReadyKey(j)
			if tt.wantErr != "" {
				if o.Err == nil || !strings.Contains(o.Err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", o.Err, tt.wantErr)
				}
				if !strings.Contains(arHints(o), tt.wantHint) {
					t.Errorf("hints = %q, want %q", arHints(o), tt.wantHint)
				}
				if j.Key != nil {
					t.Error("a key was set on failure")
				}
				if after, _ := os.ReadDir(dir); len(after) != len(before) {
					t.Errorf("a failure changed the folder: %d files, then %d", len(before), len(after))
				}
				return
			}
			if o.Err != nil {
				t.Fatalf("ReadyKey: %v %s", o.Err, arHints(o))
			}
			if j.Key == nil || j.KID != tt.wantKID {
				t.Errorf("key %v, kid %q; want kid %q", j.Key != nil, j.KID, tt.wantKID)
			}
			if len(o.Exchanges) != 1 || strings.Contains(string(o.Exchanges[0].ReqBody), "PRIVATE") {
				t.Errorf("record = %+v, want the key's public facts only", o.Exchanges)
			}
		})
	}
}

func TestAppRestrictedInputs(t *testing.T) {
	f := flows.AppRestricted()
	j := flows.NewJourney(flows.Local("http://127.0.0.1:1"), nil)
	inputs := map[string]flows.Input{}
	for _, s := range f.Steps {
		if s.What == "" || s.Why == "" || s.Doc == "" {
			t.Errorf("step %s lacks What, Why or Doc", s.ID)
		}
		for _, in := range s.Inputs {
			inputs[in.Key] = in
		}
	}
	for _, k := range []string{"private-key", "kid", "api-key", "url"} {
		if _, ok := inputs[k]; !ok {
			t.Fatalf("no %s input", k)
		}
	}
	if got := inputs["private-key"].Get(j); got != filepath.Join(".auth", "local-1.pem") {
		t.Errorf("default key = %q", got)
	}
	if got := inputs["kid"].Get(j); got != "local-1" {
		t.Errorf("default kid = %q", got)
	}
	if err := inputs["private-key"].Set(j, "keys/int-9.pem"); err != nil || inputs["kid"].Get(j) != "int-9" {
		t.Errorf("kid after a new key path = %q (%v), want int-9", inputs["kid"].Get(j), err)
	}
	if got := inputs["url"].Get(j); got != "/hello-world/hello/application" {
		t.Errorf("default url = %q", got)
	}
	if err := inputs["url"].Set(j, "not a url"); err == nil {
		t.Error("a bad URL was accepted")
	}
	if err := inputs["api-key"].Set(j, " "); err == nil {
		t.Error("an empty API key was accepted")
	}
	if inputs["api-key"].Secret {
		t.Error("the API key is marked secret; the brief says it is not")
	}
}

func TestPublishJWKS(t *testing.T) {
	key := arSharedKey(t)
	other, _ := keystore.Generate(2048)
	intEnv, _ := flows.LookupEnv("int")
	tests := []struct {
		name        string
		local       bool
		setup       func(j *flows.Journey, dir string)
		wantErr     string
		wantHint    string
		wantDetail  string
		wantWritten string // a file the step must have written
		wantAbsent  string // a file the step must not have written
	}{
		{
			name: "kid not published", local: true, wantErr: `no JWKS in`, wantHint: "--kid local-1",
			setup: func(j *flows.Journey, dir string) {
				files, _ := keystore.Write(dir, "local-1", key, false)
				j.KeyPath, j.KID = files.Private, "other-9"
			},
			wantAbsent: "other-9.json",
		},
		{
			name: "key without its JWKS", local: true, wantWritten: "mykey.json", wantDetail: "its JWKS was written",
			setup: func(j *flows.Journey, dir string) {
				os.WriteFile(filepath.Join(dir, "mykey.pem"), keystore.EncodePrivatePEM(key), 0o600)
				j.KeyPath = filepath.Join(dir, "mykey.pem")
			},
		},
		{
			name: "kid published with another key", local: true, wantErr: "different public key", wantHint: "do not match",
			setup: func(j *flows.Journey, dir string) {
				os.WriteFile(filepath.Join(dir, "k.pem"), keystore.EncodePrivatePEM(key), 0o600)
				set := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&other.PublicKey, "shared")}}
				os.WriteFile(filepath.Join(dir, "all.json"), set.Marshal(), 0o644)
				j.KeyPath, j.KID = filepath.Join(dir, "k.pem"), "shared"
			},
		},
		{
			name: "API key differs from the platform's", local: true, wantDetail: "Warning: the local platform's app has API key",
			setup: func(j *flows.Journey, dir string) { j.APIKey = "someone-elses-key" },
		},
		{
			name: "int shows what to register", wantDetail: "cannot see what is registered on int", wantAbsent: "int-1.json",
			setup: func(j *flows.Journey, dir string) {
				os.WriteFile(filepath.Join(dir, "int-1.pem"), keystore.EncodePrivatePEM(key), 0o600)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var j *flows.Journey
			var dir string
			if tt.local {
				j, dir = arLocal(t, mock.Options{})
			} else {
				dir = t.TempDir()
				j = flows.NewJourney(intEnv, nil)
				j.KeyDir = dir
			}
			tt.setup(j, dir)
			f := flows.AppRestricted()
			if o := f.Steps[0].Run(context.Background(), j); o.Failed() {
				t.Fatalf("key step: %v %s", o.Err, arHints(o))
			}
			o := f.Steps[1].Run(context.Background(), j)
			if tt.wantErr != "" {
				if o.Err == nil || !strings.Contains(o.Err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", o.Err, tt.wantErr)
				}
				if !strings.Contains(arHints(o), tt.wantHint) {
					t.Errorf("hints = %q, want %q", arHints(o), tt.wantHint)
				}
			} else if o.Err != nil {
				t.Fatalf("jwks step: %v %s", o.Err, arHints(o))
			}
			if tt.wantDetail != "" && !strings.Contains(strings.Join(o.Details, "\n"), tt.wantDetail) {
				t.Errorf("details = %q, want %q", o.Details, tt.wantDetail)
			}
			if len(o.Exchanges) == 0 || o.Exchanges[0].Title != "JWKS" || !strings.Contains(string(o.Exchanges[0].ReqBody), `"kty": "RSA"`) {
				t.Errorf("exchanges = %+v, want the JWKS shown", o.Exchanges)
			}
			if tt.wantWritten != "" && !exists(filepath.Join(dir, tt.wantWritten)) {
				t.Errorf("%s was not written", tt.wantWritten)
			}
			if tt.wantAbsent != "" && exists(filepath.Join(dir, tt.wantAbsent)) {
				t.Errorf("%s was written", tt.wantAbsent)
			}
		})
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
