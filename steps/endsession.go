package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// LogoutFormID is the HTML id of the realm's logout confirm form (Keycloak
// shows one before ending a session by its cookie).
const LogoutFormID = "kc-logout-form"

// EndSessionParams are the inputs of an end-session request.
type EndSessionParams struct {
	URL string         // the provider's end_session_endpoint
	Jar http.CookieJar // the browser's cookies: the realm session's among them
	// IDTokenHint ends the session an ID token names instead of the
	// cookie's (RP-Initiated Logout 1.0 §2: the local CIS2, reference §6.5).
	IDTokenHint string
}

// EndSession ends the realm session the jar's cookie names, as a browser
// does on the realm's end-session page (OpenID Connect RP-Initiated Logout
// 1.0 §2): it opens the page and, when the realm asks to confirm, posts the
// confirm form. It returns the text of the final page, which says whom the
// realm told by back-channel logout (OpenID Connect Back-Channel Logout 1.0).
//
// With IDTokenHint and no jar it ends the ID token's session by a GET with
// id_token_hint, as a relying party does without the browser, and returns no
// page text.
func EndSession(ctx context.Context, hc *http.Client, p EndSessionParams) (string, []Exchange, error) {
	const prefix = "steps: end session"
	if p.Jar == nil && p.IDTokenHint != "" {
		exs, err := endSessionByHint(ctx, hc, p.URL, p.IDTokenHint)
		return "", exs, err
	}
	if p.Jar == nil {
		return "", nil, WithHint(errors.New(prefix+": no browser session"),
			"Ending the realm session needs the browser's session cookie, kept from a sign-in by form.",
			"Sign in with --user, or end the session in the browser you signed in with.")
	}
	rc, rec := Recorder(hc, "End session", "OpenID Connect RP-Initiated Logout 1.0 §2")
	rc.Jar = p.Jar
	rc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	page, _, _, err := fetchUntilCallback(ctx, rc, http.MethodGet, p.URL, "", "")
	if err != nil {
		return "", rec.Exchanges(), fmt.Errorf("%s: %w", prefix, err)
	}
	if form, ok := findForm(page.body, page.url, LogoutFormID); ok {
		rec.SetTitle("Confirm logout", "OpenID Connect RP-Initiated Logout 1.0 §2; Back-Channel Logout 1.0 §2.5")
		page, _, _, err = fetchUntilCallback(ctx, rc, http.MethodPost, form.action, form.values.Encode(), "")
		if err != nil {
			return "", rec.Exchanges(), fmt.Errorf("%s: %w", prefix, err)
		}
	}
	if page.status != http.StatusOK {
		return "", rec.Exchanges(), fmt.Errorf("%s: HTTP %d from %s%s", prefix, page.status, page.url, pageError(page.body))
	}
	return pageMessage(page.body), rec.Exchanges(), nil
}

// pageMessage is the text of a Keycloak-shaped page's message.
func pageMessage(body []byte) string {
	if n := findNode(parseHTML(body), func(n *htmlNode) bool { return attr(n, "id") == "kc-error-message" }); n != nil {
		return truncate(textOf(n), 400)
	}
	return ""
}
