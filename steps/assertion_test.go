package steps_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/nhsauth/nhsauth/steps"
)

func TestSignAssertionRoundTrip(t *testing.T) {
	key, _ := testKeys(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const aud = "https://int.api.service.nhs.uk/oauth2/token"
	signed, ex, err := steps.PlatformAuth(key, "int-1", "my-api-key", fixedClock(now)).Sign(aud)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(signed, claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS512"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if got := tok.Header["alg"]; got != "RS512" {
		t.Errorf("alg = %v, want RS512", got)
	}
	if got := tok.Header["typ"]; got != "JWT" {
		t.Errorf("typ = %v, want JWT", got)
	}
	if got := tok.Header["kid"]; got != "int-1" {
		t.Errorf("kid = %v, want int-1", got)
	}
	for name, want := range map[string]any{"iss": "my-api-key", "sub": "my-api-key", "aud": aud, "exp": float64(now.Unix() + 240)} {
		if got := claims[name]; got != want {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	jti, _ := claims["jti"].(string)
	if u, err := uuid.Parse(jti); err != nil || u.Version() != 4 {
		t.Errorf("jti = %q, want a UUID v4 (%v)", jti, err)
	}
	for _, absent := range []string{"iat", "nbf"} {
		if _, ok := claims[absent]; ok {
			t.Errorf("claim %s present, the platform's guide sends none", absent)
		}
	}
	if len(claims) != 5 {
		t.Errorf("claims = %v, want exactly iss sub aud jti exp", claims)
	}

	if !ex.Synthetic || ex.Title != "Client assertion" || ex.Spec == "" {
		t.Errorf("exchange = %+v, want a synthetic Client assertion record", ex)
	}
	var decoded struct {
		Header map[string]any `json:"header"`
		Claims map[string]any `json:"claims"`
	}
	if err := json.Unmarshal(ex.ReqBody, &decoded); err != nil {
		t.Fatalf("ReqBody is not JSON: %v\n%s", err, ex.ReqBody)
	}
	if decoded.Header["kid"] != "int-1" || decoded.Claims["jti"] != jti || decoded.Claims["exp"] != float64(now.Unix()+240) {
		t.Errorf("decoded record = %+v, want the signed header and claims", decoded)
	}
	if strings.Contains(string(ex.ReqBody), signed) {
		t.Error("the record shows the signed assertion: it is a secret")
	}
	if !strings.Contains(ex.Note, "240 s") {
		t.Errorf("note %q does not say how long the assertion lives", ex.Note)
	}
}

func TestSignAssertionOptions(t *testing.T) {
	key, _ := testKeys(t)
	now := time.Unix(1_800_000_000, 0)
	base := steps.PlatformAuth(key, "k", "api", fixedClock(now))
	const aud = "http://127.0.0.1/oauth2/token"

	p := base
	p.NewJTI, p.Lifetime = func() string { return "fixed-jti" }, 5*time.Minute
	signed, _, err := p.Sign(aud)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(signed, claims); err != nil {
		t.Fatal(err)
	}
	if claims["jti"] != "fixed-jti" || claims["exp"] != float64(now.Unix()+300) {
		t.Errorf("claims = %v, want the given jti and exp = now+300", claims)
	}

	// A fresh jti every time: the platform accepts each once (§2.6 row 16).
	a, _, _ := base.Sign(aud)
	b, _, _ := base.Sign(aud)
	ca, cb := jwt.MapClaims{}, jwt.MapClaims{}
	jwt.NewParser().ParseUnverified(a, ca)
	jwt.NewParser().ParseUnverified(b, cb)
	if ca["jti"] == cb["jti"] {
		t.Errorf("two assertions share jti %v", ca["jti"])
	}
}

func TestSignAssertionErrors(t *testing.T) {
	key, _ := testKeys(t)
	ok := steps.PlatformAuth(key, "k", "api", time.Now)
	tests := []struct {
		name    string
		edit    func(*steps.ClientAuth, *string)
		wantErr string
	}{
		{"nil key", func(p *steps.ClientAuth, _ *string) { p.Key = nil }, "no private key"},
		{"empty kid", func(p *steps.ClientAuth, _ *string) { p.KID = "" }, "empty kid"},
		{"empty api key", func(p *steps.ClientAuth, _ *string) { p.ClientID = "" }, "empty API key"},
		{"empty audience", func(_ *steps.ClientAuth, aud *string) { *aud = "" }, "empty audience"},
		{"negative lifetime", func(p *steps.ClientAuth, _ *string) { p.Lifetime = -time.Second }, "out of range"},
		{"lifetime over 5 minutes", func(p *steps.ClientAuth, _ *string) { p.Lifetime = 5*time.Minute + time.Second }, "at most 5 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, aud := ok, "https://x/oauth2/token"
			tt.edit(&p, &aud)
			signed, _, err := p.Sign(aud)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "steps: ") {
				t.Errorf("err = %q, want the steps: prefix", err)
			}
			if signed != "" {
				t.Error("an assertion came back with the error")
			}
		})
	}
}

// fixedClock is a clock stopped at now.
func fixedClock(now time.Time) func() time.Time { return func() time.Time { return now } }
