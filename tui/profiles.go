package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// Saved profiles in the wizard: the environment picker offers them, and P
// saves the journey's settings as one. The store itself is main's (package
// profile): the wizard sees it through Profiles only.

// Profile is a saved profile as the wizard uses it: a name, an
// environment, and the credentials it fills.
type Profile struct {
	Name  string
	Env   string // "" means local
	Creds Credentials
}

// Profiles lists and saves profiles; main backs it with the profile
// package, so secrets go to the OS keyring.
type Profiles interface {
	List() ([]Profile, error)
	Save(Profile) error
}

// profileItemPrefix marks an environment picker item that is a profile.
const profileItemPrefix = "profile:"

// stepSaveProfile is formModel.step of the form that names a profile: it
// edits no step.
const stepSaveProfile = -2

// UseProfiles lets the wizard offer and save profiles through p: the
// environment picker lists each saved profile after the environments.
func (m *Model) UseProfiles(p Profiles) {
	m.deps.Profiles = p
	ps, err := p.List()
	if err != nil {
		m.notice = "Saved profiles could not be read: " + err.Error()
		return
	}
	for _, pr := range ps {
		env := cmpOr(pr.Env, "local")
		m.envPicker.items = append(m.envPicker.items, pickerItem{id: profileItemPrefix + pr.Name,
			title: "Profile " + pr.Name, desc: fmt.Sprintf("Your saved profile: %s%s.", env, keyNote(pr.Creds))})
	}
}

func keyNote(c Credentials) string {
	var parts []string
	if c.APIKey != "" {
		parts = append(parts, "API key "+c.APIKey)
	}
	if c.KeyPath != "" {
		parts = append(parts, "key "+c.KeyPath)
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// chooseProfile starts the journey with the profile an environment picker
// item names: at once on local, through the credentials form, filled in,
// elsewhere. ok is false when the item is no profile.
func (m *Model) chooseProfile(id string) (tea.Cmd, bool) {
	name, ok := strings.CutPrefix(id, profileItemPrefix)
	if !ok || m.deps.Profiles == nil {
		return nil, false
	}
	ps, err := m.deps.Profiles.List()
	if err != nil {
		m.notice = "Saved profiles could not be read: " + err.Error()
		return nil, true
	}
	for _, p := range ps {
		if p.Name != name {
			continue
		}
		m.env = cmpOr(p.Env, "local")
		m.creds = map[string]string{"api-key": p.Creds.APIKey, "key-path": p.Creds.KeyPath, "api-secret": p.Creds.APISecret}
		if m.env == "local" {
			return m.startJourney(), true
		}
		m.form = credentialsForm(m.common, m.env, m.creds, m.flow, m.reveal)
		m.state = stateCredentials
		m.layout()
		return nil, true
	}
	m.notice = "Profile " + name + " is gone."
	return nil, true
}

// openSaveProfile asks for the name to save the journey's settings under.
func (m *Model) openSaveProfile() {
	if m.deps.Profiles == nil {
		m.notice = "Profiles cannot be saved here."
		return
	}
	m.form = newForm(m.common, "Save as a profile",
		"Saves the environment, API key and key file in your config folder, and the API secret in the OS keyring, so that --profile NAME fills them on every command.",
		[]formField{field("name", "Profile name", "Letters, digits, '.', '_' and '-'.", "", m.env, false)}, m.reveal)
	m.form.step = stepSaveProfile
	m.layout()
}

// saveProfile saves the journey's settings under the name typed.
func (m *Model) saveProfile() {
	name := strings.TrimSpace(m.form.values()["name"])
	if name == "" {
		name = m.env
	}
	j := m.journey
	p := Profile{Name: name, Env: m.env}
	if j != nil {
		p.Creds = Credentials{APIKey: j.APIKey, KeyPath: j.KeyPath, APISecret: j.APISecret}
		if j.Env.Local && j.APIKey == flows.LocalAPIKey { // the local app's own: nothing to remember
			p.Creds.APIKey, p.Creds.APISecret = "", ""
		}
	}
	if err := m.deps.Profiles.Save(p); err != nil {
		m.form.err = err.Error()
		return
	}
	m.form = nil
	m.notice = "Saved profile " + name + ": use it with --profile " + name + "."
	m.layout()
}
