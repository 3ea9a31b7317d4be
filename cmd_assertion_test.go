package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// TestAssertionGetsToken: assertion --form, posted as it is, is a client
// credentials grant the platform answers with a token; on local the key
// defaults to run's (issue 13's "nhsauth assertion --env local").
func TestAssertionGetsToken(t *testing.T) {
	for name, key := range map[string][]string{"default key": nil, "--private-key": {"--private-key", ".auth/local-1.pem"}} {
		t.Run(name, func(t *testing.T) {
			p, vars := tokenTestEnv(t)
			r := nhsauth(t, vars, nil, append([]string{"assertion", "--env", "local", "--form"}, key...)...)
			if r.code != exitOK {
				t.Fatalf("%v", r)
			}
			if _, grants, _ := p.counts(); len(grants) != 0 {
				t.Errorf("assertion sent a token request itself: %v", grants)
			}
			resp, err := http.Post(p.ts.URL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(strings.TrimSpace(r.stdout)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var tok steps.Token
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
				t.Errorf("HTTP %d: %s", resp.StatusCode, body)
			}
		})
	}
}

// TestAssertionNeedsKeyOffLocal: only local has a default key.
func TestAssertionNeedsKeyOffLocal(t *testing.T) {
	r := nhsauth(t, nil, nil, "assertion", "--env", "int", "--api-key", "K")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--private-key is required") {
		t.Errorf("want a usage error naming --private-key, got %v", r)
	}
}

// TestAssertionClaims: decoded, the assertion has every header and claim
// of reference §2.2 and §2.3.
func TestAssertionClaims(t *testing.T) {
	p, vars := tokenTestEnv(t)
	r := nhsauth(t, vars, nil, "assertion", "--env", "local", "--private-key", ".auth/local-1.pem", "--explain")
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	d, err := steps.DecodeJWT(strings.TrimSpace(r.stdout))
	if err != nil {
		t.Fatalf("stdout is not the JWT alone: %v\n%s", err, r.stdout)
	}
	h, c := memberMap(d.Header), memberMap(d.Claims)
	for name, want := range map[string]any{"alg": "RS512", "typ": "JWT", "kid": "local-1"} {
		if h[name] != want {
			t.Errorf("header %s = %v, want %v", name, h[name], want)
		}
	}
	for name, want := range map[string]any{"iss": "nhsauth-local-api-key", "sub": "nhsauth-local-api-key", "aud": p.ts.URL + "/oauth2/token"} {
		if c[name] != want {
			t.Errorf("claim %s = %v, want %v", name, c[name], want)
		}
	}
	if jti, _ := c["jti"].(string); jti == "" {
		t.Errorf("jti %v, want a string", c["jti"])
	}
	exp, _ := c["exp"].(float64)
	if left := time.Until(time.Unix(int64(exp), 0)); left <= 0 || left > 5*time.Minute {
		t.Errorf("exp in %s, want within 5 minutes", left)
	}
	for _, want := range []string{"header:", `typ  "JWT"`, `aud  "` + p.ts.URL + `/oauth2/token"`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--explain wrote no %q:\n%s", want, r.stderr)
		}
	}
	// Two assertions never share a jti: the platform accepts each once.
	r2 := nhsauth(t, vars, nil, "assertion", "--env", "local", "--private-key", ".auth/local-1.pem", "--json")
	var doc assertionJSON
	if err := json.Unmarshal([]byte(r2.stdout), &doc); err != nil || doc.Claims["jti"] == c["jti"] || doc.TokenURL != p.ts.URL+"/oauth2/token" {
		t.Errorf("second assertion %+v, %v", doc, err)
	}
}

// TestAssertionNeedsRunningLocal: without a running local platform the
// assertion would name one that is gone.
func TestAssertionNeedsRunningLocal(t *testing.T) {
	tokenTestEnv(t)
	r := nhsauth(t, nil, nil, "assertion", "--env", "local", "--private-key", ".auth/local-1.pem")
	if r.code != exitFail || r.stdout != "" || !strings.Contains(r.stderr, "Start 'nhsauth mock'") {
		t.Errorf("%v", r)
	}
}
