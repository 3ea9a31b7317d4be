package main

// The flags of the cis2-direct flow (CIS2 Authentication used directly,
// reference §6), on run and wizard beside the shared journey flags.

import (
	flag "github.com/spf13/pflag"
	"slices"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// directFlags are cis2-direct's own flags.
type directFlags struct {
	flowID       string // the flow being run: --client-auth takes all four methods for cis2-direct
	clientID     string
	clientSecret string
	alg          string
	scope        string
	userinfoAlg  string
	noPlatform   bool
}

// addDirectFlags registers cis2-direct's flags on fs.
func addDirectFlags(fs *flag.FlagSet) *directFlags {
	d := &directFlags{}
	fs.StringVar(&d.clientID, "client-id", "", "cis2-direct: the CIS2 client `ID` from Connection Manager (default on local: registered for you)")
	fs.StringVar(&d.clientSecret, "client-secret", "", "cis2-direct: the CIS2 client secret `S` (default on local: issued at registration)")
	fs.StringVar(&d.alg, "alg", "", "cis2-direct: the client assertion's `ALG`: RS512 (default) or RS256 for private_key_jwt, HS256 or HS512 for client_secret_jwt")
	fs.StringVar(&d.scope, "scope", "", "the scopes `S` asked for (cis2-direct default: "+flows.DefaultCIS2Scope+")")
	fs.StringVar(&d.userinfoAlg, "userinfo-alg", "RS256", "cis2-direct: userinfo_signed_response_alg `ALG` registered on local: RS256 or RS512")
	fs.BoolVar(&d.noPlatform, "no-platform", false, "cis2-direct: leave out the platform token exchange and the API call")
	return d
}

// direct reports whether the flow being run is cis2-direct.
func (d *directFlags) direct() bool { return d.flowID == flows.CIS2Direct().ID }

// parseClientAuth reads --client-auth: all four methods for cis2-direct,
// the realms' two otherwise.
func (d *directFlags) parseClientAuth(v steps.AuthMethod) (steps.AuthMethod, error) {
	if d.direct() {
		m, err := steps.ParseAuthMethod(string(v))
		if err != nil || m == "" {
			return "", usagef("--client-auth %q is not supported: use %s", v, steps.JoinAuthMethods(steps.AuthMethods()))
		}
		return m, nil
	}
	m, err := flows.ParseRealmAuth(string(v))
	if err != nil || m == "" {
		return "", usagef("--client-auth %q is not supported: use %s", v, steps.JoinAuthMethods(flows.RealmAuthMethods()))
	}
	return m, nil
}

// check validates cis2-direct's flags.
func (d *directFlags) check() error {
	if !slices.Contains([]string{"", "RS512", "RS256", "HS256", "HS512"}, d.alg) {
		return usagef("--alg %q: use RS512 or RS256 (private_key_jwt), HS256 or HS512 (client_secret_jwt)", d.alg)
	}
	if d.userinfoAlg != "RS256" && d.userinfoAlg != "RS512" {
		return usagef("--userinfo-alg %q: use RS256 or RS512", d.userinfoAlg)
	}
	return nil
}

// apply puts cis2-direct's flags on the journey (the shared --acr-values is
// flags_combined.go's).
func (d *directFlags) apply(j *flows.Journey, clientAuth steps.AuthMethod) {
	if d.scope != "" {
		j.Login.Scope = strings.Join(strings.Fields(d.scope), " ")
	}
	if !d.direct() {
		return
	}
	j.Direct.ClientID, j.Direct.ClientSecret = d.clientID, d.clientSecret
	j.Secret(d.clientSecret)
	j.Direct.ClientAuth, j.Direct.Alg, j.Direct.UserinfoAlg = clientAuth, d.alg, d.userinfoAlg
	j.Direct.SkipPlatform = d.noPlatform
}
