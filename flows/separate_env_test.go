package flows_test

import (
	"testing"

	"github.com/nhsauth/nhsauth/flows"
)

// Every endpoint the separate-authentication flows use resolves, on int, to
// the real URL of the reference (§1, §5.1, §5.5, §9).
func TestSeparateEndpointsOnInt(t *testing.T) {
	env, err := flows.LookupEnv("int")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, got, want string }{
		{"mock-jwks credentials", env.MockCredentialsURL(), "https://int.api.service.nhs.uk/mock-jwks/keycloak-client-credentials"},
		{"CIS2 realm", env.RealmURL(flows.RealmCIS2), "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int"},
		{"CIS2 discovery", env.DiscoveryURL(flows.RealmCIS2), "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int/.well-known/openid-configuration"},
		{"NHS login realm", env.RealmURL(flows.RealmNHSLogin), "https://identity.ptl.api.platform.nhs.uk/realms/NHS-Login-mock-int"},
		{"NHS login discovery", env.DiscoveryURL(flows.RealmNHSLogin), "https://identity.ptl.api.platform.nhs.uk/realms/NHS-Login-mock-int/.well-known/openid-configuration"},
		{"token exchange and refresh", env.MockTokenURL(), "https://int.api.service.nhs.uk/oauth2-mock/token"},
		{"real token endpoint", env.TokenURL(), "https://int.api.service.nhs.uk/oauth2/token"},
		{"Hello World user", env.Resolve(flows.CIS2Separate().DefaultURL), "https://int.api.service.nhs.uk/hello-world/hello/user"},
		{"Hello World user (NHS login)", env.Resolve(flows.NHSLoginSeparate().DefaultURL), "https://int.api.service.nhs.uk/hello-world/hello/user"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	// The sandbox tutorial's realm and token endpoint (reference §9).
	sb, _ := flows.LookupEnv("sandbox")
	if got := sb.RealmURL(flows.RealmCIS2); got != "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-sandbox" {
		t.Errorf("sandbox realm %s", got)
	}
	if got := sb.MockTokenURL(); got != "https://sandbox.api.service.nhs.uk/oauth2-mock/token" {
		t.Errorf("sandbox mock token URL %s", got)
	}
}

func TestSeparateFlowShape(t *testing.T) {
	want := "credentials,discovery,authorize,sign-in,code,id-token,token-exchange,call-api,refresh"
	for _, f := range []*flows.Flow{flows.CIS2Separate(), flows.NHSLoginSeparate()} {
		var ids string
		for i, s := range f.Steps {
			if i > 0 {
				ids += ","
			}
			ids += s.ID
			if s.Title == "" || s.What == "" || s.Why == "" || s.Doc == "" || s.Run == nil {
				t.Errorf("%s/%s lacks a title, explanation, document or Run", f.ID, s.ID)
			}
			if (s.ID == "sign-in") != (s.Wait == flows.WaitBrowser) {
				t.Errorf("%s/%s: Wait = %s", f.ID, s.ID, s.Wait)
			}
		}
		if ids != want {
			t.Errorf("%s steps %s, want %s", f.ID, ids, want)
		}
		if g, ok := flows.ByID(f.ID); !ok || g.Title != f.Title {
			t.Errorf("ByID(%s) = %v", f.ID, ok)
		}
	}
}

func TestSeparateInputs(t *testing.T) {
	j := flows.NewJourney(flows.Local("http://127.0.0.1:1"), nil)
	f := flows.CIS2Separate()
	inputs := map[string]flows.Input{}
	for _, s := range f.Steps {
		for _, in := range s.Inputs {
			inputs[in.Key] = in
		}
	}
	for _, key := range []string{"api-key", "redirect-uri", "scope", "user", "client-auth", "exchange-url", "url", "session-urid", "api-secret"} {
		if _, ok := inputs[key]; !ok {
			t.Errorf("no input %s", key)
		}
	}
	if err := inputs["client-auth"].Set(j, "private_key_jwt"); err == nil {
		t.Error("client-auth accepted private_key_jwt")
	}
	if err := inputs["client-auth"].Set(j, "client_secret_basic"); err != nil || j.Login.ClientAuth != "client_secret_basic" {
		t.Errorf("client-auth: %v, %q", err, j.Login.ClientAuth)
	}
	if err := inputs["client-auth"].Set(j, " post "); err != nil || inputs["client-auth"].Get(j) != "client_secret_post" {
		t.Errorf("client-auth post: %v, %q", err, j.Login.ClientAuth)
	}
	if h := inputs["client-auth"].Help; h != "client_secret_post (the seed's) or client_secret_basic." {
		t.Errorf("client-auth help %q", h)
	}
	inputs["user"].Set(j, " 656005750104 ")
	if inputs["user"].Get(j) != "656005750104" {
		t.Errorf("user %q", j.Login.User)
	}
	if !inputs["api-secret"].Secret {
		t.Error("api-secret is not marked secret")
	}
	inputs["api-secret"].Set(j, "a-new-secret-value")
	if j.Redact.String("x a-new-secret-value") == "x a-new-secret-value" {
		t.Error("a secret typed into the input is not masked")
	}
	for _, s := range flows.NHSLoginSeparate().Steps {
		for _, in := range s.Inputs {
			if in.Key == "session-urid" {
				t.Error("NHS login offers NHSD-Session-URID, a CIS2 header")
			}
		}
	}
}
