package steps_test

import (
	"context"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// FuzzLogoutToken: any logout token the provider's key did not sign is
// refused, and the validator never panics. Explore with
//
//	go test -run '^$' -fuzz FuzzLogoutToken -fuzztime 10s ./steps/
func FuzzLogoutToken(f *testing.F) {
	for _, s := range []string{"", "a.b.c", "..", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJldmVudHMiOnt9fQ.AA"} {
		f.Add(s)
	}
	fx := newLogoutFixture(f)
	fx.expect.Now = func() time.Time { return fx.now }
	f.Fuzz(func(t *testing.T, tok string) {
		checks, _, err := steps.ValidateLogoutToken(context.Background(), tok, fx.expect, func(string) bool { return false })
		if err == nil {
			t.Fatalf("accepted %q: %v", tok, checks)
		}
	})
}
