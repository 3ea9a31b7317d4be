package steps_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

const sepRealmTokens = `{"access_token":"realm-access-token","expires_in":300,"refresh_expires_in":1800,"refresh_token":"realm-refresh","token_type":"Bearer","id_token":"aaa.bbb.ccc","not-before-policy":0,"session_state":"ss","scope":"openid profile"}`

func TestExchangeCodeRequest(t *testing.T) {
	base := steps.CodeParams{Auth: steps.ClientAuth{ClientID: "cis2 client", Secret: "s3cret/+"}, Code: "the-code", RedirectURI: "https://example.org", Verifier: "verifier-43-chars-xxxxxxxxxxxxxxxxxxxxxxxxxx"}
	for _, tt := range []struct {
		style     string
		wantForm  map[string]string
		wantBasic string
	}{
		{"", map[string]string{"grant_type": "authorization_code", "code": "the-code", "redirect_uri": "https://example.org",
			"client_id": "cis2 client", "client_secret": "s3cret/+", "code_verifier": base.Verifier}, ""},
		{"client_secret_post", map[string]string{"grant_type": "authorization_code", "code": "the-code", "redirect_uri": "https://example.org",
			"client_id": "cis2 client", "client_secret": "s3cret/+", "code_verifier": base.Verifier}, ""},
		// RFC 6749 §2.3.1: id and secret form-encoded before base64.
		{"client_secret_basic", map[string]string{"grant_type": "authorization_code", "code": "the-code", "redirect_uri": "https://example.org",
			"code_verifier": base.Verifier}, "cis2+client:s3cret%2F%2B"},
		{"basic", map[string]string{"grant_type": "authorization_code", "code": "the-code", "redirect_uri": "https://example.org",
			"code_verifier": base.Verifier}, "cis2+client:s3cret%2F%2B"},
	} {
		t.Run("style "+tt.style, func(t *testing.T) {
			ts, seen := sepServer(t, http.StatusOK, sepRealmTokens)
			p := base
			p.TokenURL, p.Auth.Method = ts.URL+"/realms/R/protocol/openid-connect/token", steps.AuthMethod(tt.style)
			tok, exs, err := steps.ExchangeCode(context.Background(), ts.Client(), p)
			if err != nil {
				t.Fatal(err)
			}
			if tok.IDToken != "aaa.bbb.ccc" || tok.AccessToken != "realm-access-token" || tok.RefreshExpiresIn != 1800 {
				t.Errorf("token = %+v", tok)
			}
			r := <-seen
			if r.Method != http.MethodPost || r.Path != "/realms/R/protocol/openid-connect/token" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
				t.Errorf("sent %s %s %q", r.Method, r.Path, r.Header.Get("Content-Type"))
			}
			sepFormEqual(t, r.Form, tt.wantForm)
			// The seed's order: grant_type, code, redirect_uri first.
			if !strings.HasPrefix(r.Body, "grant_type=authorization_code&code=the-code&redirect_uri=") {
				t.Errorf("body order: %s", r.Body)
			}
			user, pass, ok := (&http.Request{Header: r.Header}).BasicAuth()
			if tt.wantBasic == "" && ok {
				t.Errorf("unexpected Authorization header %q", r.Header.Get("Authorization"))
			}
			if tt.wantBasic != "" && (!ok || user+":"+pass != tt.wantBasic) {
				t.Errorf("basic auth %q:%q, want %q", user, pass, tt.wantBasic)
			}
			if len(exs) != 1 || exs[0].Title != "Code exchange" {
				t.Errorf("exchanges = %+v", exs)
			}
		})
	}
}

func TestExchangeCodeRefusals(t *testing.T) {
	for _, tt := range []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantHint string
	}{
		{"code reused", 400, `{"error":"invalid_grant","error_description":"Code not valid"}`, "invalid_grant", "single use"},
		{"redirect mismatch", 400, `{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}`, "invalid_grant", "https://example.org/ differ"},
		{"PKCE", 400, `{"error":"invalid_grant","error_description":"PKCE verification failed"}`, "invalid_grant", "code_verifier"},
		{"bad client", 401, `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`, "unauthorized_client", "mock-jwks"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts, _ := sepServer(t, tt.status, tt.body)
			_, exs, err := steps.ExchangeCode(context.Background(), ts.Client(), steps.CodeParams{TokenURL: ts.URL, Auth: steps.ClientAuth{ClientID: "c", Secret: "s"}, Code: "x", RedirectURI: "r", Verifier: "v"})
			var oe *steps.OAuthError
			if !errors.As(err, &oe) || oe.Code != tt.wantCode || oe.Status != tt.status {
				t.Fatalf("err = %v, want an OAuthError %s", err, tt.wantCode)
			}
			if !strings.Contains(hintText(err), tt.wantHint) {
				t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
			}
			if len(exs) != 1 || exs[0].Status != tt.status {
				t.Errorf("exchanges = %+v", exs)
			}
		})
	}
}

func TestExchangeCodeNoIDToken(t *testing.T) {
	ts, _ := sepServer(t, 200, `{"access_token":"a","token_type":"Bearer"}`)
	_, _, err := steps.ExchangeCode(context.Background(), ts.Client(), steps.CodeParams{TokenURL: ts.URL, Code: "x"})
	if err == nil || !strings.Contains(err.Error(), "no id_token") || !strings.Contains(hintText(err), "openid") {
		t.Fatalf("err = %v", err)
	}
}

func TestExchangeCodeBadInput(t *testing.T) {
	if _, exs, err := steps.ExchangeCode(context.Background(), http.DefaultClient, steps.CodeParams{TokenURL: "http://127.0.0.1:1"}); err == nil || len(exs) != 0 {
		t.Errorf("no code: err = %v, %d exchanges", err, len(exs))
	}
	if _, _, err := steps.ExchangeCode(context.Background(), http.DefaultClient, steps.CodeParams{TokenURL: "http://127.0.0.1:1", Code: "c", Auth: steps.ClientAuth{Method: "private_key_jwt"}}); err == nil {
		t.Error("private_key_jwt without a key accepted")
	}
	if _, _, err := steps.ExchangeCode(context.Background(), http.DefaultClient, steps.CodeParams{TokenURL: "http://127.0.0.1:1", Code: "c", Auth: steps.ClientAuth{Method: "tls_client_auth"}}); err == nil {
		t.Error("unsupported auth style accepted")
	}
	ts, _ := sepServer(t, 200, sepRealmTokens)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, exs, err := steps.ExchangeCode(ctx, ts.Client(), steps.CodeParams{TokenURL: ts.URL, Code: "c"}); !errors.Is(err, context.Canceled) || len(exs) != 1 {
		t.Errorf("cancelled: err = %v, %d exchanges", err, len(exs))
	}
}

// TestExchangeCodeRealm500: the realm's token endpoint failing with HTTP 500
// is the identity provider's failure, reported with its body.
func TestExchangeCodeRealm500(t *testing.T) {
	ts, _ := sepServer(t, 500, `realm database unavailable`)
	_, exs, err := steps.ExchangeCode(context.Background(), ts.Client(), steps.CodeParams{TokenURL: ts.URL, Code: "x"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 500: realm database unavailable") {
		t.Fatalf("err = %v", err)
	}
	if h := hintText(err); !strings.Contains(h, "identity provider failed") || strings.Count(h, "Retry in a minute") != 1 {
		t.Errorf("hints %q", h)
	}
	if len(exs) == 0 || string(exs[len(exs)-1].RespBody) != "realm database unavailable" {
		t.Errorf("the reply is not recorded")
	}
}
