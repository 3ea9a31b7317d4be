package steps_test

import (
	"crypto/rsa"
	"strings"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// arKeys are two 2048-bit keys shared by the application-restricted tests:
// RSA generation is slow under -race, so they are made once.
var (
	arKeysOnce sync.Once
	arKeyA     *rsa.PrivateKey
	arKeyB     *rsa.PrivateKey
	arKeysErr  error
)

func arKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	arKeysOnce.Do(func() {
		arKeyA, arKeysErr = keystore.Generate(2048)
		if arKeysErr == nil {
			arKeyB, arKeysErr = keystore.Generate(2048)
		}
	})
	if arKeysErr != nil {
		t.Fatalf("generate keys: %v", arKeysErr)
	}
	return arKeyA, arKeyB
}

// arHintText joins every hint of err, for substring checks.
func arHintText(err error) string {
	var b strings.Builder
	for _, h := range steps.HintsOf(err) {
		b.WriteString(h.Cause + " | " + h.Fix + "\n")
	}
	return b.String()
}
