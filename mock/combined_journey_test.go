package mock

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestCombinedJourneys runs reference §4's whole journey without a browser
// for the four users: the AAL3 and P9 users get tokens that call
// Hello World; the AAL2 and P0 users are refused at the platform's
// callback, and never reach the app's.
func TestCombinedJourneys(t *testing.T) {
	tests := []struct {
		name, user string
		extra      url.Values
		wantOK     bool
		wantRefr   string
	}{
		{"CIS2 AAL3", "656005750104", nil, true, "43199"},
		{"CIS2 AAL2 refused", "656005750109", nil, false, ""},
		{"NHS login P9", "9912003071", url.Values{"scope": {"nhs-login"}}, true, "3599"},
		{"NHS login P0 refused", "9912003073", url.Values{"scope": {"nhs-login"}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSAEnv(t)
			b := newCBBrowser(t, e)
			loc, status, body := b.signIn(t, tt.user, tt.extra)
			if !tt.wantOK {
				if loc != nil || status != http.StatusUnauthorized {
					t.Fatalf("got %v %d, want the platform's 401 to the browser", loc, status)
				}
				got := saJSON(t, body)
				if got["error"] != "unauthorized_client" || !strings.HasPrefix(got["error_description"].(string), "you have tried to request authorization") {
					t.Fatalf("body %v", got)
				}
				return
			}
			if loc == nil {
				t.Fatalf("stopped at %d %s", status, body)
			}
			q := loc.Query()
			if len(q) != 2 || q.Get("state") != "app-state" || q.Get("code") == "" {
				t.Fatalf("app callback %s: want exactly code and state", loc)
			}
			st, tok := e.platform(t, "/oauth2-mock", cbCodeForm(q.Get("code")))
			if st != http.StatusOK {
				t.Fatalf("token %d %v", st, tok)
			}
			keys := make([]string, 0, len(tok))
			for k := range tok {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"access_token", "expires_in", "refresh_count", "refresh_token", "refresh_token_expires_in", "token_type"}
			if !slices.Equal(keys, want) {
				t.Errorf("members %v, want %v", keys, want)
			}
			if tok["expires_in"] != "599" || tok["refresh_count"] != "0" || tok["refresh_token_expires_in"] != tt.wantRefr || tok["token_type"] != "Bearer" {
				t.Errorf("values %v", tok)
			}
			if st, body := e.helloUser(t, tok["access_token"].(string)); st != http.StatusOK || !strings.Contains(string(body), "Hello User!") {
				t.Errorf("hello user: %d %s", st, body)
			}
		})
	}
}

// TestCombinedHopsAndRedirects checks the platform's 302 to the realm
// carries §4.1's parameters exactly.
func TestCombinedHopsAndRedirects(t *testing.T) {
	for _, tt := range []struct {
		name  string
		extra url.Values
		want  url.Values
		realm string
	}{
		{"CIS2 default", nil, url.Values{"scope": {"openid nationalrbacaccess"}, "acr_values": {"AAL3_ANY"}}, RealmCIS2},
		{"CIS2 acr_values", url.Values{"acr_values": {"AAL2_OR_AAL3_ANY"}}, url.Values{"scope": {"openid nationalrbacaccess"}, "acr_values": {"AAL2_OR_AAL3_ANY"}}, RealmCIS2},
		{"CIS2 scope nhs-cis2", url.Values{"scope": {"nhs-cis2"}}, url.Values{"scope": {"openid nationalrbacaccess"}, "acr_values": {"AAL3_ANY"}}, RealmCIS2},
		{"NHS login", url.Values{"scope": {"nhs-login"}, "acr_values": {"AAL3_ANY"}}, url.Values{"scope": {"openid profile"}}, RealmNHSLogin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSAEnv(t)
			status, hdr, body := e.get(t, cbAuthorize(e, "s1", tt.extra))
			if status != http.StatusFound {
				t.Fatalf("%d %s", status, body)
			}
			loc, _ := url.Parse(hdr.Get("Location"))
			if !strings.HasPrefix(loc.String(), e.ts.URL+"/realms/"+tt.realm+"/protocol/openid-connect/auth?") {
				t.Fatalf("Location %s", loc)
			}
			q := loc.Query()
			client := PlatformCIS2ClientID
			if tt.realm == RealmNHSLogin {
				client = PlatformNHSLoginClientID
			}
			want := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {e.ts.URL + "/oauth2-mock/callback"}, "max_age": {"300"}, "state": q["state"]}
			for k, v := range tt.want {
				want[k] = v
			}
			if q.Get("state") == "" || q.Get("state") == "s1" {
				t.Errorf("state %q: want the platform's own", q.Get("state"))
			}
			if q.Encode() != want.Encode() {
				t.Errorf("query\n got %s\nwant %s", q.Encode(), want.Encode())
			}
		})
	}
}
