package steps_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

// TestRecorderKeepsProto: each round trip records the HTTP version the
// server answered with, for exports such as HAR (httpVersion).
func TestRecorderKeepsProto(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	h1 := httptest.NewServer(h)
	defer h1.Close()
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	for _, tt := range []struct {
		name string
		ts   *httptest.Server
		want string
	}{{"HTTP/1.1", h1, "HTTP/1.1"}, {"HTTP/2", h2, "HTTP/2.0"}} {
		t.Run(tt.name, func(t *testing.T) {
			hc, rec := steps.Recorder(tt.ts.Client(), "GET", "")
			resp, err := hc.Get(tt.ts.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if exs := rec.Exchanges(); len(exs) != 1 || exs[0].Proto != tt.want {
				t.Errorf("exchanges = %+v, want one with Proto %s", exs, tt.want)
			}
		})
	}
}
