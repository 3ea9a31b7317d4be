package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/tui"
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

// The wizard's credentials form feeds the builder run uses: a typed value
// takes its flag's place (the key's folder follows the key file), an empty
// one leaves the flag's, and a typed secret is masked like a flag's.
func TestWizardJourneyTakesTypedCredentials(t *testing.T) {
	fs, o := runFlags()
	if err := fs.Parse([]string{"--api-key", "flag-key", "--private-key", "flagkeys/int-1.pem", "--kid", "int-7"}); err != nil {
		t.Fatal(err)
	}
	env := &cliEnv{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	var cleanups cleanupList
	defer cleanups.run()
	build := wizardJourneys(env, o, true, &cleanups)
	for _, tt := range []struct {
		name                              string
		creds                             tui.Credentials
		wantKey, wantPath, wantDir, wantS string
	}{
		{name: "typed", creds: tui.Credentials{APIKey: "typed-key", KeyPath: "keys/int-1.pem", APISecret: "typed-s3cret-value"},
			wantKey: "typed-key", wantPath: "keys/int-1.pem", wantDir: "keys", wantS: "typed-s3cret-value"},
		{name: "empty fields keep the flags", creds: tui.Credentials{},
			wantKey: "flag-key", wantPath: "flagkeys/int-1.pem", wantDir: "flagkeys"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, _, err := build(context.Background(), "app-restricted", "int", tt.creds)
			if err != nil {
				t.Fatal(err)
			}
			if j.APIKey != tt.wantKey || j.KeyPath != tt.wantPath || j.KeyDir != tt.wantDir || j.APISecret != tt.wantS || j.KID != "int-7" {
				t.Fatalf("journey: key %q path %q dir %q secret %q kid %q; want %q %q %q %q int-7",
					j.APIKey, j.KeyPath, j.KeyDir, j.APISecret, j.KID, tt.wantKey, tt.wantPath, tt.wantDir, tt.wantS)
			}
			if tt.wantS != "" && strings.Contains(j.Redact.String("secret="+tt.wantS), tt.wantS) {
				t.Fatal("the typed API secret is not masked")
			}
		})
	}
}
