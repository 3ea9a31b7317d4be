package steps_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

func TestS256ChallengeRFC7636AppendixB(t *testing.T) {
	// The worked example of RFC 7636 Appendix B.
	got := steps.S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	if want := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNewPKCE(t *testing.T) {
	unreserved := regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`) // RFC 7636 §4.1
	seen := map[string]bool{}
	for range 50 {
		p := steps.NewPKCE()
		if !unreserved.MatchString(p.Verifier) {
			t.Fatalf("verifier %q is not 43-128 unreserved characters", p.Verifier)
		}
		if p.Challenge != steps.S256Challenge(p.Verifier) || p.Method != "S256" {
			t.Fatalf("challenge %q method %q do not match verifier", p.Challenge, p.Method)
		}
		if seen[p.Verifier] {
			t.Fatal("verifier repeated")
		}
		seen[p.Verifier] = true
	}
}

func TestAuthorizeURL(t *testing.T) {
	p := steps.AuthorizeParams{
		Endpoint: "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int/protocol/openid-connect/auth",
		ClientID: "cis2-client", RedirectURI: "http://127.0.0.1:5555/callback", Scope: steps.ScopeCIS2,
		State: "st-123", Nonce: "no-456", CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
	}
	raw, ex, err := steps.AuthorizeURL(p)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != p.Endpoint {
		t.Errorf("endpoint %s, want %s", got, p.Endpoint)
	}
	sepFormEqual(t, u.Query(), map[string]string{
		"response_type": "code", "client_id": "cis2-client", "redirect_uri": "http://127.0.0.1:5555/callback",
		"scope": "openid profile nationalrbacaccess", "state": "st-123", "nonce": "no-456",
		"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
	})
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("spaces encoded as +: %s (use %%20, which every server reads)", u.RawQuery)
	}
	if !ex.Synthetic || ex.URL != raw || ex.Status != 0 || !strings.Contains(string(ex.ReqBody), "code_challenge_method=S256") {
		t.Errorf("exchange = %+v", ex)
	}
}

func TestAuthorizeURLKeepsEndpointQueryAndExtra(t *testing.T) {
	raw, _, err := steps.AuthorizeURL(steps.AuthorizeParams{
		Endpoint: "https://idp.example/auth?tenant=a", ClientID: "c", RedirectURI: "https://example.org/",
		Scope: steps.ScopeNHSLogin, State: "s", Nonce: "n", CodeChallenge: "x",
		Extra: url.Values{"vtr": {`["P9.Cp.Cd"]`}, "state": {"must-not-override"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(raw)
	if q.Query().Get("tenant") != "a" || q.Query().Get("vtr") != `["P9.Cp.Cd"]` || q.Query()["state"][0] != "s" || len(q.Query()["state"]) != 1 {
		t.Errorf("query = %v", q.Query())
	}
	if q.Query().Get("scope") != "openid profile" {
		t.Errorf("scope = %q", q.Query().Get("scope"))
	}
}

func TestAuthorizeURLRefusals(t *testing.T) {
	good := steps.AuthorizeParams{Endpoint: "https://idp/auth", ClientID: "c", RedirectURI: "r", State: "s", Nonce: "n", CodeChallenge: "x"}
	for _, tt := range []struct {
		name    string
		edit    func(*steps.AuthorizeParams)
		wantErr string
	}{
		{"no state", func(p *steps.AuthorizeParams) { p.State = "" }, "missing state"},
		{"no nonce", func(p *steps.AuthorizeParams) { p.Nonce = "" }, "missing nonce"},
		{"no challenge", func(p *steps.AuthorizeParams) { p.CodeChallenge = "" }, "missing code_challenge"},
		{"no openid", func(p *steps.AuthorizeParams) { p.Scope = "profile" }, "lacks openid"},
		{"relative endpoint", func(p *steps.AuthorizeParams) { p.Endpoint = "/auth" }, "not an absolute URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			tt.edit(&p)
			_, _, err := steps.AuthorizeURL(p)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
