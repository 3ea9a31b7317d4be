package main

// The combined flows' flags of run and wizard (issue 11): --callback,
// --acr-values (which cis2-direct reads too), --cis2 and --sso.

import (
	flag "github.com/spf13/pflag"
	"net/url"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
)

// combinedFlags are the flags only the combined flows read.
type combinedFlags struct {
	callback  string
	acrValues string
	sso       bool
	cis2      bool
}

// add registers the combined flows' flags on fs.
func (c *combinedFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&c.callback, "callback", "", "combined flows: the app's registered callback `URL`, exactly (default on local: the local app's, http://127.0.0.1:8401/callback)")
	fs.StringVar(&c.acrValues, "acr-values", "", "cis2-combined and cis2-direct: the acr_values `V` asked of CIS2 (default: cis2-combined sends none and the platform asks AAL3_ANY; cis2-direct sends "+flows.DefaultCIS2ACR+")")
	fs.BoolVar(&c.cis2, "cis2", false, "cis2-combined: go through the platform's /oauth2, which sends the user to CIS2 Authentication (on local, the local CIS2), instead of /oauth2-mock and the Keycloak mock realm")
	fs.BoolVar(&c.sso, "sso", false, "combined flows: after signing in, authorise a second time on the realm session (single sign-on)")
}

// check validates --callback.
func (c *combinedFlags) check() error {
	if c.callback == "" {
		return nil
	}
	if u, err := url.Parse(c.callback); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--callback %q is not an http(s) URL: give the callback URL registered for your app, such as http://127.0.0.1:8401/callback", c.callback)
	}
	return nil
}

// apply puts the flags into the journey.
func (c *combinedFlags) apply(j *flows.Journey) {
	j.Combined.CallbackURL = c.callback
	j.Login.ACRValues = strings.Join(strings.Fields(c.acrValues), " ") // cis2-direct reads it too
	j.Combined.SSO = c.sso
	j.Combined.UseCIS2 = c.cis2
}
