package flows

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// runCode redeems the authorization code at the realm's token endpoint.
func (s *separate) runCode(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	auth := steps.ClientAuth{Method: l.ClientAuth, ClientID: l.Creds.ClientID, Secret: l.Creds.ClientSecret, Now: j.Now}
	tok, exs, err := steps.ExchangeCode(ctx, j.HTTP, steps.CodeParams{
		TokenURL: l.Provider.TokenURL, Auth: auth, Code: l.Code, RedirectURI: l.SentRedirectURI, Verifier: l.PKCE.Verifier,
	})
	j.Secret(tok.Secrets()...)
	if err != nil {
		return withSkew(Fail(err, exs...), j.Now())
	}
	l.Tokens = tok
	return Outcome{
		Summary: fmt.Sprintf("Realm tokens issued: ID token, access token (expires in %d s), refresh token", tok.ExpiresIn),
		Details: []string{
			"Client authenticated with " + string(cmp.Or(l.ClientAuth, steps.AuthClientSecretPost)) + "; code_verifier sent for PKCE.",
			"id_token: " + j.Redact.String(tok.IDToken) + " (decoded on the Token tab; verified by the next step)",
			"The code is now spent: a second exchange of it is refused (Code not valid).",
		},
		Exchanges: exs,
		JWT:       tok.IDToken,
	}
}

// learnerClaims are the ID token claims the verification step explains, in
// the order shown.
var learnerClaims = map[RealmKind][]string{
	RealmCIS2:     {"sub", "acr", "amr", "id_assurance_level", "authentication_assurance_level", "sid"},
	RealmNHSLogin: {"sub", "nhs_number", "identity_proofing_level", "vot"},
}

// runIDToken verifies the ID token, one check per line.
func (s *separate) runIDToken(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	if l.Tokens.IDToken == "" {
		return Fail(steps.WithHint(errors.New("flows: no ID token yet"), "There is no ID token to verify.", "Run the code exchange first."))
	}
	now := j.Now()
	idt, exs, err := steps.VerifyIDToken(ctx, j.HTTP, steps.IDTokenParams{
		Raw: l.Tokens.IDToken, JWKSURL: l.Provider.JWKSURL, Issuer: l.Provider.Issuer,
		ClientID: l.Creds.ClientID, Nonce: l.Nonce, Now: now,
	})
	l.IDToken = idt
	var details []string
	for _, c := range learnerClaims[s.kind] {
		if v := idt.Claim(c); v != "" {
			details = append(details, fmt.Sprintf("%s = %s: %s", c, v, steps.ExplainClaim(c)))
		}
	}
	if lt := idt.Lifetime(); lt > 0 {
		details = append(details, fmt.Sprintf("Lifetime %s (exp − iat); it expires at %s, in %s: exchange it for platform tokens now.",
			lt, idt.Expiry.UTC().Format(time.RFC3339), idt.Expiry.Sub(now).Round(time.Second)))
	}
	if err != nil {
		o := Fail(err, exs...)
		o.Checks, o.JWT, o.Details = idt.Checks, l.Tokens.IDToken, details
		return withSkew(o, j.Now())
	}
	return Outcome{
		Summary:   fmt.Sprintf("ID token valid: %d of %d checks passed; %s", len(idt.Checks), len(idt.Checks), s.who(idt)),
		Details:   details,
		Checks:    idt.Checks,
		Exchanges: exs,
		JWT:       l.Tokens.IDToken,
	}
}

// who names the signed-in user and their level from the ID token.
func (s *separate) who(idt steps.IDToken) string {
	if s.kind == RealmNHSLogin {
		return fmt.Sprintf("NHS number %s, proofing level %s", orDash(idt.Claim("nhs_number")), orDash(idt.Claim("identity_proofing_level")))
	}
	return fmt.Sprintf("user %s at AAL%s", orDash(idt.Claim("sub")), orDash(idt.Claim("authentication_assurance_level")))
}

// exchangeURL is where the ID token goes: the mock realms' tokens are
// trusted only by /oauth2-mock/token.
func exchangeURL(j *Journey) string {
	if j.Login.ExchangeURL != "" {
		return j.Env.Resolve(j.Login.ExchangeURL)
	}
	return j.Env.MockTokenURL()
}

// runTokenExchange signs a client assertion with the app's key and swaps
// the ID token for platform tokens.
func (s *separate) runTokenExchange(ctx context.Context, j *Journey) Outcome {
	l := &j.Login
	if l.Tokens.IDToken == "" {
		return Fail(steps.WithHint(errors.New("flows: no ID token yet"), "There is no ID token to exchange.", "Sign in and exchange the code first."))
	}
	ko := ReadyKey(j)
	if ko.Failed() {
		return ko
	}
	tokenURL := exchangeURL(j)
	auth := platformAuth(j)
	assertion, aex, err := auth.Sign(tokenURL)
	exs := append(append([]steps.Exchange(nil), ko.Exchanges...), aex)
	if err != nil {
		return Fail(err, exs...)
	}
	j.Assertion, auth.Assertion = assertion, assertion
	j.Secret(assertion)
	tok, tex, err := steps.TokenExchange(ctx, j.HTTP, steps.TokenExchangeParams{TokenURL: tokenURL, SubjectToken: l.Tokens.IDToken, Auth: auth})
	exs = append(exs, tex...)
	j.Secret(tok.Secrets()...)
	if err != nil {
		var oe *steps.OAuthError
		if errors.As(err, &oe) && oe.Code == "unauthorized_client" {
			err = s.assuranceHint(err, l.IDToken)
		}
		o := Fail(err, exs...)
		o.Details = ko.Details
		return withSkew(o, j.Now())
	}
	l.Exchanged, j.Token = tok, tok
	return Outcome{
		Summary: fmt.Sprintf("Platform tokens issued: access token (expires in %d s), refresh token (refresh window %d s, refresh_count %d)",
			tok.ExpiresIn, tok.RefreshTokenExpiresIn, tok.RefreshCount),
		Details: append(ko.Details,
			"Client assertion signed with kid "+j.KID+" for "+tokenURL+".",
			"access_token: "+j.Redact.String(tok.AccessToken),
			"issued_token_type: "+orDash(tok.IssuedTokenType)),
		Exchanges: exs,
	}
}

// assuranceHint names the user's level when the platform found no product
// scope at it (reference §3.2, scope filtering).
func (s *separate) assuranceHint(err error, idt steps.IDToken) error {
	if s.kind == RealmNHSLogin {
		level := orDash(idt.Claim("identity_proofing_level"))
		user := orDash(idt.Claim("nhs_number"))
		return steps.WithHint(err,
			fmt.Sprintf("%s is proofed at %s; the app's products need P9 or P5 (urn:nhsd:apim:user-nhs-login:P9:… or :P5:…).", user, level),
			"Sign in as a P9 or P5 user (9912003071, 9912003072), or subscribe the app to a product at "+level+".")
	}
	level := orDash(idt.Claim("authentication_assurance_level"))
	user := orDash(idt.Claim("sub"))
	return steps.WithHint(err,
		fmt.Sprintf("%s signed in at AAL%s; the app's products need aal3 (urn:nhsd:apim:user-nhs-cis2:aal3:…).", user, level),
		"Sign in as an AAL3 user (656005750104, 656005750107, 656005750108), or subscribe the app to a product at aal"+level+".")
}

// runCallAPI calls the API with the platform access token.
func (s *separate) runCallAPI(ctx context.Context, j *Journey) Outcome {
	if j.Token.AccessToken == "" {
		return Fail(steps.WithHint(errors.New("flows: no platform access token yet"), "There is no access token to call the API with.", "Run the token exchange first."))
	}
	target := j.APIURL
	if target == "" {
		target = s.defaultURL
	}
	target = j.Env.Resolve(target)
	header := http.Header{}
	for k, vs := range j.Headers {
		header[k] = append([]string(nil), vs...)
	}
	if s.kind == RealmCIS2 && j.Login.SessionURID != "" {
		header.Set("NHSD-Session-URID", j.Login.SessionURID)
	}
	resp, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: target, AccessToken: j.Token.AccessToken, Header: header, FollowRedirects: j.FollowRedirects})
	j.API = APIResult{Status: resp.Status, Body: resp.Body}
	if err != nil {
		return Fail(err, exs...)
	}
	body := strings.Join(strings.Fields(string(resp.Body)), " ")
	if len(body) > 200 {
		body = body[:200] + "…"
	}
	o := Outcome{Summary: fmt.Sprintf("HTTP %d from %s: %s", resp.Status, target, body), Exchanges: exs}
	if h := header.Get("NHSD-Session-URID"); h != "" {
		o.Details = append(o.Details, "Sent NHSD-Session-URID: "+h+" (the user's role profile).")
	}
	return o
}

// runRefresh trades the platform refresh token for new tokens.
func (s *separate) runRefresh(ctx context.Context, j *Journey) Outcome {
	return refreshAt(ctx, j, exchangeURL(j))
}

// refreshAt refreshes the platform's tokens at tokenURL, the base path that
// issued them (reference §3.5, §4.4).
func refreshAt(ctx context.Context, j *Journey, tokenURL string) Outcome {
	prev := j.Token
	tok, exs, err := steps.RefreshToken(ctx, j.HTTP, steps.RefreshParams{TokenURL: tokenURL, Auth: j.appSecretAuth(), RefreshToken: prev.RefreshToken})
	j.Secret(tok.Secrets()...)
	if err != nil {
		return withSkew(Fail(err, exs...), j.Now())
	}
	j.Login.Refreshed, j.Token = tok, tok
	return Outcome{
		Summary: fmt.Sprintf("Refreshed: new access token (expires in %d s); refresh_count %d; refresh window %d s → %d s left",
			tok.ExpiresIn, tok.RefreshCount, prev.RefreshTokenExpiresIn, tok.RefreshTokenExpiresIn),
		Details: []string{
			"refresh_token_expires_in counts down across refreshes: the session window is fixed at the first token and refreshing does not extend it.",
			"The old refresh token is now spent; the new one is " + j.Redact.String(tok.RefreshToken) + ".",
		},
		Exchanges: exs,
	}
}
