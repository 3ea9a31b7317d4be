package main

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestGenerateKeysWritesThreeFiles(t *testing.T) {
	inTempDir(t)
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "Generating a 2048-bit RSA key") {
		t.Errorf("stderr %q does not announce the generation", r.stderr)
	}
	dir := filepath.Join(".auth")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("folder mode %04o, want 0700", got)
	}
	for _, f := range []struct {
		name string
		mode os.FileMode
	}{{"local-1.pem", 0o600}, {"local-1.pem.pub", 0o644}, {"local-1.json", 0o644}} {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != f.mode {
			t.Errorf("%s mode %04o, want %04o", f.name, fi.Mode().Perm(), f.mode)
		}
		if !strings.Contains(r.stdout, filepath.Join(dir, f.name)) {
			t.Errorf("stdout does not list %s", f.name)
		}
	}
	if !strings.Contains(r.stdout, "0600") || !strings.Contains(r.stdout, "0644") {
		t.Errorf("stdout does not show the modes:\n%s", r.stdout)
	}

	privPEM, _ := os.ReadFile(filepath.Join(dir, "local-1.pem"))
	block, _ := pem.Decode(privPEM)
	if block == nil || block.Type != "RSA PRIVATE KEY" || !bytes.HasPrefix(privPEM, []byte("-----BEGIN RSA PRIVATE KEY-----\n")) {
		t.Fatalf("private key is not PKCS#1 PEM: %.40q", privPEM)
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if priv.N.BitLen() != 2048 {
		t.Errorf("key has %d bits, want 2048", priv.N.BitLen())
	}
	if strings.Contains(r.stdout+r.stderr, "PRIVATE KEY") {
		t.Error("the private key was printed")
	}
	pubPEM, _ := os.ReadFile(filepath.Join(dir, "local-1.pem.pub"))
	pb, _ := pem.Decode(pubPEM)
	if pb == nil || pb.Type != "PUBLIC KEY" {
		t.Fatalf("public key is not SPKI PEM: %.40q", pubPEM)
	}
	pub, err := x509.ParsePKIXPublicKey(pb.Bytes)
	if err != nil || !pub.(*rsa.PublicKey).Equal(&priv.PublicKey) {
		t.Errorf("public key does not match the private key (%v)", err)
	}

	raw, _ := os.ReadFile(filepath.Join(dir, "local-1.json"))
	if !bytes.HasPrefix(raw, []byte("{\n  \"keys\": [\n    {\n      \"kty\": \"RSA\"")) {
		t.Errorf("JWKS is not written with a 2-space indent:\n%s", raw)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("JWKS %s: %v", raw, err)
	}
	k := doc.Keys[0]
	for field, want := range map[string]string{"kty": "RSA", "alg": "RS512", "kid": "local-1", "use": "sig", "e": "AQAB"} {
		if k[field] != want {
			t.Errorf("JWKS %s = %q, want %q", field, k[field], want)
		}
	}
	if strings.ContainsAny(k["n"], "=+/") {
		t.Errorf("n is not base64url without padding: %q", k["n"])
	}
	// A third-party parser reads back the same public key.
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("go-jose cannot read the JWKS: %v", err)
	}
	if got, ok := set.Keys[0].Key.(*rsa.PublicKey); !ok || !got.Equal(&priv.PublicKey) {
		t.Error("the JWKS holds another public key")
	}

	if !strings.Contains(r.stdout, "NEXT STEPS (local)") || !strings.Contains(r.stdout, "Already published") ||
		!strings.Contains(r.stdout, "nhsauth get-token --env local --private-key "+filepath.Join(dir, "local-1.pem")) {
		t.Errorf("next steps for local missing:\n%s", r.stdout)
	}
}

func TestGenerateKeysNeverOverwritesWithoutForce(t *testing.T) {
	inTempDir(t)
	if r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048"); r.code != exitOK {
		t.Fatalf("%v", r)
	}
	names := []string{".auth/local-1.pem", ".auth/local-1.pem.pub", ".auth/local-1.json"}
	before := map[string][]byte{}
	for _, n := range names {
		before[n], _ = os.ReadFile(n)
	}

	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048")
	if r.code != exitFail {
		t.Fatalf("second run: %v", r)
	}
	if !strings.Contains(r.stderr, filepath.Join(".auth", "local-1.pem")) || !strings.Contains(r.stderr, "--force") {
		t.Errorf("refusal %q does not name the file and --force", r.stderr)
	}
	if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("refusal should be one sentence, got %q", r.stderr)
	}
	for _, n := range names {
		if got, _ := os.ReadFile(n); !bytes.Equal(got, before[n]) {
			t.Errorf("%s changed without --force", n)
		}
	}

	// Only the JWKS is missing: still nothing written, since the key exists.
	os.Remove(".auth/local-1.json")
	if r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048"); r.code != exitFail {
		t.Fatalf("partial set: %v", r)
	}
	if _, err := os.Stat(".auth/local-1.json"); err == nil {
		t.Error("a refused run wrote the JWKS")
	}

	r = nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--force")
	if r.code != exitOK {
		t.Fatalf("--force: %v", r)
	}
	for _, n := range names {
		got, err := os.ReadFile(n)
		if err != nil {
			t.Fatalf("--force did not write %s", n)
		}
		if bytes.Equal(got, before[n]) {
			t.Errorf("--force left %s as it was", n)
		}
	}
}

func TestGenerateKeysOptions(t *testing.T) {
	dir := inTempDir(t)
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "int", "--api-key", "my-app-key", "--kid", "test-7", "--output-dir", "keys/nested", "--bits", "2048")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	for _, n := range []string{"test-7.pem", "test-7.pem.pub", "test-7.json"} {
		if _, err := os.Stat(filepath.Join(dir, "keys", "nested", n)); err != nil {
			t.Errorf("missing %s: %v", n, err)
		}
	}
	for _, want := range []string{"NEXT STEPS (int)", "developer portal", "public HTTPS URL", "1 hour", "--api-key my-app-key", "secret"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("next steps for int lack %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Already published") {
		t.Error("int next steps claim the key is published")
	}
}

func TestGenerateKeysWarnsInsideGitWorkTree(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	dir := inTempDir(t)
	if out, err := exec.Command(git, "init", "-q", dir).CombinedOutput(); err != nil {
		t.Skipf("git init: %v %s", err, out)
	}
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "warning:") || !strings.Contains(r.stderr, ".gitignore") {
		t.Errorf("no warning about an unignored key folder: %q", r.stderr)
	}

	if err := os.WriteFile(".gitignore", []byte("secrets/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--output-dir", "secrets")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if strings.Contains(r.stderr, "warning:") {
		t.Errorf("warned although the folder is ignored: %q", r.stderr)
	}
}

// TestGenerateKeysUnusableOutputDir: an --output-dir that is a file, lies
// under a file or cannot be written is reported in one sentence before any
// key is made, and nothing is written.
func TestGenerateKeysUnusableOutputDir(t *testing.T) {
	dir := inTempDir(t)
	if err := os.WriteFile("afile", []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, outDir, want string
	}{
		{"a file", "afile", "--output-dir afile is a file, not a folder"},
		{"under a file", filepath.Join("afile", "keys"), "is inside a file, not a folder"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "readonly")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		tests = append(tests,
			struct{ name, outDir, want string }{"read-only folder", ro, "cannot write to the folder " + ro},
			struct{ name, outDir, want string }{"under a read-only folder", filepath.Join(ro, "keys"), "cannot create the folder"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--output-dir", tt.outDir)
			if r.code != exitFail {
				t.Fatalf("exit %d, want 1\n%v", r.code, r)
			}
			if !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "--output-dir") {
				t.Errorf("stderr %q does not say %q and how to fix it", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, "Generating") {
				t.Errorf("a key was made before the folder was checked: %q", r.stderr)
			}
			if strings.Contains(r.stderr, ".local-1.pem.") || strings.Contains(r.stderr, "lstat ") {
				t.Errorf("stderr shows internal file operations: %q", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
	if b, err := os.ReadFile("afile"); err != nil || string(b) != "not a folder" {
		t.Errorf("the file given as --output-dir changed: %q, %v", b, err)
	}
}

// TestGenerateKeysLocalOtherFolder: keys for local outside ./.auth are
// published to the commands' own platforms, but a long-running mock reads
// ./.auth: the next steps say how to point it at the folder.
func TestGenerateKeysLocalOtherFolder(t *testing.T) {
	inTempDir(t)
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--output-dir", "keys")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stdout, "Already published") || !strings.Contains(r.stdout, "--keys keys") {
		t.Errorf("next steps do not say how a running mock publishes ./keys:\n%s", r.stdout)
	}
	r = nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if strings.Contains(r.stdout, "--keys") {
		t.Errorf("next steps for ./.auth mention --keys needlessly:\n%s", r.stdout)
	}
}

// TestGenerateKeysForceIsAtomic: --force with a folder where local-1.json
// should go fails naming it, and the old private and public keys are kept.
func TestGenerateKeysForceIsAtomic(t *testing.T) {
	inTempDir(t)
	if r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048"); r.code != exitOK {
		t.Fatalf("%v", r)
	}
	before := map[string][]byte{}
	for _, n := range []string{".auth/local-1.pem", ".auth/local-1.pem.pub"} {
		before[n], _ = os.ReadFile(n)
	}
	os.Remove(".auth/local-1.json")
	if err := os.Mkdir(".auth/local-1.json", 0o700); err != nil {
		t.Fatal(err)
	}
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--force")
	if r.code != exitFail {
		t.Fatalf("exit %d, want 1\n%v", r.code, r)
	}
	if !strings.Contains(r.stderr, filepath.Join(".auth", "local-1.json")) || !strings.Contains(r.stderr, "nothing was replaced") {
		t.Errorf("stderr does not name the folder in the way: %q", r.stderr)
	}
	for n, want := range before {
		if got, _ := os.ReadFile(n); !bytes.Equal(got, want) {
			t.Errorf("%s was replaced by a --force that failed", n)
		}
	}
}

// TestGenerateKeysWarnsLooseFolder: a key folder others can write to is
// kept as it is, with a warning saying how to tighten it.
func TestGenerateKeysWarnsLooseFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	inTempDir(t)
	if err := os.Mkdir("keys", 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod("keys", 0o777) // past the umask
	r := nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--output-dir", "keys")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "warning: keys is writable by others (mode 0777)") || !strings.Contains(r.stderr, "chmod 700 keys") {
		t.Errorf("no warning for a 0777 key folder: %q", r.stderr)
	}
	if fi, _ := os.Stat("keys"); fi.Mode().Perm() != 0o777 {
		t.Errorf("the folder's mode was changed to %04o; the warning says it is kept", fi.Mode().Perm())
	}
	r = nhsauth(t, nil, nil, "generate-keys", "--env", "local", "--bits", "2048", "--output-dir", "tight")
	if strings.Contains(r.stderr, "writable by others") {
		t.Errorf("a 0700 folder is warned about: %q", r.stderr)
	}
}
