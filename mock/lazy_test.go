package mock

import (
	"strings"
	"testing"
)

// TestLazyPagesAndPatternsBuild builds every page template and pattern that
// lazy.go defers, so one that no longer parses fails here rather than on a
// user's first sign-in, and checks each pattern still means what it did.
func TestLazyPagesAndPatternsBuild(t *testing.T) {
	for name, tmpl := range map[string]func() any{
		"login": func() any { return loginTemplate() }, "message": func() any { return messageTemplate() },
		"logout": func() any { return logoutConfirmTemplate() }, "cm": func() any { return connectionManagerTemplate() },
	} {
		if tmpl() == nil {
			t.Errorf("template %s: nil", name)
		}
	}
	if loginTemplate() != loginTemplate() {
		t.Error("loginTemplate parsed twice: it should be parsed once, on first use")
	}
	verifier := strings.Repeat("a", 43)
	if !pkceValue().MatchString(verifier) || pkceValue().MatchString(verifier[1:]) || pkceValue().MatchString(verifier+"!") {
		t.Error("pkceValue: want 43 to 128 unreserved characters (RFC 7636 §4.1)")
	}
	if m := acrLevel().FindStringSubmatch("AAL3_ANY"); len(m) != 2 || m[1] != "3" {
		t.Errorf("acrLevel(AAL3_ANY) = %q, want level 3", m)
	}
	if !requestIDPattern().MatchString("60e0b2f4-8d8d-4a4b-9a1a-0c0f3b7e2a11") || requestIDPattern().MatchString("60e0b2f48d8d4a4b9a1a0c0f3b7e2a11") {
		t.Error("requestIDPattern: want a UUID in its 8-4-4-4-12 form only")
	}
	if p := syntheticPatients()["9000000009"]; p == nil || p["id"] != "9000000009" {
		t.Errorf("syntheticPatients()[9000000009] = %v, want the full patient", p)
	}
}
