package flows

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// logoutWait bounds the wait for CIS2's back-channel logout POST.
const logoutWait = 10 * time.Second

// runRegister registers a client at the local Connection Manager, or takes
// the one given on a real environment.
func (d *direct) runRegister(ctx context.Context, j *Journey) Outcome {
	ds := &j.Direct
	if !j.Env.Local {
		return d.givenClient(j)
	}
	meta := steps.ClientMetadata{ClientName: "nhsauth cis2-direct", TokenEndpointAuthMethod: cmp.Or(ds.ClientAuth, steps.AuthClientSecretPost),
		UserinfoSignedResponseAlg: ds.UserinfoAlg}
	var pre []steps.Exchange
	if meta.TokenEndpointAuthMethod == steps.AuthPrivateKeyJWT {
		ko := ReadyKey(j)
		if ko.Failed() {
			return ko
		}
		pre = ko.Exchanges
		jwks, _ := json.Marshal(keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&j.Key.PublicKey, j.KID)}})
		meta.JWKS = jwks
	}
	redirect, err := reserveRedirect(j.Login.RedirectURI)
	if err != nil {
		return Fail(err)
	}
	ds.CloseReceiver()
	rcv, err := steps.ListenLogout("127.0.0.1:0", "/backchannel-logout")
	if err != nil {
		return Fail(err)
	}
	ds.Receiver = rcv
	meta.RedirectURIs, meta.BackchannelLogoutURI = []string{redirect}, rcv.URI()
	reg, exs, err := steps.Register(ctx, j.HTTP, j.Env.APIBase+ConnectionManagerPath, meta)
	exs = append(pre, exs...)
	if err != nil {
		ds.CloseReceiver()
		return Fail(err, exs...)
	}
	j.Secret(reg.ClientSecret)
	ds.Registration, ds.ClientID, ds.ClientSecret = reg, reg.ClientID, reg.ClientSecret
	j.Login.RedirectURI = redirect
	return Outcome{
		Summary: fmt.Sprintf("Registered %s (%s) at the local Connection Manager", reg.ClientID, meta.TokenEndpointAuthMethod),
		Details: []string{
			"client_id: " + reg.ClientID + " (<12 digits>.apps.supplier, as CIS2 issues them)",
			"client_secret: " + orDash(j.Redact.String(reg.ClientSecret)) + " (a random GUID; none for private_key_jwt)",
			"redirect_uris: " + redirect + " (matched exactly at the authorise request)",
			"userinfo_signed_response_alg: " + orDash(reg.UserinfoSignedResponseAlg),
			"backchannel_logout_uri: " + rcv.URI() + " (nhsauth's receiver, listening now; real CIS2 needs public HTTPS)",
			"The registered clients are listed at " + j.Env.APIBase + "/_mock/connection-manager.",
		},
		Exchanges: exs,
	}
}

// givenClient takes the client registered in CIS2's Connection Manager.
func (d *direct) givenClient(j *Journey) Outcome {
	ds := &j.Direct
	if ds.ClientID == "" {
		return Fail(steps.WithHint(fmt.Errorf("flows: no CIS2 client id for %s", j.Env.Name),
			"nhsauth registers clients only on the local platform; on "+j.Env.Name+" CIS2's Connection Manager (path to live) or NHS England (production) registers them.",
			"Register in Connection Manager, then pass --client-id, --client-auth and --client-secret or --private-key."))
	}
	ds.Registration = steps.ClientRegistration{ClientID: ds.ClientID, ClientMetadata: steps.ClientMetadata{TokenEndpointAuthMethod: ds.ClientAuth}}
	return Outcome{Summary: "Using CIS2 client " + ds.ClientID + " (" + string(cmp.Or(ds.ClientAuth, steps.AuthClientSecretPost)) + ")",
		Details: []string{"Registered in CIS2's Connection Manager: redirect URIs, the authentication method and its secret or JWKS URI, signed userinfo and the back-channel logout URI (" + docCIS2Register + ")."}}
}

// reserveRedirect picks the loopback redirect URI to register: the given
// one, or http://127.0.0.1:<a free port>/callback, which the authorise
// step's listener then binds.
func reserveRedirect(given string) (string, error) {
	if given != "" {
		return given, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("flows: a free port for the redirect URI: %w", err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String() + "/callback", nil
}

// runDiscovery reads CIS2's discovery document.
func (d *direct) runDiscovery(ctx context.Context, j *Journey) Outcome {
	u := j.Env.CIS2DiscoveryURL()
	if u == "" {
		return Fail(steps.WithHint(fmt.Errorf("flows: no CIS2 discovery URL for %s", j.Env.Name),
			"CIS2 Authentication is known on local, dev, int and prod (reference §6.1); DEP's host is unconfirmed.",
			"Use --env local, int or prod."))
	}
	p, exs, err := steps.Discover(ctx, j.HTTP, u)
	if err != nil {
		return Fail(err, exs...)
	}
	j.Login.Provider = p
	var details []string
	for _, k := range []string{"token_endpoint_auth_methods_supported", "userinfo_signing_alg_values_supported", "acr_values_supported", "backchannel_logout_supported"} {
		if v, ok := p.Raw[k]; ok {
			details = append(details, fmt.Sprintf("%s: %v", k, v))
		}
	}
	details = append(details, "token_endpoint: "+p.TokenURL+" (a client assertion's aud, exactly)", "end_session_endpoint: "+orDash(p.EndSessionURL))
	return Outcome{Summary: "Issuer " + p.Issuer, Details: details, Exchanges: exs}
}

// runAuthorize builds the authorise URL with acr_values.
func (d *direct) runAuthorize(ctx context.Context, j *Journey) Outcome {
	j.Login.Creds = steps.MockClient{ClientID: j.Direct.ClientID, ClientSecret: j.Direct.ClientSecret}
	if j.Login.ACRValues == "" {
		j.Login.ACRValues = DefaultCIS2ACR
	}
	o := d.sep.runAuthorize(ctx, j)
	if !o.Failed() {
		o.Details = append(o.Details, "acr_values: "+j.Login.ACRValues+" (the relying party checks the level again in the ID token)")
	}
	return o
}

// runSignIn signs in; a refusal for the user's level is explained.
func (d *direct) runSignIn(ctx context.Context, j *Journey) Outcome {
	o := d.sep.runSignIn(ctx, j)
	var ce *steps.CallbackError
	if errors.As(o.Err, &ce) && ce.Code == "access_denied" {
		o.Hints = append([]steps.Hint{{
			Cause: fmt.Sprintf("CIS2 refused the sign-in for acr_values %s: %s.", j.Login.ACRValues, ce.Description),
			Fix:   "Sign in as a user at the level asked (AAL3: 656005750104, 656005750107, 656005750108), or ask for less with --acr-values AAL2_OR_AAL3_ANY. (What real CIS2 does here is unconfirmed; the local CIS2 refuses with access_denied.)",
		}}, o.Hints...)
	}
	return o
}

// runCode redeems the code with the chosen client authentication.
func (d *direct) runCode(ctx context.Context, j *Journey) Outcome {
	ds, l := &j.Direct, &j.Login
	auth := steps.ClientAuth{Method: ds.ClientAuth, ClientID: ds.ClientID, Secret: ds.ClientSecret, Alg: ds.Alg, Now: j.Now}
	if ds.ClientAuth == steps.AuthPrivateKeyJWT {
		if j.Key == nil {
			if ko := ReadyKey(j); ko.Failed() {
				return ko
			}
		}
		auth.Key, auth.KID = j.Key, j.KID
	}
	tok, exs, err := steps.ExchangeCode(ctx, j.HTTP, steps.CodeParams{
		TokenURL: l.Provider.TokenURL, Auth: auth, Code: l.Code, RedirectURI: l.SentRedirectURI, Verifier: l.PKCE.Verifier,
	})
	j.Secret(tok.Secrets()...)
	if err != nil {
		var oe *steps.OAuthError
		if errors.As(err, &oe) && oe.Code == "invalid_client" {
			err = steps.WithHint(err, "CIS2 took the client authentication as "+string(cmp.Or(ds.ClientAuth, steps.AuthClientSecretPost))+" and refused it: the method must be the registered one, and an assertion needs iss = sub = the client id, aud = "+l.Provider.TokenURL+", an exp ahead and a fresh jti.",
				"Use the method registered in Connection Manager (--client-auth) with its secret or key.")
		}
		return withSkew(Fail(err, exs...), j.Now())
	}
	l.Tokens = tok
	return Outcome{
		Summary: fmt.Sprintf("CIS2 tokens issued with %s: ID token, access token (expires in %d s)", cmp.Or(ds.ClientAuth, steps.AuthClientSecretPost), tok.ExpiresIn),
		Details: []string{
			"Client authenticated with " + string(cmp.Or(ds.ClientAuth, steps.AuthClientSecretPost)) + "; code_verifier sent for PKCE.",
			"id_token: " + j.Redact.String(tok.IDToken) + " (verified by the next step)",
			"scope granted: " + orDash(tok.Scope),
		},
		Exchanges: exs,
		JWT:       tok.IDToken,
	}
}

// runIDToken verifies the ID token and the assurance asked for.
func (d *direct) runIDToken(ctx context.Context, j *Journey) Outcome {
	o := d.sep.runIDToken(ctx, j)
	if j.Login.IDToken.Claims == nil {
		return o
	}
	checks := steps.AssuranceChecks(j.Login.IDToken.Claims, j.Login.ACRValues)
	o.Checks = append(o.Checks, checks...)
	var failed []string
	for _, c := range checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) > 0 && !o.Failed() {
		o.Err = fmt.Errorf("flows: ID token: assurance for acr_values %s: %s failed", j.Login.ACRValues, strings.Join(failed, ", "))
		o.Hints = append(o.Hints, steps.Hint{Cause: "The user's assurance does not meet what this app asked for.", Fix: "Sign in as a user at the level asked, or change --acr-values."})
	}
	return o
}

// runUserinfo reads and checks the userinfo.
func (d *direct) runUserinfo(ctx context.Context, j *Journey) Outcome {
	l, ds := &j.Login, &j.Direct
	ui, exs, err := steps.FetchUserinfo(ctx, j.HTTP, steps.UserinfoParams{
		URL: l.Provider.UserinfoURL, AccessToken: l.Tokens.AccessToken, JWKSURL: l.Provider.JWKSURL,
		Issuer: l.Provider.Issuer, Subject: l.IDToken.Claim("sub"), SignedAlg: ds.Registration.UserinfoSignedResponseAlg,
	})
	ds.Userinfo = ui
	var details []string
	for _, k := range []string{"sub", "name", "uid", "nhsid_useruid", "nhsid_nrbac_roles"} {
		if v, ok := ui.Claims[k]; ok {
			b, _ := json.Marshal(v)
			details = append(details, k+": "+string(b))
		}
	}
	if err != nil {
		o := Fail(err, exs...)
		o.Checks, o.Details = ui.Checks, details
		return o
	}
	how := "plain JSON"
	if ui.Signed {
		how = "signed JWT, verified"
	}
	return Outcome{Summary: fmt.Sprintf("Userinfo (%s): %d claims for %s", how, len(ui.Claims), l.IDToken.Claim("sub")),
		Details: details, Checks: ui.Checks, Exchanges: exs, JWT: ui.Raw}
}
