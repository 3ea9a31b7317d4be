package steps_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
)

// rowPlatform is an in-process local platform whose app publishes key as
// kid local-1.
type rowPlatform struct {
	t    *testing.T
	base string
	key  *rsa.PrivateKey
}

var rowKeys = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
	a, err := keystore.Generate(2048)
	if err != nil {
		return [2]*rsa.PrivateKey{}, err
	}
	b, err := keystore.Generate(2048)
	return [2]*rsa.PrivateKey{a, b}, err
})

func newRowPlatform(t *testing.T, scopes []string) *rowPlatform {
	t.Helper()
	keys, err := rowKeys()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := keystore.Write(dir, "local-1", keys[0], false); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock.New(mock.Options{KeysDir: dir, Scopes: scopes}))
	t.Cleanup(ts.Close)
	return &rowPlatform{t: t, base: ts.URL, key: keys[0]}
}

// reply is one answer of the platform, read as an OAuth error.
type reply struct {
	status int
	body   []byte
	url    string // the endpoint that answered
	grant  string // the grant_type sent
	loc    string // a redirect's Location
}

// do sends req without following redirects.
func (p *rowPlatform) do(req *http.Request, grant string) reply {
	p.t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: body, url: req.URL.String(), grant: grant, loc: resp.Header.Get("Location")}
}

// post sends a form to path, with header set on the request.
func (p *rowPlatform) post(path string, form url.Values, header ...string) reply {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return p.do(req, form.Get("grant_type"))
}

func (p *rowPlatform) get(path string) reply {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.base+path, nil)
	return p.do(req, "")
}

// sign makes a JWT with header and claims, signed with key (RS512) or, for
// a []byte key, HS256.
func sign(t *testing.T, header map[string]any, claims jwt.MapClaims, key any) string {
	t.Helper()
	m := jwt.SigningMethod(jwt.SigningMethodRS512)
	if _, hmac := key.([]byte); hmac {
		m = jwt.SigningMethodHS256
	}
	tok := jwt.NewWithClaims(m, claims)
	tok.Header = map[string]any{"alg": m.Alg()}
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// assertion is a client assertion for /oauth2/token, changed by edit.
func (p *rowPlatform) assertion(edit func(h map[string]any, c jwt.MapClaims) any) string {
	h := map[string]any{"typ": "JWT", "kid": "local-1"}
	c := jwt.MapClaims{"iss": mock.DefaultAPIKey, "sub": mock.DefaultAPIKey, "aud": p.base + "/oauth2/token", "jti": uuid.NewString(), "exp": time.Now().Add(4 * time.Minute).Unix()}
	var key any = p.key
	if edit != nil {
		if k := edit(h, c); k != nil {
			key = k
		}
	}
	return sign(p.t, h, c, key)
}

// cc posts a client-credentials grant with the assertion.
func (p *rowPlatform) cc(assertion string, header ...string) reply {
	return p.post("/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}, header...)
}

// exchange posts a token exchange of subject at /oauth2-mock/token.
func (p *rowPlatform) exchange(subject string) reply {
	return p.exchangeAt("/oauth2-mock/token", subject)
}

// exchangeAt posts a token exchange of subject at path.
func (p *rowPlatform) exchangeAt(path, subject string) reply {
	a := p.assertion(func(_ map[string]any, c jwt.MapClaims) any { c["aud"] = p.base + path; return nil })
	form := url.Values{"grant_type": {steps.GrantTokenExchange}, "subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a}}
	if subject != "" {
		form.Set("subject_token", subject)
	}
	return p.post(path, form)
}

// subject is an ID token from the CIS2 mock realm's issuer, changed by edit
// (signed by the app's key, which the realm never publishes).
func (p *rowPlatform) subject(edit func(h map[string]any, c jwt.MapClaims)) string {
	h := map[string]any{"typ": "JWT", "kid": "not-a-realm-kid"}
	c := jwt.MapClaims{"iss": p.base + "/realms/" + mock.RealmCIS2, "aud": "x", "sub": "656005750104", "exp": time.Now().Add(time.Hour).Unix()}
	if edit != nil {
		edit(h, c)
	}
	return sign(p.t, h, c, p.key)
}

// logout posts a back-channel logout token to /oauth2-mock.
func (p *rowPlatform) logout(edit func(c jwt.MapClaims), key any) reply {
	c := jwt.MapClaims{"iss": p.base + "/realms/" + mock.RealmCIS2, "aud": []string{"test-client-cis2"}, "sid": "s", "iat": time.Now().Unix(), "jti": uuid.NewString(),
		"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}}
	if edit != nil {
		edit(c)
	}
	return p.post("/oauth2-mock/backchannel_logout", url.Values{"logout_token": {sign(p.t, map[string]any{"kid": "k"}, c, key)}})
}

// realmCreds are the mock CIS2 realm client's id and secret.
func (p *rowPlatform) realmCreds() (string, string) {
	req, _ := http.NewRequest(http.MethodGet, p.base+"/mock-jwks/keycloak-client-credentials", nil)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	var v struct {
		CIS2 struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		} `json:"cis2"`
	}
	if err := json.Unmarshal(p.do(req, "").body, &v); err != nil {
		p.t.Fatal(err)
	}
	return v.CIS2.ClientID, v.CIS2.ClientSecret
}

// realmToken posts to the CIS2 realm's token endpoint with its client.
func (p *rowPlatform) realmToken(form url.Values, secret string) reply {
	id, real := p.realmCreds()
	if secret == "" {
		secret = real
	}
	form.Set("client_id", id)
	form.Set("client_secret", secret)
	return p.post("/realms/"+mock.RealmCIS2+"/protocol/openid-connect/token", form)
}

// appToken is a client-credentials token of the local app.
func (p *rowPlatform) appToken() string {
	var v struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(p.cc(p.assertion(nil)).body, &v)
	return v.AccessToken
}

// authorize is GET /oauth2-mock/authorize with q.
func (p *rowPlatform) authorize(q string) reply { return p.get("/oauth2-mock/authorize?" + q) }

// refresh posts a refresh grant with form's fields.
func (p *rowPlatform) refresh(kv ...string) reply {
	form := url.Values{"grant_type": {"refresh_token"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return p.post("/oauth2-mock/token", form)
}

// code posts an authorization_code grant at the platform.
func (p *rowPlatform) code(kv ...string) reply {
	form := url.Values{"grant_type": {"authorization_code"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return p.post("/oauth2-mock/token", form)
}

type drive func(p *rowPlatform) reply

func claim(k string, v any) func(map[string]any, jwt.MapClaims) any {
	return func(_ map[string]any, c jwt.MapClaims) any {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return nil
	}
}

func header(k string, v any) func(map[string]any, jwt.MapClaims) any {
	return func(h map[string]any, _ jwt.MapClaims) any { h[k] = v; return nil }
}

func subjClaim(k string, v any) func(map[string]any, jwt.MapClaims) {
	return func(_ map[string]any, c jwt.MapClaims) {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
}

func subjHeader(k string, v any) func(map[string]any, jwt.MapClaims) {
	return func(h map[string]any, _ jwt.MapClaims) { h[k] = v }
}

const (
	cb       = "redirect_uri=" + mock.DefaultCallbackURL
	clientOK = "client_id=" + mock.DefaultAPIKey
)

// rowDrivers drive each row of arRows that a direct request can make the
// local platform answer.
var rowDrivers = map[string]drive{
	"2.6/1": func(p *rowPlatform) reply {
		req, _ := http.NewRequest(http.MethodPost, p.base+"/oauth2/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
		req.Header.Set("Content-Type", "application/json")
		return p.do(req, "")
	},
	"2.6/2": func(p *rowPlatform) reply { return p.post("/oauth2/token", url.Values{"client_assertion": {"x"}}) },
	"2.6/3": func(p *rowPlatform) reply { return p.post("/oauth2/token", url.Values{"grant_type": {"password"}}) },
	"2.6/4": func(p *rowPlatform) reply {
		return p.post("/oauth2/token", url.Values{"grant_type": {"client_credentials"}})
	},
	"2.6/5": func(p *rowPlatform) reply { return p.cc("") },
	"2.6/6": func(p *rowPlatform) reply { return p.cc("not-a-jwt") },
	"2.6/7": func(p *rowPlatform) reply {
		return p.cc(p.assertion(func(map[string]any, jwt.MapClaims) any { return []byte("a shared secret") }))
	},
	"2.6/8": func(p *rowPlatform) reply {
		return p.cc(p.assertion(claim("exp", time.Now().Add(-time.Minute).Unix())))
	},
	"2.6/9":  func(p *rowPlatform) reply { return p.cc(p.assertion(header("kid", nil))) },
	"2.6/10": func(p *rowPlatform) reply { return p.cc(p.assertion(header("typ", nil))) },
	"2.6/11": func(p *rowPlatform) reply { return p.cc(p.assertion(claim("exp", nil))) },
	"2.6/12": func(p *rowPlatform) reply { return p.cc(p.assertion(claim("exp", "1700000000"))) },
	"2.6/13": func(p *rowPlatform) reply { return p.cc(p.assertion(claim("iss", "someone-else"))) },
	"2.6/14": func(p *rowPlatform) reply { return p.cc(p.assertion(claim("jti", nil))) },
	"2.6/15": func(p *rowPlatform) reply { return p.cc(p.assertion(claim("jti", 42))) },
	"2.6/16": func(p *rowPlatform) reply {
		a := p.assertion(nil)
		p.cc(a)
		return p.cc(a)
	},
	"2.6/17": func(p *rowPlatform) reply {
		return p.cc(p.assertion(claim("exp", time.Now().Add(10*time.Minute).Unix())))
	},
	"2.6/18": func(p *rowPlatform) reply {
		return p.cc(p.assertion(func(_ map[string]any, c jwt.MapClaims) any {
			c["iss"], c["sub"] = "unknown-key", "unknown-key"
			return nil
		}))
	},
	"2.6/19": func(p *rowPlatform) reply {
		return p.cc(p.assertion(nil), mock.FaultHeader, mock.FaultKeyNotRegistered)
	},
	"2.6/20": func(p *rowPlatform) reply { return p.cc(p.assertion(nil), mock.FaultHeader, mock.FaultJWKSUnreachable) },
	"2.6/21": func(p *rowPlatform) reply {
		return p.cc(p.assertion(claim("aud", "https://int.api.service.nhs.uk/oauth2/token")))
	},
	"2.6/22": func(p *rowPlatform) reply { return p.cc(p.assertion(header("kid", "not-registered"))) },
	"2.6/23": func(p *rowPlatform) reply {
		keys, _ := rowKeys()
		return p.cc(p.assertion(func(map[string]any, jwt.MapClaims) any { return keys[1] }))
	},
	"rate-limited (local)": func(p *rowPlatform) reply {
		return p.cc(p.assertion(nil), mock.FaultHeader, mock.FaultRateLimited)
	},
	"unavailable (local)": func(p *rowPlatform) reply {
		return p.cc(p.assertion(nil), mock.FaultHeader, mock.FaultUnavailable)
	},
	"6/client": func(p *rowPlatform) reply {
		return p.post(mock.CIS2Path+"/access_token", url.Values{"grant_type": {"authorization_code"}, "code": {"c"}, "client_id": {"unknown.apps.national"}, "client_secret": {"s"}})
	},
	"2.6/404": func(p *rowPlatform) reply { return p.post("/oauth2/nothing-here", url.Values{}) },
	"3.4/subject_token_type": func(p *rowPlatform) reply {
		return p.post("/oauth2-mock/token", url.Values{"grant_type": {steps.GrantTokenExchange}})
	},
	"3.4/grant_type": func(p *rowPlatform) reply {
		return p.post("/oauth2-mock/token", url.Values{"grant_type": {"client_credentials"}, "subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}})
	},
	"3.4/missing subject":   func(p *rowPlatform) reply { return p.exchange("") },
	"3.4/malformed subject": func(p *rowPlatform) reply { return p.exchange("not-a-jwt") },
	"3.4/kid":               func(p *rowPlatform) reply { return p.exchange(p.subject(subjHeader("kid", nil))) },
	"3.4/typ":               func(p *rowPlatform) reply { return p.exchange(p.subject(subjHeader("typ", "at+jwt"))) },
	"3.4/exp missing":       func(p *rowPlatform) reply { return p.exchange(p.subject(subjClaim("exp", nil))) },
	"3.4/exp integer":       func(p *rowPlatform) reply { return p.exchange(p.subject(subjClaim("exp", "soon"))) },
	"3.4/expired": func(p *rowPlatform) reply {
		return p.exchange(p.subject(subjClaim("exp", time.Now().Add(-time.Minute).Unix())))
	},
	"3.4/iss missing": func(p *rowPlatform) reply { return p.exchange(p.subject(subjClaim("iss", nil))) },
	"3.4/aud missing": func(p *rowPlatform) reply { return p.exchange(p.subject(subjClaim("aud", nil))) },
	"3.4/iss":         func(p *rowPlatform) reply { return p.exchangeAt("/oauth2/token", p.subject(nil)) },
	"3.4/alg": func(p *rowPlatform) reply {
		enc := func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }
		return p.exchange(enc(`{"typ":"JWT","kid":"k"}`) + "." + enc(`{"iss":"x","aud":"x","exp":9999999999}`) + "." + enc("sig"))
	},
	"3.4/subject kid": func(p *rowPlatform) reply { return p.exchange(p.subject(nil)) },
	"3.5/secret missing": func(p *rowPlatform) reply {
		return p.refresh("client_id", mock.DefaultAPIKey, "refresh_token", "r")
	},
	"3.5/bad secret": func(p *rowPlatform) reply {
		return p.refresh("client_id", mock.DefaultAPIKey, "client_secret", "wrong", "refresh_token", "r")
	},
	"3.5/client_id missing": func(p *rowPlatform) reply {
		return p.refresh("client_secret", mock.DefaultAPISecret, "refresh_token", "r")
	},
	"3.5/refresh missing": func(p *rowPlatform) reply {
		return p.refresh("client_id", mock.DefaultAPIKey, "client_secret", mock.DefaultAPISecret)
	},
	"3.5/refresh invalid": func(p *rowPlatform) reply {
		return p.refresh("client_id", mock.DefaultAPIKey, "client_secret", mock.DefaultAPISecret, "refresh_token", "unknown")
	},
	"4.1/client_id invalid":     func(p *rowPlatform) reply { return p.authorize("client_id=nope&" + cb) },
	"4.1/redirect missing":      func(p *rowPlatform) reply { return p.authorize(clientOK) },
	"4.1/redirect invalid":      func(p *rowPlatform) reply { return p.authorize(clientOK + "&redirect_uri=https://example.org/") },
	"4.1/state":                 func(p *rowPlatform) reply { return p.authorize(clientOK + "&" + cb + "&response_type=code") },
	"4.1/response_type missing": func(p *rowPlatform) reply { return p.authorize(clientOK + "&" + cb + "&state=s") },
	"4.1/response_type invalid": func(p *rowPlatform) reply {
		return p.authorize(clientOK + "&" + cb + "&state=s&response_type=token")
	},
	"4.2/state": func(p *rowPlatform) reply { return p.get("/oauth2-mock/callback?state=unknown&code=c") },
	"4.3/code missing": func(p *rowPlatform) reply {
		return p.code("client_id", mock.DefaultAPIKey, "client_secret", mock.DefaultAPISecret, "redirect_uri", mock.DefaultCallbackURL)
	},
	"4.3/code invalid": func(p *rowPlatform) reply {
		return p.code("client_id", mock.DefaultAPIKey, "client_secret", mock.DefaultAPISecret, "redirect_uri", mock.DefaultCallbackURL, "code", "unknown")
	},
	"4.5/userinfo": func(p *rowPlatform) reply {
		req, _ := http.NewRequest(http.MethodGet, p.base+"/oauth2-mock/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+p.appToken())
		return p.do(req, "")
	},
	"4.6/malformed": func(p *rowPlatform) reply {
		return p.post("/oauth2-mock/backchannel_logout", url.Values{"logout_token": {"not-a-jwt"}})
	},
	"4.6/aud": func(p *rowPlatform) reply {
		return p.logout(func(c jwt.MapClaims) { c["aud"] = []string{"other"} }, p.key)
	},
	"4.6/iss": func(p *rowPlatform) reply {
		return p.logout(func(c jwt.MapClaims) { c["iss"] = "https://example.org" }, p.key)
	},
	"4.6/sid":    func(p *rowPlatform) reply { return p.logout(func(c jwt.MapClaims) { delete(c, "sid") }, p.key) },
	"4.6/events": func(p *rowPlatform) reply { return p.logout(func(c jwt.MapClaims) { delete(c, "events") }, p.key) },
	"4.6/nonce":  func(p *rowPlatform) reply { return p.logout(func(c jwt.MapClaims) { c["nonce"] = "n" }, p.key) },
	"4.6/verify": func(p *rowPlatform) reply { return p.logout(nil, p.key) },
	"5.7/code": func(p *rowPlatform) reply {
		return p.realmToken(url.Values{"grant_type": {"authorization_code"}, "code": {"unknown"}, "redirect_uri": {"https://example.org/"}}, "")
	},
	"5.7/client": func(p *rowPlatform) reply {
		return p.realmToken(url.Values{"grant_type": {"authorization_code"}, "code": {"c"}}, "wrong-secret")
	},
	"5.7/refresh": func(p *rowPlatform) reply {
		return p.realmToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"unknown"}}, "")
	},
}

// rowsElsewhere are the rows a direct request cannot make the local
// platform answer, with where each is driven or why it is not: the faults
// drive theirs through whole flows (flows/fault_test.go); the rest are the
// identity provider's or Apigee's own failures, checked by wording alone
// (TestDiagnoseEveryRow).
var rowsElsewhere = map[string]string{
	"2.6/not approved":    "an app's approval is not modelled by the local platform",
	"2.6/500":             "the platform's answer to its own failure",
	"3.4/signature":       "needs the realm's own key with a changed payload: flows' separate_forge_test.go re-signs an ID token",
	"3.5/refresh expired": "fault refresh-window-exceeded, through the refresh step of each user-restricted flow",
	"4.2/malformed":       "the identity provider's answer to the platform, not the client's request",
	"4.2/aud":             "fault id-token-other-audience, through the combined flows",
	"4.2/iss":             "the identity provider's answer to the platform, not the client's request",
	"4.6/no jwks":         "the identity provider's JWKS being down",
	"4.6/sid unknown":     "needs a logout token signed by the realm's own key",
	"5.7/redirect":        "fault redirect-uri-mismatch, through the separate flows' code step",
	"5.7/pkce":            "fault pkce-wrong, through the separate flows' code step",
	"6/jwt":               "local CIS2 client assertions: flows' direct_test.go",
	"6/grant":             "local CIS2 codes: mock's cis2_test.go",
	"6/redirect":          "local CIS2 redirect URIs: mock's cis2_test.go",
	"6/pkce":              "local CIS2 PKCE: mock's cis2_test.go",
}

// readReply reads an OAuth error from a reply: a JSON body, or the error
// parameters of a redirect (reference §4.1 rows 5–7).
func readReply(t *testing.T, r reply) *steps.OAuthError {
	t.Helper()
	if r.loc != "" {
		u, err := url.Parse(r.loc)
		if err != nil {
			t.Fatal(err)
		}
		return &steps.OAuthError{Status: r.status, Code: u.Query().Get("error"), Description: u.Query().Get("error_description"), Endpoint: r.url}
	}
	oe := steps.ParseOAuthError(r.status, r.body)
	if oe == nil {
		t.Fatalf("HTTP %d, not an OAuth error: %s", r.status, r.body)
	}
	oe.Endpoint, oe.Grant = r.url, r.grant
	return oe
}

// TestEveryPlatformRowDiagnosed drives every error row of the reference's
// tables against the in-process local platform, checks the platform
// answers the row's exact code and description, and that the diagnosis of
// that reply (with its endpoint and grant) names the cause and the fix.
// Every row is driven here or accounted for in rowsElsewhere.
func TestEveryPlatformRowDiagnosed(t *testing.T) {
	p := newRowPlatform(t, nil)
	narrow := newRowPlatform(t, []string{"urn:nhsd:apim:app:level3:personal-demographics-service"})
	bare := newRowPlatform(t, []string{"urn:nhsd:apim:user-nhs-cis2:aal3:hello-world"}) // no app-level3 product
	drivers := map[string]drive{
		"2.6/24": func(*rowPlatform) reply { return bare.cc(bare.assertion(nil)) },
		"2.6/no access": func(*rowPlatform) reply {
			req, _ := http.NewRequest(http.MethodGet, narrow.base+"/hello-world/hello/application", nil)
			req.Header.Set("Authorization", "Bearer "+narrow.appToken())
			return narrow.do(req, "")
		},
	}
	for id, d := range rowDrivers {
		drivers[id] = d
	}
	for _, tt := range arRows {
		t.Run(tt.row, func(t *testing.T) {
			d, ok := drivers[tt.row]
			if !ok {
				if rowsElsewhere[tt.row] == "" {
					t.Fatal("neither driven here nor accounted for in rowsElsewhere")
				}
				t.Skip(rowsElsewhere[tt.row])
			}
			p.t, narrow.t, bare.t = t, t, t
			oe := readReply(t, d(p))
			if oe.Code != tt.code || oe.Description != tt.desc {
				t.Fatalf("the platform answered %q / %q, want the row's %q / %q", oe.Code, oe.Description, tt.code, tt.desc)
			}
			hints := steps.Diagnose(oe)
			var all strings.Builder
			for _, h := range hints {
				if h.Cause == "" || h.Fix == "" {
					t.Errorf("hint %+v lacks a cause or a fix", h)
				}
				all.WriteString(h.Cause + " " + h.Fix + " ")
			}
			if len(hints) == 0 || !strings.Contains(all.String(), tt.want) {
				t.Errorf("diagnosis %q does not name %q", all.String(), tt.want)
			}
		})
	}
}
