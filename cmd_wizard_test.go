package main

import (
	"strings"
	"testing"
)

func TestWizardHelpDescribesTheWizardsFlags(t *testing.T) {
	r := nhsauth(t, nil, nil, "wizard", "--help")
	if r.code != exitOK {
		t.Fatalf("wizard --help: %v", r)
	}
	flat := strings.Join(strings.Fields(r.stdout), " ")
	for _, want := range []string{
		"--env ENV start on environment ENV instead of the environment picker",
		"--json not in the wizard",
		"--browser open the system browser ($BROWSER when set) for the sign-in: the wizard does so anyway",
		"--no-browser",
		"--flow FLOW",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("wizard --help lacks %q:\n%s", want, r.stdout)
		}
	}
	// Without --env the wizard shows the environment picker: no default.
	if i := strings.Index(flat, "--env ENV"); i >= 0 && strings.Contains(flat[i:i+120], "(default local)") {
		t.Errorf("wizard --help gives --env a default:\n%s", r.stdout)
	}
}

func TestWizardUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown flow", []string{"wizard", "--flow", "nope"}, exitUsage, `unknown flow "nope"`},
		{"json", []string{"wizard", "--json"}, exitUsage, "nhsauth run FLOW --json"},
		{"not a terminal", []string{"wizard", "--flow", "app-restricted"}, exitFail, "needs a terminal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := nhsauth(t, nil, nil, tt.args...)
			if r.code != tt.wantCode || !strings.Contains(r.stderr, tt.wantErr) {
				t.Fatalf("got %v; want exit %d and %q", r, tt.wantCode, tt.wantErr)
			}
		})
	}
}
