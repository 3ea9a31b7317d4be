package mock

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Fuzz targets of the platform's own JWT parsing (the client assertion and
// the subject token). In go test they run only these seeds; explore with
//
//	go test -run '^$' -fuzz FuzzClientAssertion -fuzztime 30s ./mock/
//	go test -run '^$' -fuzz FuzzSubjectToken -fuzztime 30s ./mock/

// fuzzSeeds are a few hand-made tokens at the edges of the parsers.
func fuzzSeeds() []string {
	return []string{
		"",
		"a.b.c",
		"..",
		rawJWT(`{"alg":"RS512","typ":"JWT","kid":"test-1"}`,
			`{"iss":"nhsauth-local-api-key","sub":"nhsauth-local-api-key","jti":"j","exp":1772366640,"aud":"http://example.com/oauth2/token"}`, "c2ln"),
		rawJWT(`{"alg":"RS256","typ":"JWT","kid":"k"}`, `{"exp":1e400,"iss":"x","aud":[["y"]],"authentication_assurance_level":3}`, ""),
		rawJWT(`[1]`, `{}`, ""),
		rawJWT(`{"alg":"RS512","kid":7,"typ":["JWT"]}`, `{"exp":"1","jti":{},"iss":null}`, "AA=="),
	}
}

// rowErrors are every platform error the client-assertion checks may give
// (reference §2.6 rows 4–23).
var rowErrors = map[*platformError]bool{
	row4AssertionType: true, row5NoAssertion: true, row6Malformed: true, row7Alg: true, row8Expired: true,
	row9NoKID: true, row10Typ: true, row11NoExp: true, row12ExpType: true, row13IssSub: true, row14NoJTI: true,
	row15JTIType: true, row16JTIReused: true, row17ExpTooFar: true, row18UnknownKey: true, row19NoJWKS: true,
	row20Unreachable: true, row21Aud: true, row22KIDUnknown: true, row23Signature: true,
}

// FuzzClientAssertion: any client_assertion decodes or is row 6, and then
// meets a row of §2.6 (or passes) without panicking.
func FuzzClientAssertion(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: func() time.Time { return ccClock }})
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &ccKey(f).PublicKey, KeyID: ccKID}}}
	f.Fuzz(func(t *testing.T, raw string) {
		ca, err := decodeAssertion(raw)
		if err != nil {
			return
		}
		if ca.header == nil || ca.claims == nil {
			t.Fatalf("decoded %q without header or claims", raw)
		}
		if _, e := srv.checkAssertionClaims(ca); e != nil {
			if !rowErrors[e] {
				t.Fatalf("claims of %q: unexpected error %v", raw, e)
			}
			return
		}
		v := &verification{ca: ca, set: set, tokenURL: "http://example.com/oauth2/token", now: srv.now}
		for _, step := range verifyOrder {
			if e := step(v); e != nil && !rowErrors[e] {
				t.Fatalf("verification of %q: unexpected error %v", raw, e)
			}
		}
	})
}

// FuzzSubjectToken: any subject_token decodes or is malformed, and its
// header, claims and assurance are checked without panicking.
func FuzzSubjectToken(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: func() time.Time { return ccClock }})
	f.Fuzz(func(t *testing.T, raw string) {
		st, ok := decodeSubjectJWT(raw)
		if !ok {
			return
		}
		if e := srv.checkSubjectHeaderAndClaims(st); e != nil && (e.Status != 400 && e.Status != 401) {
			t.Fatalf("%q: unexpected error %v", raw, e)
		}
		for _, p := range []string{patternCIS2, patternNHSLogin} {
			scopes, _ := assuranceScopes(p, st.claims, DefaultScopes)
			if len(scopes) > len(DefaultScopes) {
				t.Fatalf("%q kept %d scopes", raw, len(scopes))
			}
		}
	})
}

// Fuzz targets of the requests the platform parses from the network: the
// token form (platform and realm), the authorise query, the login form and
// the logout request (its id_token_hint and post_logout_redirect_uri). The
// handlers recover from a panic with 500 unknown_error, so a 500 fails them.
// Explore each with
//
//	go test -run '^$' -fuzz FuzzTokenForm -fuzztime 30s ./mock/
//
// (one target per run: FuzzAuthorizeQuery, FuzzLoginForm, FuzzLogout too).

// fuzzServe sends one request straight to the handler and fails on a 500.
func fuzzServe(t *testing.T, srv *Server, method, target, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("target %q: %v", target, err)
	}
	req.URL, req.RequestURI = u, target
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, rec.Body)
	}
	return rec
}

// fuzzClock is a clock that moves an hour per call, so pending logins and
// codes made by one input have expired by the next and no store fills up.
func fuzzClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return ccClock.Add(time.Duration(n.Add(1)) * time.Hour) }
}

// FuzzTokenForm: any body posted to the platform's and a realm's token
// endpoints gets a JSON answer, never a 500.
func FuzzTokenForm(f *testing.F) {
	for _, s := range []string{
		"",
		"grant_type=client_credentials&client_assertion_type=" + url.QueryEscape(clientAssertionTypeJWT) + "&client_assertion=a.b.c",
		"grant_type=client_credentials&grant_type=password",
		"grant_type=" + url.QueryEscape(grantTokenExchange) + "&subject_token_type=" + url.QueryEscape(tokenTypeIDToken) + "&subject_token=..",
		"grant_type=refresh_token&client_id=" + DefaultAPIKey + "&client_secret=" + DefaultAPISecret + "&refresh_token=x",
		"grant_type=authorization_code&code=a&code=b&client_id=" + CIS2ClientID + "&client_secret=" + CIS2ClientSecret,
		"grant_type=%zz", "&&&===", "_access_token_expiry_ms=-1e400&grant_type=client_credentials",
	} {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: fuzzClock()})
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/oauth2/token", "/oauth2-mock/token", "/realms/" + RealmCIS2 + "/protocol/openid-connect/token"} {
			rec := fuzzServe(t, srv, http.MethodPost, path, "application/x-www-form-urlencoded", body)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc["error"] == nil && rec.Code != http.StatusOK {
				t.Fatalf("%s %q: %d %q is not a JSON error", path, body, rec.Code, rec.Body)
			}
		}
	})
}

// FuzzAuthorizeQuery: any authorise query gets a login page, an error page
// or a redirect, and a redirect goes only to an http(s) URL.
func FuzzAuthorizeQuery(f *testing.F) {
	for _, s := range []string{
		"",
		saAuthParams(realmCIS2Def, MockRedirectURI).Encode(),
		"client_id=" + CIS2ClientID + "&redirect_uri=javascript:alert(1)&response_type=code",
		"client_id=" + CIS2ClientID + "&redirect_uri=https://a/%23x&response_type=token&state=%FF",
		"client_id=" + CIS2ClientID + "&redirect_uri=http://127.0.0.1/&response_type=code&code_challenge=x&code_challenge_method=S512&prompt=none",
		"client_id=" + CIS2ClientID + "&client_id=" + NHSLoginClientID + "&redirect_uri=data:,x",
	} {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: fuzzClock()})
	f.Fuzz(func(t *testing.T, query string) {
		target := "/realms/" + RealmCIS2 + "/protocol/openid-connect/auth?" + query
		if _, err := url.Parse(target); err != nil {
			return // not a request line a client could send
		}
		rec := fuzzServe(t, srv, http.MethodGet, target, "", "")
		if rec.Code == http.StatusFound {
			if _, ok := httpURL(rec.Header().Get("Location")); !ok {
				t.Fatalf("%q redirected to %q", query, rec.Header().Get("Location"))
			}
		}
	})
}

// FuzzLoginForm: any login form posted for a pending login gets the page
// again, an error page, or the redirect to the client with a code.
func FuzzLoginForm(f *testing.F) {
	for _, s := range []string{"", "username=656005750104", "username=&username=656005750110", "username=%FF%00", "username=9912003071&password=x", "username=" + strings.Repeat("6", 5000)} {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: fuzzClock()})
	auth := "/realms/" + RealmCIS2 + "/protocol/openid-connect/auth?" + saAuthParams(realmCIS2Def, MockRedirectURI).Encode()
	action := regexp.MustCompile(`action="[^"]*(/login-actions/authenticate\?[^"]+)"`)
	f.Fuzz(func(t *testing.T, body string) {
		page := fuzzServe(t, srv, http.MethodGet, auth, "", "")
		m := action.FindStringSubmatch(page.Body.String())
		if m == nil {
			t.Fatalf("no login form: %d %s", page.Code, page.Body)
		}
		target := "/realms/" + RealmCIS2 + html.UnescapeString(m[1])
		rec := fuzzServe(t, srv, http.MethodPost, target, "application/x-www-form-urlencoded", body)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest:
		case http.StatusFound:
			if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, MockRedirectURI+"?") || !strings.Contains(loc, "code=") {
				t.Fatalf("%q redirected to %q", body, loc)
			}
		default:
			t.Fatalf("%q: %d", body, rec.Code)
		}
	})
}

// FuzzLogout: any logout request ends with a page or a redirect, and a
// redirect goes only to a registered or loopback URL.
func FuzzLogout(f *testing.F) {
	for _, s := range []string{
		"",
		"client_id=" + CIS2ClientID + "&post_logout_redirect_uri=https://example.org/bye&state=s",
		"client_id=" + CIS2ClientID + "&post_logout_redirect_uri=javascript:alert(1)",
		"id_token_hint=a.b.c&post_logout_redirect_uri=http://127.0.0.1:1/",
		"id_token_hint=" + rawJWT(`{"alg":"none"}`, `{"sid":"x","iss":"y"}`, "") + "&post_logout_redirect_uri=https://evil.example/",
		"refresh_token=x&client_id=" + CIS2ClientID,
	} {
		f.Add(s, false)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: fuzzClock()})
	f.Fuzz(func(t *testing.T, params string, post bool) {
		target, body, method, ct := "/realms/"+RealmCIS2+"/protocol/openid-connect/logout?"+params, "", http.MethodGet, ""
		if post {
			target, body, method, ct = "/realms/"+RealmCIS2+"/protocol/openid-connect/logout", params, http.MethodPost, "application/x-www-form-urlencoded"
		}
		if _, err := url.Parse(target); err != nil {
			return
		}
		rec := fuzzServe(t, srv, method, target, ct, body)
		if rec.Code == http.StatusFound && !postLogoutAllowed(rec.Header().Get("Location")) {
			t.Fatalf("%q redirected to %q", params, rec.Header().Get("Location"))
		}
	})
}
