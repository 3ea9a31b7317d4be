package main

// The wizard's view of the saved profiles: it lists them on the
// environment screen and saves one with P (tui.Profiles).

import (
	"path/filepath"

	"github.com/nhsauth/nhsauth/profile"
	"github.com/nhsauth/nhsauth/tui"
)

// wizardProfiles backs tui.Profiles with the profile store.
type wizardProfiles struct{ st *profile.Store }

// newWizardProfiles opens the store for the wizard: the one --profile
// opened, or a new one whose warning goes to env's stderr (the wizard's,
// kept until it quits); nil when it cannot.
func newWizardProfiles(env *cliEnv) tui.Profiles {
	st, err := env.profiles()
	if err != nil {
		return nil
	}
	return wizardProfiles{st: st}
}

func (w wizardProfiles) List() ([]tui.Profile, error) {
	ps, err := w.st.List()
	if err != nil {
		return nil, err
	}
	out := make([]tui.Profile, 0, len(ps))
	for _, p := range ps {
		secret, err := w.st.Secret(profile.SecretKey(p.Name, "api-secret"))
		if err != nil {
			return nil, err
		}
		out = append(out, tui.Profile{Name: p.Name, Env: p.Env, Creds: tui.Credentials{APIKey: p.APIKey, KeyPath: p.PrivateKey, APISecret: secret}})
	}
	return out, nil
}

// Save keeps p: its settings in profiles.json (over a profile of the same
// name, whose other settings stay), its API secret in the keyring.
func (w wizardProfiles) Save(p tui.Profile) error {
	if err := profile.CheckName(p.Name); err != nil {
		return err
	}
	saved, err := w.st.Get(p.Name)
	if err != nil {
		saved = profile.Profile{Name: p.Name}
	}
	saved.Env, saved.APIKey = p.Env, p.Creds.APIKey
	if saved.PrivateKey = p.Creds.KeyPath; saved.PrivateKey != "" {
		if abs, err := filepath.Abs(saved.PrivateKey); err == nil {
			saved.PrivateKey = abs
		}
	}
	if err := w.st.Save(saved); err != nil {
		return err
	}
	if p.Creds.APISecret == "" {
		return nil
	}
	return w.st.SetSecret(profile.SecretKey(p.Name, "api-secret"), p.Creds.APISecret)
}
