package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var idTokenField = regexp.MustCompile(`"id_token": "([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"`)

// idTokenFrom runs flow on the local platform of vars and returns the ID
// token the sign-in got.
func idTokenFrom(t *testing.T, vars map[string]string, flow, user string) string {
	t.Helper()
	r := nhsauth(t, vars, nil, "run", flow, "--user", user, "--json", "--reveal")
	if r.code != exitOK {
		t.Fatalf("run %s: %v", flow, r)
	}
	m := idTokenField.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no id_token in run %s's document", flow)
	}
	return m[1]
}

// TestDecodeLocalIDTokens: an ID token from each local realm and from the
// local CIS2 (ForgeRock paths) is explained and verified against the local
// platform, each check on its own line; altered, it fails the signature.
func TestDecodeLocalIDTokens(t *testing.T) {
	vars := keyedPlatform(t)
	for _, tt := range []struct {
		flow, user, issuerPath string
	}{
		{"cis2-separate", "656005750104", "/realms/Cis2-mock-local"},
		{"nhs-login-separate", "9912003071", "/realms/NHS-Login-mock-local"},
		{"cis2-direct", "656005750104", "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"},
	} {
		t.Run(tt.flow, func(t *testing.T) {
			tok := idTokenFrom(t, vars, tt.flow, tt.user)
			r := nhsauth(t, vars, strings.NewReader(tok+"\n"), "decode", "--env", "local")
			if r.code != exitOK {
				t.Fatalf("%v", r)
			}
			for _, want := range []string{"An ID token", "issuer: ", "Signature: ", "(masked)",
				"Verification against the issuer " + vars["NHSAUTH_LOCAL_URL"] + tt.issuerPath,
				"✓ signature: ", "✓ kid: ", "✓ alg: ", "✓ iss: ", "– aud: ", "✓ exp: ", "– nbf: ", "✓ iat: "} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("no %q in:\n%s", want, r.stdout)
				}
			}
			if strings.Contains(r.stdout, strings.Split(tok, ".")[2]) {
				t.Error("the signature is shown unmasked")
			}
			parts := strings.Split(tok, ".")
			forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
			r = nhsauth(t, vars, nil, "decode", "--env", "local", forged)
			if r.code != exitFail || !strings.Contains(r.stdout, "✗ signature: ") || !strings.Contains(r.stdout, "cause: ") {
				t.Errorf("a forged signature: %v", r)
			}
		})
	}
}

// TestDecodeLocalNeedsEnv: a local issuer is not fetched unless --env
// local names the platform; an unknown --env is a usage error.
func TestDecodeLocalNeedsEnv(t *testing.T) {
	vars := keyedPlatform(t)
	tok := idTokenFrom(t, vars, "cis2-separate", "656005750104")
	r := nhsauth(t, vars, nil, "decode", tok)
	if r.code != exitOK || !strings.Contains(r.stdout, "Not verified: ") || !strings.Contains(r.stdout, "--env local") {
		t.Errorf("%v", r)
	}
	for _, args := range [][]string{{"decode", "--env", "int", tok}, {"decode", tok, "extra"}, {"decode"}} {
		if r := nhsauth(t, vars, nil, args...); r.code != exitUsage {
			t.Errorf("%v: %v", args, r)
		}
	}
	if r := nhsauth(t, vars, nil, "decode", "not-a-token"); r.code != exitFail || !strings.Contains(r.stderr, "not a JWT") {
		t.Errorf("%v", r)
	}
}

// TestDecodeJSON: --json carries the schema, the claims and the checks.
func TestDecodeJSON(t *testing.T) {
	vars := keyedPlatform(t)
	tok := idTokenFrom(t, vars, "cis2-separate", "656005750104")
	r := nhsauth(t, vars, nil, "decode", "--env", "local", "--json", "--audience", "someone-else", tok)
	if r.code != exitFail {
		t.Fatalf("%v", r)
	}
	var doc decodeDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "nhsauth/decode@1" || doc.Kind != "id_token" || !doc.Verified || len(doc.Claims) == 0 {
		t.Errorf("%+v", doc)
	}
	aud := false
	for _, c := range doc.Checks {
		aud = aud || c.Name == "aud" && c.Status == "fail" && c.Fix != ""
	}
	if !aud {
		t.Errorf("no failed aud check: %+v", doc.Checks)
	}
}

// TestDecodeAssertionCLI: a client assertion signed with HS256, piped in,
// is flagged with the platform's exact error, and decode exits 1.
func TestDecodeAssertionCLI(t *testing.T) {
	inTempDir(t)
	claims := jwt.MapClaims{"iss": "app-key", "sub": "app-key", "aud": "https://int.api.service.nhs.uk/oauth2/token", "jti": "j-1", "exp": time.Now().Add(time.Minute).Unix()}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = "int-1"
	raw, err := tok.SignedString([]byte("a shared secret of thirty-two bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	r := nhsauth(t, nil, strings.NewReader(raw), "decode", "-")
	want := `The platform would refuse it, answering the first failure: HTTP 400 invalid_request: "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"`
	if r.code != exitFail || !strings.Contains(r.stdout, "A client assertion") || !strings.Contains(r.stdout, "✗ alg: HS256, not RS512") || !strings.Contains(r.stdout, want) {
		t.Errorf("%v", r)
	}
	if strings.Contains(r.stdout, strings.Split(raw, ".")[2]) {
		t.Error("the signature is shown unmasked")
	}
}
