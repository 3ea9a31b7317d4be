package steps_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/steps"
)

// authCase is one client authentication method as a table row: the value
// given, and exactly what must go over the wire.
type authCase struct {
	name       string
	auth       func(key *rsa.PrivateKey) steps.ClientAuth
	wantForm   map[string]string // besides grant_type; client_assertion is checked by wantHeader and wantClaims
	wantBasic  string            // the Authorization: Basic credentials, decoded; "" means no header
	wantHeader map[string]any    // the assertion's JOSE header; nil means no assertion
	wantClaims []string          // the assertion's claim names
	verifyWith func(key *rsa.PrivateKey) any
	wantAlg    string
}

var authNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	authID     = "cis2 client"
	authSecret = "s3cret/+and more bytes for HS512 keys"
)

func authCases() []authCase {
	secret := func(*rsa.PrivateKey) any { return []byte(authSecret) }
	public := func(k *rsa.PrivateKey) any { return &k.PublicKey }
	jwtForm := map[string]string{"client_assertion_type": steps.AssertionTypeJWTBearer}
	oidcClaims := []string{"aud", "exp", "iat", "iss", "jti", "sub"}
	clock := fixedClock(authNow)
	return []authCase{
		{name: "client_secret_post", auth: func(*rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: authID, Secret: authSecret}
		}, wantForm: map[string]string{"client_id": authID, "client_secret": authSecret}},
		{name: "client_secret_basic", auth: func(*rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthClientSecretBasic, ClientID: authID, Secret: authSecret}
		}, wantForm: map[string]string{},
			// RFC 6749 §2.3.1: each form-encoded before base64.
			wantBasic: "cis2+client:s3cret%2F%2Band+more+bytes+for+HS512+keys"},
		{name: "client_secret_jwt HS256 (default)", auth: func(*rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthClientSecretJWT, ClientID: authID, Secret: authSecret, Now: clock}
		}, wantForm: jwtForm, wantHeader: map[string]any{"alg": "HS256", "typ": "JWT"}, wantClaims: oidcClaims, verifyWith: secret, wantAlg: "HS256"},
		{name: "client_secret_jwt HS512", auth: func(*rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthClientSecretJWT, ClientID: authID, Secret: authSecret, Alg: "HS512", Now: clock}
		}, wantForm: jwtForm, wantHeader: map[string]any{"alg": "HS512", "typ": "JWT"}, wantClaims: oidcClaims, verifyWith: secret, wantAlg: "HS512"},
		{name: "private_key_jwt RS512 (default)", auth: func(k *rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, ClientID: authID, Key: k, KID: "cis2-1", Now: clock}
		}, wantForm: jwtForm, wantHeader: map[string]any{"alg": "RS512", "typ": "JWT", "kid": "cis2-1"}, wantClaims: oidcClaims, verifyWith: public, wantAlg: "RS512"},
		{name: "private_key_jwt RS256", auth: func(k *rsa.PrivateKey) steps.ClientAuth {
			return steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, ClientID: authID, Key: k, KID: "cis2-1", Alg: "RS256", Now: clock}
		}, wantForm: jwtForm, wantHeader: map[string]any{"alg": "RS256", "typ": "JWT", "kid": "cis2-1"}, wantClaims: oidcClaims, verifyWith: public, wantAlg: "RS256"},
		// The NHS platform's signed JWT (reference §2.2, §2.3): no iat.
		{name: "NHS platform private_key_jwt", auth: func(k *rsa.PrivateKey) steps.ClientAuth {
			return steps.PlatformAuth(k, "int-1", authID, clock)
		}, wantForm: jwtForm, wantHeader: map[string]any{"alg": "RS512", "typ": "JWT", "kid": "int-1"},
			wantClaims: []string{"aud", "exp", "iss", "jti", "sub"}, verifyWith: public, wantAlg: "RS512"},
	}
}

// TestClientAuthMethods sends a client-credentials grant with each method
// and checks exactly what arrived: headers, form, and the assertion's
// header and claims, its signature verified with the right key or secret.
func TestClientAuthMethods(t *testing.T) {
	key, _ := testKeys(t)
	for _, tt := range authCases() {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, key) })
	}
}

func (tt authCase) run(t *testing.T, key *rsa.PrivateKey) {
	t.Helper()
	ts, seen := sepServer(t, http.StatusOK, `{"access_token":"at","expires_in":"599","token_type":"Bearer"}`)
	tokenURL := ts.URL + "/oauth2/token"
	_, exs, err := steps.ClientCredentials(context.Background(), ts.Client(), steps.ClientCredentialsParams{TokenURL: tokenURL, Auth: tt.auth(key)})
	if err != nil {
		t.Fatal(err)
	}
	r := <-seen
	want := map[string]string{"grant_type": "client_credentials"}
	for k, v := range tt.wantForm {
		want[k] = v
	}
	assertion := r.Form.Get("client_assertion")
	if tt.wantHeader != nil {
		want["client_assertion"] = assertion
	}
	sepFormEqual(t, r.Form, want)
	if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", got)
	}
	checkBasic(t, r.Header, tt.wantBasic)
	if tt.wantHeader == nil {
		if len(exs) != 1 {
			t.Errorf("%d exchanges, want the token request only", len(exs))
		}
		return
	}
	if len(exs) != 2 || exs[0].Title != "Client assertion" || !exs[0].Synthetic || exs[1].Title != "Token request" {
		t.Errorf("exchanges = %+v, want the signed assertion's record, then the token request", exs)
	}
	checkAssertion(t, assertion, tt, key, tokenURL)
}

// checkBasic checks the Authorization: Basic credentials, still
// form-encoded as RFC 6749 §2.3.1 sends them; want "" means no header.
func checkBasic(t *testing.T, h http.Header, want string) {
	t.Helper()
	got := h.Get("Authorization")
	if want == "" {
		if got != "" {
			t.Errorf("unexpected Authorization %q", got)
		}
		return
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(got, "Basic "))
	if !strings.HasPrefix(got, "Basic ") || err != nil || string(raw) != want {
		t.Errorf("Authorization %q (%q), want Basic %q", got, raw, want)
	}
}

// checkAssertion verifies the assertion with the case's key or secret and
// checks its header and claims.
func checkAssertion(t *testing.T, assertion string, tt authCase, key *rsa.PrivateKey, tokenURL string) {
	t.Helper()
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(assertion, claims, func(*jwt.Token) (any, error) { return tt.verifyWith(key), nil },
		jwt.WithValidMethods([]string{tt.wantAlg}), jwt.WithTimeFunc(func() time.Time { return authNow }))
	if err != nil {
		t.Fatalf("assertion does not verify with %s: %v", tt.wantAlg, err)
	}
	if !reflect.DeepEqual(tok.Header, tt.wantHeader) {
		t.Errorf("header = %v, want %v", tok.Header, tt.wantHeader)
	}
	var names []string
	for k := range claims {
		names = append(names, k)
	}
	if strings.Join(slices.Sorted(slices.Values(names)), ",") != strings.Join(tt.wantClaims, ",") {
		t.Errorf("claims %v, want exactly %v", names, tt.wantClaims)
	}
	exp := float64(authNow.Add(steps.DefaultAssertionLifetime).Unix())
	for name, want := range map[string]any{"iss": authID, "sub": authID, "aud": tokenURL, "exp": exp} {
		if claims[name] != want {
			t.Errorf("%s = %#v, want %#v", name, claims[name], want)
		}
	}
	if iat, ok := claims["iat"]; ok && iat != float64(authNow.Unix()) {
		t.Errorf("iat = %v, want %d", iat, authNow.Unix())
	}
	if jti, _ := claims["jti"].(string); len(jti) < 16 {
		t.Errorf("jti = %q, want a fresh UUID", jti)
	}
}

// TestClientAuthEveryGrant sends each grant with HTTP Basic and with a
// signed JWT: the one token-form POST applies the value to all of them,
// and the assertion's aud is each grant's own token URL.
func TestClientAuthEveryGrant(t *testing.T) {
	key, _ := testKeys(t)
	grants := map[string]func(ts string, a steps.ClientAuth) error{
		"client credentials": func(u string, a steps.ClientAuth) error {
			_, _, err := steps.ClientCredentials(context.Background(), http.DefaultClient, steps.ClientCredentialsParams{TokenURL: u, Auth: a})
			return err
		},
		"code": func(u string, a steps.ClientAuth) error {
			_, _, err := steps.ExchangeCode(context.Background(), http.DefaultClient, steps.CodeParams{TokenURL: u, Auth: a, Code: "c", RedirectURI: "https://example.org", Verifier: "v"})
			return err
		},
		"token exchange": func(u string, a steps.ClientAuth) error {
			_, _, err := steps.TokenExchange(context.Background(), http.DefaultClient, steps.TokenExchangeParams{TokenURL: u, SubjectToken: "id.token.jwt", Auth: a})
			return err
		},
		"refresh": func(u string, a steps.ClientAuth) error {
			_, _, err := steps.RefreshToken(context.Background(), http.DefaultClient, steps.RefreshParams{TokenURL: u, Auth: a, RefreshToken: "rt"})
			return err
		},
	}
	for name, grant := range grants {
		t.Run(name+"/basic", func(t *testing.T) {
			ts, seen := sepServer(t, http.StatusOK, sepRealmTokens)
			if err := grant(ts.URL+"/token", steps.ClientAuth{Method: steps.AuthClientSecretBasic, ClientID: "id", Secret: "pw"}); err != nil {
				t.Fatal(err)
			}
			r := <-seen
			checkBasic(t, r.Header, "id:pw")
			if r.Form.Has("client_id") || r.Form.Has("client_secret") || r.Form.Has("client_assertion") {
				t.Errorf("credentials in the form too: %s", r.Body)
			}
		})
		t.Run(name+"/private_key_jwt", func(t *testing.T) {
			ts, seen := sepServer(t, http.StatusOK, sepRealmTokens)
			if err := grant(ts.URL+"/token", steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, ClientID: "id", Key: key, KID: "k1"}); err != nil {
				t.Fatal(err)
			}
			r := <-seen
			claims := jwt.MapClaims{}
			if _, err := jwt.ParseWithClaims(r.Form.Get("client_assertion"), claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
				jwt.WithValidMethods([]string{"RS512"})); err != nil {
				t.Fatalf("assertion: %v", err)
			}
			if claims["aud"] != ts.URL+"/token" || r.Form.Get("client_assertion_type") != steps.AssertionTypeJWTBearer || r.Header.Get("Authorization") != "" {
				t.Errorf("aud %v, form %s", claims["aud"], r.Body)
			}
		})
	}
}

// TestClientAuthKeepsTheGuidesOrder checks that the client's parameters
// sit where each grant's guide puts them.
func TestClientAuthKeepsTheGuidesOrder(t *testing.T) {
	ts, seen := sepServer(t, http.StatusOK, sepPlatformTokens)
	post := steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: "k", Secret: "s"}
	if _, _, err := steps.RefreshToken(context.Background(), ts.Client(), steps.RefreshParams{TokenURL: ts.URL, Auth: post, RefreshToken: "rt"}); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; r.Body != "grant_type=refresh_token&client_id=k&client_secret=s&refresh_token=rt" {
		t.Errorf("refresh body %s, want reference §3.5's order", r.Body)
	}
	if _, _, err := steps.TokenExchange(context.Background(), ts.Client(), steps.TokenExchangeParams{TokenURL: ts.URL, SubjectToken: "st", Auth: preSigned("a.b.c")}); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; !strings.HasSuffix(r.Body, "&subject_token=st&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c") {
		t.Errorf("token exchange body %s, want reference §3.1's order", r.Body)
	}
}

func TestClientAuthRefusals(t *testing.T) {
	key, _ := testKeys(t)
	for _, tt := range []struct {
		name    string
		auth    steps.ClientAuth
		wantErr string
	}{
		{"unknown method", steps.ClientAuth{Method: "tls_client_auth", ClientID: "id"}, `client authentication "tls_client_auth": use client_secret_post, client_secret_basic, client_secret_jwt or private_key_jwt`},
		{"client_secret_jwt without a secret", steps.ClientAuth{Method: steps.AuthClientSecretJWT, ClientID: "id"}, "no client secret"},
		{"client_secret_jwt with an RSA alg", steps.ClientAuth{Method: steps.AuthClientSecretJWT, ClientID: "id", Secret: "s", Alg: "RS256"}, "client_secret_jwt does not sign with RS256"},
		{"private_key_jwt with an HMAC alg", steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, ClientID: "id", Key: key, KID: "k", Alg: "HS256"}, "private_key_jwt does not sign with HS256"},
		{"private_key_jwt without a kid", steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, ClientID: "id", Key: key}, "empty kid"},
		{"private_key_jwt without a client id", steps.ClientAuth{Method: steps.AuthPrivateKeyJWT, Key: key, KID: "k"}, "empty client id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts, seen := sepServer(t, http.StatusOK, sepPlatformTokens)
			_, exs, err := steps.ClientCredentials(context.Background(), ts.Client(), steps.ClientCredentialsParams{TokenURL: ts.URL, Auth: tt.auth})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "steps: token endpoint: ") {
				t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
			}
			if len(exs) != 0 || len(seen) != 0 {
				t.Errorf("a refused client authentication was sent: %d exchanges", len(exs))
			}
		})
	}
}

func TestAuthMethods(t *testing.T) {
	want := []steps.AuthMethod{steps.AuthClientSecretPost, steps.AuthClientSecretBasic, steps.AuthClientSecretJWT, steps.AuthPrivateKeyJWT}
	if got := steps.AuthMethods(); !reflect.DeepEqual(got, want) {
		t.Errorf("AuthMethods() = %v, want %v", got, want)
	}
	for _, m := range want {
		if got, err := steps.ParseAuthMethod(" " + string(m) + " "); err != nil || got != m {
			t.Errorf("ParseAuthMethod(%q) = %q, %v", m, got, err)
		}
	}
	for in, m := range map[string]steps.AuthMethod{"post": steps.AuthClientSecretPost, "basic": steps.AuthClientSecretBasic, "": ""} {
		if got, err := steps.ParseAuthMethod(in); err != nil || got != m {
			t.Errorf("ParseAuthMethod(%q) = %q, %v; want %q", in, got, err, m)
		}
	}
	if _, err := steps.ParseAuthMethod("jwt"); err == nil || !strings.Contains(err.Error(), steps.JoinAuthMethods(want)) {
		t.Errorf("ParseAuthMethod(jwt) error = %v, want the methods listed", err)
	}
	if got := steps.JoinAuthMethods(want[:2]); got != "client_secret_post or client_secret_basic" {
		t.Errorf("JoinAuthMethods = %q", got)
	}
}

// TestClientAuthSignNote checks the record of a client_secret_jwt
// assertion: decoded, without the secret or the signed token.
func TestClientAuthSignNote(t *testing.T) {
	a := steps.ClientAuth{Method: steps.AuthClientSecretJWT, ClientID: authID, Secret: authSecret, Now: fixedClock(authNow)}
	signed, ex, err := a.Sign("https://cis2.example/token")
	if err != nil {
		t.Fatal(err)
	}
	body := string(ex.ReqBody)
	if strings.Contains(body, signed) || strings.Contains(body, authSecret) || strings.Contains(ex.Note, authSecret) {
		t.Errorf("the record shows a secret: %s %s", body, ex.Note)
	}
	if !strings.Contains(body, `"iat": 1772366400`) || strings.Contains(body, `"kid"`) || !strings.Contains(ex.Note, "HS256 with the client secret") {
		t.Errorf("record %s, note %q", body, ex.Note)
	}
	if _, _, err := (steps.ClientAuth{Method: steps.AuthClientSecretBasic}).Sign("u"); err == nil {
		t.Error("client_secret_basic signed an assertion")
	}
}

// TestClientAuthNotOverridden checks that a grant's extra parameters never
// replace or add to the client's authentication.
func TestClientAuthNotOverridden(t *testing.T) {
	ts, seen := sepServer(t, http.StatusOK, sepPlatformTokens)
	extra := url.Values{"client_id": {"evil"}, "client_assertion": {"x.y.z"}, "client_assertion_type": {"t"}, "_access_token_expiry_ms": {"1"}}
	post := steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: "k", Secret: "s"}
	if _, _, err := steps.ClientCredentials(context.Background(), ts.Client(), steps.ClientCredentialsParams{TokenURL: ts.URL, Auth: post, Extra: extra}); err != nil {
		t.Fatal(err)
	}
	r := <-seen
	sepFormEqual(t, r.Form, map[string]string{"grant_type": "client_credentials", "client_id": "k", "client_secret": "s", "_access_token_expiry_ms": "1"})
}
