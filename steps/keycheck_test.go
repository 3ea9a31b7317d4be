package steps_test

import (
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

func TestCheckKey(t *testing.T) {
	keyA, keyB := testKeys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	writeJWKS := func(dir, name string, set keystore.JWKS) {
		if err := os.WriteFile(filepath.Join(dir, name), set.Marshal(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		key      *rsa.PrivateKey
		setup    func(dir string) // files beside <dir>/int-1.pem
		kid      string
		wantErr  string // "" means no error
		wantHint string
	}{
		{name: "no JWKS beside the key", key: keyA, kid: "int-1"},
		{name: "matching JWKS", key: keyA, kid: "int-1", setup: func(dir string) {
			if _, err := keystore.Write(dir, "int-1", keyA, false); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "JWKS without alg or use", key: keyA, kid: "int-1", setup: func(dir string) {
			k := keystore.PublicJWK(&keyA.PublicKey, "int-1")
			k.Alg, k.Use = "", ""
			writeJWKS(dir, "int-1.json", keystore.JWKS{Keys: []keystore.JWK{k}})
		}},
		{name: "key too small", key: small, kid: "int-1", wantErr: "1024 bits", wantHint: "2048"},
		{name: "JWKS lacks the kid", key: keyA, kid: "int-1", setup: func(dir string) {
			writeJWKS(dir, "int-1.json", keystore.JWKS{Keys: []keystore.JWK{
				keystore.PublicJWK(&keyA.PublicKey, "a"), keystore.PublicJWK(&keyB.PublicKey, "b"),
			}})
		}, wantErr: `no key with kid "int-1"`, wantHint: "kids [a b], not \"int-1\""},
		{name: "JWKS holds another key", key: keyA, kid: "int-1", setup: func(dir string) {
			writeJWKS(dir, "int-1.json", keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&keyB.PublicKey, "int-1")}})
		}, wantErr: "do not match", wantHint: "The key and the JWKS do not match"},
		{name: "not a JWKS", key: keyA, kid: "int-1", setup: func(dir string) {
			os.WriteFile(filepath.Join(dir, "int-1.json"), []byte("<html>"), 0o644)
		}, wantErr: "not a JWKS", wantHint: "cannot be read as a JWKS"},
		{name: "JWKS without keys array", key: keyA, kid: "int-1", setup: func(dir string) {
			os.WriteFile(filepath.Join(dir, "int-1.json"), []byte(`{"kty":"RSA"}`), 0o644)
		}, wantErr: `"keys"`, wantHint: "cannot be read as a JWKS"},
		{name: "unreadable JWKS", key: keyA, kid: "int-1", setup: func(dir string) {
			os.Mkdir(filepath.Join(dir, "int-1.json"), 0o700) // a directory cannot be read as a file
		}, wantErr: "int-1.json", wantHint: "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(dir)
			}
			err := steps.CheckKey(tt.key, filepath.Join(dir, "int-1.pem"), tt.kid)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckKey: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if hints := hintText(err); !strings.Contains(hints, tt.wantHint) {
				t.Errorf("hints = %q, want %q", hints, tt.wantHint)
			}
			if tt.name == "JWKS lacks the kid" && !strings.Contains(hintText(err), "Pass --kid a") {
				t.Errorf("hints = %q, want the --kid advice", hintText(err))
			}
		})
	}
}
