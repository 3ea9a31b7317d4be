package steps_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

func TestParseRedirect(t *testing.T) {
	for _, tt := range []struct {
		name     string
		pasted   string
		wantCode string
		wantErr  error
		wantHint string
	}{
		{name: "plain", pasted: "https://example.org/?state=st&session_state=x&code=abc", wantCode: "abc"},
		{name: "blanks and quotes", pasted: "  'https://example.org/?state=st&code=abc'\n", wantCode: "abc"},
		{name: "angle brackets", pasted: "<https://example.org/?state=st&code=abc>", wantCode: "abc"},
		{name: "fragment response", pasted: "https://example.org/#state=st&code=frag", wantCode: "frag"},
		{name: "other state", pasted: "https://example.org/?state=old&code=abc", wantErr: steps.ErrStateMismatch, wantHint: "stale browser tab"},
		{name: "no code", pasted: "https://example.org/?state=st", wantErr: steps.ErrNoCode, wantHint: "address bar"},
		{name: "empty", pasted: "  ", wantErr: steps.ErrNoCode, wantHint: "Nothing was pasted"},
		{name: "not a URL", pasted: "http://[::1", wantHint: "not a URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := steps.ParseRedirect(tt.pasted, "st")
			if tt.wantCode != "" {
				if err != nil || cb.Code != tt.wantCode {
					t.Fatalf("got %+v, %v; want code %s", cb, err, tt.wantCode)
				}
				return
			}
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(hintText(err), tt.wantHint) {
				t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
			}
		})
	}
}

func TestParseRedirectError(t *testing.T) {
	_, err := steps.ParseRedirect("https://example.org/?error=invalid_scope&error_description=bad&state=st", "st")
	var ce *steps.CallbackError
	if !errors.As(err, &ce) || ce.Code != "invalid_scope" || !strings.Contains(hintText(err), "nationalrbacaccess") {
		t.Fatalf("err = %v, hints %q", err, hintText(err))
	}
	// A forged error redirect with another state is refused as a mismatch,
	// not believed.
	_, err = steps.ParseRedirect("https://example.org/?error=access_denied&state=zzz", "st")
	if !errors.Is(err, steps.ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
}
