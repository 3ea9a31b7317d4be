package mock

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

// TestInteropCIS2: a relying party built from coreos/go-oidc and
// golang.org/x/oauth2 only, knowing reference §6 and RFC 7591, registers at
// the local Connection Manager, signs in with PKCE (client_secret_post, and
// private_key_jwt with an assertion it builds with go-jose), verifies the
// ID token and at_hash, and reads the (signed) userinfo.
func TestInteropCIS2(t *testing.T) {
	e := newCDEnv(t)
	for _, method := range []string{"client_secret_post", "private_key_jwt"} {
		t.Run(method, func(t *testing.T) {
			c := e.client(t, method, map[string]any{"userinfo_signed_response_alg": "RS512"})
			ctx := oidc.ClientContext(context.Background(), e.ts.Client())
			provider, err := oidc.NewProvider(ctx, e.issuer())
			if err != nil {
				t.Fatalf("discovery: %v", err)
			}
			endpoint := provider.Endpoint()
			endpoint.AuthStyle = oauth2.AuthStyleInParams
			secret, _ := c["client_secret"].(string)
			cfg := oauth2.Config{ClientID: c["client_id"].(string), ClientSecret: secret, Endpoint: endpoint,
				RedirectURL: "http://127.0.0.1:9/callback", Scopes: []string{oidc.ScopeOpenID, "profile", "nationalrbacaccess"}}
			verifier := oauth2.GenerateVerifier()
			authURL := cfg.AuthCodeURL("st", oidc.Nonce("nn"), oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("acr_values", "AAL3_ANY"))
			status, _, page := e.get(t, authURL)
			if status != http.StatusOK {
				t.Fatalf("authorise: %d %s", status, page)
			}
			_, hdr, _ := e.postForm(t, saFormActionOf(t, page), url.Values{"username": {"656005750108"}})
			loc, _ := url.Parse(hdr.Get("Location"))
			opts := []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}
			if method == "private_key_jwt" {
				opts = append(opts, oauth2.SetAuthURLParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
					oauth2.SetAuthURLParam("client_assertion", joseAssertion(t, cfg.ClientID, endpoint.TokenURL, e.clock.Now())))
			}
			tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), opts...)
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			idt, err := provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: e.clock.Now}).Verify(ctx, tok.Extra("id_token").(string))
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if idt.Nonce != "nn" || idt.VerifyAccessToken(tok.AccessToken) != nil {
				t.Errorf("nonce %q or at_hash", idt.Nonce)
			}
			ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			if ui.Subject != idt.Subject {
				t.Errorf("userinfo sub %q ≠ %q", ui.Subject, idt.Subject)
			}
		})
	}
}

// joseAssertion is a private_key_jwt assertion built with go-jose alone.
func joseAssertion(t *testing.T, clientID, aud string, now time.Time) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS512, Key: jose.JSONWebKey{Key: saKeys.app, KeyID: saAppKID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(jwt.Claims{Issuer: clientID, Subject: clientID, Audience: jwt.Audience{aud},
		ID: uuid.NewString(), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
