package mock

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLoginPage: the page has NHS's form (id kc-form-login, field username)
// as its first form, lists every test user of the realm with a one-click
// form posting the same action, and escapes what it echoes.
func TestLoginPage(t *testing.T) {
	e := newSAEnv(t)
	for _, d := range []*realmDef{realmCIS2Def, realmNHSLoginDef} {
		t.Run(d.Name, func(t *testing.T) {
			status, hdr, page := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+saAuthParams(d, MockRedirectURI).Encode())
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s", status, hdr.Get("Content-Type"))
			}
			html := string(page)
			if i := strings.Index(html, "<form"); i < 0 || !strings.HasPrefix(html[i:], `<form id="kc-form-login"`) {
				t.Errorf("kc-form-login is not the page's first form")
			}
			// It works without JavaScript: it has none (plain forms only).
			for _, js := range []string{"<script", "javascript:", " onclick=", " onsubmit="} {
				if strings.Contains(strings.ToLower(html), js) {
					t.Errorf("page uses JavaScript (%s)", js)
				}
			}
			for _, want := range []string{`name="username"`, `id="username"`, `type="submit"`, `name="viewport"`, "@media (max-width:640px)"} {
				if !strings.Contains(html, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			action := saFormActionOf(t, page)
			if !strings.HasPrefix(action, e.realmURL(d)+"/login-actions/authenticate?") {
				t.Errorf("action = %s", action)
			}
			oneClick := regexp.MustCompile(`<form method="post" action="([^"]+)"><input type="hidden" name="username" value="(\d+)">`)
			found := map[string]bool{}
			for _, m := range oneClick.FindAllStringSubmatch(html, -1) {
				if strings.ReplaceAll(m[1], "&amp;", "&") != action {
					t.Errorf("one-click form for %s posts to %s, want %s", m[2], m[1], action)
				}
				found[m[2]] = true
			}
			for _, u := range d.Users {
				if !found[u.ID] {
					t.Errorf("no one-click sign-in for %s", u.ID)
				}
				if !strings.Contains(html, u.assurance()) {
					t.Errorf("assurance %s of %s not shown", u.assurance(), u.ID)
				}
			}
		})
	}
	// CIS2 specifics: roles, with the unconfirmed ones said to be so.
	_, _, page := e.get(t, e.realmURL(realmCIS2Def)+"/protocol/openid-connect/auth?"+saAuthParams(realmCIS2Def, MockRedirectURI).Encode())
	for _, want := range []string{"R0260 General Medical Practitioner", "R8008 Admin/Clinical Support Access Role", "role unconfirmed", "AAL1", "local imitation", "Cis2-mock-int"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("CIS2 page lacks %q", want)
		}
	}
}

// TestLoginUnknownUser: an unknown username gets the page again, with an
// error and the typed value escaped; the same form then signs a known user
// in.
func TestLoginUnknownUser(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	_, _, page := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+saAuthParams(d, MockRedirectURI).Encode())
	action := saFormActionOf(t, page)
	status, _, again := e.postForm(t, action, url.Values{"username": {`<script>alert(1)</script>`}})
	if status != http.StatusOK || !strings.Contains(string(again), "Invalid username or password.") || !strings.Contains(string(again), `id="kc-form-login"`) {
		t.Fatalf("unknown user: %d %s", status, again)
	}
	if strings.Contains(string(again), "<script>alert(1)") || !strings.Contains(string(again), "&lt;script&gt;") {
		t.Errorf("typed value not escaped")
	}
	if saFormActionOf(t, again) != action {
		t.Errorf("the page again posts elsewhere")
	}
	// The one-click button's value follows the typed field and wins.
	status, hdr, _ := e.postForm(t, action, url.Values{"username": {"", "656005750108"}, "password": {"ignored"}})
	if status != http.StatusFound || !strings.HasPrefix(hdr.Get("Location"), MockRedirectURI+"?") {
		t.Fatalf("known user: %d %s", status, hdr.Get("Location"))
	}
	// The login is spent: posting again is a timed-out login.
	status, _, body := e.postForm(t, action, url.Values{"username": {"656005750108"}})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "Your login attempt timed out") {
		t.Errorf("second post: %d %s", status, body)
	}
}

// TestLoginRedirect: the redirect carries state, session_state and code,
// query-escaped, after the redirect URI's own query; NHS numbers may be typed
// with spaces.
func TestLoginRedirect(t *testing.T) {
	e := newSAEnv(t)
	d := realmNHSLoginDef
	p := saAuthParams(d, "http://127.0.0.1:9/cb?app=1&x=a%20b")
	p.Set("state", "s&t=1 2")
	loc := e.login(t, d, p, "991 200 3071")
	if loc.Scheme != "http" || loc.Host != "127.0.0.1:9" || loc.Path != "/cb" {
		t.Errorf("redirected to %s", loc)
	}
	if !strings.HasPrefix(loc.RawQuery, "app=1&x=a%20b&state=") {
		t.Errorf("query %q does not keep the redirect URI's own first", loc.RawQuery)
	}
	q := loc.Query()
	if q.Get("state") != "s&t=1 2" || q.Get("code") == "" || q.Get("session_state") == "" || q.Get("app") != "1" || q.Get("x") != "a b" {
		t.Errorf("query %v", q)
	}
	// No state requested, none returned (NHS's harness sends none).
	p = saAuthParams(d, MockRedirectURI)
	p.Del("state")
	if loc := e.login(t, d, p, "9912003072"); loc.Query().Has("state") {
		t.Errorf("state appeared: %s", loc)
	}
}

// TestAuthorizeErrors: faults with the client or redirect URI get
// Keycloak's error page; later faults are redirected with error=.
func TestAuthorizeErrors(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	verifier := strings.Repeat("v", 43)
	cases := []struct {
		name     string
		change   func(url.Values)
		page     string // error page message, or
		errParam string // error= on the redirect
		errDesc  string
	}{
		{name: "client_id missing", change: func(p url.Values) { p.Del("client_id") }, page: "Missing parameter: client_id"},
		{name: "client unknown", change: func(p url.Values) { p.Set("client_id", "test-client-unknown") }, page: "Client not found."},
		{name: "the platform's client, another redirect_uri", change: func(p url.Values) { p.Set("client_id", PlatformCIS2ClientID) }, page: "Invalid parameter: redirect_uri"},
		{name: "client of the other realm", change: func(p url.Values) { p.Set("client_id", NHSLoginClientID) }, page: "Client not found."},
		{name: "redirect_uri missing", change: func(p url.Values) { p.Del("redirect_uri") }, page: "Invalid parameter: redirect_uri"},
		{name: "redirect_uri relative", change: func(p url.Values) { p.Set("redirect_uri", "/callback") }, page: "Invalid parameter: redirect_uri"},
		{name: "redirect_uri too long", change: func(p url.Values) { p.Set("redirect_uri", "https://example.org/"+strings.Repeat("a", maxAuthParam)) }, page: "Invalid parameter: redirect_uri"},
		{name: "state too long", change: func(p url.Values) { p.Set("state", strings.Repeat("s", maxAuthParam+1)) }, page: "Invalid parameter: state"},
		{name: "nonce too long", change: func(p url.Values) { p.Set("nonce", strings.Repeat("n", maxAuthParam+1)) }, page: "Invalid parameter: nonce"},
		{name: "scope too long", change: func(p url.Values) { p.Set("scope", "openid"+strings.Repeat(" x", maxAuthParam)) }, page: "Invalid parameter: scope"},
		{name: "response_type missing", change: func(p url.Values) { p.Del("response_type") }, errParam: "invalid_request", errDesc: "Missing parameter: response_type"},
		{name: "response_type token", change: func(p url.Values) { p.Set("response_type", "token") }, errParam: "unsupported_response_type", errDesc: "Unsupported response_type"},
		{name: "code_challenge_method unknown", change: func(p url.Values) {
			p.Set("code_challenge", saS256(verifier))
			p.Set("code_challenge_method", "S512")
		}, errParam: "invalid_request", errDesc: "Invalid parameter: code_challenge_method"},
		{name: "code_challenge too short", change: func(p url.Values) {
			p.Set("code_challenge", "short")
			p.Set("code_challenge_method", "S256")
		}, errParam: "invalid_request", errDesc: "Invalid parameter: code_challenge"},
		{name: "prompt none without a session", change: func(p url.Values) { p.Set("prompt", "none") }, errParam: "login_required"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := saAuthParams(d, MockRedirectURI)
			tt.change(p)
			status, hdr, body := e.get(t, e.realmURL(d)+"/protocol/openid-connect/auth?"+p.Encode())
			if tt.page != "" {
				if status != http.StatusBadRequest || !strings.Contains(string(body), tt.page) || strings.Contains(string(body), "kc-form-login") {
					t.Errorf("got %d %s, want the error page %q", status, body, tt.page)
				}
				return
			}
			loc, _ := url.Parse(hdr.Get("Location"))
			if status != http.StatusFound || loc == nil {
				t.Fatalf("got %d, want 302", status)
			}
			q := loc.Query()
			if q.Get("error") != tt.errParam || q.Get("error_description") != tt.errDesc || q.Get("state") != p.Get("state") || q.Has("code") {
				t.Errorf("redirect query %v", q)
			}
		})
	}
}
