package mock

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// TestInteropGoOIDC: a relying party built from coreos/go-oidc and
// golang.org/x/oauth2, knowing nothing of nhsauth, discovers each local
// realm, completes a PKCE login (both client authentication styles),
// verifies the ID token with the realm's JWKS and its nonce, checks at_hash,
// and reads userinfo.
func TestInteropGoOIDC(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		d     *realmDef
		user  string
		style oauth2.AuthStyle
		scope []string
	}{
		{realmCIS2Def, "656005750108", oauth2.AuthStyleInParams, []string{oidc.ScopeOpenID, "profile", "nationalrbacaccess"}},
		{realmCIS2Def, "656005750104", oauth2.AuthStyleInHeader, []string{oidc.ScopeOpenID, "profile", "nationalrbacaccess"}},
		{realmNHSLoginDef, "9912003071", oauth2.AuthStyleInParams, []string{oidc.ScopeOpenID, "profile"}},
		{realmNHSLoginDef, "9912003072", oauth2.AuthStyleInHeader, []string{oidc.ScopeOpenID, "profile"}},
	}
	for _, tt := range cases {
		name := tt.user + map[oauth2.AuthStyle]string{oauth2.AuthStyleInParams: "/params", oauth2.AuthStyleInHeader: "/header"}[tt.style]
		t.Run(name, func(t *testing.T) {
			ctx := oidc.ClientContext(context.Background(), e.ts.Client())
			provider, err := oidc.NewProvider(ctx, e.realmURL(tt.d))
			if err != nil {
				t.Fatalf("discovery: %v", err)
			}
			endpoint := provider.Endpoint()
			endpoint.AuthStyle = tt.style
			cfg := oauth2.Config{
				ClientID: tt.d.ClientID, ClientSecret: tt.d.ClientSecret,
				Endpoint: endpoint, RedirectURL: "http://127.0.0.1:53682/callback", Scopes: tt.scope,
			}
			verifier, state, nonce := oauth2.GenerateVerifier(), "state-"+tt.user, "nonce-"+tt.user
			authURL := cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))

			// Log in by posting the form, following no redirect.
			status, _, page := e.get(t, authURL)
			if status != http.StatusOK {
				t.Fatalf("authorise: %d %s", status, page)
			}
			status, hdr, _ := e.postForm(t, saFormActionOf(t, page), url.Values{"username": {tt.user}})
			loc, err := url.Parse(hdr.Get("Location"))
			if status != http.StatusFound || err != nil || loc.Query().Get("state") != state {
				t.Fatalf("login: %d %s", status, hdr.Get("Location"))
			}

			tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			rawID, _ := tok.Extra("id_token").(string)
			idt, err := provider.Verifier(&oidc.Config{ClientID: tt.d.ClientID, Now: e.clock.Now}).Verify(ctx, rawID)
			if err != nil {
				t.Fatalf("verify ID token: %v", err)
			}
			if idt.Nonce != nonce {
				t.Errorf("nonce = %q, want %q", idt.Nonce, nonce)
			}
			if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
				t.Errorf("at_hash: %v", err)
			}
			ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			if ui.Subject != idt.Subject {
				t.Errorf("userinfo sub %q ≠ ID token sub %q", ui.Subject, idt.Subject)
			}
			var claims map[string]any
			if err := ui.Claims(&claims); err != nil {
				t.Fatal(err)
			}
			if tt.d == realmCIS2Def && claims["nhsid_nrbac_roles"] == nil {
				t.Errorf("CIS2 userinfo lacks nhsid_nrbac_roles: %v", claims)
			}
			if tt.d == realmNHSLoginDef && claims["nhs_number"] != tt.user {
				t.Errorf("NHS login userinfo nhs_number = %v", claims["nhs_number"])
			}

			// The wrong verifier is refused, and x/oauth2 reports Keycloak's error.
			authURL = cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
			_, _, page = e.get(t, authURL)
			_, hdr, _ = e.postForm(t, saFormActionOf(t, page), url.Values{"username": {tt.user}})
			loc, _ = url.Parse(hdr.Get("Location"))
			_, err = cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
			re, ok := errors.AsType[*oauth2.RetrieveError](err)
			if !ok || re.ErrorCode != "invalid_grant" || re.ErrorDescription != "PKCE verification failed" {
				t.Errorf("wrong verifier: %v", err)
			}
		})
	}
}

// TestInteropVerifierRejects: go-oidc's verifier refuses the realm's ID
// token for another client id, and after it has expired.
func TestInteropVerifierRejects(t *testing.T) {
	e := newSAEnv(t)
	ctx := oidc.ClientContext(context.Background(), e.ts.Client())
	provider, err := oidc.NewProvider(ctx, e.realmURL(realmCIS2Def))
	if err != nil {
		t.Fatal(err)
	}
	raw := e.idToken(t, realmCIS2Def, "656005750104")
	if _, err := provider.Verifier(&oidc.Config{ClientID: "another-client", Now: e.clock.Now}).Verify(ctx, raw); err == nil {
		t.Error("verified for another audience")
	}
	e.clock.Add(time.Hour + time.Second)
	if _, err := provider.Verifier(&oidc.Config{ClientID: CIS2ClientID, Now: e.clock.Now}).Verify(ctx, raw); err == nil {
		t.Error("verified an expired ID token")
	}
}
