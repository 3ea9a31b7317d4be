package steps_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

const sepCredsBody = `{"cis2": {"client_id": "cis2-client", "client_secret": "cis2-secret-value", "redirect_uri": "https://example.org/"},
 "nhs-login": {"client_id": "nhs-client", "client_secret": "nhs-secret-value", "redirect_uri": "https://example.org/"}}`

func TestMockCredentialsRequest(t *testing.T) {
	for _, tt := range []struct {
		kind string
		want steps.MockClient
	}{
		{"cis2", steps.MockClient{ClientID: "cis2-client", ClientSecret: "cis2-secret-value", RedirectURI: "https://example.org/"}},
		{"nhs-login", steps.MockClient{ClientID: "nhs-client", ClientSecret: "nhs-secret-value", RedirectURI: "https://example.org/"}},
		{"", steps.MockClient{ClientID: "cis2-client", ClientSecret: "cis2-secret-value", RedirectURI: "https://example.org/"}},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			ts, seen := sepServer(t, http.StatusOK, sepCredsBody)
			got, exs, err := steps.MockCredentials(context.Background(), ts.Client(), steps.CredentialsParams{
				URL: ts.URL + "/mock-jwks/keycloak-client-credentials", APIKey: "my-api-key", Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			r := <-seen
			if r.Method != http.MethodGet || r.Path != "/mock-jwks/keycloak-client-credentials" {
				t.Errorf("sent %s %s", r.Method, r.Path)
			}
			if r.Header.Get("apikey") != "my-api-key" {
				t.Errorf("apikey header = %q", r.Header.Get("apikey"))
			}
			if len(exs) != 1 || exs[0].Status != http.StatusOK || exs[0].Title != "Mock client credentials" {
				t.Errorf("exchanges = %+v", exs)
			}
		})
	}
}

func TestMockCredentialsReplies(t *testing.T) {
	for _, tt := range []struct {
		name     string
		status   int
		body     string
		kind     string
		want     steps.MockClient
		wantErr  string
		wantHint string
	}{
		{name: "401 unknown key", status: 401, body: "", wantErr: "HTTP 401", wantHint: "mock-jwks (Int Environment)"},
		{name: "500", status: 500, body: "oops", wantErr: "HTTP 500", wantHint: "failed on its side"},
		{name: "HTML 200", status: 200, body: "<html><title>Portal</title></html>", wantErr: "not valid JSON"},
		{name: "kind missing", status: 200, body: `{"cis2": {"client_id": "a", "client_secret": "b"}}`, kind: "nhs-login", wantErr: `no "nhs-login" client`},
		{name: "no secret", status: 200, body: `{"cis2": {"client_id": "a"}}`, wantErr: "lacks a client_id or client_secret"},
		{name: "inner value is a JSON string", status: 200, body: `{"cis2": "{\"client_id\":\"a\",\"client_secret\":\"b\"}"}`,
			want: steps.MockClient{ClientID: "a", ClientSecret: "b"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts, _ := sepServer(t, tt.status, tt.body)
			got, exs, err := steps.MockCredentials(context.Background(), ts.Client(), steps.CredentialsParams{URL: ts.URL, APIKey: "k", Kind: tt.kind})
			if len(exs) != 1 {
				t.Errorf("got %d exchanges, want 1 even on failure", len(exs))
			}
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if !strings.Contains(hintText(err), tt.wantHint) {
				t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
			}
		})
	}
}

func TestMockCredentialsNoAPIKey(t *testing.T) {
	_, exs, err := steps.MockCredentials(context.Background(), http.DefaultClient, steps.CredentialsParams{URL: "http://127.0.0.1:1/x"})
	if err == nil || len(exs) != 0 || !strings.Contains(hintText(err), "--api-key") {
		t.Fatalf("err = %v, exs = %d; want a hinted refusal before sending", err, len(exs))
	}
}

func TestMockCredentialsCancelled(t *testing.T) {
	ts, _ := sepServer(t, 200, sepCredsBody)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := steps.MockCredentials(ctx, ts.Client(), steps.CredentialsParams{URL: ts.URL, APIKey: "k"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
