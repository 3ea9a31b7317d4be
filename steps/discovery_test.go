package steps_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

// sepDiscoveryServer serves a discovery document for the realm at /realms/R,
// its issuer computed from the server's own URL at serve time (go-oidc's
// TestNewProvider trick); edit may change the document.
func sepDiscoveryServer(t *testing.T, edit func(doc map[string]any)) *httptest.Server {
	t.Helper()
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/realms/R/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		iss := ts.URL + "/realms/R"
		doc := map[string]any{
			"issuer":                           iss,
			"authorization_endpoint":           iss + "/protocol/openid-connect/auth",
			"token_endpoint":                   iss + "/protocol/openid-connect/token",
			"userinfo_endpoint":                iss + "/protocol/openid-connect/userinfo",
			"jwks_uri":                         iss + "/protocol/openid-connect/certs",
			"end_session_endpoint":             iss + "/protocol/openid-connect/logout",
			"code_challenge_methods_supported": []string{"plain", "S256"},
		}
		if edit != nil {
			edit(doc)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestDiscover(t *testing.T) {
	ts := sepDiscoveryServer(t, nil)
	p, exs, err := steps.Discover(context.Background(), ts.Client(), ts.URL+"/realms/R/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	iss := ts.URL + "/realms/R"
	want := steps.Provider{Issuer: iss, AuthURL: iss + "/protocol/openid-connect/auth", TokenURL: iss + "/protocol/openid-connect/token",
		UserinfoURL: iss + "/protocol/openid-connect/userinfo", JWKSURL: iss + "/protocol/openid-connect/certs", EndSessionURL: iss + "/protocol/openid-connect/logout"}
	p.Raw = nil
	if p.Issuer != want.Issuer || p.AuthURL != want.AuthURL || p.TokenURL != want.TokenURL || p.UserinfoURL != want.UserinfoURL ||
		p.JWKSURL != want.JWKSURL || p.EndSessionURL != want.EndSessionURL {
		t.Errorf("got %+v, want %+v", p, want)
	}
	if len(exs) != 1 || exs[0].Method != "GET" || exs[0].Title != "Discovery" {
		t.Errorf("exchanges = %+v", exs)
	}
}

func TestDiscoverRefusals(t *testing.T) {
	for _, tt := range []struct {
		name     string
		edit     func(map[string]any)
		path     string
		wantErr  string
		wantHint string
	}{
		{name: "issuer differs", edit: func(d map[string]any) { d["issuer"] = "http://localhost/realms/R" }, wantErr: "is not", wantHint: "127.0.0.1 and localhost"},
		{name: "no token endpoint", edit: func(d map[string]any) { delete(d, "token_endpoint") }, wantErr: "lacks token_endpoint"},
		{name: "no jwks_uri", edit: func(d map[string]any) { delete(d, "jwks_uri") }, wantErr: "lacks jwks_uri"},
		{name: "unknown realm", path: "/realms/Other/.well-known/openid-configuration", wantErr: "HTTP 404", wantHint: "Cis2-mock-{env}"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := sepDiscoveryServer(t, tt.edit)
			path := tt.path
			if path == "" {
				path = "/realms/R/.well-known/openid-configuration"
			}
			_, exs, err := steps.Discover(context.Background(), ts.Client(), ts.URL+path)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if len(exs) != 1 {
				t.Errorf("%d exchanges, want 1", len(exs))
			}
			if !strings.Contains(hintText(err), tt.wantHint) {
				t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
			}
		})
	}
}
