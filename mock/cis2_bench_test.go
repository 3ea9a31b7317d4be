package mock

import (
	"net/http"
	"testing"
)

// BenchmarkCIS2DirectSignIn is one whole CIS2-direct sign-in on the local
// platform: authorise (the login page), the login form, and the code
// exchange with client_secret_post, which signs the RS256 ID token. Its
// rate is the sign-ins per second the issue asks for:
//
//	go test -run '^$' -bench CIS2DirectSignIn -benchtime 2s ./mock/
func BenchmarkCIS2DirectSignIn(b *testing.B) {
	e := newCDEnv(b, func(o *Options) { o.StoreLimit = 1 << 20 })
	c := e.client(b, "client_secret_post", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		status, body := e.token(b, c, "client_secret_post", cdCodeForm(e.code(b, c, "656005750104")), nil, "")
		if status != http.StatusOK || body["id_token"] == nil {
			b.Fatalf("got %d %v", status, body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}
