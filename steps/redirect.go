package steps

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseRedirect reads the URL the browser landed on after signing in, as
// pasted by the user when the redirect URI is not a loopback address (the
// mock clients' registered https://example.org/), and validates it as
// CheckCallback does. Surrounding blanks, quotes and angle brackets from a
// copy are tolerated. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.
func ParseRedirect(pasted, expectedState string) (Callback, error) {
	s := strings.TrimSpace(pasted)
	s = strings.Trim(s, `"'<> `)
	if s == "" {
		return Callback{}, WithHint(fmt.Errorf("steps: pasted URL: %w", ErrNoCode),
			"Nothing was pasted.",
			"Paste the whole address from the browser's address bar after signing in.")
	}
	u, err := url.Parse(s)
	if err != nil {
		return Callback{}, WithHint(fmt.Errorf("steps: pasted URL: %w", err),
			"The pasted text is not a URL.",
			"Paste the whole address from the browser's address bar after signing in (it holds code= and state=).")
	}
	if u.RawQuery == "" && u.Fragment == "" {
		// Not a redirect at all (a stray word, the bare redirect URI):
		// saying the state does not match would mislead.
		return Callback{}, WithHint(fmt.Errorf("steps: pasted URL: %w", ErrNoCode),
			fmt.Sprintf("The pasted text %q is not the address the browser landed on: it has no code= or state=.", s),
			"Paste the whole address from the browser's address bar after signing in (it holds code= and state=).")
	}
	cb := callbackFrom(u)
	if err := CheckCallback(cb, expectedState); err != nil {
		return cb, err
	}
	return cb, nil
}
