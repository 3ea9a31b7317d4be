package steps_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

func TestCombinedAuthorizeURL(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    steps.CombinedAuthorizeParams
		want url.Values
	}{
		{"CIS2 without acr_values", steps.CombinedAuthorizeParams{Endpoint: "https://int.api.service.nhs.uk/oauth2-mock/authorize", APIKey: "k", RedirectURI: "https://app/cb", State: "s"},
			url.Values{"response_type": {"code"}, "client_id": {"k"}, "redirect_uri": {"https://app/cb"}, "state": {"s"}}},
		{"CIS2 with acr_values", steps.CombinedAuthorizeParams{Endpoint: "https://x/oauth2-mock/authorize", APIKey: "k", RedirectURI: "https://app/cb", State: "s", ACRValues: "AAL3_ANY"},
			url.Values{"response_type": {"code"}, "client_id": {"k"}, "redirect_uri": {"https://app/cb"}, "state": {"s"}, "acr_values": {"AAL3_ANY"}}},
		{"NHS login", steps.CombinedAuthorizeParams{Endpoint: "https://x/oauth2-mock/authorize", APIKey: "k", RedirectURI: "https://app/cb", State: "s", Scope: "nhs-login"},
			url.Values{"response_type": {"code"}, "client_id": {"k"}, "redirect_uri": {"https://app/cb"}, "state": {"s"}, "scope": {"nhs-login"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ex, err := steps.CombinedAuthorizeURL(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(got)
			if u.Query().Encode() != tt.want.Encode() || !ex.Synthetic || ex.URL != got {
				t.Errorf("got %s (exchange %+v), want query %s", got, ex, tt.want.Encode())
			}
			for k := range tt.want {
				if !strings.Contains(string(ex.ReqBody), k+"=") {
					t.Errorf("explanation lacks %s: %s", k, ex.ReqBody)
				}
			}
		})
	}
	if _, _, err := steps.CombinedAuthorizeURL(steps.CombinedAuthorizeParams{Endpoint: "https://x/a", APIKey: "k"}); err == nil || !strings.Contains(err.Error(), "redirect_uri, state") {
		t.Errorf("missing parameters: %v", err)
	}
}

// TestExchangePlatformCode asserts exactly what goes over the wire
// (reference §4.3) and reads the six-member answer, numbers as strings.
func TestExchangePlatformCode(t *testing.T) {
	ts, seen := sepServer(t, 200, `{"access_token":"at-123456","expires_in":"599","refresh_token":"rt-123456","refresh_token_expires_in":"43199","refresh_count":"0","token_type":"Bearer"}`)
	tok, exs, err := steps.ExchangePlatformCode(context.Background(), ts.Client(), steps.PlatformCodeParams{
		TokenURL: ts.URL + "/oauth2-mock/token", Auth: steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: "key", Secret: "secret"},
		Code: "the-code", RedirectURI: "http://127.0.0.1:8401/callback",
	})
	if err != nil {
		t.Fatal(err)
	}
	r := <-seen
	if r.Method != http.MethodPost || r.Path != "/oauth2-mock/token" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("request %s %s %s", r.Method, r.Path, r.Header.Get("Content-Type"))
	}
	sepFormEqual(t, r.Form, map[string]string{"grant_type": "authorization_code", "code": "the-code", "redirect_uri": "http://127.0.0.1:8401/callback", "client_id": "key", "client_secret": "secret"})
	if tok.AccessToken != "at-123456" || tok.ExpiresIn != 599 || tok.RefreshTokenExpiresIn != 43199 || tok.RefreshCount != 0 || len(exs) != 1 {
		t.Errorf("token %+v", tok)
	}
}

func TestExchangePlatformCodeRefused(t *testing.T) {
	ts, _ := sepServer(t, 400, `{"error":"invalid_grant","error_description":"authorization_code is invalid","message_id":"m"}`)
	_, _, err := steps.ExchangePlatformCode(context.Background(), ts.Client(), steps.PlatformCodeParams{TokenURL: ts.URL + "/oauth2-mock/token", Code: "c", RedirectURI: "r",
		Auth: steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: "k", Secret: "s"}})
	var oe *steps.OAuthError
	if !errors.As(err, &oe) || oe.Description != "authorization_code is invalid" || !strings.Contains(hintText(err), "single use") {
		t.Fatalf("err %v, hints %s", err, hintText(err))
	}
}

func TestUserinfo(t *testing.T) {
	ts, seen := sepServer(t, 200, `{"sub":"656005750104","nhsid_useruid":"656005750104"}`)
	ui, _, err := steps.FetchUserinfo(context.Background(), ts.Client(), steps.UserinfoParams{URL: ts.URL + "/oauth2-mock/userinfo", AccessToken: "tok-123"})
	if err != nil || ui.Claims["nhsid_useruid"] != "656005750104" {
		t.Fatalf("%v %v", ui.Claims, err)
	}
	if r := <-seen; r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer tok-123" {
		t.Errorf("request %s %v", r.Method, r.Header)
	}
	ts400, _ := sepServer(t, 400, `{"error":"invalid_request","error_description":"The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation"}`)
	_, _, err = steps.FetchUserinfo(context.Background(), ts400.Client(), steps.UserinfoParams{URL: ts400.URL + "/oauth2-mock/userinfo", AccessToken: "tok"})
	var oe *steps.OAuthError
	if !errors.As(err, &oe) || oe.Status != 400 || !strings.Contains(hintText(err), "only for tokens from CIS2 combined") {
		t.Errorf("400: %v, hints %s", err, hintText(err))
	}
}

// TestEndSession: the confirm page's form is posted back with the cookie,
// and the final page's message is returned.
func TestEndSession(t *testing.T) {
	var posted url.Values
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("KEYCLOAK_IDENTITY"); err != nil || c.Value != "sid.secret" {
			http.Error(w, "no session", 400)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		if r.Method == http.MethodGet {
			io.WriteString(w, `<form id="kc-logout-form" method="post" action="/logout"><input type="hidden" name="session_code" value="abc"><button>Log out</button></form>`)
			return
		}
		r.ParseForm()
		posted = r.PostForm
		io.WriteString(w, `<p id="kc-error-message">Your session has ended. Back-channel logout sent: HTTP 200.</p>`)
	}))
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(ts.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "KEYCLOAK_IDENTITY", Value: "sid.secret"}})
	msg, exs, err := steps.EndSession(context.Background(), ts.Client(), steps.EndSessionParams{URL: ts.URL + "/logout", Jar: jar})
	if err != nil || msg != "Your session has ended. Back-channel logout sent: HTTP 200." || posted.Get("session_code") != "abc" || len(exs) != 2 {
		t.Fatalf("msg %q, posted %v, %d exchanges, err %v", msg, posted, len(exs), err)
	}
	if _, _, err := steps.EndSession(context.Background(), ts.Client(), steps.EndSessionParams{URL: ts.URL + "/logout"}); err == nil {
		t.Error("no jar: want an error")
	}
}

// TestListenerReceived: the callback the listener received is an exchange
// with the browser's request and the page's status.
func TestListenerReceived(t *testing.T) {
	l := sepListen(t)
	if _, ok := l.Received(); ok {
		t.Fatal("received before any request")
	}
	sepGet(t, l.RedirectURI()+"?code=the-code&state=wrong")
	ex, ok := l.Received()
	if !ok || ex.Title != "Callback received" || ex.Method != http.MethodGet || ex.Status != http.StatusBadRequest ||
		ex.URL != l.RedirectURI()+"?code=the-code&state=wrong" || ex.ReqHeader.Get("User-Agent") == "" {
		t.Fatalf("received %+v", ex)
	}
}

// TestFormLoginPlatformRefusal: a JSON error page the platform answers the
// browser with (its callback's assurance refusal) comes back as the
// OAuthError, diagnosed for the callback.
func TestFormLoginPlatformRefusal(t *testing.T) {
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/authorize":
			io.WriteString(w, `<form id="kc-form-login" action="/login" method="post"></form>`)
		case "/login":
			http.Redirect(w, r, ts.URL+"/oauth2-mock/callback?code=c&state=p", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"unauthorized_client","error_description":"you have tried to request authorization but your application is not configured to use this authorization grant type","message_id":"m"}`)
		}
	}))
	defer ts.Close()
	_, exs, err := steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: ts.URL + "/authorize?redirect_uri=http://127.0.0.1:9/cb&state=s", Username: "656005750109"})
	var oe *steps.OAuthError
	if !errors.As(err, &oe) || oe.Status != 401 || len(exs) != 3 || !strings.Contains(hintText(err), "found at the platform's callback") {
		t.Fatalf("err %v (%d exchanges), hints %s", err, len(exs), hintText(err))
	}
}
