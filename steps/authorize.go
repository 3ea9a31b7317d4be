package steps

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Scopes the separate-authentication flows ask for (issue 3, reference §6.2
// and §7): CIS2 adds nationalrbacaccess for the user's RBAC roles.
const (
	ScopeCIS2     = "openid profile nationalrbacaccess"
	ScopeNHSLogin = "openid profile"
)

// AuthorizeParams are the inputs of an OpenID Connect authentication request
// (OpenID Connect Core §3.1.2.1) with PKCE (RFC 7636 §4.3).
type AuthorizeParams struct {
	Endpoint      string // the provider's authorization_endpoint
	ClientID      string
	RedirectURI   string
	Scope         string // must include openid
	State         string // RFC 6749 §10.12: binds the callback to this browser
	Nonce         string // OpenID Connect Core §15.5.2: binds the ID token to this request
	CodeChallenge string // S256 challenge of the PKCE verifier
	Extra         url.Values
}

// authorizeParamOrder is the order the parameters appear in the URL and in
// the explanation: the OAuth ones first, then the ones that protect the
// login.
var authorizeParamOrder = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"}

// authorizeExplained says in a few words what each parameter is for.
var authorizeExplained = map[string]string{
	"response_type":         "code: the authorization code flow (OpenID Connect Core §3.1)",
	"client_id":             "the mock realm's client, from mock-jwks",
	"redirect_uri":          "where the browser is sent back with the code; the code exchange repeats it exactly",
	"scope":                 "openid makes it an OpenID Connect login; the rest choose the claims",
	"state":                 "random; comes back with the code so a forged or stale callback is refused (RFC 6749 §10.12)",
	"nonce":                 "random; comes back inside the ID token so a replayed token is refused (OpenID Connect Core §15.5.2)",
	"code_challenge":        "SHA-256 of the PKCE verifier kept here; only this client can redeem the code (RFC 7636)",
	"code_challenge_method": "S256 (RFC 7636 §4.2: clients capable of S256 MUST use it)",
}

// AuthorizeURL builds the URL the browser opens to sign the user in:
// response_type=code, client_id, redirect_uri, scope, state, nonce,
// code_challenge and code_challenge_method=S256. It sends nothing; the
// returned synthetic Exchange lists the parameters and what each is for.
// See https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest and
// https://datatracker.ietf.org/doc/html/rfc7636#section-4.3.
func AuthorizeURL(p AuthorizeParams) (string, Exchange, error) {
	ex := Exchange{Title: "Authorise URL", Spec: "OpenID Connect Core §3.1.2.1; RFC 7636 §4.3", Method: "GET", Synthetic: true}
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"authorization endpoint", p.Endpoint}, {"client_id", p.ClientID}, {"redirect_uri", p.RedirectURI},
		{"state", p.State}, {"nonce", p.Nonce}, {"code_challenge", p.CodeChallenge},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return "", ex, fmt.Errorf("steps: authorise URL: missing %s", strings.Join(missing, ", "))
	}
	scope := p.Scope
	if scope == "" {
		scope = "openid"
	}
	if !hasScope(scope, "openid") {
		return "", ex, WithHint(errors.New("steps: authorise URL: scope lacks openid"),
			"Without the openid scope the request is plain OAuth 2.0: no ID token comes back (OpenID Connect Core §3.1.2.1).",
			"Add openid to the scope.")
	}
	u, err := url.Parse(p.Endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", ex, fmt.Errorf("steps: authorise URL: the authorization endpoint %q is not an absolute URL", p.Endpoint)
	}
	vals := map[string]string{
		"response_type": "code", "client_id": p.ClientID, "redirect_uri": p.RedirectURI, "scope": scope,
		"state": p.State, "nonce": p.Nonce, "code_challenge": p.CodeChallenge, "code_challenge_method": PKCEMethodS256,
	}
	// Keep the endpoint's own query (Keycloak has none, others may) and add
	// ours in a readable order.
	var q strings.Builder
	q.WriteString(u.RawQuery)
	var expl strings.Builder
	add := func(k, v string) {
		if q.Len() > 0 {
			q.WriteByte('&')
		}
		q.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
	}
	for _, k := range authorizeParamOrder {
		add(k, vals[k])
		fmt.Fprintf(&expl, "%s=%s\n    %s\n", k, vals[k], authorizeExplained[k])
	}
	extra := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		if _, ours := vals[k]; !ours {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		for _, v := range p.Extra[k] {
			add(k, v)
			fmt.Fprintf(&expl, "%s=%s\n", k, v)
		}
	}
	u.RawQuery = strings.ReplaceAll(q.String(), "+", "%20")
	ex.URL = u.String()
	ex.ReqBody = []byte(expl.String())
	ex.Note = "Nothing is sent yet: the browser opens this URL, the user signs in, and the realm redirects back to redirect_uri with code and state."
	return ex.URL, ex, nil
}

// hasScope reports whether a space-separated scope list holds s.
func hasScope(scope, s string) bool {
	for _, f := range strings.Fields(scope) {
		if f == s {
			return true
		}
	}
	return false
}
