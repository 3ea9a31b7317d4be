package mock

import (
	"crypto/rsa"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// saExchange exchanges a fresh ID token from realm d at basePath and returns
// the success body.
func (e *saEnv) saExchange(t *testing.T, d *realmDef, basePath string) map[string]any {
	t.Helper()
	form := e.exchangeForm(t, basePath, saSign(t, saRealmPriv(d),
		map[string]any{"alg": "RS256", "typ": "JWT", "kid": saKID(e, d.Name)}, saSubjectClaims(e, d)))
	status, body := e.platform(t, basePath, form)
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, body)
	}
	return body
}

// saRealmPriv is the test key realm d signs with.
func saRealmPriv(d *realmDef) *rsa.PrivateKey {
	if d == realmNHSLoginDef {
		return saKeys.nhs
	}
	return saKeys.cis2
}

// saRefreshForm is a refresh request with the local app's credentials.
func saRefreshForm(refresh string) url.Values {
	return url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {DefaultAPIKey},
		"client_secret": {DefaultAPISecret},
		"refresh_token": {refresh},
	}
}

// TestRefreshRows walks the table of reference §3.5 in its order.
func TestRefreshRows(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		name       string
		form       func(refresh string) url.Values
		status     int
		code, desc string
	}{
		{"client_secret missing", func(rt string) url.Values { f := saRefreshForm(rt); f.Del("client_secret"); return f },
			401, "invalid_request", "client_secret is missing"},
		{"client_secret missing beats client_id missing", func(rt string) url.Values {
			f := saRefreshForm(rt)
			f.Del("client_secret")
			f.Del("client_id")
			return f
		}, 401, "invalid_request", "client_secret is missing"},
		{"wrong secret", func(rt string) url.Values { f := saRefreshForm(rt); f.Set("client_secret", "nope"); return f },
			401, "invalid_client", "client_id or client_secret is invalid"},
		{"unknown client_id", func(rt string) url.Values { f := saRefreshForm(rt); f.Set("client_id", "someone-else"); return f },
			401, "invalid_client", "client_id or client_secret is invalid"},
		{"client_id missing", func(rt string) url.Values { f := saRefreshForm(rt); f.Del("client_id"); return f },
			401, "invalid_request", "client_id is missing"},
		{"wrong secret beats client_id missing (table order)", func(rt string) url.Values {
			f := saRefreshForm(rt)
			f.Del("client_id")
			f.Set("client_secret", "nope")
			return f
		}, 401, "invalid_client", "client_id or client_secret is invalid"},
		{"unknown client_id beats refresh_token missing", func(rt string) url.Values {
			f := saRefreshForm("")
			f.Set("client_id", "someone-else")
			return f
		}, 401, "invalid_client", "client_id or client_secret is invalid"},
		{"client_id missing beats refresh_token missing", func(rt string) url.Values {
			f := saRefreshForm("")
			f.Del("client_id")
			return f
		}, 401, "invalid_request", "client_id is missing"},
		{"wrong secret beats refresh_token missing", func(rt string) url.Values {
			f := saRefreshForm("")
			f.Set("client_secret", "nope")
			return f
		}, 401, "invalid_client", "client_id or client_secret is invalid"},
		{"refresh_token missing", func(rt string) url.Values { return saRefreshForm("") },
			400, "invalid_request", "refresh_token is missing"},
		{"refresh_token unknown", func(rt string) url.Values { return saRefreshForm("EFFs3EeT0SZbF2J14LvM93vVDTaA") },
			401, "invalid_grant", "refresh_token is invalid"},
		{"access token sent as refresh token", nil, 401, "invalid_grant", "refresh_token is invalid"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			body := e.saExchange(t, realmCIS2Def, "/oauth2-mock")
			form := saRefreshForm(body["access_token"].(string))
			if tt.form != nil {
				form = tt.form(body["refresh_token"].(string))
			}
			status, got := e.platform(t, "/oauth2-mock", form)
			if status != tt.status || got["error"] != tt.code || got["error_description"] != tt.desc {
				t.Errorf("got %d %v, want %d %s / %s", status, got, tt.status, tt.code, tt.desc)
			}
			if got["message_id"] == nil {
				t.Errorf("no message_id in %v", got)
			}
		})
	}
}

// TestRefreshCountdown: each refresh spends the old refresh token, counts
// refresh_count up and refresh_token_expires_in down to the end of the
// window the exchange opened; past the window the token is refused.
func TestRefreshCountdown(t *testing.T) {
	for _, tt := range []struct {
		realm     *realmDef
		window    time.Duration
		countdown [2]string // after 100 s, then after 20 more minutes
	}{
		{realmCIS2Def, 12 * time.Hour, [2]string{"43099", "41899"}},
		{realmNHSLoginDef, time.Hour, [2]string{"3499", "2299"}},
	} {
		t.Run(tt.realm.Name, func(t *testing.T) {
			e := newSAEnv(t)
			body := e.saExchange(t, tt.realm, "/oauth2-mock")
			refresh := body["refresh_token"].(string)
			for i, wait := range []time.Duration{100 * time.Second, 20 * time.Minute} {
				e.clock.Add(wait)
				status, got := e.platform(t, "/oauth2-mock", saRefreshForm(refresh))
				if status != http.StatusOK {
					t.Fatalf("refresh %d: %d %v", i+1, status, got)
				}
				want := map[string]string{
					"expires_in": "599", "token_type": "Bearer",
					"refresh_count":            []string{"1", "2"}[i],
					"refresh_token_expires_in": tt.countdown[i],
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("refresh %d: %s = %#v, want %q", i+1, k, got[k], v)
					}
				}
				if _, ok := got["issued_token_type"]; ok || len(got) != 6 {
					t.Errorf("refresh %d: keys %v, want the six of §3.5 without issued_token_type", i+1, got)
				}
				if s, _ := e.helloUser(t, got["access_token"].(string)); s != http.StatusOK {
					t.Errorf("refresh %d: refreshed access token refused by /hello/user: %d", i+1, s)
				}
				// The spent refresh token is now invalid.
				if status, again := e.platform(t, "/oauth2-mock", saRefreshForm(refresh)); status != http.StatusUnauthorized || again["error_description"] != "refresh_token is invalid" {
					t.Errorf("reuse of a spent refresh token: %d %v", status, again)
				}
				refresh = got["refresh_token"].(string)
			}
			e.clock.Add(tt.window)
			status, got := e.platform(t, "/oauth2-mock", saRefreshForm(refresh))
			if status != http.StatusUnauthorized || got["error"] != "invalid_grant" || got["error_description"] != "refresh token refresh period has expired" {
				t.Errorf("after the window: %d %v", status, got)
			}
		})
	}
}

// TestRefreshBasePath: a refresh token works only at the base path that
// issued it, and a refused attempt elsewhere does not spend it.
func TestRefreshBasePath(t *testing.T) {
	e := newSAEnv(t)
	body := e.saExchange(t, realmCIS2Def, "/oauth2-mock")
	refresh := body["refresh_token"].(string)
	status, got := e.platform(t, "/oauth2", saRefreshForm(refresh))
	if status != http.StatusUnauthorized || got["error_description"] != "refresh_token is invalid" {
		t.Errorf("at /oauth2: %d %v", status, got)
	}
	if status, got := e.platform(t, "/oauth2-mock", saRefreshForm(refresh)); status != http.StatusOK {
		t.Errorf("at /oauth2-mock afterwards: %d %v", status, got)
	}
}

// TestRefreshExpiresIn pins the countdown's rounding: a refresh made a few
// milliseconds after the exchange still reads the full window.
func TestRefreshExpiresIn(t *testing.T) {
	for _, tt := range []struct {
		left time.Duration
		want string
	}{
		{12 * time.Hour, "43199"},
		{12*time.Hour - 80*time.Millisecond, "43199"},
		{12*time.Hour - time.Second, "43198"},
		{100 * time.Second, "99"},
		{time.Nanosecond, "0"},
		{0, "0"},
		{-time.Second, "0"},
	} {
		if got := refreshExpiresIn(tt.left); got != tt.want {
			t.Errorf("refreshExpiresIn(%v) = %s, want %s", tt.left, got, tt.want)
		}
	}
}
