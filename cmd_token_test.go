package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/profile"
	"github.com/zalando/go-keyring"
)

// countingPlatform is a running local platform that counts what reaches
// it: requests by path, and token requests by grant_type.
type countingPlatform struct {
	ts     *httptest.Server
	mu     sync.Mutex
	paths  map[string]int
	grants map[string]int
	total  int
}

func (p *countingPlatform) counts() (total int, grants map[string]int, paths map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ps := map[string]int{}, map[string]int{}
	for k, v := range p.grants {
		g[k] = v
	}
	for k, v := range p.paths {
		ps[k] = v
	}
	return p.total, g, ps
}

// tokenTestEnv moves the test into a fresh folder with the shared key in
// .auth, points the config folder and the keyring at nothing of the
// user's, and starts a counting local platform that $NHSAUTH_LOCAL_URL
// names, as a running 'nhsauth mock' would be found.
func tokenTestEnv(t *testing.T) (*countingPlatform, map[string]string) {
	t.Helper()
	keyring.MockInit()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	dir := inTempDir(t)
	writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
	p := &countingPlatform{paths: map[string]int{}, grants: map[string]int{}}
	h := mock.New(mock.Options{KeysDir: filepath.Join(dir, ".auth"), Version: "test"})
	p.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		p.mu.Lock()
		if r.URL.Path != "/_mock/info" { // the look for a running platform
			p.total++
			p.paths[r.URL.Path]++
			if g := form.Get("grant_type"); g != "" {
				p.grants[g]++
			}
		}
		p.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(p.ts.Close)
	return p, map[string]string{"NHSAUTH_LOCAL_URL": p.ts.URL}
}

// tokenDoc runs token with --json and decodes its document.
func tokenDoc(t *testing.T, vars map[string]string, args ...string) tokenJSON {
	t.Helper()
	r := nhsauth(t, vars, nil, append(append([]string{"token"}, args...), "--json")...)
	if r.code != exitOK {
		t.Fatalf("%v", r)
	}
	var doc tokenJSON
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	return doc
}

// TestTokenAppRestrictedFromCache: the second token comes from the cache,
// and the platform hears nothing of it.
func TestTokenAppRestrictedFromCache(t *testing.T) {
	p, vars := tokenTestEnv(t)
	r := nhsauth(t, vars, nil, "token", "app-restricted", "--env", "local")
	tok := strings.TrimSpace(r.stdout)
	if r.code != exitOK || tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("want the token alone: %v", r)
	}
	before, grants, _ := p.counts()
	if grants["client_credentials"] != 1 {
		t.Fatalf("client credentials requests %d, want 1", grants["client_credentials"])
	}
	doc := tokenDoc(t, vars, "app-restricted", "--env", "local")
	if doc.Token != tok || !doc.FromCache || doc.Source != "cache" || doc.Flow != "app-restricted" || doc.Env != "local" || doc.Schema != "nhsauth/token@1" {
		t.Errorf("second token %+v, want %s from the cache", doc, tok)
	}
	if doc.ExpiresIn <= 500 || doc.Type != "Bearer" {
		t.Errorf("expires_in %d, type %q", doc.ExpiresIn, doc.Type)
	}
	if after, _, _ := p.counts(); after != before {
		t.Errorf("the cached token cost %d requests to the platform", after-before)
	}
	r = nhsauth(t, vars, nil, "token", "app-restricted", "--env", "local", "--header")
	if strings.TrimSpace(r.stdout) != "Authorization: Bearer "+tok {
		t.Errorf("--header printed %q", r.stdout)
	}
	// --no-cache asks again; logout forgets, so the next one is new too.
	if doc := tokenDoc(t, vars, "app-restricted", "--no-cache"); doc.FromCache || doc.Token == tok {
		t.Errorf("--no-cache: %+v", doc)
	}
	r = nhsauth(t, vars, nil, "logout", "app-restricted")
	if r.code != exitOK || !strings.Contains(r.stdout, "Forgot the app-restricted token on local") || !strings.Contains(r.stderr, "no revocation endpoint") {
		t.Fatalf("logout: %v", r)
	}
	if doc := tokenDoc(t, vars, "app-restricted"); doc.FromCache || doc.Token == tok {
		t.Errorf("after logout: %+v", doc)
	}
	if _, grants, _ := p.counts(); grants["client_credentials"] != 3 {
		t.Errorf("client credentials requests %d, want 3", grants["client_credentials"])
	}
}

// TestTokenHeaderCallsHelloUser is curl -H "$(nhsauth token cis2-separate
// --user 656005750104 --header)" …/hello-world/hello/user, in Go.
func TestTokenHeaderCallsHelloUser(t *testing.T) {
	p, vars := tokenTestEnv(t)
	r := nhsauth(t, vars, nil, "token", "cis2-separate", "--env", "local", "--user", "656005750104", "--header")
	name, value, ok := strings.Cut(strings.TrimSpace(r.stdout), ": ")
	if r.code != exitOK || !ok {
		t.Fatalf("%v", r)
	}
	req, _ := http.NewRequest(http.MethodGet, p.ts.URL+"/hello-world/hello/user", nil)
	req.Header.Set(name, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Hello User!") {
		t.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
}

// TestTokenRefreshesExpiredUserToken: a cached user token past its expiry
// is refreshed with its refresh token, without signing in again.
func TestTokenRefreshesExpiredUserToken(t *testing.T) {
	p, vars := tokenTestEnv(t)
	first := tokenDoc(t, vars, "cis2-separate", "--user", "656005750104")
	if first.FromCache || first.User != "656005750104" {
		t.Fatalf("first token %+v", first)
	}
	_, grants, paths := p.counts()
	signIns, exchanges := paths["/realms/Cis2-mock-local/protocol/openid-connect/auth"], grants["urn:ietf:params:oauth:grant-type:token-exchange"]
	if signIns == 0 || exchanges != 1 || grants["refresh_token"] != 0 {
		t.Fatalf("first token: sign-ins %d, grants %v, paths %v", signIns, grants, paths)
	}
	st, err := profile.Open(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := st.CachedKeys()
	if len(keys) != 1 {
		t.Fatalf("cached keys %+v", keys)
	}
	cached, ok, err := st.Token(keys[0])
	if !ok || err != nil || cached.RefreshToken == "" {
		t.Fatalf("cached %+v, %v, %v", cached, ok, err)
	}
	cached.Expiry = time.Now().Add(-time.Minute)
	if err := st.SaveToken(cached); err != nil {
		t.Fatal(err)
	}
	second := tokenDoc(t, vars, "cis2-separate", "--user", "656005750104")
	if second.Source != "refresh" || second.FromCache || second.Token == first.Token || second.ExpiresIn <= 500 {
		t.Errorf("second token %+v, want a refreshed one", second)
	}
	_, grants, paths = p.counts()
	if paths["/realms/Cis2-mock-local/protocol/openid-connect/auth"] != signIns || grants["urn:ietf:params:oauth:grant-type:token-exchange"] != exchanges {
		t.Errorf("signed in again: paths %v, grants %v", paths, grants)
	}
	if grants["refresh_token"] != 1 {
		t.Errorf("refresh requests %d, want 1", grants["refresh_token"])
	}
	// The refreshed token is cached in its turn.
	if third := tokenDoc(t, vars, "cis2-separate", "--user", "656005750104"); third.Token != second.Token || !third.FromCache {
		t.Errorf("third token %+v", third)
	}
}

// TestTokenEveryFlow: each user-restricted flow yields a platform token
// the cache then hands out.
func TestTokenEveryFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("signs in on every flow")
	}
	_, vars := tokenTestEnv(t)
	for flow, user := range map[string]string{"nhs-login-separate": "9912003071", "cis2-combined": "656005750104",
		"nhs-login-combined": "9912003071", "cis2-direct": "656005750104"} {
		t.Run(flow, func(t *testing.T) {
			first := tokenDoc(t, vars, flow, "--user", user)
			again := tokenDoc(t, vars, flow, "--user", user)
			if first.Token == "" || first.FromCache || again.Token != first.Token || !again.FromCache {
				t.Errorf("first %+v, again %+v", first, again)
			}
		})
	}
}

func TestTokenUsageErrors(t *testing.T) {
	_, vars := tokenTestEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"token"}, "which flow?"},
		{[]string{"token", "cis2-seperate"}, "did you mean cis2-separate?"},
		{[]string{"token", "app-restricted", "--header", "--json"}, "--header and --json exclude each other"},
		{[]string{"token", "app-restricted", "extra"}, `unexpected argument "extra"`},
		{[]string{"logout", "nope"}, `unknown flow "nope"`},
	} {
		r := nhsauth(t, vars, nil, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: %v", tt.args, r)
		}
	}
}

// TestTokenPrivateLocalNotCached: a private local platform ends with the
// command, so its token is not kept.
func TestTokenPrivateLocalNotCached(t *testing.T) {
	tokenTestEnv(t)
	r := nhsauth(t, nil, nil, "token", "app-restricted")
	if r.code != exitOK || strings.TrimSpace(r.stdout) == "" {
		t.Fatalf("%v", r)
	}
	st, _ := profile.Open(io.Discard)
	if keys, _ := st.CachedKeys(); len(keys) != 0 {
		t.Errorf("cached from a private platform: %+v", keys)
	}
}

// TestTokenJSONMatchesDocs checks token's and assertion's --json against
// docs/json.md, as TestJSONMatchesDocs does for the other commands.
func TestTokenJSONMatchesDocs(t *testing.T) {
	docs := docExamples(t)
	_, vars := tokenTestEnv(t)
	for _, tt := range []struct {
		cmd    string
		args   []string
		schema string
	}{
		{"token", []string{"token", "app-restricted", "--json"}, "nhsauth/token@1"},
		{"assertion", []string{"assertion", "--env", "local", "--private-key", ".auth/local-1.pem", "--json"}, "nhsauth/assertion@1"},
	} {
		t.Run(tt.cmd, func(t *testing.T) {
			want, ok := docs[tt.cmd]
			if !ok {
				t.Fatalf("docs/json.md has no example for %s", tt.cmd)
			}
			r := nhsauth(t, vars, nil, tt.args...)
			var got map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &got); r.code != exitOK || err != nil {
				t.Fatalf("%v (%v)", r, err)
			}
			if got["schema"] != tt.schema || want.(map[string]any)["schema"] != tt.schema {
				t.Errorf("schema %v, documented %v, want %s", got["schema"], want.(map[string]any)["schema"], tt.schema)
			}
			for _, d := range sameShape(tt.cmd, want, got) {
				t.Error(d)
			}
		})
	}
}

// TestTokenSignsInAgainOnlyWhenItMust: an expired app token has no
// refresh token, so the flow runs; a user token whose refresh is refused
// is signed in again, with a word why.
func TestTokenSignsInAgainOnlyWhenItMust(t *testing.T) {
	p, vars := tokenTestEnv(t)
	st, _ := profile.Open(io.Discard)
	expire := func(refresh string) {
		t.Helper()
		keys, _ := st.CachedKeys()
		for _, k := range keys {
			c, _, _ := st.Token(k)
			c.Expiry = time.Now().Add(30 * time.Second) // within the 60 s margin
			if refresh != "" {
				c.RefreshToken = refresh
			}
			if err := st.SaveToken(c); err != nil {
				t.Fatal(err)
			}
		}
	}
	first := tokenDoc(t, vars, "app-restricted")
	expire("")
	if again := tokenDoc(t, vars, "app-restricted"); again.Source != "flow" || again.Token == first.Token {
		t.Errorf("an app token near its expiry: %+v", again)
	}
	nhsauth(t, vars, nil, "logout")
	tokenDoc(t, vars, "cis2-separate", "--user", "656005750104")
	expire("not-a-refresh-token")
	r := nhsauth(t, vars, nil, "token", "cis2-separate", "--user", "656005750104")
	if r.code != exitOK || !strings.Contains(r.stderr, "refresh_token is invalid") || !strings.Contains(r.stderr, "signing in again") {
		t.Errorf("a refused refresh: %v", r)
	}
	if _, grants, _ := p.counts(); grants["refresh_token"] != 1 || grants["urn:ietf:params:oauth:grant-type:token-exchange"] != 2 {
		t.Errorf("grants %v: want one refresh tried, then a second sign-in", grants)
	}
}
