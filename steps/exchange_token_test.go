package steps_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

const sepPlatformTokens = `{"access_token":"platform-access-token","expires_in":"599","token_type":"Bearer","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","refresh_token":"platform-refresh-token","refresh_token_expires_in":"43199","refresh_count":"0"}`

func TestTokenExchangeRequest(t *testing.T) {
	ts, seen := sepServer(t, http.StatusOK, sepPlatformTokens)
	tok, exs, err := steps.TokenExchange(context.Background(), ts.Client(), steps.TokenExchangeParams{
		TokenURL: ts.URL + "/oauth2-mock/token", SubjectToken: "id.token.jwt", Auth: preSigned("client.assertion.jwt")})
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "platform-access-token" || tok.RefreshToken != "platform-refresh-token" || tok.RefreshTokenExpiresIn != 43199 || tok.ExpiresIn != 599 {
		t.Errorf("token = %+v", tok)
	}
	r := <-seen
	if r.Method != http.MethodPost || r.Path != "/oauth2-mock/token" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("sent %s %s %q", r.Method, r.Path, r.Header.Get("Content-Type"))
	}
	sepFormEqual(t, r.Form, map[string]string{
		"grant_type":            "urn:ietf:params:oauth:grant-type:token-exchange",
		"subject_token_type":    "urn:ietf:params:oauth:token-type:id_token",
		"subject_token":         "id.token.jwt",
		"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
		"client_assertion":      "client.assertion.jwt",
	})
	if !strings.HasPrefix(r.Body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=") {
		t.Errorf("body order (reference §3.1): %s", r.Body)
	}
	if len(exs) != 1 || exs[0].Title != "Token exchange" {
		t.Errorf("exchanges = %+v", exs)
	}
}

func TestTokenExchangeRefusals(t *testing.T) {
	for _, tt := range []struct {
		name, path, body, wantHint string
		status                     int
	}{
		{"insufficient assurance", "/oauth2-mock/token", `{"error":"unauthorized_client","error_description":"you have tried to request authorization but your application is not configured to use this authorization grant type","message_id":"m"}`, "Insufficient assurance", 401},
		{"mock ID token to /oauth2", "/oauth2/token", `{"error":"invalid_request","error_description":"Missing or non-matching 'iss' claim in subject_token JWT","message_id":"m"}`, "/oauth2-mock/token", 400},
		{"expired ID token", "/oauth2-mock/token", `{"error":"invalid_request","error_description":"Invalid 'exp' claim in subject_token JWT - JWT has expired","message_id":"m"}`, "Sign in again", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts, _ := sepServer(t, tt.status, tt.body)
			_, exs, err := steps.TokenExchange(context.Background(), ts.Client(), steps.TokenExchangeParams{TokenURL: ts.URL + tt.path, SubjectToken: "a.b.c", Auth: preSigned("x.y.z")})
			var oe *steps.OAuthError
			if !errors.As(err, &oe) || oe.Status != tt.status || len(exs) != 1 {
				t.Fatalf("err = %v, %d exchanges", err, len(exs))
			}
			if !strings.Contains(hintText(err), tt.wantHint) {
				t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
			}
		})
	}
	if _, exs, err := steps.TokenExchange(context.Background(), http.DefaultClient, steps.TokenExchangeParams{TokenURL: "http://127.0.0.1:1", Auth: preSigned("x")}); err == nil || len(exs) != 0 {
		t.Errorf("no ID token: err = %v", err)
	}
}

func TestRefreshTokenRequest(t *testing.T) {
	ts, seen := sepServer(t, http.StatusOK, strings.Replace(sepPlatformTokens, `"refresh_count":"0"`, `"refresh_count":"1"`, 1))
	tok, exs, err := steps.RefreshToken(context.Background(), ts.Client(), steps.RefreshParams{
		TokenURL: ts.URL + "/oauth2-mock/token", Auth: steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: "api-key", Secret: "api-secret"}, RefreshToken: "rt-1"})
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshCount != 1 {
		t.Errorf("refresh_count = %d", tok.RefreshCount)
	}
	r := <-seen
	if r.Path != "/oauth2-mock/token" {
		t.Errorf("path %s", r.Path)
	}
	sepFormEqual(t, r.Form, map[string]string{"grant_type": "refresh_token", "client_id": "api-key", "client_secret": "api-secret", "refresh_token": "rt-1"})
	if len(exs) != 1 || exs[0].Title != "Refresh" {
		t.Errorf("exchanges = %+v", exs)
	}
}

func TestRefreshTokenWithoutSecret(t *testing.T) {
	ts, seen := sepServer(t, http.StatusUnauthorized, `{"error":"invalid_request","error_description":"client_secret is missing","message_id":"m"}`)
	_, _, err := steps.RefreshToken(context.Background(), ts.Client(), steps.RefreshParams{TokenURL: ts.URL, Auth: steps.ClientAuth{ClientID: "k"}, RefreshToken: "rt"})
	r := <-seen
	if _, sent := r.Form["client_secret"]; sent {
		t.Errorf("an empty client_secret was sent: %s", r.Body)
	}
	if err == nil || !strings.Contains(hintText(err), "--api-secret") {
		t.Fatalf("err = %v, hints %q", err, hintText(err))
	}
	if _, exs, err := steps.RefreshToken(context.Background(), ts.Client(), steps.RefreshParams{TokenURL: ts.URL}); err == nil || len(exs) != 0 {
		t.Errorf("no refresh token: err = %v", err)
	}
}

// preSigned is the platform's client authentication with an assertion
// already signed.
func preSigned(assertion string) steps.ClientAuth {
	return steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, Assertion: assertion}
}
