package mock

import (
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// Userinfo: plain JSON without a registered algorithm, a JWT signed with
// the registered RS256 or RS512 otherwise, with iss and no aud (§6.5).
func TestCIS2Userinfo(t *testing.T) {
	e := newCDEnv(t)
	for _, alg := range []string{"", "RS256", "RS512"} {
		t.Run("alg "+alg, func(t *testing.T) {
			extra := map[string]any{}
			if alg != "" {
				extra["userinfo_signed_response_alg"] = alg
			}
			c := e.client(t, "client_secret_post", extra)
			_, tok := e.token(t, c, "client_secret_post", cdCodeForm(e.code(t, c, "656005750104")), nil, "")
			req, _ := http.NewRequest(http.MethodGet, e.issuer()+"/userinfo", nil)
			req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
			status, hdr, body := e.do(t, req)
			if status != http.StatusOK {
				t.Fatalf("got %d %s", status, body)
			}
			if alg == "" {
				if m := saJSON(t, body); m["sub"] != "656005750104" || m["nhsid_nrbac_roles"] == nil {
					t.Fatalf("claims %v", m)
				}
				return
			}
			if hdr.Get("Content-Type") != "application/jwt" {
				t.Fatalf("content type %q", hdr.Get("Content-Type"))
			}
			claims := jwt.MapClaims{}
			_, err := jwt.ParseWithClaims(string(body), claims, func(*jwt.Token) (any, error) { return &saKeys.cis2.PublicKey, nil },
				jwt.WithValidMethods([]string{alg}))
			if err != nil {
				t.Fatal(err)
			}
			if claims["iss"] != e.issuer() || claims["sub"] != "656005750104" || claims["aud"] != nil {
				t.Fatalf("claims %v", claims)
			}
		})
	}
	t.Run("unknown token", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.issuer()+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer nope")
		if status, hdr, _ := e.do(t, req); status != http.StatusUnauthorized || hdr.Get("WWW-Authenticate") == "" {
			t.Fatalf("got %d", status)
		}
	})
}

// endSession delivers a BCL 1.0 §2.4 logout token to the client's
// backchannel_logout_uri, records the delivery, and ends the session.
func TestCIS2EndSessionDelivers(t *testing.T) {
	e := newCDEnv(t)
	var mu sync.Mutex
	var got []string
	e.srv.mux.HandleFunc("POST /test-bcl", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f, _ := url.ParseQuery(string(b))
		mu.Lock()
		got = append(got, f.Get("logout_token"))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
	c := e.client(t, "client_secret_post", map[string]any{"backchannel_logout_uri": e.ts.URL + "/test-bcl"})
	_, tok := e.token(t, c, "client_secret_post", cdCodeForm(e.code(t, c, "656005750104")), nil, "")
	status, _, body := e.get(t, e.issuer()+"/connect/endSession?id_token_hint="+url.QueryEscape(tok["id_token"].(string)))
	if status != http.StatusOK {
		t.Fatalf("endSession: %d %s", status, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	lt, _, err := jwt.NewParser().ParseUnverified(got[0], jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	cl := lt.Claims.(jwt.MapClaims)
	ev, _ := cl["events"].(map[string]any)
	if lt.Header["typ"] != "logout+jwt" || cl["nonce"] != nil || cl["sid"] == nil || cl["jti"] == nil || cl["aud"] != c["client_id"] || ev[BackchannelLogoutEvent] == nil {
		t.Fatalf("logout token %v %v", lt.Header, cl)
	}
	_, _, cb := e.get(t, e.ts.URL+ConnectionManagerPath+"/clients/"+c["client_id"].(string))
	ds, _ := saJSON(t, cb)["nhsauth_backchannel_logout_deliveries"].([]any)
	if len(ds) != 1 || ds[0].(map[string]any)["delivered"] != true {
		t.Fatalf("deliveries %v", ds)
	}
	req, _ := http.NewRequest(http.MethodGet, e.issuer()+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	if status, _, _ := e.do(t, req); status != http.StatusUnauthorized {
		t.Fatalf("userinfo after logout: %d", status)
	}
	if status, _, _ := e.get(t, e.issuer()+"/connect/endSession?id_token_hint=junk"); status != http.StatusBadRequest {
		t.Fatalf("bad hint: %d", status)
	}
}

// The platform's /oauth2/token exchanges the local CIS2's ID tokens, as
// /oauth2 trusts real CIS2 (reference §3.6 step 6); /oauth2-mock does not.
func TestCIS2PlatformTrusts(t *testing.T) {
	e := newCDEnv(t)
	c := e.client(t, "client_secret_post", nil)
	idt := func() string {
		_, tok := e.token(t, c, "client_secret_post", cdCodeForm(e.code(t, c, "656005750104")), nil, "")
		return tok["id_token"].(string)
	}
	status, body := e.platform(t, "/oauth2", e.exchangeForm(t, "/oauth2", idt()))
	if status != http.StatusOK {
		t.Fatalf("/oauth2: %d %v", status, body)
	}
	if status, _ := e.helloUser(t, body["access_token"].(string)); status != http.StatusOK {
		t.Fatalf("hello user: %d", status)
	}
	status, body = e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", idt()))
	if status != http.StatusBadRequest || body["error_description"] != subjBadIss {
		t.Fatalf("/oauth2-mock: %d %v", status, body)
	}
}
