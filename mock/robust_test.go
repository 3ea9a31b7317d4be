package mock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Robustness: garbage of every kind to every endpoint gets an answer, never
// a panic (which ServeHTTP would turn into 500 unknown_error), and the
// memory stores stay bounded.

// rawJWT builds a compact JWS from raw header and claims bytes and a raw
// signature segment, so a test controls every byte.
func rawJWT(header, claims, sig string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + "." + sig
}

// serve calls the handler directly (no listener: a 10 MB body costs no
// network) and returns the status and body.
func serve(t *testing.T, srv *Server, method, target, contentType string, body io.Reader, hdr http.Header) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// TestTokenEndpointGarbage sends malformed input to the platform's token
// endpoint and checks the exact row each one meets.
func TestTokenEndpointGarbage(t *testing.T) {
	srv := New(ccOptions(t))
	const form = "application/x-www-form-urlencoded"
	assertion := func(a string) string {
		return "grant_type=client_credentials&client_assertion_type=" +
			url.QueryEscape(clientAssertionTypeJWT) + "&client_assertion=" + url.QueryEscape(a)
	}
	head := `{"alg":"RS512","typ":"JWT","kid":"test-1"}`
	claims := func(exp string) string {
		return `{"iss":"` + DefaultAPIKey + `","sub":"` + DefaultAPIKey + `","jti":"j-` + exp + `","aud":"http://example.com/oauth2/token","exp":` + exp + `}`
	}
	deep := `{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`
	manyKeys := "grant_type=client_credentials" + strings.Repeat("&k=v", 20000)
	cases := []struct {
		name   string
		body   string
		status int
		desc   string // error_description, or "" for a non-platform answer
	}{
		{"assertion not base64", assertion("a$b.c%d.e!"), 400, "Malformed JWT in client_assertion"},
		{"assertion of two parts", assertion("eyJhbGciOiJSUzUxMiJ9.e30"), 400, "Malformed JWT in client_assertion"},
		{"assertion of six parts", assertion("a.b.c.d.e.f"), 400, "Malformed JWT in client_assertion"},
		{"assertion empty parts", assertion(".."), 400, "Malformed JWT in client_assertion"},
		{"header a JSON array", assertion(rawJWT(`["alg","RS512"]`, claims("1"), "")), 400, "Malformed JWT in client_assertion"},
		{"header a JSON string", assertion(rawJWT(`"RS512"`, claims("1"), "")), 400, "Malformed JWT in client_assertion"},
		{"claims nested 20000 deep", assertion(rawJWT(head, deep, "")), 400, "Malformed JWT in client_assertion"},
		{"header not UTF-8 outside a string", assertion(rawJWT("{\xff}", claims("1"), "")), 400, "Malformed JWT in client_assertion"},
		{"alg not UTF-8", assertion(rawJWT("{\"alg\":\"RS512\xff\"}", claims("1"), "")), 400, descAlg},
		{"exp 1.5e9 is expired", assertion(rawJWT(head, claims("1.5e9"), "")), 400, descExpired},
		{"exp 1e400 is a number too far ahead", assertion(rawJWT(head, claims("1e400"), "")), 400, descTooFar},
		{"exp -1e400 is expired", assertion(rawJWT(head, claims("-1e400"), "")), 400, descExpired},
		{"exp 1e-400 is zero: missing", assertion(rawJWT(head, claims("1e-400"), "")), 400, descNoExp},
		{"jti a nested array", assertion(rawJWT(head, `{"iss":"a","sub":"a","exp":9999999999,"jti":[[["x"]]]}`, "")), 400,
			"Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"},
		{"bad signature bytes after good claims", assertion(rawJWT(head, claims(strconv.FormatInt(ccClock.Unix()+60, 10)), "%%%")), 400, "Malformed JWT in client_assertion"},
		{"unsigned but well-formed", assertion(rawJWT(head, claims(strconv.FormatInt(ccClock.Unix()+60, 10)), "c2ln")), 401, descSig},
		{"client_assertion_type not UTF-8", "grant_type=client_credentials&client_assertion_type=%FF%FE", 400,
			"Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"},
		// RFC 6749 §3.2: a repeated parameter is refused, whichever value comes first.
		{"duplicate grant_type", "grant_type=password&grant_type=client_credentials", 400, "grant_type is included more than once"},
		{"duplicate grant_type, valid first", "grant_type=client_credentials&grant_type=password", 400, "grant_type is included more than once"},
		{"subject_token_type routes whatever the grant", "grant_type=password&subject_token_type=" + url.QueryEscape(tokenTypeIDToken), 400,
			"Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"},
		{"invalid percent-encoding", "grant_type=%zz", 400, "Request body is not valid application/x-www-form-urlencoded"},
		{"more form fields than Go parses", manyKeys, 400, "Request body is not valid application/x-www-form-urlencoded"},
		{"body over 1 MB", "grant_type=" + strings.Repeat("a", maxFormBytes), 413, "Request body is too large"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			status, body := serve(t, srv, http.MethodPost, "/oauth2/token", form, strings.NewReader(tt.body), nil)
			var got map[string]string
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%d %q is not a platform error body: %v", status, body, err)
			}
			if status != tt.status || got["error_description"] != tt.desc || got["message_id"] == "" {
				t.Errorf("got %d %q, want %d %q", status, got["error_description"], tt.status, tt.desc)
			}
		})
	}
}

// TestSubjectTokenGarbage sends malformed subject tokens on the exchange
// route, behind a valid client assertion.
func TestSubjectTokenGarbage(t *testing.T) {
	e := newSAEnv(t)
	head := `{"alg":"RS256","typ":"JWT","kid":"k"}`
	future := strconv.FormatInt(e.clock.Now().Add(time.Hour).Unix(), 10)
	cases := []struct {
		name, subject string
		status        int
		desc          string
	}{
		{"two parts", "eyJhbGciOiJSUzI1NiJ9.e30", 400, subjMalformed},
		{"not base64", "a$.b$.c$", 400, subjMalformed},
		{"header a JSON array", rawJWT(`[1,2]`, `{}`, ""), 400, subjMalformed},
		{"claims nested 20000 deep", rawJWT(head, `{"a":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`, ""), 400, subjMalformed},
		{"exp a float in the past", rawJWT(head, `{"exp":1.5e9,"iss":"x","aud":"y"}`, ""), 400, subjExpired},
		{"exp 1e400 is not expired", rawJWT(head, `{"exp":1e400,"iss":"x","aud":"y"}`, ""), 400, subjBadIss},
		{"exp an array", rawJWT(head, `{"exp":[1]}`, ""), 400, subjExpNotInt},
		{"aud a nested array is present", rawJWT(head, `{"exp":`+future+`,"iss":"x","aud":[[[]]]}`, ""), 400, subjBadIss},
		{"iss an object", rawJWT(head, `{"exp":`+future+`,"iss":{"a":1},"aud":"y"}`, ""), 400, subjBadIss},
		{"kid not UTF-8", rawJWT("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"\xff\"}", `{"exp":`+future+`,"iss":"`+e.realmURL(realmCIS2Def)+`","aud":"y"}`, "AAAA"), 401, subjUnknownKid},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", tt.subject))
			if status != tt.status || body["error_description"] != tt.desc {
				t.Errorf("got %d %v, want %d %q", status, body, tt.status, tt.desc)
			}
		})
	}
}

// garbageBody is one kind of request body the sweep sends.
type garbageBody struct {
	name        string
	contentType string
	body        func() io.Reader
}

// TestEveryEndpointSurvivesGarbage sends every method with every kind of
// body and header garbage to every path the platform serves: each answer is
// a real status, never the 500 a recovered panic gives.
func TestEveryEndpointSurvivesGarbage(t *testing.T) {
	e := newSAEnv(t) // realm keys preset: no key generation in the sweep
	srv := e.srv
	tenMB := bytes.Repeat([]byte{0xff, '&', '=', '%'}, 10<<20/4)
	bodies := []garbageBody{
		{"none", "", func() io.Reader { return http.NoBody }},
		{"10 MB of junk", "application/x-www-form-urlencoded", func() io.Reader { return bytes.NewReader(tenMB) }},
		{"JSON array", "application/json", func() io.Reader { return strings.NewReader(`[1,[2,[3]]]`) }},
		{"non-UTF-8 form", "application/x-www-form-urlencoded", func() io.Reader {
			return strings.NewReader("grant_type=%FF&username=\xff\xfe&code=\x00&refresh_token=%C0%80&client_id=\xff")
		}},
		{"duplicate keys", "application/x-www-form-urlencoded", func() io.Reader {
			return strings.NewReader("grant_type=authorization_code&grant_type=refresh_token&code=a&code=b&username=656005750104&username=x")
		}},
		{"broken multipart", "multipart/form-data; boundary=zz", func() io.Reader { return strings.NewReader("--zz\r\nnope") }},
	}
	headers := []http.Header{
		nil,
		{"Authorization": {"Bearer " + rawJWT(`["x"]`, `{}`, "")}, "Apikey": {"\xff"}},
		{"Authorization": {"Bearer a.b"}, "X-Request-Id": {strings.Repeat("9", 5000)}},
		{"Authorization": {"Basic %%%"}},
		{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("%zz:%zz"))}},
		{"Authorization": {"Bearer " + rawJWT(`{"alg":"none","kid":"x"}`, `{"sub":"656005750104","typ":"Bearer","exp":1e400}`, "")}},
	}
	q := "?client_id=" + CIS2ClientID + "&redirect_uri=%FF&state=\xff&response_type=code&id_token_hint=a.b.c&tab_id=%00&post_logout_redirect_uri=::"
	var paths []string
	for _, base := range []string{"/oauth2", "/oauth2-mock"} {
		paths = append(paths, base, base+"/token", base+"/authorize", base+"/_ping", base+"/token/x")
	}
	for _, d := range []*realmDef{realmCIS2Def, realmNHSLoginDef} {
		for _, rest := range []string{"", "/", "/.well-known/openid-configuration", "/protocol/openid-connect/auth",
			"/protocol/openid-connect/token", "/protocol/openid-connect/certs", "/protocol/openid-connect/userinfo",
			"/protocol/openid-connect/logout", "/login-actions/authenticate", "/nope"} {
			paths = append(paths, "/realms/"+d.Name+rest+q)
		}
	}
	paths = append(paths, "/realms/%FF/x", "/realms/Cis2-mock-int/protocol/openid-connect/auth",
		"/mock-jwks/keycloak-client-credentials", "/hello-world/hello/world", "/hello-world/hello/application",
		"/hello-world/hello/user", "/hello-world/_ping", "/_ping", "/_mock/info",
		"/personal-demographics/FHIR/R4/Patient/9000000009", "/personal-demographics/FHIR/R4/Patient/%FF",
		"/personal-demographics/FHIR/R4/Patient/"+strings.Repeat("9", 10000), "/nothing/here")
	methods := []string{http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPut, http.MethodDelete}
	n := 0
	for _, p := range paths {
		for _, m := range methods {
			for _, b := range bodies {
				for _, h := range headers {
					status, body := serve(t, srv, m, p, b.contentType, b.body(), h)
					n++
					if status < 200 || status > 499 {
						t.Errorf("%s %s (%s body, headers %v): %d %.200s", m, p, b.name, h, status, body)
					}
				}
			}
		}
	}
	t.Logf("%d garbage requests answered", n)
}

// TestPanicAnswersUnknownError: a handler that panics gets the platform's
// 500 unknown_error body (reference §2.6) instead of a dropped connection,
// unless it had begun its answer; http.ErrAbortHandler still aborts.
func TestPanicAnswersUnknownError(t *testing.T) {
	srv := New(ccOptions(t))
	srv.mux.HandleFunc("/test/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	srv.mux.HandleFunc("/test/late-panic", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		panic("boom")
	})
	srv.mux.HandleFunc("/test/abort", func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })

	status, body := serve(t, srv, http.MethodGet, "/test/panic", "", nil, nil)
	var got map[string]string
	_ = json.Unmarshal(body, &got)
	ccWantError(t, status, got, http.StatusInternalServerError, "unknown_error",
		"An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID")

	if status, body := serve(t, srv, http.MethodGet, "/test/late-panic", "", nil, nil); status != http.StatusTeapot || len(body) != 0 {
		t.Errorf("late panic: %d %q, want the 418 already sent and nothing after", status, body)
	}

	func() {
		defer func() {
			if v := recover(); v == nil || !errors.Is(v.(error), http.ErrAbortHandler) {
				t.Errorf("ErrAbortHandler recovered as %v, want it re-panicked", v)
			}
		}()
		serve(t, srv, http.MethodGet, "/test/abort", "", nil, nil)
	}()
}

// TestOAuthBasePathItself: /oauth2 and /oauth2-mock themselves are unknown
// paths under the base path (404 Not Found), not a redirect to base/.
func TestOAuthBasePathItself(t *testing.T) {
	srv := New(ccOptions(t))
	for _, p := range []string{"/oauth2", "/oauth2-mock", "/oauth2/_status", "/oauth2-mock/_status"} { // {base}/authorize and /userinfo are §4's now
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			status, body := serve(t, srv, m, p, "", nil, nil)
			var got map[string]string
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%s %s: %d %q", m, p, status, body)
			}
			ccWantError(t, status, got, http.StatusNotFound, "invalid_request", "Not Found")
		}
	}
}

// TestConcurrentExchangeAndRefresh hammers the token exchange, refresh
// chains and client credentials from many goroutines at once (run with
// -race): every fresh request succeeds, refresh counts stay per session,
// and of many simultaneous uses of one refresh token exactly one wins.
func TestConcurrentExchangeAndRefresh(t *testing.T) {
	e := newSAEnv(t)
	ids := map[*realmDef]string{
		realmCIS2Def:     e.idToken(t, realmCIS2Def, "656005750104"),
		realmNHSLoginDef: e.idToken(t, realmNHSLoginDef, "9912003071"),
	}
	const workers, chain = 8, 4
	forms := make([]url.Values, workers)
	for i := range forms {
		d := realmCIS2Def
		if i%2 == 1 {
			d = realmNHSLoginDef
		}
		forms[i] = e.exchangeForm(t, "/oauth2-mock", ids[d])
	}
	ccForms := make([]url.Values, workers)
	for i := range ccForms {
		ccForms[i] = ccForm(e.assertion(t, e.ts.URL+"/oauth2/token"))
	}
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			status, body := e.platform(t, "/oauth2-mock", forms[i])
			if status != http.StatusOK {
				t.Errorf("exchange %d: %d %v", i, status, body)
				return
			}
			refresh := body["refresh_token"].(string)
			for n := 1; n <= chain; n++ {
				status, body = e.platform(t, "/oauth2-mock", saRefreshForm(refresh))
				if status != http.StatusOK || body["refresh_count"] != strconv.Itoa(n) {
					t.Errorf("worker %d refresh %d: %d %v", i, n, status, body)
					return
				}
				refresh = body["refresh_token"].(string)
			}
			if status, page := e.helloUser(t, body["access_token"].(string)); status != http.StatusOK {
				t.Errorf("worker %d hello: %d %s", i, status, page)
			}
		})
		wg.Go(func() {
			if status, body := e.platform(t, "/oauth2", ccForms[i]); status != http.StatusOK {
				t.Errorf("client credentials %d: %d %v", i, status, body)
			}
		})
	}
	wg.Wait()

	status, body := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", ids[realmCIS2Def]))
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, body)
	}
	shared := body["refresh_token"].(string)
	var wins, invalid atomic.Int32
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			status, body := e.platform(t, "/oauth2-mock", saRefreshForm(shared))
			switch {
			case status == http.StatusOK:
				wins.Add(1)
			case status == http.StatusUnauthorized && body["error_description"] == "refresh_token is invalid":
				invalid.Add(1)
			default:
				t.Errorf("shared refresh: %d %v", status, body)
			}
		})
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 || invalid.Load() != workers-1 {
		t.Errorf("%d wins and %d refusals of one refresh token, want 1 and %d", wins.Load(), invalid.Load(), workers-1)
	}
}
