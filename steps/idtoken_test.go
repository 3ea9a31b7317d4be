package steps_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// sepNow is the fixed clock of the ID token tests.
var sepNow = time.Unix(1_700_000_000, 0)

const (
	sepIssuer   = "http://127.0.0.1:8400/realms/Cis2-mock-local"
	sepClientID = "cis2-client"
	sepNonce    = "nonce-1"
)

// sepJWKSServer publishes key as kid k1, the way Keycloak's certs endpoint
// does (alg RS256).
func sepJWKSServer(t *testing.T, key *rsa.PrivateKey) *httptest.Server {
	t.Helper()
	jwk := keystore.PublicJWK(&key.PublicKey, "k1")
	jwk.Alg = "RS256"
	body := keystore.JWKS{Keys: []keystore.JWK{jwk}}.Marshal()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// sepClaims are the claims of a good CIS2 ID token at sepNow.
func sepClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": sepIssuer, "sub": "656005750104", "aud": sepClientID, "azp": sepClientID,
		"iat": sepNow.Add(-time.Minute).Unix(), "exp": sepNow.Add(59 * time.Minute).Unix(),
		"nonce": sepNonce, "acr": "AAL3_ANY", "amr": []string{"N3_SMARTCARD"},
		"authentication_assurance_level": "3", "id_assurance_level": "3", "sid": "sid-1", "typ": "ID",
	}
}

// sepSign signs claims with key as kid, RS256.
func sepSign(t testing.TB, key *rsa.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sepUnsigned builds an alg none token by hand: no library will make one.
func sepUnsigned(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT", "kid": "k1"})
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "."
}

// sepHMACWithPublicKey forges a token "signed" with HS256 using the realm's
// public key as the secret: the algorithm-confusion attack.
func sepHMACWithPublicKey(t testing.TB, pub *rsa.PublicKey, claims jwt.MapClaims) string {
	t.Helper()
	pemKey, err := keystore.EncodePublicPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// idTokenTest is one ID token case: how the token is made, and which checks
// must fail.
type idTokenTest struct {
	name       string
	token      func(t testing.TB, good, other *rsa.PrivateKey) string
	params     func(p *steps.IDTokenParams)
	wantFailed []string // check names that must fail; every other must pass
	wantHint   string
}

func (tt idTokenTest) run(t *testing.T) {
	good, other := testKeys(t)
	ts := sepJWKSServer(t, good)
	p := steps.IDTokenParams{
		Raw: tt.token(t, good, other), JWKSURL: ts.URL + "/certs", Issuer: sepIssuer,
		ClientID: sepClientID, Nonce: sepNonce, Now: sepNow,
	}
	if tt.params != nil {
		tt.params(&p)
	}
	idt, exs, err := steps.VerifyIDToken(context.Background(), ts.Client(), p)

	var names, failed []string
	for _, c := range idt.Checks {
		names = append(names, c.Name)
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if got, want := strings.Join(failed, ","), strings.Join(tt.wantFailed, ","); got != want {
		t.Errorf("failed checks %q, want %q (checks: %+v)", got, want, idt.Checks)
	}
	if len(tt.wantFailed) == 0 {
		if err != nil {
			t.Fatalf("err = %v", err)
		}
	} else if !errors.Is(err, steps.ErrIDTokenRefused) {
		t.Fatalf("err = %v, want ErrIDTokenRefused", err)
	}
	if tt.wantHint != "" && !strings.Contains(hintText(err), tt.wantHint) {
		t.Errorf("hints %q lack %q", hintText(err), tt.wantHint)
	}
	if len(tt.wantFailed) == 0 || tt.wantFailed[0] != "format" {
		// Every check is reported, even after one fails.
		if got := strings.Join(names, ","); got != "alg,kid,signature,iss,aud,exp,iat,nonce" {
			t.Errorf("checks %s", got)
		}
		if len(exs) != 1 || exs[0].Title != "Realm JWKS" {
			t.Errorf("exchanges = %+v", exs)
		}
	}
}

func TestVerifyIDToken(t *testing.T) {
	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := sepClaims()
		edit(c)
		return c
	}
	signed := func(edit func(jwt.MapClaims)) func(testing.TB, *rsa.PrivateKey, *rsa.PrivateKey) string {
		return func(t testing.TB, good, _ *rsa.PrivateKey) string { return sepSign(t, good, "k1", with(edit)) }
	}
	same := func(jwt.MapClaims) {}
	for _, tt := range []idTokenTest{
		{name: "good", token: signed(same)},
		{name: "aud as an array", token: signed(func(c jwt.MapClaims) { c["aud"] = []string{"other", sepClientID} })},
		{name: "no azp", token: signed(func(c jwt.MapClaims) { delete(c, "azp") })},
		{name: "expired within leeway", token: signed(same), params: func(p *steps.IDTokenParams) { p.Now = sepNow.Add(59*time.Minute + 29*time.Second) }},
		{name: "alg none", token: func(t testing.TB, _, _ *rsa.PrivateKey) string { return sepUnsigned(t, sepClaims()) },
			wantFailed: []string{"alg", "signature"}, wantHint: "unsigned"},
		{name: "HS256 with the public key as secret", token: func(t testing.TB, good, _ *rsa.PrivateKey) string {
			return sepHMACWithPublicKey(t, &good.PublicKey, sepClaims())
		}, wantFailed: []string{"alg", "signature"}, wantHint: "algorithm confusion"},
		{name: "other key, same kid", token: func(t testing.TB, _, other *rsa.PrivateKey) string { return sepSign(t, other, "k1", sepClaims()) },
			wantFailed: []string{"signature"}, wantHint: "altered after signing"},
		{name: "unknown kid", token: func(t testing.TB, _, other *rsa.PrivateKey) string {
			return sepSign(t, other, "elsewhere", sepClaims())
		},
			wantFailed: []string{"kid", "signature"}, wantHint: "another realm or environment"},
		{name: "wrong aud", token: signed(func(c jwt.MapClaims) { c["aud"] = "someone-else"; delete(c, "azp") }),
			wantFailed: []string{"aud"}, wantHint: "issued to another client"},
		{name: "azp of another client", token: signed(func(c jwt.MapClaims) { c["azp"] = "someone-else" }),
			wantFailed: []string{"aud"}, wantHint: "azp someone-else"},
		{name: "wrong iss", token: signed(func(c jwt.MapClaims) { c["iss"] = "http://localhost:8400/realms/Cis2-mock-local" }),
			wantFailed: []string{"iss"}, wantHint: "127.0.0.1 and localhost"},
		{name: "expired", token: signed(same), params: func(p *steps.IDTokenParams) { p.Now = sepNow.Add(2 * time.Hour) },
			wantFailed: []string{"exp"}, wantHint: "expired at"},
		{name: "iat in the future", token: signed(func(c jwt.MapClaims) { c["iat"] = sepNow.Add(5 * time.Minute).Unix() }),
			wantFailed: []string{"iat"}, wantHint: "clock"},
		{name: "wrong nonce", token: signed(func(c jwt.MapClaims) { c["nonce"] = "replayed" }),
			wantFailed: []string{"nonce"}, wantHint: "replayed"},
		{name: "no nonce returned", token: signed(func(c jwt.MapClaims) { delete(c, "nonce") }),
			wantFailed: []string{"nonce"}},
		{name: "expired and for another client: both reported", token: signed(func(c jwt.MapClaims) { c["aud"] = "x"; delete(c, "azp") }),
			params: func(p *steps.IDTokenParams) { p.Now = sepNow.Add(3 * time.Hour) }, wantFailed: []string{"aud", "exp"}},
		{name: "JWKS unreachable", token: signed(same), params: func(p *steps.IDTokenParams) { p.JWKSURL = p.JWKSURL[:strings.LastIndex(p.JWKSURL, ":")] + ":1/certs" },
			wantFailed: []string{"kid", "signature"}, wantHint: "Nothing answers"},
		{name: "not a JWT", token: func(testing.TB, *rsa.PrivateKey, *rsa.PrivateKey) string { return "not-a-jwt" },
			wantFailed: []string{"format"}, wantHint: "well-formed JWT"},
	} {
		t.Run(tt.name, tt.run)
	}
}

func TestVerifyIDTokenDecodes(t *testing.T) {
	good, _ := testKeys(t)
	ts := sepJWKSServer(t, good)
	idt, _, err := steps.VerifyIDToken(context.Background(), ts.Client(), steps.IDTokenParams{
		Raw: sepSign(t, good, "k1", sepClaims()), JWKSURL: ts.URL, Issuer: sepIssuer, ClientID: sepClientID, Nonce: sepNonce, Now: sepNow})
	if err != nil {
		t.Fatal(err)
	}
	if idt.Lifetime() != time.Hour {
		t.Errorf("lifetime %s, want 1h", idt.Lifetime())
	}
	if idt.Claim("sub") != "656005750104" || idt.Claim("authentication_assurance_level") != "3" || idt.Claim("amr") != `["N3_SMARTCARD"]` {
		t.Errorf("claims %v", idt.Claims)
	}
	if idt.Claim("exp") != "1700003540" {
		t.Errorf("exp printed as %q", idt.Claim("exp"))
	}
	if idt.Header["kid"] != "k1" || idt.Header["alg"] != "RS256" {
		t.Errorf("header %v", idt.Header)
	}
}

func TestExplainClaim(t *testing.T) {
	for _, c := range []string{"sub", "acr", "amr", "id_assurance_level", "authentication_assurance_level", "sid",
		"nhs_number", "identity_proofing_level", "vot", "iss", "aud", "exp", "iat", "nonce"} {
		if steps.ExplainClaim(c) == "" {
			t.Errorf("no explanation for %s", c)
		}
	}
	if !strings.Contains(steps.ExplainClaim("exp"), "exchange it") {
		t.Errorf("exp explanation %q does not say to exchange the token now", steps.ExplainClaim("exp"))
	}
	if steps.ExplainClaim("no-such-claim") != "" {
		t.Error("explained an unknown claim")
	}
}
