package flows

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

func TestWithSkew(t *testing.T) {
	start := time.Now().Truncate(time.Second) // the Date header has one-second resolution
	ex := func(serverAhead time.Duration) steps.Exchange {
		return steps.Exchange{Status: 400, Start: start, Took: 10 * time.Millisecond,
			RespHeader: http.Header{"Date": {start.Add(serverAhead).UTC().Format(http.TimeFormat)}}}
	}
	for _, tt := range []struct {
		name     string
		exs      []steps.Exchange
		wantHint string
	}{
		{"in step", []steps.Exchange{ex(time.Second)}, ""},
		{"server 2 minutes ahead", []steps.Exchange{ex(2 * time.Minute)}, "120 s behind"},
		{"server 10 minutes behind", []steps.Exchange{ex(-10 * time.Minute)}, "600 s ahead"},
		{"no Date header", []steps.Exchange{{Status: 400, Start: start}}, ""},
		{"the last completed exchange counts", []steps.Exchange{ex(2 * time.Minute), {Synthetic: true}}, "120 s behind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := withSkew(Fail(errors.New("refused"), tt.exs...), start.Add(10*time.Millisecond)) // the journey clock as the reply arrived
			var got, inErr string
			for _, h := range o.Hints {
				got += h.Cause
			}
			for _, h := range steps.HintsOf(o.Err) {
				inErr += h.Cause
			}
			if got != inErr {
				t.Errorf("outcome hints %q, error hints %q: the error must carry them too", got, inErr)
			}
			if (tt.wantHint == "") != (got == "") || !strings.Contains(got, tt.wantHint) {
				t.Errorf("hints %q, want %q", got, tt.wantHint)
			}
		})
	}
}

func TestLoopbackAddr(t *testing.T) {
	for _, tt := range []struct {
		redirect, addr, path string
		loopback, wantErr    bool
	}{
		{redirect: "", addr: "127.0.0.1:0", path: "/callback", loopback: true},
		{redirect: "http://127.0.0.1:8080/callback", addr: "127.0.0.1:8080", path: "/callback", loopback: true},
		{redirect: "http://localhost:9000", addr: "127.0.0.1:9000", path: "/", loopback: true},
		{redirect: "http://localhost/cb", addr: "127.0.0.1:80", path: "/cb", loopback: true},
		{redirect: "https://example.org/"},
		{redirect: "https://127.0.0.1:8443/cb"}, // https cannot be served by a plain listener: pasted instead
		{redirect: "http://192.168.0.2:8080/cb"},
		{redirect: "http://127.0.0.1:0/cb", wantErr: true},
		{redirect: "http://[::1]:8080/cb", wantErr: true},
		{redirect: "example.org/cb", wantErr: true},
	} {
		addr, path, loopback, err := loopbackAddr(tt.redirect)
		if (err != nil) != tt.wantErr || addr != tt.addr || path != tt.path || loopback != tt.loopback {
			t.Errorf("%q: got %q %q %v %v", tt.redirect, addr, path, loopback, err)
		}
	}
}
