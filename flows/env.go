package flows

import (
	"fmt"
	"strings"
)

// Env is one row of the environment catalogue: every base URL a flow needs.
// Sources: reference §1 (hosts), §5.1 (Keycloak mock realms), §5.5
// (mock-jwks), §9 (Hello World).
type Env struct {
	Name  string // local, sandbox, dev, int, prod
	Title string // one line for pickers

	// APIBase is the API platform host: https://int.api.service.nhs.uk.
	// Token URLs are APIBase + "/oauth2/token" and "/oauth2-mock/token".
	APIBase string
	// IdentityBase is the Keycloak mock host,
	// https://identity.ptl.api.platform.nhs.uk; "" where there is no mock.
	IdentityBase string
	// RealmEnv is the {env} of the mock realms Cis2-mock-{env} and
	// NHS-Login-mock-{env}.
	RealmEnv string
	// Local marks the local platform built into nhsauth.
	Local bool
	// CIS2Issuer is CIS2 Authentication's issuer (reference §6.1), "" where
	// it is unknown: the local CIS2 on local, the real one on dev, int and
	// prod. Discovery is at CIS2Issuer + steps.WellKnownSuffix.
	CIS2Issuer string
}

// TokenURL is the platform's token endpoint, /oauth2/token.
func (e Env) TokenURL() string { return e.APIBase + "/oauth2/token" }

// MockTokenURL is the token endpoint in front of the Keycloak mock,
// /oauth2-mock/token.
func (e Env) MockTokenURL() string { return e.APIBase + "/oauth2-mock/token" }

// MockCredentialsURL is the mock-jwks service that hands out the Keycloak
// mock clients' credentials (reference §5.5).
func (e Env) MockCredentialsURL() string {
	return e.APIBase + "/mock-jwks/keycloak-client-credentials"
}

// RealmKind selects a mock identity provider.
type RealmKind int

// The two Keycloak mock realms.
const (
	RealmCIS2 RealmKind = iota
	RealmNHSLogin
)

func (k RealmKind) String() string {
	if k == RealmNHSLogin {
		return "NHS login"
	}
	return "CIS2"
}

// RealmURL is a mock realm's issuer, for example
// https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-int.
func (e Env) RealmURL(k RealmKind) string {
	if e.IdentityBase == "" {
		return ""
	}
	name := "Cis2-mock-"
	if k == RealmNHSLogin {
		name = "NHS-Login-mock-"
	}
	return e.IdentityBase + "/realms/" + name + e.RealmEnv
}

// DiscoveryURL is a realm's OpenID Connect discovery document.
func (e Env) DiscoveryURL(k RealmKind) string {
	if r := e.RealmURL(k); r != "" {
		return r + "/.well-known/openid-configuration"
	}
	return ""
}

// Resolve makes a URL absolute: one starting with "/" is taken relative to
// the API base (so /hello-world/hello/application works on local and
// sandbox).
func (e Env) Resolve(u string) string {
	if strings.HasPrefix(u, "/") {
		return e.APIBase + u
	}
	return u
}

// catalogue holds the real environments, in the order pickers, help and
// errors list them after local (which is computed from the local platform's
// address by Local). It is the one list of environments: everything else
// derives from it.
var catalogue = []Env{
	{Name: "sandbox", Title: "Sandbox: open test host, Hello World and PDS sandboxes", APIBase: "https://sandbox.api.service.nhs.uk", IdentityBase: "https://identity.ptl.api.platform.nhs.uk", RealmEnv: "sandbox"},
	{Name: "int", Title: "Integration test (INT): where suppliers test before go-live", APIBase: "https://int.api.service.nhs.uk", IdentityBase: "https://identity.ptl.api.platform.nhs.uk", RealmEnv: "int", CIS2Issuer: cis2INT},
	{Name: "dev", Title: "Development: limited APIs", APIBase: "https://dev.api.service.nhs.uk", IdentityBase: "https://identity.ptl.api.platform.nhs.uk", RealmEnv: "dev", CIS2Issuer: cis2DEV},
	{Name: "prod", Title: "Production: real patients, no mock", APIBase: "https://api.service.nhs.uk", CIS2Issuer: cis2PROD},
}

// EnvNames lists every environment, local first.
func EnvNames() []string {
	names := []string{"local"}
	for _, e := range catalogue {
		names = append(names, e.Name)
	}
	return names
}

// Local is the environment of the local platform at base (http://127.0.0.1:8400).
func Local(base string) Env {
	base = strings.TrimRight(base, "/")
	return Env{Name: "local", Title: "Local platform: built into nhsauth, fully offline", APIBase: base, IdentityBase: base, RealmEnv: "local", Local: true, CIS2Issuer: base + CIS2Path}
}

// LookupEnv finds a real environment by name. "local" needs the local
// platform's address and is built with Local instead.
func LookupEnv(name string) (Env, error) {
	for _, e := range catalogue {
		if e.Name == name {
			return e, nil
		}
	}
	return Env{}, fmt.Errorf("flows: unknown environment %q: use one of %s", name, strings.Join(EnvNames(), ", "))
}
