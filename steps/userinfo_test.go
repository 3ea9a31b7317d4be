package steps_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// A signed userinfo answer is checked line by line: the registered alg,
// the kid and signature, iss, and sub equal to the ID token's; aud is not
// required (reference §6.5). A plain answer's sub is checked too.
func TestFetchUserinfoRows(t *testing.T) {
	key, other := testKeys(t)
	jwks := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&key.PublicKey, "k1")}}
	var answer, ctype string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/jwks" {
			w.Write(jwks.Marshal())
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write([]byte(answer))
	}))
	defer ts.Close()
	sign := func(alg string, k any, claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.GetSigningMethod(alg), claims)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := jwt.MapClaims{"iss": "https://iss", "sub": "656005750104"}
	for _, r := range []struct {
		name, ctype, body, signedAlg, failed string
	}{
		{"signed RS512", "application/jwt", sign("RS512", key, good), "RS512", ""},
		{"signed RS256", "application/jwt", sign("RS256", key, good), "RS256", ""},
		{"other alg than registered", "application/jwt", sign("RS256", key, good), "RS512", "alg"},
		{"bad signature", "application/jwt", sign("RS256", other, good), "RS256", "signature"},
		{"wrong iss", "application/jwt", sign("RS256", key, jwt.MapClaims{"iss": "https://evil", "sub": "656005750104"}), "RS256", "iss"},
		{"other sub", "application/jwt", sign("RS256", key, jwt.MapClaims{"iss": "https://iss", "sub": "x"}), "RS256", "sub"},
		{"plain", "application/json", `{"sub":"656005750104"}`, "", ""},
		{"plain but signing registered", "application/json", `{"sub":"656005750104"}`, "RS256", "signed"},
		{"plain other sub", "application/json", `{"sub":"x"}`, "", "sub"},
	} {
		t.Run(r.name, func(t *testing.T) {
			answer, ctype = r.body, r.ctype
			ui, _, err := steps.FetchUserinfo(context.Background(), ts.Client(), steps.UserinfoParams{URL: ts.URL + "/ui", AccessToken: "at",
				JWKSURL: ts.URL + "/jwks", Issuer: "https://iss", Subject: "656005750104", SignedAlg: r.signedAlg})
			var failed []string
			for _, c := range ui.Checks {
				if !c.OK {
					failed = append(failed, c.Name)
				}
			}
			if r.failed == "" && (err != nil || len(failed) > 0) {
				t.Fatalf("refused: %v %v", err, failed)
			}
			if r.failed != "" && (err == nil || len(failed) == 0 || failed[0] != r.failed) {
				t.Fatalf("failed %v (%v), want %s", failed, err, r.failed)
			}
		})
	}
}
