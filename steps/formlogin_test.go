package steps_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

// sepKeycloak imitates a Keycloak realm's login: /auth redirects to /login
// (setting a session cookie), which shows the kc-form-login form; posting a
// known user to the form's action redirects to redirect_uri with a code.
type sepKeycloak struct {
	ts        *httptest.Server
	users     map[string]bool
	stateEdit func(string) string // changes the state sent back
	posted    url.Values
	postType  string
	errorBack string // when set, /auth redirects back with this error at once
}

func newSepKeycloak(t *testing.T) *sepKeycloak {
	t.Helper()
	kc := &sepKeycloak{users: map[string]bool{"656005750104": true}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /realms/Cis2-mock-test/auth", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if kc.errorBack != "" {
			http.Redirect(w, r, q.Get("redirect_uri")+"?error="+kc.errorBack+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "AUTH_SESSION_ID", Value: "sess-1", Path: "/"})
		back := url.Values{"redirect_uri": {q.Get("redirect_uri")}, "state": {q.Get("state")}}
		http.Redirect(w, r, "/realms/Cis2-mock-test/login?"+back.Encode(), http.StatusFound)
	})
	mux.HandleFunc("GET /realms/Cis2-mock-test/login", func(w http.ResponseWriter, r *http.Request) {
		kc.page(w, r.URL.RawQuery, "")
	})
	mux.HandleFunc("POST /realms/Cis2-mock-test/login-actions/authenticate", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("AUTH_SESSION_ID"); err != nil || c.Value != "sess-1" {
			http.Error(w, "cookie not found", http.StatusBadRequest)
			return
		}
		r.ParseForm()
		kc.posted, kc.postType = r.PostForm, r.Header.Get("Content-Type")
		q := r.URL.Query()
		if !kc.users[r.PostForm.Get("username")] {
			kc.page(w, r.URL.RawQuery, "Invalid username or password.")
			return
		}
		state := q.Get("state")
		if kc.stateEdit != nil {
			state = kc.stateEdit(state)
		}
		http.Redirect(w, r, q.Get("redirect_uri")+"?state="+url.QueryEscape(state)+"&session_state=ss-1&code=code-1", http.StatusFound)
	})
	kc.ts = httptest.NewServer(mux)
	t.Cleanup(kc.ts.Close)
	return kc
}

// page writes the login page; its action carries the query as Keycloak's
// does, with &amp; entities a careless parser would keep.
func (kc *sepKeycloak) page(w http.ResponseWriter, query, errMsg string) {
	action := "/realms/Cis2-mock-test/login-actions/authenticate?" + query + "&session_code=abc"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><body>
<form id="other-form" action="/wrong" method="post"><input type="hidden" name="decoy" value="1"></form>
<div id="kc-content">%s
<form id="kc-form-login" action="%s" method="post">
  <input type="text" id="username" name="username" value="">
  <input type="hidden" id="id-hidden-input" name="credentialId" value="cred-7">
  <input type="submit" name="login" value="Sign In">
</form></div></body></html>`, errorSpan(errMsg), html.EscapeString(action))
}

func errorSpan(msg string) string {
	if msg == "" {
		return ""
	}
	return `<span id="input-error" class="kc-feedback-text">` + html.EscapeString(msg) + `</span>`
}

// authURL is an authorise URL whose redirect_uri points at a server that
// fails the test if a request ever reaches it.
func (kc *sepKeycloak) authURL(t *testing.T, state string) string {
	t.Helper()
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the login followed the redirect to redirect_uri: %s", r.URL)
	}))
	t.Cleanup(trap.Close)
	q := url.Values{"response_type": {"code"}, "client_id": {"c"}, "redirect_uri": {trap.URL + "/callback"}, "state": {state}, "nonce": {"n"}}
	return kc.ts.URL + "/realms/Cis2-mock-test/auth?" + q.Encode()
}

func TestFormLogin(t *testing.T) {
	kc := newSepKeycloak(t)
	cb, exs, err := steps.FormLogin(context.Background(), kc.ts.Client(), steps.FormLoginParams{AuthURL: kc.authURL(t, "st-1"), Username: "656005750104"})
	if err != nil {
		t.Fatal(err)
	}
	if cb.Code != "code-1" || cb.State != "st-1" || cb.SessionState != "ss-1" {
		t.Errorf("callback = %+v", cb)
	}
	sepFormEqual(t, kc.posted, map[string]string{"username": "656005750104", "password": "656005750104", "credentialId": "cred-7"})
	if kc.postType != "application/x-www-form-urlencoded" {
		t.Errorf("posted Content-Type %q", kc.postType)
	}
	var titles []string
	for _, ex := range exs {
		titles = append(titles, fmt.Sprintf("%s %s %d", ex.Title, ex.Method, ex.Status))
	}
	want := []string{"Authorise request GET 302", "Authorise request GET 200", "Login form POST 302"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("exchanges %q, want %q", titles, want)
	}
	if !strings.Contains(exs[2].URL, "session_code=abc") || strings.Contains(exs[2].URL, "&amp;") {
		t.Errorf("posted to %s: the action's entities were not decoded", exs[2].URL)
	}
}

func TestFormLoginUnknownUser(t *testing.T) {
	kc := newSepKeycloak(t)
	_, exs, err := steps.FormLogin(context.Background(), kc.ts.Client(), steps.FormLoginParams{AuthURL: kc.authURL(t, "s"), Username: "123"})
	if !errors.Is(err, steps.ErrLoginRefused) || !strings.Contains(err.Error(), "Invalid username or password.") {
		t.Fatalf("err = %v", err)
	}
	if h := hintText(err); !strings.Contains(h, "123 is not a test user") || !strings.Contains(h, "656005750104") {
		t.Errorf("hints = %q", h)
	}
	if len(exs) != 3 {
		t.Errorf("%d exchanges, want 3", len(exs))
	}
}

func TestFormLoginStateMismatch(t *testing.T) {
	kc := newSepKeycloak(t)
	kc.stateEdit = func(s string) string { return s + "-tampered" }
	_, _, err := steps.FormLogin(context.Background(), kc.ts.Client(), steps.FormLoginParams{AuthURL: kc.authURL(t, "s"), Username: "656005750104"})
	if !errors.Is(err, steps.ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
	// An explicit expected state wins over the URL's.
	kc.stateEdit = nil
	_, _, err = steps.FormLogin(context.Background(), kc.ts.Client(), steps.FormLoginParams{AuthURL: kc.authURL(t, "s"), Username: "656005750104", ExpectedState: "other"})
	if !errors.Is(err, steps.ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
}

func TestFormLoginErrorRedirect(t *testing.T) {
	kc := newSepKeycloak(t)
	kc.errorBack = "invalid_request"
	_, exs, err := steps.FormLogin(context.Background(), kc.ts.Client(), steps.FormLoginParams{AuthURL: kc.authURL(t, "s"), Username: "656005750104"})
	var ce *steps.CallbackError
	if !errors.As(err, &ce) || ce.Code != "invalid_request" || len(exs) != 1 {
		t.Fatalf("err = %v, %d exchanges", err, len(exs))
	}
}

func TestFormLoginNoForm(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `<html><body><div class="alert-error"><span>Invalid parameter: redirect_uri</span></div></body></html>`)
	}))
	defer ts.Close()
	_, _, err := steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: ts.URL + "/auth?state=s&redirect_uri=x", Username: "u"})
	if err == nil || !strings.Contains(err.Error(), "no form with id kc-form-login") || !strings.Contains(hintText(err), "Invalid parameter: redirect_uri") {
		t.Fatalf("err = %v, hints %q", err, hintText(err))
	}
	if _, _, err := steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: ts.URL, Username: ""}); err == nil || !strings.Contains(hintText(err), "--user") {
		t.Errorf("no user: err = %v", err)
	}
}

// TestFormLoginRefusedAfterRedirect: when the realm redirects to a port
// where nothing listens, the error names that host and port, not the
// authorise URL's.
func TestFormLoginRefusedAfterRedirect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+closed+"/login", http.StatusFound)
	}))
	defer ts.Close()
	_, _, err = steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: ts.URL + "/auth?state=s&redirect_uri=http://127.0.0.1:1/cb", Username: "u"})
	if err == nil || !strings.Contains(hintText(err), "Nothing answers at http://"+closed) {
		t.Fatalf("err = %v, hints %q", err, hintText(err))
	}
	if strings.Contains(hintText(err), ts.Listener.Addr().String()) {
		t.Errorf("the hint names the first host: %q", hintText(err))
	}
}

// TestFormLoginRealm500: a realm that fails with HTTP 500 on the authorise
// request or on the login form is reported as the identity provider's
// failure with its body, not as a missing form or an unknown user.
func TestFormLoginRealm500(t *testing.T) {
	for _, on := range []string{http.MethodGet, http.MethodPost} {
		t.Run(on, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == on {
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(http.StatusInternalServerError)
					io.WriteString(w, "realm database unavailable")
					return
				}
				fmt.Fprintf(w, `<html><form id="kc-form-login" action="/login" method="post"></form></html>`)
			}))
			defer ts.Close()
			_, exs, err := steps.FormLogin(context.Background(), ts.Client(), steps.FormLoginParams{AuthURL: ts.URL + "/auth?state=s&redirect_uri=http://127.0.0.1:1/cb", Username: "656005750104"})
			if err == nil || !strings.Contains(err.Error(), "HTTP 500") || !strings.Contains(err.Error(), "realm database unavailable") {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(hintText(err), "identity provider") || errors.Is(err, steps.ErrLoginRefused) {
				t.Errorf("not reported as the realm's failure: %v, hints %q", err, hintText(err))
			}
			if len(exs) == 0 || !strings.Contains(string(exs[len(exs)-1].RespBody), "realm database unavailable") {
				t.Errorf("the realm's reply is not recorded")
			}
		})
	}
}
