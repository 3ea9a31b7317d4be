package mock

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkCombinedJourney measures whole combined journeys on the local
// platform per second: authorise, the login page, the form post, the
// platform's callback (which redeems the realm's code and checks its ID
// token), the code exchange, and one API call, each journey in a fresh
// browser session.
func BenchmarkCombinedJourney(b *testing.B) {
	e := newSAEnv(b)
	for b.Loop() {
		br := newCBBrowser(b, e)
		tok := br.cbTokens(b, "656005750104", nil)
		if st, body := e.helloUser(b, tok["access_token"].(string)); st != http.StatusOK || !strings.Contains(string(body), "Hello User!") {
			b.Fatalf("hello: %d %s", st, body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "journeys/s")
}
