package steps_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

const arAssertion = "eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJhcGkifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

func TestClientCredentialsRequest(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/oauth2/token" {
			t.Errorf("got %s %s, want POST /oauth2/token", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q", got)
		}
		body, _ := io.ReadAll(r.Body)
		if !strings.HasPrefix(string(body), "grant_type=client_credentials&client_assertion_type=") {
			t.Errorf("body = %s, want the guide's order: grant_type, client_assertion_type, client_assertion", body)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatal(err)
		}
		want := url.Values{
			"grant_type":              {"client_credentials"},
			"client_assertion_type":   {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":        {arAssertion},
			"_access_token_expiry_ms": {"60000"},
		}
		if len(form) != len(want) {
			t.Errorf("form = %v, want %v", form, want)
		}
		for k, v := range want {
			if got := form[k]; len(got) != 1 || got[0] != v[0] {
				t.Errorf("%s = %v, want %v", k, got, v)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"EFFs3EeT0SZbF2J14LvM93vVDTaA","expires_in":"599","token_type":"Bearer","issued_at":"1700000000000"}`)
	}))
	defer ts.Close()

	tok, exs, err := steps.ClientCredentials(context.Background(), ts.Client(), steps.ClientCredentialsParams{
		TokenURL: ts.URL + "/oauth2/token",
		Auth:     preSigned(arAssertion),
		// grant_type in Extra must not override the grant.
		Extra: url.Values{"_access_token_expiry_ms": {"60000"}, "grant_type": {"password"}},
	})
	if err != nil {
		t.Fatalf("ClientCredentials: %v", err)
	}
	if tok.AccessToken != "EFFs3EeT0SZbF2J14LvM93vVDTaA" || tok.ExpiresIn != 599 || tok.TokenType != "Bearer" || tok.IssuedAt != 1700000000000 {
		t.Errorf("token = %+v", tok)
	}
	if tok.Raw["expires_in"] != "599" {
		t.Errorf("Raw = %v, want the reply's fields as sent", tok.Raw)
	}
	if len(exs) != 1 || exs[0].Title != "Token request" || exs[0].Spec != "RFC 6749 §4.4; RFC 7523 §2.2" || exs[0].Status != 200 {
		t.Errorf("exchanges = %+v", exs)
	}
}

func TestClientCredentialsReplies(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		ctype     string
		body      string
		wantIs    []error
		wantOAuth string // the OAuth error code expected via errors.As
		wantHTTP  int    // the HTTPError status expected via errors.As
		wantHint  string
	}{
		{
			name: "oauth error", status: 401, ctype: "application/json",
			body:      `{"error":"invalid_request","error_description":"Missing or invalid 'aud' claim in client_assertion JWT","message_id":"rrt-1"}`,
			wantOAuth: "invalid_request", wantHint: "/oauth2/token",
		},
		{name: "html page", status: 200, ctype: "text/html", body: "<!DOCTYPE html><html><head><title>Sign in</title></head></html>", wantIs: []error{steps.ErrNotJSON}, wantHint: "HTML page"},
		{name: "html error page", status: 403, ctype: "text/html", body: "<html><body>Forbidden</body></html>", wantIs: []error{steps.ErrNotJSON}, wantHTTP: 403, wantHint: "HTML page"},
		{name: "truncated json", status: 200, ctype: "application/json", body: `{"access_token":"abc","expires_in":"59`, wantIs: []error{steps.ErrNotJSON}, wantHint: "cut short"},
		{name: "empty body", status: 200, ctype: "application/json", body: "", wantIs: []error{steps.ErrNotJSON}, wantHint: "empty"},
		{name: "server error", status: 500, ctype: "text/plain", body: "upstream exploded", wantHTTP: 500, wantHint: "failed on its side"},
		{name: "bad gateway html", status: 502, ctype: "text/html", body: "<html>Bad Gateway</html>", wantIs: []error{steps.ErrNotJSON}, wantHTTP: 502, wantHint: "failed on its side"},
		{name: "json without token", status: 200, ctype: "application/json", body: `{"hello":"world"}`, wantHint: "not a token response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer ts.Close()
			_, exs, err := steps.ClientCredentials(context.Background(), ts.Client(), steps.ClientCredentialsParams{TokenURL: ts.URL + "/oauth2/token", Auth: preSigned(arAssertion)})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "steps: token endpoint: ") {
				t.Errorf("err = %q, want the steps: token endpoint: prefix", err)
			}
			if len(exs) != 1 || exs[0].Status != tt.status || string(exs[0].RespBody) != tt.body {
				t.Errorf("exchanges = %+v, want the failed round trip", exs)
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			if tt.wantOAuth != "" {
				var oe *steps.OAuthError
				if !errors.As(err, &oe) || oe.Code != tt.wantOAuth || oe.Status != tt.status || oe.MessageID != "rrt-1" {
					t.Errorf("OAuthError = %+v, want code %s", oe, tt.wantOAuth)
				} else if oe.Grant != "client_credentials" || oe.Endpoint != ts.URL+"/oauth2/token" {
					t.Errorf("OAuthError grant/endpoint = %q %q", oe.Grant, oe.Endpoint)
				}
			}
			if tt.wantHTTP != 0 {
				var he *steps.HTTPError
				if !errors.As(err, &he) || he.Status != tt.wantHTTP {
					t.Errorf("HTTPError = %+v, want status %d", he, tt.wantHTTP)
				}
			}
			if hints := hintText(err); !strings.Contains(hints, tt.wantHint) {
				t.Errorf("hints = %q, want one mentioning %q", hints, tt.wantHint)
			}
		})
	}
}

func TestClientCredentialsCancelled(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a cancelled request reached the server")
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, exs, err := steps.ClientCredentials(ctx, ts.Client(), steps.ClientCredentialsParams{TokenURL: ts.URL + "/oauth2/token", Auth: preSigned(arAssertion)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(exs) != 1 || exs[0].Status != 0 || len(exs[0].ReqBody) == 0 {
		t.Errorf("exchanges = %+v, want the unsent request recorded", exs)
	}
}

func TestClientCredentialsConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	_, exs, err := steps.ClientCredentials(context.Background(), &http.Client{}, steps.ClientCredentialsParams{TokenURL: "http://" + addr + "/oauth2/token", Auth: preSigned(arAssertion)})
	if err == nil {
		t.Fatal("no error")
	}
	if hints := hintText(err); !strings.Contains(hints, "Nothing answers at http://"+addr) || !strings.Contains(hints, "local platform") || !strings.Contains(hints, "--env") {
		t.Errorf("hints = %q, want the connection-refused diagnosis", hints)
	}
	if len(exs) != 1 || exs[0].Err == nil || exs[0].Status != 0 {
		t.Errorf("exchanges = %+v, want one with its transport error", exs)
	}
}

func TestClientCredentialsTimeout(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer ts.Close()
	defer close(release)
	hc := ts.Client()
	hc.Timeout = 50 * time.Millisecond
	_, _, err := steps.ClientCredentials(context.Background(), hc, steps.ClientCredentialsParams{TokenURL: ts.URL + "/oauth2/token", Auth: preSigned(arAssertion)})
	if err == nil {
		t.Fatal("no error")
	}
	if hints := hintText(err); !strings.Contains(hints, "--timeout") {
		t.Errorf("hints = %q, want the --timeout advice", hints)
	}
}

func TestClientCredentialsBadInput(t *testing.T) {
	for _, p := range []steps.ClientCredentialsParams{
		{Auth: preSigned(arAssertion)},
		{TokenURL: "http://127.0.0.1:1/oauth2/token"},
		{TokenURL: "http://bad host/oauth2/token", Auth: preSigned(arAssertion)},
	} {
		if _, _, err := steps.ClientCredentials(context.Background(), http.DefaultClient, p); err == nil || !strings.HasPrefix(err.Error(), "steps: token endpoint: ") {
			t.Errorf("%+v: err = %v, want a steps: token endpoint: error", p, err)
		}
	}
}

func TestTransportErrorHints(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantHint string
	}{
		{"dns", &net.DNSError{Err: "no such host", Name: "int.api.service.nhs.uk", IsNotFound: true}, "VPN"},
		{"deadline", context.DeadlineExceeded, "--timeout"},
		{"reset", io.ErrUnexpectedEOF, "closed before a reply"},
		{"cancelled", context.Canceled, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := steps.TransportError(tt.err, "https://int.api.service.nhs.uk/oauth2/token")
			if !errors.Is(err, tt.err) {
				t.Errorf("the cause %v is lost from %v", tt.err, err)
			}
			hints := hintText(err)
			if tt.wantHint == "" && hints != "" {
				t.Errorf("hints = %q, want none for a cancellation", hints)
			}
			if !strings.Contains(hints, tt.wantHint) {
				t.Errorf("hints = %q, want %q", hints, tt.wantHint)
			}
		})
	}
}
