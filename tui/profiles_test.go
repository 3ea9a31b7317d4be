package tui

import (
	"strings"
	"testing"
)

// fakeProfiles keeps profiles in memory.
type fakeProfiles struct{ saved []Profile }

func (f *fakeProfiles) List() ([]Profile, error) { return f.saved, nil }
func (f *fakeProfiles) Save(p Profile) error {
	f.saved = append(f.saved, p)
	return nil
}

// TestEnvPickerOffersProfiles: a saved profile is on the environment
// screen, and choosing it fills the credentials form of its environment.
func TestEnvPickerOffersProfiles(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app"}, deps)
	h.m.UseProfiles(&fakeProfiles{saved: []Profile{{Name: "team-int", Env: "int",
		Creds: Credentials{APIKey: "int-api-key", KeyPath: "keys/int-1.pem", APISecret: "int-s3cret-value"}}}})
	if scr := h.screen(); !strings.Contains(scr, "Profile team-int") || !strings.Contains(scr, "int, API key int-api-key") {
		t.Fatalf("the env picker lists no profile:\n%s", scr)
	}
	h.keys("end", "enter")
	if h.m.state != stateCredentials || h.m.env != "int" {
		t.Fatalf("state %s env %q, want the int credentials form", h.m.state, h.m.env)
	}
	h.keys("enter")
	j := h.m.journey
	if h.m.state != stateReady || j.APIKey != "int-api-key" || j.KeyPath != "keys/int-1.pem" || j.APISecret != "int-s3cret-value" {
		t.Fatalf("state %s, journey key %q path %q secret %q", h.m.state, j.APIKey, j.KeyPath, j.APISecret)
	}
}

// TestSaveProfileKey: P names a profile and saves the journey's settings.
func TestSaveProfileKey(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	h := newHarness(t, Config{FlowID: "fake-app"}, deps)
	store := &fakeProfiles{}
	h.m.UseProfiles(store)
	h.keys("down", "down", "enter") // int
	h.typeText("my-api-key")
	h.keys("tab")
	h.typeText("keys/int-1.pem")
	h.keys("enter")
	h.keys("P")
	if scr := h.screen(); !strings.Contains(scr, "Save as a profile") {
		t.Fatalf("P opened no form:\n%s", scr)
	}
	h.typeText("mine")
	h.keys("enter")
	if len(store.saved) != 1 {
		t.Fatalf("saved %+v", store.saved)
	}
	if p := store.saved[0]; p.Name != "mine" || p.Env != "int" || p.Creds.APIKey != "my-api-key" || p.Creds.KeyPath != "keys/int-1.pem" {
		t.Errorf("saved %+v", p)
	}
	if !strings.Contains(h.screen(), "Saved profile mine") {
		t.Errorf("no notice:\n%s", h.screen())
	}
}
