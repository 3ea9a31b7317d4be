package flows_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
)

// BenchmarkSeparateJourney measures complete CIS2 separate-authentication
// journeys on an in-process local platform: credentials, discovery, the
// authorise URL with its listener, login by form, code exchange, ID token
// verification and token exchange. The app's key is made before the timer
// starts.
func BenchmarkSeparateJourney(b *testing.B) {
	journey := func(b *testing.B, base *flows.Journey) error {
		j := flows.NewJourney(base.Env, base.HTTP)
		j.KeyDir, j.KeyBits = base.KeyDir, base.KeyBits
		j.Login.Mode, j.Login.User = flows.LoginForm, "656005750104"
		r := flows.NewRunner(flows.CIS2Separate(), j)
		last := sepIndex(b, r.Flow, "token-exchange")
		for i := 0; i <= last; i++ {
			o, err := r.RunStep(context.Background(), i)
			if err != nil {
				return err
			}
			if o.Failed() {
				return fmt.Errorf("step %s: %w", r.Flow.Steps[i].ID, o.Err)
			}
		}
		if j.Token.AccessToken == "" {
			return errors.New("no platform token")
		}
		return nil
	}
	b.Run("sequential", func(b *testing.B) {
		base, _ := sepPlatform(b)
		// Warm up: the platform reads the app's JWKS once.
		if err := journey(b, base); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			if err := journey(b, base); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "journeys/s")
	})
	b.Run("parallel", func(b *testing.B) {
		base, _ := sepPlatform(b)
		if err := journey(b, base); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := journey(b, base); err != nil {
					b.Error(err) // not Fatal: this is not the benchmark's goroutine
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "journeys/s")
	})
}
