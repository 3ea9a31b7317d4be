package flows_test

import (
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
)

// EnvNames is derived from the one catalogue: local first, then every real
// environment in the catalogue's order, each of which LookupEnv finds.
func TestEnvNamesComeFromTheCatalogue(t *testing.T) {
	names := flows.EnvNames()
	if got, want := strings.Join(names, ","), "local,sandbox,int,dev,prod"; got != want {
		t.Fatalf("EnvNames() = %s, want %s", got, want)
	}
	for _, n := range names[1:] {
		e, err := flows.LookupEnv(n)
		if err != nil || e.Name != n || e.APIBase == "" {
			t.Errorf("LookupEnv(%q) = %+v, %v", n, e, err)
		}
	}
	if _, err := flows.LookupEnv("local"); err == nil {
		t.Error("LookupEnv(local) succeeded: local needs the platform's address")
	}
	if _, err := flows.LookupEnv("staging"); err == nil || !strings.Contains(err.Error(), strings.Join(names, ", ")) {
		t.Errorf("LookupEnv(staging) = %v, want the list of environments", err)
	}
}
