package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
)

// breakCause is, per fault, a phrase of the diagnosis run prints: the cause
// named (flows' fault_test.go checks the same in every flow a fault fits).
var breakCause = map[string]string{
	"clock-ahead": "clock may be behind", "clock-behind": "clock is ahead",
	"wrong-kid": "not in your registered JWKS", "key-not-registered": "no public key registered",
	"aud-other-env": "aud must be exactly the token URL", "exp-over-5-minutes": "more than 5 minutes ahead",
	"replayed-jti": "used before", "missing-typ": "typ header is missing", "hs256": "not signed with RS512",
	"state-tampered": "no record of this state", "code-replayed": "already used or expired",
	"code-expired": "already used or expired", "pkce-wrong": "code_verifier",
	"redirect-uri-mismatch": "redirect_uri differs", "id-token-expired": "ID token has expired",
	"id-token-other-audience": "not issued to the platform's own client", "aal1-user": "assurance",
	"p0-user": "assurance", "refresh-reused": "already used", "refresh-window-exceeded": "refresh window has ended",
	"session-revoked": "back-channel logout", "rate-limited": "Retry-After", "unavailable": "Retry-After",
	"slow-idp": "within the time limit", "jwks-unreachable": "could not fetch the JWKS URL",
}

// TestRunBreakEveryFault runs `run FLOW --break FAULT` for every fault of
// break --list, in the first flow it fits, on a private local platform: the
// run fails (exit 1) with the platform's exact reply in the transcript and
// a diagnosis naming the cause on stderr.
func TestRunBreakEveryFault(t *testing.T) {
	list := nhsauth(t, nil, nil, "break", "--list")
	if list.code != exitOK {
		t.Fatalf("%v", list)
	}
	for _, fault := range flows.Faults() {
		if !strings.Contains(list.stdout, fault.Name+" ") {
			t.Errorf("break --list lacks %s", fault.Name)
		}
		flow := fault.Flows[0]
		t.Run(fault.Name, func(t *testing.T) {
			dir := inTempDir(t)
			writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
			args := []string{"run", flow, "--env", "local", "--break", fault.Name}
			if flow != "app-restricted" {
				args = append(args, "--user", map[bool]string{true: "9912003071", false: "656005750104"}[strings.HasPrefix(flow, "nhs-login")])
			}
			if fault.Name == "slow-idp" {
				args = append(args, "--timeout", "300ms")
			}
			r := nhsauth(t, nil, nil, args...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want %d\n%v", r.code, exitFail, r)
			}
			if want := fault.Expect(flow); !strings.Contains(r.stdout, want) {
				t.Errorf("the transcript lacks the platform's reply %q\n%v", want, r)
			}
			if !strings.Contains(r.stderr, "cause: ") || !strings.Contains(strings.Join(strings.Fields(r.stderr), " "), breakCause[fault.Name]) {
				t.Errorf("stderr's diagnosis does not name %q\n%s", breakCause[fault.Name], r.stderr)
			}
			if !strings.Contains(r.stderr, "Break-it: "+fault.Name) {
				t.Errorf("no break-it summary:\n%s", r.stderr)
			}
		})
	}
}

// TestRunBreakUsage checks the usage errors of --break: an unknown fault, a
// flow it does not fit (naming those it fits), another environment.
func TestRunBreakUsage(t *testing.T) {
	inTempDir(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "app-restricted", "--break", "wrong-kdi"}, "nhsauth break --list"},
		{[]string{"run", "cis2-separate", "--break", "wrong-kid"}, "it fits app-restricted"},
		{[]string{"run", "app-restricted", "--env", "int", "--api-key", "k", "--break", "wrong-kid"}, "--env local"},
		{[]string{"break", "wrong-kid"}, "run FLOW --break"},
	} {
		r := nhsauth(t, nil, nil, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: %v\nwant exit 2 and %q", tt.args, r, tt.want)
		}
	}
	help := nhsauth(t, nil, nil, "break", "--help")
	for _, want := range []string{"--list", "nhsauth run app-restricted --break wrong-kid", "X-Nhsauth-Fault"} {
		if help.code != exitOK || !strings.Contains(help.stdout, want) {
			t.Errorf("break --help lacks %q: %v", want, help)
		}
	}
	if run := nhsauth(t, nil, nil, "run", "--help"); !strings.Contains(run.stdout, "--break") {
		t.Errorf("run --help does not document --break")
	}
}
