package flows

import "testing"

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
