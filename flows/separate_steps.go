package flows

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// runCredentials fetches the realm's mock client from mock-jwks.
func (s *separate) runCredentials(ctx context.Context, j *Journey) Outcome {
	if j.Env.IdentityBase == "" {
		return Fail(steps.WithHint(fmt.Errorf("flows: %s has no mock realms", j.Env.Name),
			"The Keycloak mock realms and mock-jwks exist only in the test environments: there is no mock in "+j.Env.Name+".",
			"Use --env local, int or sandbox."))
	}
	mc, exs, err := steps.MockCredentials(ctx, j.HTTP, steps.CredentialsParams{URL: j.Env.MockCredentialsURL(), APIKey: j.APIKey, Kind: s.credKind})
	if err != nil {
		return Fail(err, exs...)
	}
	j.Secret(mc.ClientSecret)
	j.Login.Creds = mc
	return Outcome{
		Summary: fmt.Sprintf("Mock %s client %s (registered redirect_uri %s)", s.kind, mc.ClientID, orDash(mc.RedirectURI)),
		Details: []string{
			"client_id: " + mc.ClientID,
			"client_secret: " + j.Redact.String(mc.ClientSecret),
			"redirect_uri: " + orDash(mc.RedirectURI) + " (the mock realms accept any redirect URI; nhsauth uses its loopback listener unless --redirect-uri says otherwise)",
		},
		Exchanges: exs,
	}
}

// runDiscovery reads the realm's discovery document.
func (s *separate) runDiscovery(ctx context.Context, j *Journey) Outcome {
	u := j.Env.DiscoveryURL(s.kind)
	if u == "" {
		return Fail(fmt.Errorf("flows: %s has no %s mock realm", j.Env.Name, s.kind))
	}
	p, exs, err := steps.Discover(ctx, j.HTTP, u)
	if err != nil {
		return Fail(err, exs...)
	}
	j.Login.Provider = p
	return Outcome{
		Summary: "Issuer " + p.Issuer,
		Details: []string{
			"authorization_endpoint: " + p.AuthURL,
			"token_endpoint: " + p.TokenURL,
			"jwks_uri: " + p.JWKSURL,
			"userinfo_endpoint: " + orDash(p.UserinfoURL),
			"The issuer equals the discovery URL without " + steps.WellKnownSuffix + " (OpenID Connect Discovery §4.3).",
		},
		Exchanges: exs,
	}
}

// runAuthorize makes a fresh state, nonce and PKCE pair, starts the
// loopback listener, and builds the authorise URL.
func (s *separate) runAuthorize(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	switch {
	case l.Provider.AuthURL == "":
		return Fail(errors.New("flows: no authorization endpoint yet: run the discovery step first"))
	case l.Creds.ClientID == "":
		return Fail(errors.New("flows: no client_id yet: run the credentials step first"))
	}
	redirect, details, err := beginLogin(l, l.RedirectURI)
	if err != nil {
		return Fail(err)
	}
	l.Nonce, l.PKCE = steps.RandomString(24), steps.NewPKCE()
	j.Secret(l.PKCE.Verifier)

	scope := l.Scope
	if scope == "" {
		scope = s.scope
	}
	authURL, ex, err := steps.AuthorizeURL(steps.AuthorizeParams{
		Endpoint: l.Provider.AuthURL, ClientID: l.Creds.ClientID, RedirectURI: redirect, Scope: scope,
		State: l.State, Nonce: l.Nonce, CodeChallenge: l.PKCE.Challenge, Extra: acrExtra(l.ACRValues),
	})
	if err != nil {
		l.CloseListener()
		return Fail(err, ex)
	}
	timeout := armLogin(l, authURL)
	details = append(details,
		"state: "+l.State,
		"nonce: "+l.Nonce,
		"PKCE: code_challenge "+l.PKCE.Challenge+" (S256 of a verifier kept here until the code exchange)",
		fmt.Sprintf("The login must complete within %s (--login-timeout).", timeout))
	return Outcome{Summary: "Open this URL to sign in: " + authURL, Details: details, Exchanges: []steps.Exchange{ex}}
}

// beginLogin starts a new login: the old listener, code and pasted URLs
// go, a fresh state is made, and the loopback listener starts when the
// redirect URI is a loopback one ("" means a free port and /callback). It
// returns the redirect URI to send and what to tell the user. The state is
// single use (RFC 6749 §10.12), so a re-run always starts here.
func beginLogin(l *LoginState, redirect string) (string, []string, error) {
	l.CloseListener()
	l.AuthURL, l.ListenAddr, l.Code, l.Callback = "", "", "", steps.Callback{}
	drainPasted(l.Pasted)
	l.State = steps.RandomString(24)
	addr, path, loopback, err := loopbackAddr(redirect)
	if err != nil {
		return "", nil, err
	}
	var details []string
	if loopback {
		ln, err := steps.ListenCallback(addr, path, l.State)
		if err != nil {
			return "", nil, err
		}
		l.Listener, l.ListenAddr = ln, ln.Addr()
		if redirect == "" {
			redirect = ln.RedirectURI()
		}
		details = append(details, "Listening for the redirect on "+redirect+" (127.0.0.1 only, one callback).")
	} else {
		details = append(details, "The redirect URI "+redirect+" is not a loopback address: after signing in, copy the address the browser lands on and paste it here.")
	}
	l.SentRedirectURI = redirect
	return redirect, details, nil
}

// armLogin records the authorise URL and the real-time deadline of the
// wait for its redirect, and returns the wait's length.
func armLogin(l *LoginState, authURL string) time.Duration {
	timeout := l.LoginTimeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	// Real time, not j.Now: the deadline bounds a real wait.
	l.AuthURL, l.Deadline = authURL, time.Now().Add(timeout)
	return timeout
}

// loopbackAddr decides where the listener binds for a redirect URI: "" means
// a free port and /callback; an http URI on 127.0.0.1, localhost or [::1]
// fixes the port and path; anything else is not loopback (the URL is
// pasted instead).
func loopbackAddr(redirect string) (addr, path string, loopback bool, err error) {
	if redirect == "" {
		return "127.0.0.1:0", "/callback", true, nil
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", "", false, steps.WithHint(fmt.Errorf("flows: redirect URI %q is not an absolute URL", redirect),
			"The redirect URI must be a full URL such as http://127.0.0.1:8080/callback or https://example.org/.",
			"Fix --redirect-uri, or leave it out to use the loopback listener.")
	}
	host := u.Hostname()
	if u.Scheme != "http" || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return "", "", false, nil
	}
	if host == "::1" {
		return "", "", false, steps.WithHint(fmt.Errorf("flows: redirect URI %s: the listener binds 127.0.0.1, not [::1]", redirect),
			"nhsauth's listener binds the IPv4 loopback address only.",
			"Use http://127.0.0.1:<port>/… or http://localhost:<port>/….")
	}
	port := u.Port()
	switch port {
	case "":
		port = "80"
	case "0":
		return "", "", false, steps.WithHint(fmt.Errorf("flows: redirect URI %s has port 0", redirect),
			"Port 0 means any free port to the listener, but the browser would be sent to port 0 itself, where nothing listens.",
			"Leave --redirect-uri out to use a free port, or give a fixed port (http://127.0.0.1:8080/callback).")
	}
	path = u.Path
	if path == "" {
		path = "/"
	}
	return net.JoinHostPort("127.0.0.1", port), path, true, nil
}

// drainPasted drops URLs pasted for an earlier login: they carry its state.
func drainPasted(ch chan string) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
