package main

// Placeholder for the flags that run and wizard share; the contract the
// wizard codes against.

import (
	"flag"

	"github.com/nhsauth/nhsauth/flows"
)

// journeyFlags are the flags of run and wizard.
type journeyFlags struct {
	env    string
	reveal bool
	json   bool
}

// addJourneyFlags registers the shared flags on fs.
func addJourneyFlags(fs *flag.FlagSet, defaultEnv string) *journeyFlags {
	o := &journeyFlags{}
	fs.StringVar(&o.env, "env", defaultEnv, "environment")
	return o
}

// journey builds the journey for flow f in environment envName (the flag's
// value when envName is ""): resolves the environment, starting a private
// local platform when needed, and returns a cleanup to call when done.
func (o *journeyFlags) journey(env *cliEnv, f *flows.Flow, envName string) (*flows.Journey, func(), error) {
	return nil, func() {}, nil
}
