package doctor

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/steps"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

const tokenURL = "https://int.api.service.nhs.uk/oauth2/token"

// assertion signs a client assertion as the platform wants it (reference
// §2.2, §2.3), then lets edit break it.
func assertion(t testing.TB, now time.Time, edit func(h map[string]any, c jwt.MapClaims) jwt.SigningMethod) string {
	t.Helper()
	c := jwt.MapClaims{"iss": "app-key", "sub": "app-key", "aud": tokenURL, "jti": "7d1e0b52-8a3c-4c4e-9d84-0e0f4b1d9a11", "exp": now.Add(4 * time.Minute).Unix()}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS512, c)
	tok.Header["kid"] = "int-1"
	method := jwt.SigningMethod(jwt.SigningMethodRS512)
	if edit != nil {
		if m := edit(tok.Header, c); m != nil {
			method = m
		}
	}
	tok.Method = method
	tok.Header["alg"] = method.Alg()
	var key any = testKey()
	if method == jwt.SigningMethodHS256 {
		key = []byte("a shared secret of thirty-two bytes!")
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// noNetwork fails every request: decode must not fetch for these tokens.
var noNetwork = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
	return nil, errors.New("no network in this test: " + r.URL.String())
})}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDecodeAssertionRules: each broken client assertion is flagged with
// the platform's exact error (reference §2.6), and a good one passes.
func TestDecodeAssertionRules(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		name      string
		edit      func(h map[string]any, c jwt.MapClaims) jwt.SigningMethod
		rule      string
		wantError string // "" for a good assertion
	}{
		{"good", nil, "", ""},
		{"missing typ", func(h map[string]any, _ jwt.MapClaims) jwt.SigningMethod { delete(h, "typ"); return nil },
			"typ", "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"},
		{"HS256", func(map[string]any, jwt.MapClaims) jwt.SigningMethod { return jwt.SigningMethodHS256 },
			"alg", "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"},
		{"wrong aud", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod {
			c["aud"] = "https://int.api.service.nhs.uk.example.org/oauth2/token"
			return nil
		},
			"aud", "Missing or invalid 'aud' claim in client_assertion JWT"},
		{"exp over 5 min", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod {
			c["exp"] = now.Add(10 * time.Minute).Unix()
			return nil
		},
			"exp", "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"},
		{"iss not sub", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod { c["sub"] = "other-key"; return nil },
			"iss = sub", "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"},
		{"no kid", func(h map[string]any, _ jwt.MapClaims) jwt.SigningMethod { delete(h, "kid"); return nil },
			"kid", "Missing 'kid' header in client_assertion JWT"},
		{"no jti", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod { delete(c, "jti"); return nil },
			"jti", "Missing 'jti' claim in client_assertion JWT"},
		{"expired", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod {
			c["exp"] = now.Add(-time.Minute).Unix()
			return nil
		},
			"exp", "Invalid 'exp' claim in client_assertion JWT - JWT has expired"},
		{"exp a string", func(_ map[string]any, c jwt.MapClaims) jwt.SigningMethod { c["exp"] = "1999999999"; return nil },
			"exp", "Invalid 'exp' claim in client_assertion JWT - must be an integer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw := assertion(t, now, tt.edit)
			opts := DecodeOptions{HTTP: noNetwork, Now: now}
			if tt.name == "missing typ" || tt.name == "iss not sub" {
				opts.Assertion = true // without iss = sub or typ, say what it is
			}
			d, err := Decode(context.Background(), raw, opts)
			if err != nil {
				t.Fatal(err)
			}
			if d.Kind != KindAssertion {
				t.Fatalf("kind %s, want a client assertion", d.Kind)
			}
			if tt.wantError == "" {
				if Failed(d.Rules) || d.Refusal != "" || len(d.Rules) < 7 {
					t.Errorf("a good assertion: rules %+v, refusal %q", d.Rules, d.Refusal)
				}
				return
			}
			var got *Check
			for i, c := range d.Rules {
				if c.Name == tt.rule && c.Status == Fail {
					got = &d.Rules[i]
				}
			}
			if got == nil {
				t.Fatalf("no failed %s rule in %+v", tt.rule, d.Rules)
			}
			if !strings.Contains(got.Cause, `"`+tt.wantError+`"`) || got.Fix == "" {
				t.Errorf("%s: cause %q, fix %q; want the platform's %q", tt.rule, got.Cause, got.Fix, tt.wantError)
			}
			if !strings.Contains(d.Refusal, tt.wantError) {
				t.Errorf("refusal %q, want %q (the only failure is the first)", d.Refusal, tt.wantError)
			}
		})
	}
}

// TestDecodeAssertionAudience: --audience names the token URL the
// assertion must carry.
func TestDecodeAssertionAudience(t *testing.T) {
	raw := assertion(t, time.Now(), nil)
	d, err := Decode(context.Background(), raw, DecodeOptions{HTTP: noNetwork, Audience: "https://int.api.service.nhs.uk/oauth2-mock/token"})
	if err != nil || !strings.Contains(d.Refusal, "'aud'") {
		t.Errorf("refusal %q, err %v", d.Refusal, err)
	}
}

// TestRefusalsAreDiagnosed: every refusal decode names is a row of steps'
// diagnosis table, so its wording is the platform's exact string.
func TestRefusalsAreDiagnosed(t *testing.T) {
	for _, r := range []Refusal{refuseAlg, refuseExpired, refuseNoKID, refuseTyp, refuseNoExp, refuseExpNumber, refuseIssSub, refuseNoJTI, refuseJTIString, refuseExpFar, refuseAud} {
		h := steps.Diagnose(&steps.OAuthError{Status: r.Status, Code: r.Code, Description: r.Desc, Grant: steps.GrantClientCredentials})
		generic := steps.Diagnose(&steps.OAuthError{Status: r.Status, Code: r.Code, Description: "no such description"})
		if len(h) == 0 || (len(generic) > 0 && h[0] == generic[0]) {
			t.Errorf("%q has no row of its own in steps' diagnoses", r.Desc)
		}
	}
}

// TestDecodeKinds: each kind of token is told apart by its members.
func TestDecodeKinds(t *testing.T) {
	for _, tt := range []struct {
		claims jwt.MapClaims
		want   string
	}{
		{jwt.MapClaims{"iss": "https://idp.example", "sid": "s", "events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}}, KindLogout},
		{jwt.MapClaims{"iss": "https://idp.example", "sub": "u", "aud": "c", "auth_time": 1}, KindIDToken},
		{jwt.MapClaims{"iss": "https://idp.example", "sub": "u", "scope": "openid"}, KindAccessToken},
		{jwt.MapClaims{"iss": "app", "sub": "app", "aud": tokenURL}, KindAssertion},
		{jwt.MapClaims{"hello": "world"}, KindJWT},
	} {
		raw, err := jwt.NewWithClaims(jwt.SigningMethodRS256, tt.claims).SignedString(testKey())
		if err != nil {
			t.Fatal(err)
		}
		if d, err := Decode(context.Background(), raw, DecodeOptions{HTTP: noNetwork}); err != nil || d.Kind != tt.want {
			t.Errorf("%v: kind %q (%v), want %s", tt.claims, d.Kind, err, tt.want)
		}
	}
	if _, err := Decode(context.Background(), "EFFs3EeT0SZbF2J14LvM93vVDTaA", DecodeOptions{}); err == nil || !strings.Contains(err.Error(), "opaque") {
		t.Errorf("an opaque token: %v", err)
	}
}

// TestDecodeNotJWT: input that is not a JWT is an error, never a panic.
func TestDecodeNotJWT(t *testing.T) {
	for _, in := range []string{"", "abc", "a.b", "a.b.c", "e30.e30", "!!.e30.sig"} {
		if _, err := Decode(context.Background(), in, DecodeOptions{HTTP: noNetwork}); !errors.Is(err, ErrNotJWT) {
			t.Errorf("%q: err %v, want ErrNotJWT", in, err)
		}
	}
}

// TestDecodeUnknownIssuerNotFetched: a token naming an unknown issuer is
// not verified (no fetch) unless --verify asks.
func TestDecodeUnknownIssuerNotFetched(t *testing.T) {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": "https://issuer.example/", "aud": "x", "nonce": "n", "exp": time.Now().Add(time.Hour).Unix()})
	raw, err := tok.SignedString(testKey())
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(context.Background(), raw, DecodeOptions{HTTP: noNetwork})
	if err != nil || d.Verified || !strings.Contains(d.NotVerified, "--verify") || d.Kind != KindIDToken {
		t.Errorf("%+v %v", d, err)
	}
	d, _ = Decode(context.Background(), raw, DecodeOptions{HTTP: noNetwork, Verify: true})
	if !d.Verified || !Failed(d.Checks) || d.Checks[0].Name != "discovery" {
		t.Errorf("--verify: %+v", d.Checks)
	}
}

// FuzzDecode: any input decodes or is ErrNotJWT, never panics, and never
// reaches the network unasked.
func FuzzDecode(f *testing.F) {
	f.Add(assertion(f, time.Now(), nil))
	f.Add("eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lkZW50aXR5LnB0bC5hcGkucGxhdGZvcm0ubmhzLnVrL3JlYWxtcy9DaXMyLW1vY2staW50In0.")
	f.Add("e30.e30.e30")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Decode(context.Background(), in, DecodeOptions{HTTP: noNetwork})
		if err != nil && !errors.Is(err, ErrNotJWT) {
			t.Fatalf("%q: %v", in, err)
		}
		if err == nil && d.Kind == "" {
			t.Fatalf("%q: no kind", in)
		}
	})
}

// TestDecodeNeutralises: control characters in what the token says never
// reach the output raw.
func TestDecodeNeutralises(t *testing.T) {
	for _, iss := range []string{"https://x.example/\x1b]0;pwned\x07", "\x1b[31mapp\x1b[0m"} {
		claims := jwt.MapClaims{"iss": iss, "sub": iss, "aud": tokenURL, "nonce": "n\x1b[2J"}
		raw, err := jwt.NewWithClaims(jwt.SigningMethodRS512, claims).SignedString(testKey())
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(context.Background(), raw, DecodeOptions{HTTP: noNetwork})
		if err != nil {
			t.Fatal(err)
		}
		all := d.Issuer + d.NotVerified + d.Refusal
		for _, c := range append(d.Rules, d.Checks...) {
			all += c.Name + c.Detail + c.Cause + c.Fix
		}
		for _, c := range append(d.Token.Header, d.Token.Claims...) {
			all += c.Name + c.Value
		}
		if strings.ContainsAny(all, "\x1b\x07") {
			t.Errorf("raw control characters in %q", all)
		}
	}
}
