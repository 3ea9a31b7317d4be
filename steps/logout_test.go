package steps_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// logoutFixture is a provider's JWKS on an httptest server and a valid
// logout token's header and claims.
type logoutFixture struct {
	key    *rsa.PrivateKey
	other  *rsa.PrivateKey
	expect steps.LogoutExpect
	now    time.Time
}

func newLogoutFixture(t testing.TB) logoutFixture {
	key, other := testKeys(t)
	jwks := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&key.PublicKey, "k1")}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(jwks.Marshal()) }))
	t.Cleanup(ts.Close)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return logoutFixture{key: key, other: other, now: now, expect: steps.LogoutExpect{Issuer: "https://cis2.example/iss", JWKSURL: ts.URL,
		ClientID: "123456789012.apps.supplier", SID: "sid-1", HTTP: ts.Client(), Now: func() time.Time { return now }}}
}

func (f logoutFixture) claims() jwt.MapClaims {
	return jwt.MapClaims{"iss": f.expect.Issuer, "aud": f.expect.ClientID, "iat": f.now.Unix(), "exp": f.now.Add(2 * time.Minute).Unix(),
		"jti": "j-1", "sid": "sid-1", "sub": "656005750104", "events": map[string]any{steps.BackchannelLogoutEvent: map[string]any{}}}
}

func (f logoutFixture) sign(t *testing.T, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"], tok.Header["typ"] = "k1", "logout+jwt"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsigned is the token with alg none and no signature.
func unsigned(claims jwt.MapClaims) string {
	h, _ := json.Marshal(map[string]any{"alg": "none", "kid": "k1", "typ": "logout+jwt"})
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "."
}

// Back-Channel Logout 1.0 §2.6, one row per rule: each bad token fails
// the check named first (alg none also leaves the signature unchecked).
func TestValidateLogoutTokenRows(t *testing.T) {
	f := newLogoutFixture(t)
	rows := []struct {
		name   string
		token  func() string
		failed string
	}{
		{"valid", func() string { return f.sign(t, f.key, f.claims()) }, ""},
		{"bad signature", func() string { return f.sign(t, f.other, f.claims()) }, "signature"},
		{"alg none", func() string { return unsigned(f.claims()) }, "alg"},
		{"wrong aud", func() string { c := f.claims(); c["aud"] = "999999999999.apps.national"; return f.sign(t, f.key, c) }, "aud"},
		{"wrong iss", func() string { c := f.claims(); c["iss"] = "https://evil.example"; return f.sign(t, f.key, c) }, "iss"},
		{"nonce present", func() string { c := f.claims(); c["nonce"] = "n"; return f.sign(t, f.key, c) }, "no nonce"},
		{"events missing", func() string { c := f.claims(); delete(c, "events"); return f.sign(t, f.key, c) }, "events"},
		{"events member not an object", func() string {
			c := f.claims()
			c["events"] = map[string]any{steps.BackchannelLogoutEvent: "x"}
			return f.sign(t, f.key, c)
		}, "events"},
		{"expired", func() string {
			c := f.claims()
			c["exp"] = f.now.Add(-time.Minute).Unix()
			return f.sign(t, f.key, c)
		}, "exp"},
		{"iat missing", func() string { c := f.claims(); delete(c, "iat"); return f.sign(t, f.key, c) }, "iat"},
		{"no sid nor sub", func() string { c := f.claims(); delete(c, "sid"); delete(c, "sub"); return f.sign(t, f.key, c) }, "sid or sub"},
		{"another session", func() string { c := f.claims(); c["sid"] = "sid-2"; return f.sign(t, f.key, c) }, "session"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			checks, _, err := steps.ValidateLogoutToken(context.Background(), r.token(), f.expect, nil)
			var failed []string
			for _, c := range checks {
				if !c.OK {
					failed = append(failed, c.Name)
				}
			}
			if r.failed == "" {
				if err != nil || len(failed) > 0 {
					t.Fatalf("valid token refused: %v %v", err, failed)
				}
				return
			}
			if err == nil || len(failed) == 0 || failed[0] != r.failed {
				t.Fatalf("failed %v (err %v), want %s first", failed, err, r.failed)
			}
		})
	}
}

// The receiver answers 200 with no-store for a valid logout token, and 400
// for a replayed jti or a missing token, reporting each.
func TestLogoutReceiver(t *testing.T) {
	f := newLogoutFixture(t)
	r, err := steps.ListenLogout("127.0.0.1:0", "/bcl")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Expect(f.expect)
	tok := f.sign(t, f.key, f.claims())
	post := func(body string) *http.Response {
		resp, err := http.Post(r.URI(), "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i, want := range []int{http.StatusOK, http.StatusBadRequest, http.StatusBadRequest} {
		body := url.Values{"logout_token": {tok}}.Encode()
		if i == 2 {
			body = "x=1"
		}
		resp := post(body)
		res, err := r.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want || res.Exchange.Status != want || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("post %d: got %d (recorded %d), want %d", i, resp.StatusCode, res.Exchange.Status, want)
		}
		if i == 1 && !hasFailed(res.Checks, "jti") {
			t.Fatalf("replay not reported: %v", res.Checks)
		}
	}
}

func hasFailed(checks []steps.Check, name string) bool {
	for _, c := range checks {
		if c.Name == name && !c.OK {
			return true
		}
	}
	return false
}

// Assurance checks accept numbers and digit strings and name the level.
func TestAssuranceChecks(t *testing.T) {
	for _, r := range []struct {
		aal, ial any
		acr, ask string
		ok       bool
	}{
		{float64(3), float64(3), "AAL3_ANY", "AAL3_ANY", true},
		{"3", "3", "AAL3_ANY", "AAL3_ANY", true},
		{"2", "3", "AAL2_OR_AAL3_ANY", "AAL2_OR_AAL3_ANY", true},
		{float64(2), float64(3), "AAL2_ANY", "AAL3_ANY", false},
		{float64(3), float64(1), "AAL3_ANY", "AAL3_ANY", false},
		{"three", float64(3), "AAL3_ANY", "AAL3_ANY", false},
	} {
		checks := steps.AssuranceChecks(map[string]any{"authentication_assurance_level": r.aal, "id_assurance_level": r.ial, "acr": r.acr}, r.ask)
		ok := true
		for _, c := range checks {
			ok = ok && c.OK
		}
		if ok != r.ok {
			t.Errorf("%v/%v %s for %s: ok %v, want %v (%v)", r.aal, r.ial, r.acr, r.ask, ok, r.ok, checks)
		}
	}
}
