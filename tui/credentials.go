package tui

import (
	"fmt"

	"github.com/nhsauth/nhsauth/flows"
)

// The credentials form: what a real environment needs before its journey
// is built.

// openCredentials asks for what a real environment needs (issue 4): the
// app's API key, its private key file and, for the flows that use it, the
// API secret.
func (m *Model) openCredentials() {
	c := m.creds
	if c == nil {
		c = map[string]string{}
	}
	kid := m.env + "-1"
	fields := []formField{
		field("api-key", "API key", "The app's API key (also its client_id and the iss/sub of signed JWTs).", c["api-key"], "", false),
		field("key-path", "Private key file", "PEM file of the RSA key whose public half is registered for the app; nhsauth generate-keys makes one.", c["key-path"], flows.DefaultKeyDir+"/"+kid+".pem", false),
	}
	// Ask for the secret only when a step of this flow uses it.
	if in, ok := m.flowInput("api-secret"); ok {
		help := in.Help
		if help == "" {
			help = "The app's API secret."
		}
		fields = append(fields, field("api-secret", "API secret", help, c["api-secret"], "", true))
	}
	m.form = newForm(m.common, "Credentials for "+m.env,
		fmt.Sprintf("Your app's credentials from the NHS developer hub (My developer account › Environment access › %s). Leave a field empty to use the command-line flags.", m.env),
		fields, m.reveal)
	m.form.submitHint = "enter continues"
	m.formStep = -1
	m.state = stateCredentials
	m.layout()
}

// flowInput finds the chosen flow's input named key, in any step.
func (m *Model) flowInput(key string) (flows.Input, bool) {
	if m.flow == nil {
		return flows.Input{}, false
	}
	for _, st := range m.flow.Steps {
		for _, in := range st.Inputs {
			if in.Key == key {
				return in, true
			}
		}
	}
	return flows.Input{}, false
}
