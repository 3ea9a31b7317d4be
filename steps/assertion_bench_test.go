package steps_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// BenchmarkSignAssertion measures client assertions signed per second
// (RS512) for the key sizes nhsauth meets: 2048 bits (tests) and 4096 bits
// (NHS's guide). Keys are made before the timer starts.
func BenchmarkSignAssertion(b *testing.B) {
	for _, bits := range []int{2048, 4096} {
		key, err := keystore.Generate(bits)
		if err != nil {
			b.Fatal(err)
		}
		p := steps.PlatformAuth(key, "bench-1", "api", time.Now)
		const aud = "http://127.0.0.1/oauth2/token"
		b.Run(fmt.Sprintf("%d", bits), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := p.Sign(aud); err != nil {
					b.Fatal(err)
				}
			}
		})
		signed, _, _ := p.Sign(aud)
		b.Run(fmt.Sprintf("verify-%d", bits), func(b *testing.B) {
			parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS512"}))
			for b.Loop() {
				if _, err := parser.Parse(signed, func(*jwt.Token) (any, error) { return &key.PublicKey, nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
