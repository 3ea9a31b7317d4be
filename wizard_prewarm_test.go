package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
)

// TestLocalKeyAhead: the wizard makes a key ahead only when the first step
// on local would make one: local (or not chosen yet), no --private-key, and
// no default key yet; at the size that step would use.
func TestLocalKeyAhead(t *testing.T) {
	t.Chdir(t.TempDir())
	vars := map[string]string{}
	env := &cliEnv{getenv: func(k string) string { return vars[k] }}
	_, o := wizardFlags()

	for _, envName := range []string{"", "local"} {
		if bits, ok := localKeyAhead(env, o, envName); !ok || bits != keystore.DefaultBits {
			t.Errorf("env %q, no key: (%d, %v), want (%d, true)", envName, bits, ok, keystore.DefaultBits)
		}
	}
	vars["NHSAUTH_KEY_BITS"] = "2048"
	if bits, _ := localKeyAhead(env, o, "local"); bits != 2048 {
		t.Errorf("NHSAUTH_KEY_BITS=2048: %d bits, want 2048", bits)
	}
	if _, ok := localKeyAhead(env, o, "int"); ok {
		t.Error("env int: a key made ahead, but only local makes a missing key")
	}
	o.privateKey = "mine.pem"
	if _, ok := localKeyAhead(env, o, "local"); ok {
		t.Error("--private-key given: a key made ahead that would not be used")
	}
	o.privateKey = ""
	if err := os.MkdirAll(flows.DefaultKeyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(flows.DefaultKeyDir, "local-1.pem"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := localKeyAhead(env, o, "local"); ok {
		t.Error("the default key exists: a key made ahead that would not be used")
	}
}
