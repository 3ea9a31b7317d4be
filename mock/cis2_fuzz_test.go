package mock

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Fuzz targets of the local CIS2's own parsing: the Connection Manager's
// registration body, and endSession's id_token_hint. Explore with
//
//	go test -run '^$' -fuzz FuzzCIS2Registration -fuzztime 10s ./mock/
//	go test -run '^$' -fuzz FuzzCIS2EndSession -fuzztime 10s ./mock/

// FuzzCIS2Registration: any body is either refused with an RFC 7591
// §3.2.2 code or accepted with a redirect URI that is https or loopback
// http, and a private_key_jwt client always has keys.
func FuzzCIS2Registration(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"redirect_uris":["https://a.example/cb"]}`,
		`{"redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}}`,
		`{"redirect_uris":["https://a.example/cb"],"jwks":{},"jwks_uri":"https://a.example/j"}`,
		`{"redirect_uris":["https://a.example/cb#f"],"backchannel_logout_uri":"javascript:x"}{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, e := parseRegistration(body)
		if e != nil {
			if e.code != "invalid_redirect_uri" && e.code != "invalid_client_metadata" {
				t.Fatalf("error code %q", e.code)
			}
			return
		}
		for _, u := range c.RedirectURIs {
			if checkRedirectURI(u) != "" {
				t.Fatalf("accepted redirect URI %q", u)
			}
		}
		if c.TokenEndpointAuthMethod == "private_key_jwt" && len(c.keys.Keys) == 0 && c.JWKSURI == "" {
			t.Fatal("private_key_jwt client without keys")
		}
	})
}

// FuzzCIS2EndSession: endSession never panics on any id_token_hint and
// never ends a session for a hint it did not sign.
func FuzzCIS2EndSession(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	e := newCDEnv(f)
	f.Fuzz(func(t *testing.T, hint string) {
		req, _ := http.NewRequest(http.MethodGet, e.issuer()+"/connect/endSession?"+url.Values{"id_token_hint": {hint}}.Encode(), nil)
		status, _, body := e.do(t, req)
		if status != http.StatusBadRequest || !strings.Contains(string(body), "id_token_hint") {
			t.Fatalf("hint %q: %d", hint, status)
		}
	})
}
