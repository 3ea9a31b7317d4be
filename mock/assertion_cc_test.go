package mock

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Error descriptions used by the §2.7 tests (exact strings of §2.6).
const (
	descAlg      = "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"
	descExpired  = "Invalid 'exp' claim in client_assertion JWT - JWT has expired"
	descNoKID    = "Missing 'kid' header in client_assertion JWT"
	descTyp      = "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"
	descNoExp    = "Missing 'exp' claim in client_assertion JWT"
	descExpType  = "Invalid 'exp' claim in client_assertion JWT - must be an integer"
	descIssSub   = "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"
	descNoJTI    = "Missing 'jti' claim in client_assertion JWT"
	descReused   = "Non-unique 'jti' claim in client_assertion JWT"
	descTooFar   = "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"
	descUnknown  = "Invalid 'iss'/'sub' claims in client_assertion JWT"
	descNoJWKS   = "You need to register a public key to use this authentication method - please contact support to configure"
	descAud      = "Missing or invalid 'aud' claim in client_assertion JWT"
	descKID      = "Invalid 'kid' header in client_assertion JWT - no matching public key"
	descSig      = "JWT signature verification failed"
	descMalform  = "Malformed JWT in client_assertion"
	descGrantBad = "grant_type is invalid"
)

// TestAssertionRules covers the edge cases that §2.7 settles, and the order
// of checks (first failure wins) between neighbouring rows.
func TestAssertionRules(t *testing.T) {
	expired := ccClock.Unix() - 5
	tests := []struct {
		name   string
		opts   func(t *testing.T, o *Options)
		key    func(t *testing.T) any
		method jwt.SigningMethod
		mod    func(h map[string]any, c jwt.MapClaims)
		status int
		desc   string
	}{
		{name: "alg missing", mod: func(h map[string]any, c jwt.MapClaims) { h["alg"] = nil }, status: 400, desc: descAlg},
		{name: "HS256 signed", method: jwt.SigningMethodHS256, key: func(*testing.T) any { return []byte("a shared secret of enough length") }, status: 400, desc: descAlg},
		{name: "alg rs512 lower case", mod: func(h map[string]any, c jwt.MapClaims) { h["alg"] = "rs512" }, status: 400, desc: descAlg},
		{name: "exp = 0 is missing", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = 0 }, status: 400, desc: descNoExp},
		{name: "exp null is missing", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = nil }, status: 400, desc: descNoExp},
		{name: "expired numeric string is not expired", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = "1" }, status: 400, desc: descExpType},
		{name: "exp equal to now is not expired", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = ccClock.Unix() }, status: 200},
		{name: "expired by half a second (strict, to the millisecond)",
			opts: func(t *testing.T, o *Options) {
				o.Now = func() time.Time { return ccClock.Add(500 * time.Millisecond) }
			},
			mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = ccClock.Unix() }, status: 400, desc: descExpired},
		{name: "fractional exp half a second ahead is live", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = float64(ccClock.Unix()) + 0.5 }, status: 200},
		{name: "exp a float in the past (1.5e9)", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = 1.5e9 }, status: 400, desc: descExpired},
		{name: "exp a huge number is too far ahead", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = 1e300 }, status: 400, desc: descTooFar},
		{name: "exp negative is expired", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = -1 }, status: 400, desc: descExpired},
		{name: "exp true is not a number", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = true }, status: 400, desc: descExpType},
		{name: "exp an object is not a number", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = map[string]any{"n": 1} }, status: 400, desc: descExpType},
		{name: "aud a nested array", mod: func(h map[string]any, c jwt.MapClaims) { c["aud"] = []any{[]any{c["aud"]}} }, status: 401, desc: descAud},
		{name: "aud an object", mod: func(h map[string]any, c jwt.MapClaims) { c["aud"] = map[string]any{"u": c["aud"]} }, status: 401, desc: descAud},
		{name: "kid a number", mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = 7 }, status: 401, desc: descKID},
		{name: "kid an array", mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = []any{ccKID} }, status: 401, desc: descKID},
		{name: "typ an array", mod: func(h map[string]any, c jwt.MapClaims) { h["typ"] = []any{"JWT"} }, status: 400, desc: descTyp},
		{name: "jti an object", mod: func(h map[string]any, c jwt.MapClaims) { c["jti"] = map[string]any{} }, status: 400, desc: "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"},
		{name: "iss and sub equal objects", mod: func(h map[string]any, c jwt.MapClaims) {
			c["iss"], c["sub"] = map[string]any{"a": 1}, map[string]any{"a": 1}
		}, status: 401, desc: descUnknown},
		{name: "exp exactly 310 s ahead", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = ccClock.Unix() + 310 }, status: 200},
		{name: "typ jwt lower case", mod: func(h map[string]any, c jwt.MapClaims) { h["typ"] = "jwt" }, status: 200},
		{name: "typ JOSE", mod: func(h map[string]any, c jwt.MapClaims) { h["typ"] = "JOSE" }, status: 400, desc: descTyp},
		{name: "kid empty", mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = "" }, status: 400, desc: descNoKID},
		{name: "sub missing", mod: func(h map[string]any, c jwt.MapClaims) { delete(c, "sub") }, status: 400, desc: descIssSub},
		{name: "iss and sub differ in type", mod: func(h map[string]any, c jwt.MapClaims) { c["iss"], c["sub"] = "42", 42 }, status: 400, desc: descIssSub},
		{name: "jti empty", mod: func(h map[string]any, c jwt.MapClaims) { c["jti"] = "" }, status: 400, desc: descNoJTI},
		{name: "aud missing", mod: func(h map[string]any, c jwt.MapClaims) { delete(c, "aud") }, status: 401, desc: descAud},
		{name: "aud the /oauth2-mock URL on /oauth2", mod: func(h map[string]any, c jwt.MapClaims) {
			c["aud"] = strings.Replace(c["aud"].(string), "/oauth2/", "/oauth2-mock/", 1)
		}, status: 401, desc: descAud},
		{name: "aud an array holding the URL", mod: func(h map[string]any, c jwt.MapClaims) { c["aud"] = []string{"x", c["aud"].(string)} }, status: 200},
		{name: "nbf far ahead fails verification", mod: func(h map[string]any, c jwt.MapClaims) { c["nbf"] = ccClock.Unix() + 60 }, status: 401, desc: descSig},
		{name: "nbf within the 10 s leeway", mod: func(h map[string]any, c jwt.MapClaims) { c["nbf"] = ccClock.Unix() + 8 }, status: 200},

		// First failure wins: neighbouring rows broken together.
		{name: "order 7 before 8", method: jwt.SigningMethodRS256, mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = expired }, status: 400, desc: descAlg},
		{name: "order 8 before 9", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"], h["kid"] = expired, nil }, status: 400, desc: descExpired},
		{name: "order 9 before 10", mod: func(h map[string]any, c jwt.MapClaims) { h["kid"], h["typ"] = nil, nil }, status: 400, desc: descNoKID},
		{name: "order 10 before 11", mod: func(h map[string]any, c jwt.MapClaims) { h["typ"] = nil; delete(c, "exp") }, status: 400, desc: descTyp},
		{name: "order 11 before 13", mod: func(h map[string]any, c jwt.MapClaims) { delete(c, "exp"); delete(c, "iss") }, status: 400, desc: descNoExp},
		{name: "order 12 before 13", mod: func(h map[string]any, c jwt.MapClaims) { c["exp"] = "9999999999"; delete(c, "iss") }, status: 400, desc: descExpType},
		{name: "order 13 before 14", mod: func(h map[string]any, c jwt.MapClaims) { delete(c, "iss"); delete(c, "jti") }, status: 400, desc: descIssSub},
		{name: "order 14 before 17", mod: func(h map[string]any, c jwt.MapClaims) { delete(c, "jti"); c["exp"] = ccClock.Unix() + 3600 }, status: 400, desc: descNoJTI},
		{name: "order 17 before 18", mod: func(h map[string]any, c jwt.MapClaims) {
			c["exp"] = ccClock.Unix() + 3600
			c["iss"], c["sub"] = "x", "x"
		}, status: 400, desc: descTooFar},
		{name: "order 18 before 19", opts: func(t *testing.T, o *Options) { o.KeysDir = t.TempDir() },
			mod: func(h map[string]any, c jwt.MapClaims) { c["iss"], c["sub"] = "x", "x" }, status: 401, desc: descUnknown},
		{name: "order 19 before 22", opts: func(t *testing.T, o *Options) { o.KeysDir = t.TempDir() },
			mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = "nope" }, status: 403, desc: descNoJWKS},
		{name: "order 22 before 23", key: func(t *testing.T) any { return ccOtherKey(t) },
			mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = "nope" }, status: 401, desc: descKID},
		{name: "order 22 before 21", mod: func(h map[string]any, c jwt.MapClaims) { h["kid"] = "nope"; c["aud"] = "x" }, status: 401, desc: descKID},
		{name: "order 23 before 21", key: func(t *testing.T) any { return ccOtherKey(t) },
			mod: func(h map[string]any, c jwt.MapClaims) { c["aud"] = "x" }, status: 401, desc: descSig},
		{name: "order 21 before 24", opts: func(t *testing.T, o *Options) { o.Scopes = []string{} },
			mod: func(h map[string]any, c jwt.MapClaims) { c["aud"] = "x" }, status: 401, desc: descAud},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := ccOptions(t)
			if tt.opts != nil {
				tt.opts(t, &opts)
			}
			e := newCCEnv(t, opts)
			method, key := jwt.SigningMethod(jwt.SigningMethodRS512), any(ccKey(t))
			if tt.method != nil {
				method = tt.method
			}
			if tt.key != nil {
				key = tt.key(t)
			}
			h, c := map[string]any{}, ccClaims(e.tokenURL("/oauth2"))
			if tt.mod != nil {
				tt.mod(h, c)
			}
			status, body := e.postForm(t, "/oauth2", ccForm(ccSign(t, method, key, h, c)))
			if tt.status == 200 {
				if status != 200 || body["access_token"] == "" {
					t.Errorf("got %d %v, want 200", status, body)
				}
				return
			}
			if status != tt.status || body["error_description"] != tt.desc || body["message_id"] == "" {
				t.Errorf("got %d %q, want %d %q", status, body["error_description"], tt.status, tt.desc)
			}
		})
	}
}

// TestMalformedAssertions: anything that is not three base64url parts with
// JSON objects for header and claims is row 6.
func TestMalformedAssertions(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	good := ccSign(t, jwt.SigningMethodRS512, ccKey(t), nil, ccClaims("x"))
	parts := strings.Split(good, ".")
	for name, a := range map[string]string{
		"one part":          "abc",
		"two parts":         parts[0] + "." + parts[1],
		"four parts":        good + ".xyz",
		"header not base64": "!!!." + parts[1] + "." + parts[2],
		"header not JSON":   enc([]byte("alg=RS512")) + "." + parts[1] + "." + parts[2],
		"claims an array":   parts[0] + "." + enc([]byte(`["sub"]`)) + "." + parts[2],
		"claims null":       parts[0] + "." + enc([]byte(`null`)) + "." + parts[2],
		"trailing data":     parts[0] + "." + enc([]byte(`{"sub":"a"} {}`)) + "." + parts[2],
		"signature padded":  good + "==",
	} {
		t.Run(name, func(t *testing.T) {
			e := newCCRecorderEnv(t, ccOptions(t))
			status, body := e.postForm(t, "/oauth2", ccForm(a))
			if status != 400 || body["error_description"] != descMalform {
				t.Errorf("got %d %q", status, body["error_description"])
			}
		})
	}
}

// TestJTIRecordedBeforeVerification: as on the platform (§2.7), a jti whose
// claims passed counts as used before the signature is checked, so a
// corrected retry after a failed aud or signature is row 16; a failure in
// the claim checks themselves (row 17) records nothing; a replay of a
// success is row 16.
func TestJTIRecordedBeforeVerification(t *testing.T) {
	tests := []struct {
		name      string
		key       func(t *testing.T) any
		firstAud  string
		firstExp  int64
		firstDesc string
		retry     int // status of the corrected retry with the same jti
		retryDesc string
	}{
		{name: "after wrong aud", firstAud: "https://int.api.service.nhs.uk/oauth2/token", firstDesc: descAud, retry: 400, retryDesc: descReused},
		{name: "after bad signature", key: func(t *testing.T) any { return ccOtherKey(t) }, firstDesc: descSig, retry: 400, retryDesc: descReused},
		{name: "after exp too far", firstExp: ccClock.Unix() + 600, firstDesc: descTooFar, retry: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCCEnv(t, ccOptions(t))
			jti := uuid.NewString()
			c := ccClaims(e.tokenURL("/oauth2"))
			c["jti"] = jti
			if tt.firstAud != "" {
				c["aud"] = tt.firstAud
			}
			if tt.firstExp != 0 {
				c["exp"] = tt.firstExp
			}
			key := any(ccKey(t))
			if tt.key != nil {
				key = tt.key(t)
			}
			_, body := e.postForm(t, "/oauth2", ccForm(ccSign(t, jwt.SigningMethodRS512, key, nil, c)))
			if body["error_description"] != tt.firstDesc {
				t.Fatalf("first request: %v, want %q", body, tt.firstDesc)
			}
			good := ccClaims(e.tokenURL("/oauth2"))
			good["jti"] = jti
			retry := ccForm(ccSign(t, jwt.SigningMethodRS512, ccKey(t), nil, good))
			status, body := e.postForm(t, "/oauth2", retry)
			if status != tt.retry || body["error_description"] != tt.retryDesc {
				t.Errorf("retry: %d %v, want %d %q", status, body, tt.retry, tt.retryDesc)
			}
			status, body = e.postForm(t, "/oauth2", retry)
			ccWantError(t, status, body, 400, "invalid_request", descReused)
		})
	}
}

// TestTokenRequestShape covers the token endpoint before a route is chosen:
// the Content-Type media type, the route selection and both base paths.
func TestTokenRequestShape(t *testing.T) {
	e := newCCEnv(t, ccOptions(t))
	t.Run("charset parameter accepted", func(t *testing.T) {
		status, _, body := e.do(t, http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded; charset=UTF-8",
			e.validForm(t, "/oauth2").Encode(), nil)
		if status != 200 {
			t.Errorf("%d %s", status, body)
		}
	})
	for _, ct := range []string{"APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencoded; charset", "application/x-www-form-urlencoded ; charset=utf-8"} {
		t.Run("media type compared: "+ct, func(t *testing.T) {
			status, _, body := e.do(t, http.MethodPost, "/oauth2/token", ct, e.validForm(t, "/oauth2").Encode(), nil)
			if status != 200 {
				t.Errorf("%d %s", status, body)
			}
		})
	}
	t.Run("two media types refused", func(t *testing.T) {
		status, _, body := e.do(t, http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded,text/plain", e.validForm(t, "/oauth2").Encode(), nil)
		if status != 415 || ccDecode(t, body)["error_description"] != "Content-Type header must be application/x-www-form-urlencoded" {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("content type missing", func(t *testing.T) {
		status, _, body := e.do(t, http.MethodPost, "/oauth2/token", "", e.validForm(t, "/oauth2").Encode(), nil)
		if status != 415 || ccDecode(t, body)["error"] != "invalid_request" {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("multipart refused", func(t *testing.T) {
		status, _, _ := e.do(t, http.MethodPost, "/oauth2-mock/token", "multipart/form-data; boundary=x", "--x--", nil)
		if status != 415 {
			t.Errorf("%d", status)
		}
	})
	t.Run("form in the query string is not the body", func(t *testing.T) {
		q := e.validForm(t, "/oauth2").Encode()
		status, _, body := e.do(t, http.MethodPost, "/oauth2/token?"+q, "application/x-www-form-urlencoded", "", nil)
		if status != 400 || ccDecode(t, body)["error_description"] != "grant_type is missing" {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		big := "grant_type=client_credentials&pad=" + strings.Repeat("a", maxFormBytes)
		status, _, _ := e.do(t, http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded", big, nil)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("%d", status)
		}
	})
	t.Run("oauth2-mock aud must name oauth2-mock", func(t *testing.T) {
		status, body := e.postForm(t, "/oauth2-mock", e.validForm(t, "/oauth2-mock"))
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		status, body = e.postForm(t, "/oauth2-mock", e.validForm(t, "/oauth2"))
		if status != 401 || body["error_description"] != descAud {
			t.Errorf("%d %v", status, body)
		}
	})
	t.Run("public URL pins aud", func(t *testing.T) {
		opts := ccOptions(t)
		opts.PublicURL = "https://nhsauth.example/"
		pe := newCCEnv(t, opts)
		f := ccForm(ccSign(t, jwt.SigningMethodRS512, ccKey(t), nil, ccClaims("https://nhsauth.example/oauth2/token")))
		if status, body := pe.postForm(t, "/oauth2", f); status != 200 {
			t.Errorf("%d %v", status, body)
		}
	})
	grants := []struct {
		name string
		form url.Values
		desc string
	}{
		{"token exchange without subject_token_type", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}},
			"missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'"},
		{"token exchange with access_token type", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
			"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}},
			"missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'"},
		{"password", url.Values{"grant_type": {"password"}}, descGrantBad}, // authorization_code is §4.3's route now
		{"client_assertion_type missing", url.Values{"grant_type": {"client_credentials"}, "client_assertion": {"a.b.c"}},
			"Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"},
		{"grant_type empty", url.Values{"grant_type": {""}}, "grant_type is missing"},
	}
	for _, g := range grants {
		t.Run(g.name, func(t *testing.T) {
			status, body := e.postForm(t, "/oauth2", g.form)
			if status != 400 || body["error_description"] != g.desc || body["message_id"] == "" {
				t.Errorf("%d %v", status, body)
			}
		})
	}
}

// TestMessageIDFresh: every error carries its own message_id.
func TestMessageIDFresh(t *testing.T) {
	e := newCCRecorderEnv(t, ccOptions(t))
	_, a := e.postForm(t, "/oauth2", url.Values{})
	_, b := e.postForm(t, "/oauth2", url.Values{})
	if a["message_id"] == "" || a["message_id"] == b["message_id"] {
		t.Errorf("message ids %q and %q", a["message_id"], b["message_id"])
	}
}

// TestConcurrentGrants runs grants from 16 goroutines (run with -race): each
// fresh assertion succeeds, and of 16 simultaneous uses of one assertion
// exactly one succeeds and the rest are row 16.
func TestConcurrentGrants(t *testing.T) {
	e := newCCEnv(t, ccOptions(t))
	const workers, each = 16, 4
	forms := make([][]url.Values, workers)
	for w := range forms {
		for range each {
			forms[w] = append(forms[w], e.validForm(t, "/oauth2"))
		}
	}
	var wg sync.WaitGroup
	tokens := make(chan string, workers*each)
	for w := range workers {
		wg.Go(func() {
			for _, f := range forms[w] {
				status, body := e.postForm(t, "/oauth2", f)
				if status != 200 {
					t.Errorf("worker %d: %d %v", w, status, body)
				}
				tokens <- body["access_token"]
			}
		})
	}
	wg.Wait()
	close(tokens)
	seen := map[string]bool{}
	for tok := range tokens {
		if seen[tok] {
			t.Errorf("token %q issued twice", tok)
		}
		seen[tok] = true
	}

	replay := e.validForm(t, "/oauth2")
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			status, body := e.postForm(t, "/oauth2", replay)
			if status != 200 && body["error_description"] != descReused {
				t.Errorf("replay: %d %v", status, body)
			}
			mu.Lock()
			codes[status]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if codes[200] != 1 || codes[400] != workers-1 {
		t.Errorf("simultaneous replays: %v, want one 200 and %d 400", codes, workers-1)
	}
}
