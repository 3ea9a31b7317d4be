package mock

import (
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestDiscovery checks each realm's OpenID Provider Metadata: the issuer
// follows the request's host, every endpoint sits under it, and the
// advertised methods are Keycloak's.
func TestDiscovery(t *testing.T) {
	e := newSAEnv(t)
	for _, d := range []*realmDef{realmCIS2Def, realmNHSLoginDef} {
		t.Run(d.Name, func(t *testing.T) {
			status, _, body := e.get(t, e.realmURL(d)+"/.well-known/openid-configuration")
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			iss := e.realmURL(d)
			oidc := iss + "/protocol/openid-connect"
			for k, want := range map[string]string{
				"issuer": iss, "authorization_endpoint": oidc + "/auth", "token_endpoint": oidc + "/token",
				"userinfo_endpoint": oidc + "/userinfo", "jwks_uri": oidc + "/certs", "end_session_endpoint": oidc + "/logout",
			} {
				if doc[k] != want {
					t.Errorf("%s = %v, want %s", k, doc[k], want)
				}
			}
			lists := map[string][]string{
				"token_endpoint_auth_methods_supported": {"client_secret_post", "client_secret_basic", "private_key_jwt", "client_secret_jwt"},
				"code_challenge_methods_supported":      {"S256", "plain"},
				"id_token_signing_alg_values_supported": {"RS256"},
				"response_types_supported":              {"code"},
				"grant_types_supported":                 {"authorization_code", "refresh_token"},
				"subject_types_supported":               {"public"},
				"scopes_supported":                      d.Scopes,
			}
			for k, want := range lists {
				if got := saStrings(doc[k]); !slices.Equal(got, want) {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			claims := saStrings(doc["claims_supported"])
			for _, c := range []string{"sub", "iss", "nonce"} {
				if !slices.Contains(claims, c) {
					t.Errorf("claims_supported lacks %s: %v", c, claims)
				}
			}
		})
	}
	// The issuer names the host the client used, like the rest of the platform.
	req := httptest.NewRequest(http.MethodGet, "/realms/Cis2-mock-local/.well-known/openid-configuration", nil)
	req.Host = "localhost:8400"
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if got := saJSON(t, rec.Body.Bytes())["issuer"]; got != "http://localhost:8400/realms/Cis2-mock-local" {
		t.Errorf("issuer for Host localhost:8400 = %v", got)
	}
	pinned := New(Options{PublicURL: "https://identity.example/", Version: "test"})
	rec = httptest.NewRecorder()
	pinned.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/realms/NHS-Login-mock-local/.well-known/openid-configuration", nil))
	if got := saJSON(t, rec.Body.Bytes())["issuer"]; got != "https://identity.example/realms/NHS-Login-mock-local" {
		t.Errorf("issuer with PublicURL = %v", got)
	}
}

func saStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestCerts parses each realm's JWKS with go-jose: one RS256 signing key,
// the realm's own, and the two realms' keys differ.
func TestCerts(t *testing.T) {
	e := newSAEnv(t)
	kids := map[string]bool{}
	for _, d := range []*realmDef{realmCIS2Def, realmNHSLoginDef} {
		status, _, body := e.get(t, e.realmURL(d)+"/protocol/openid-connect/certs")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", d.Name, status, body)
		}
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(body, &set); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if len(set.Keys) != 1 {
			t.Fatalf("%s: %d keys", d.Name, len(set.Keys))
		}
		k := set.Keys[0]
		pub, ok := k.Key.(*rsa.PublicKey)
		if !ok || k.Algorithm != "RS256" || k.Use != "sig" || k.KeyID != saKID(e, d.Name) || !pub.Equal(&saRealmPriv(d).PublicKey) {
			t.Errorf("%s: key %+v", d.Name, k)
		}
		kids[k.KeyID] = true
		for _, field := range []string{`"kty":"RSA"`, `"n":`, `"e":"AQAB"`} {
			if !strings.Contains(string(body), field) {
				t.Errorf("%s: JWKS lacks %s: %s", d.Name, field, body)
			}
		}
	}
	if len(kids) != 2 {
		t.Errorf("the realms share a key id: %v", kids)
	}
}

// TestRealmRouting: unknown realms and paths answer as Keycloak does, wrong
// methods get 405, and GET /realms/{realm}/ is the realm summary.
func TestRealmRouting(t *testing.T) {
	e := newSAEnv(t)
	cases := []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/realms/Cis2-mock-int/.well-known/openid-configuration", 404, `{"error":"Realm does not exist"}`},
		{"GET", "/realms/cis2-mock-local/.well-known/openid-configuration", 404, `{"error":"Realm does not exist"}`},
		{"GET", "/realms/Cis2-mock-local/protocol/openid-connect/nope", 404, `{"error":"Unable to find matching target resource method"}`},
		{"GET", "/realms/Cis2-mock-local/protocol/openid-connect/token", 405, `{"error":"HTTP 405 Method Not Allowed"}`},
		{"DELETE", "/realms/Cis2-mock-local/protocol/openid-connect/certs", 405, `{"error":"HTTP 405 Method Not Allowed"}`},
		{"GET", "/realms/NHS-Login-mock-local/", 200, `"realm":"NHS-Login-mock-local"`},
	}
	for _, tt := range cases {
		req, _ := http.NewRequest(tt.method, e.ts.URL+tt.path, nil)
		status, _, body := e.do(t, req)
		if status != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.path, status, body, tt.status, tt.want)
		}
	}
}

// TestRealmKeysLazyOnce: a realm's key is made on first use, once, even
// under concurrent first requests, and each realm gets its own.
func TestRealmKeysLazyOnce(t *testing.T) {
	saLoadKeys(t)
	k := newRealmKeys()
	var mu sync.Mutex
	made := 0
	k.generate = func(bits int) (*rsa.PrivateKey, error) {
		mu.Lock()
		defer mu.Unlock()
		if bits != 2048 {
			t.Errorf("bits = %d", bits)
		}
		made++
		return []*rsa.PrivateKey{saKeys.cis2, saKeys.nhs}[(made-1)%2], nil
	}
	var wg sync.WaitGroup
	kids := make([]string, 8)
	for i := range kids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rk, err := k.get(RealmCIS2)
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = rk.kid
		}()
	}
	wg.Wait()
	if made != 1 {
		t.Errorf("generated %d keys for one realm", made)
	}
	for _, kid := range kids {
		if kid != kids[0] {
			t.Errorf("kids differ: %v", kids)
		}
	}
	other, err := k.get(RealmNHSLogin)
	if err != nil || other.kid == kids[0] || made != 2 {
		t.Errorf("second realm: %v, kid %v, made %d", err, other, made)
	}
}
