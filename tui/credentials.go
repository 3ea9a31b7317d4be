package tui

import (
	"fmt"

	"github.com/nhsauth/nhsauth/flows"
)

// The credentials form: what a real environment needs before its journey
// is built.

// credentialsForm asks for what a real environment needs (issue 4): the
// app's API key, its private key file and, for the flows that use it, the
// API secret. creds are the values typed last time.
func credentialsForm(c *common, env string, creds map[string]string, f *flows.Flow, reveal bool) *formModel {
	kid := env + "-1"
	fields := []formField{
		field("api-key", "API key", "The app's API key (also its client_id and the iss/sub of signed JWTs).", creds["api-key"], "", false),
		field("key-path", "Private key file", "PEM file of the RSA key whose public half is registered for the app; nhsauth generate-keys makes one.", creds["key-path"], flows.DefaultKeyDir+"/"+kid+".pem", false),
	}
	// Ask for the secret only when a step of this flow uses it.
	if in, ok := flowInput(f, "api-secret"); ok {
		help := in.Help
		if help == "" {
			help = "The app's API secret."
		}
		fields = append(fields, field("api-secret", "API secret", help, creds["api-secret"], "", true))
	}
	form := newForm(c, "Credentials for "+env,
		fmt.Sprintf("Your app's credentials from the NHS developer hub (My developer account › Environment access › %s). Leave a field empty to use the command-line flags.", env),
		fields, reveal)
	form.submitHint = "enter continues"
	return form
}

// flowInput finds f's input named key, in any step.
func flowInput(f *flows.Flow, key string) (flows.Input, bool) {
	if f == nil {
		return flows.Input{}, false
	}
	for _, st := range f.Steps {
		for _, in := range st.Inputs {
			if in.Key == key {
				return in, true
			}
		}
	}
	return flows.Input{}, false
}
