package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// apiEnv is a platform with tokens of every pattern issued directly into its
// store (no RSA needed).
type apiEnv struct {
	*ccEnv
	app, appNoHello, cis2, cis2AAL1, nhsP9, nhsP5, expired string
}

func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	opts := Options{KeysDir: t.TempDir(), Now: func() time.Time { return ccClock }, Version: "v-test"}
	e := &apiEnv{ccEnv: newCCEnv(t, opts)}
	live := ccClock.Add(10 * time.Minute)
	issue := func(pattern, level string, expires time.Time, scopes ...string) string {
		tok, err := e.srv.issueToken(grant{Pattern: pattern, Level: level, Scopes: scopes, APIKey: DefaultAPIKey, Expires: expires})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	e.app = issue("app", "level3", live, "urn:nhsd:apim:app:level3:hello-world", "urn:nhsd:apim:app:level3:personal-demographics-service")
	e.appNoHello = issue("app", "level3", live, "urn:nhsd:apim:app:level3:personal-demographics-service")
	e.cis2 = issue("cis2", "aal3", live, "urn:nhsd:apim:user-nhs-cis2:aal3:hello-world", "urn:nhsd:apim:user-nhs-cis2:aal3:personal-demographics-service")
	e.cis2AAL1 = issue("cis2", "aal1", live, "urn:nhsd:apim:user-nhs-cis2:aal1:hello-world")
	e.nhsP9 = issue("nhs-login", "P9", live, "urn:nhsd:apim:user-nhs-login:P9:hello-world")
	e.nhsP5 = issue("nhs-login", "P5", live, "urn:nhsd:apim:user-nhs-login:P5:hello-world")
	e.expired = issue("app", "level3", ccClock.Add(-time.Second), "urn:nhsd:apim:app:level3:hello-world")
	return e
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// TestHelloWorld covers the Hello World API of reference §9.
func TestHelloWorld(t *testing.T) {
	e := newAPIEnv(t)
	tests := []struct {
		name string
		path string
		hdr  http.Header
		want string // message; "" means 401
	}{
		{"world open", "/hello-world/hello/world", nil, "Hello World!"},
		{"world with any token", "/hello-world/hello/world", bearer("junk"), "Hello World!"},
		{"application by apikey", "/hello-world/hello/application", http.Header{"Apikey": {DefaultAPIKey}}, "Hello Application!"},
		{"application by wrong apikey", "/hello-world/hello/application", http.Header{"Apikey": {"nope"}}, ""},
		{"application by app token", "/hello-world/hello/application", bearer(e.app), "Hello Application!"},
		{"application by lower-case scheme", "/hello-world/hello/application", http.Header{"Authorization": {"bearer " + e.app}}, "Hello Application!"},
		{"application by user token", "/hello-world/hello/application", bearer(e.cis2), ""},
		{"application by expired token", "/hello-world/hello/application", bearer(e.expired), ""},
		{"application by unknown token", "/hello-world/hello/application", bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ""},
		{"application with nothing", "/hello-world/hello/application", nil, ""},
		{"application bad bearer beats good apikey", "/hello-world/hello/application",
			http.Header{"Authorization": {"Bearer junk"}, "Apikey": {DefaultAPIKey}}, ""},
		{"user by CIS2 AAL3", "/hello-world/hello/user", bearer(e.cis2), "Hello User!"},
		{"user by NHS login P9", "/hello-world/hello/user", bearer(e.nhsP9), "Hello User!"},
		{"user by NHS login P5", "/hello-world/hello/user", bearer(e.nhsP5), "Hello User!"},
		{"user by CIS2 AAL1", "/hello-world/hello/user", bearer(e.cis2AAL1), ""},
		{"user by app token", "/hello-world/hello/user", bearer(e.app), ""},
		{"user by apikey", "/hello-world/hello/user", http.Header{"Apikey": {DefaultAPIKey}}, ""},
		{"user with nothing", "/hello-world/hello/user", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{"X-Correlation-Id": {"corr-1"}}
			for k, v := range tt.hdr {
				hdr[k] = v
			}
			status, rh, body := e.do(t, http.MethodGet, tt.path, "", "", hdr)
			if rh.Get("X-Correlation-ID") != "corr-1" {
				t.Errorf("X-Correlation-ID not echoed")
			}
			msg := ccDecode(t, body)["message"]
			if tt.want != "" {
				if status != 200 || msg != tt.want {
					t.Errorf("got %d %q, want 200 %q", status, msg, tt.want)
				}
				return
			}
			if status != 401 || msg != "Invalid access token" || rh.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
				t.Errorf("got %d %q WWW-Authenticate=%q, want the 401", status, msg, rh.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("app token without the hello-world product", func(t *testing.T) {
		status, _, body := e.do(t, http.MethodGet, "/hello-world/hello/application", "", "", bearer(e.appNoHello))
		b := ccDecode(t, body)
		if status != 401 || b["error"] != "access_denied" || b["message_id"] == "" {
			t.Errorf("%d %v", status, b)
		}
	})
	t.Run("POST not routed", func(t *testing.T) {
		if status, _, _ := e.do(t, http.MethodPost, "/hello-world/hello/world", "", "", nil); status != http.StatusMethodNotAllowed {
			t.Errorf("%d", status)
		}
	})
}

// outcome is the part of an OperationOutcome the tests read.
type outcome struct {
	ResourceType string `json:"resourceType"`
	Issue        []struct {
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Details  struct {
			Coding []struct {
				System, Code, Display string
			} `json:"coding"`
		} `json:"details"`
		Diagnostics string `json:"diagnostics"`
	} `json:"issue"`
}

// TestPatient covers the PDS scenarios of reference §8.
func TestPatient(t *testing.T) {
	e := newAPIEnv(t)
	const reqID = "60e0b220-8136-4ac5-a7c4-4f3c7d8e5a61"
	tests := []struct {
		name     string
		id       string
		hdr      http.Header
		status   int
		spine    string // error code, or "" for a Patient
		security string // meta.security code of a Patient
	}{
		{"no token", "9000000009", http.Header{"X-Request-Id": {reqID}}, 401, "ACCESS_DENIED", ""},
		{"unknown token", "9000000009", withReq(bearer("junk"), reqID), 401, "ACCESS_DENIED", ""},
		{"token without PDS scope", "9000000009", withReq(bearer(e.nhsP9), reqID), 401, "ACCESS_DENIED", ""},
		{"token checked before X-Request-ID", "9000000009", nil, 401, "ACCESS_DENIED", ""},
		{"missing X-Request-ID", "9000000009", bearer(e.app), 400, "MISSING_VALUE", ""},
		{"X-Request-ID not a UUID", "9000000009", withReq(bearer(e.app), "req-1"), 400, "INVALID_VALUE", ""},
		{"patient by app token", "9000000009", withReq(bearer(e.app), reqID), 200, "", "U"},
		{"patient by CIS2 token", "9000000009", withReq(bearer(e.cis2), reqID), 200, "", "U"},
		{"restricted patient", "9000000025", withReq(bearer(e.app), reqID), 200, "", "R"},
		{"minimal patient", "9000000033", withReq(bearer(e.app), reqID), 200, "", "U"},
		{"patient does not exist", "9111231130", withReq(bearer(e.app), reqID), 404, "RESOURCE_NOT_FOUND", ""},
		{"other valid number", "9449305552", withReq(bearer(e.app), reqID), 404, "RESOURCE_NOT_FOUND", ""},
		{"check digit wrong", "9000000000", withReq(bearer(e.app), reqID), 400, "INVALID_RESOURCE_ID", ""},
		{"nine digits", "900000000", withReq(bearer(e.app), reqID), 400, "INVALID_RESOURCE_ID", ""},
		{"letters", "90000000A9", withReq(bearer(e.app), reqID), 400, "INVALID_RESOURCE_ID", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{"X-Correlation-Id": {"corr-2"}}
			for k, v := range tt.hdr {
				hdr[k] = v
			}
			status, rh, body := e.do(t, http.MethodGet, "/personal-demographics/FHIR/R4/Patient/"+tt.id, "", "", hdr)
			if status != tt.status || rh.Get("Content-Type") != "application/fhir+json" {
				t.Fatalf("got %d %s, want %d (application/fhir+json): %s", status, rh.Get("Content-Type"), tt.status, body)
			}
			if rh.Get("X-Correlation-ID") != "corr-2" || rh.Get("X-Request-ID") != hdr.Get("X-Request-ID") {
				t.Errorf("ids not echoed: %v", rh)
			}
			if tt.spine != "" {
				var oo outcome
				if err := json.Unmarshal(body, &oo); err != nil || oo.ResourceType != "OperationOutcome" || len(oo.Issue) != 1 ||
					len(oo.Issue[0].Details.Coding) != 1 || oo.Issue[0].Details.Coding[0].Code != tt.spine ||
					oo.Issue[0].Severity != "error" || !strings.HasSuffix(oo.Issue[0].Details.Coding[0].System, "Spine-ErrorOrWarningCode") {
					t.Errorf("outcome %s, want %s (%v)", body, tt.spine, err)
				}
				return
			}
			var p struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
				Address      []any  `json:"address"`
				Meta         struct {
					Security []struct{ Code string } `json:"security"`
				} `json:"meta"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.ResourceType != "Patient" || p.ID != tt.id ||
				len(p.Meta.Security) != 1 || p.Meta.Security[0].Code != tt.security {
				t.Errorf("patient %s (%v)", body, err)
			}
			if tt.security == "R" && p.Address != nil {
				t.Error("restricted patient shows an address")
			}
			if rh.Get("ETag") != `W/"2"` {
				t.Errorf("ETag %q", rh.Get("ETag"))
			}
		})
	}
}

func withReq(h http.Header, id string) http.Header {
	h.Set("X-Request-ID", id)
	return h
}

// TestValidNHSNumber checks the modulus 11 rule on known numbers.
func TestValidNHSNumber(t *testing.T) {
	for n, want := range map[string]bool{
		"9000000009": true, "9000000025": true, "9000000033": true, "9111231130": true, "9449305552": true,
		"9000000000": false, "9000000001": false, "": false, "90000000090": false, "900000000a": false,
		"0000000000": true, "0000000060": false, // check digit 10 is never valid
	} {
		if got := validNHSNumber(n); got != want {
			t.Errorf("validNHSNumber(%q) = %v, want %v", n, got, want)
		}
	}
}

// TestInfoAndPing covers GET /_mock/info and the _ping probes.
func TestInfoAndPing(t *testing.T) {
	opts := ccOptions(t)
	opts.APISecret = "s3cret-value"
	e := newCCEnv(t, opts)
	status, _, body := e.do(t, http.MethodGet, "/_mock/info", "", "", nil)
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil || status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if got["name"] != "nhsauth local platform" || got["version"] != "test" || got["base_url"] != e.ts.URL ||
		got["api_key"] != DefaultAPIKey || got["key_source"] != "keys folder "+opts.KeysDir {
		t.Errorf("info %v", got)
	}
	realms, _ := got["realms"].([]any)
	if len(realms) != 2 || realms[0] != "/realms/Cis2-mock-local" || realms[1] != "/realms/NHS-Login-mock-local" {
		t.Errorf("realms %v", got["realms"])
	}
	if strings.Contains(string(body), "s3cret-value") {
		t.Error("info leaks the API secret")
	}
	for _, p := range []string{"/_ping", "/hello-world/_ping", "/oauth2/_ping", "/oauth2-mock/_ping"} {
		if status, _, _ := e.do(t, http.MethodGet, p, "", "", nil); status != 200 {
			t.Errorf("%s: %d", p, status)
		}
	}
}

// TestInfoKeysFolderIsAbsolute: /_mock/info names the keys folder as an
// absolute path, so a client started in another folder compares the right
// folders.
func TestInfoKeysFolderIsAbsolute(t *testing.T) {
	rec := httptest.NewRecorder()
	New(Options{KeysDir: "./.auth"}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/_mock/info", nil))
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := "keys folder " + filepath.Join(wd, ".auth"); got["key_source"] != want {
		t.Errorf("key_source = %v, want %q", got["key_source"], want)
	}
}
