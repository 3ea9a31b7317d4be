package steps_test

import (
	"crypto/rsa"
	"strings"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// testKeys are two 2048-bit keys shared by every test of the package: RSA
// generation is slow under -race, so they are made once.
var (
	testKeysOnce sync.Once
	testKeyA     *rsa.PrivateKey
	testKeyB     *rsa.PrivateKey
	testKeysErr  error
)

func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	testKeysOnce.Do(func() {
		testKeyA, testKeysErr = keystore.Generate(2048)
		if testKeysErr == nil {
			testKeyB, testKeysErr = keystore.Generate(2048)
		}
	})
	if testKeysErr != nil {
		t.Fatalf("generate keys: %v", testKeysErr)
	}
	return testKeyA, testKeyB
}

// hintText joins every hint of err, for substring checks.
func hintText(err error) string {
	var b strings.Builder
	for _, h := range steps.HintsOf(err) {
		b.WriteString(h.Cause + " | " + h.Fix + "\n")
	}
	return b.String()
}
