package mock

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults of the local app's registration (nhsauth mock --help).
const (
	DefaultAPIKey    = "nhsauth-local-api-key"
	DefaultAPISecret = "nhsauth-local-api-secret"
	DefaultKeysDir   = ".auth"
)

// DefaultScopes are the local app's product scopes (reference §8 strings).
var DefaultScopes = []string{
	"urn:nhsd:apim:app:level3:hello-world",
	"urn:nhsd:apim:user-nhs-cis2:aal3:hello-world",
	"urn:nhsd:apim:user-nhs-login:P9:hello-world",
	"urn:nhsd:apim:user-nhs-login:P5:hello-world",
	"urn:nhsd:apim:app:level3:personal-demographics-service",
	"urn:nhsd:apim:user-nhs-cis2:aal3:personal-demographics-service",
	"urn:nhsd:apim:user-nhs-login:P9:personal-demographics-service",
}

// Options configure the local platform. The zero value of each field means
// its default.
type Options struct {
	APIKey    string   // the local app's API key (client_id)
	APISecret string   // its API secret (client_secret)
	KeysDir   string   // folder whose *.json JWKS documents are the app's published keys
	JWKSURL   string   // or: a URL serving the app's JWKS (jwks-resource-url)
	Scopes    []string // the app's product scopes
	// CallbackURL is the app's registered callback URL for combined
	// authentication (reference §4; default DefaultCallbackURL).
	CallbackURL string
	PublicURL   string // pins the base URL instead of each request's scheme and host
	Version     string // nhsauth's version, for /_mock/info

	Now        func() time.Time // the platform's clock
	HTTPClient *http.Client     // fetches --jwks-url
	// JWKSTimeout bounds one fetch of JWKSURL (default 10 s); concurrent
	// grants wait on that one fetch.
	JWKSTimeout time.Duration
	// StoreLimit bounds each store of live values (used jti values, issued
	// tokens, pending logins, codes, sessions, refresh tokens); 0 means
	// each store's default. A full store refuses new grants with 503.
	StoreLimit int
	// AllowRemote answers requests whatever Host they name (nhsauth mock
	// --allow-remote). Otherwise HTTPServer's handler answers only a
	// loopback Host or PublicURL's host (a guard against DNS rebinding).
	AllowRemote bool
	// Log receives the platform's operational messages, such as a full
	// store; nil discards them.
	Log *log.Logger
}

// Server is the local platform.
type Server struct {
	opts   Options
	mux    *http.ServeMux
	now    func() time.Time
	tokens *store[string, grant]    // issued access token → what it may call
	jtis   *store[jtiKey, struct{}] // used client-assertion jti values (row 16)
	// tried holds the jti values of assertions whose claims passed but
	// that were refused later (API key, JWKS, signature, aud): see jti.go.
	tried *store[jtiKey, struct{}]
	keys  *appKeys
	oidc  *oidcState // the user-restricted side: realm keys, logins, codes, sessions, refresh tokens
	cis2  *cis2State // the local CIS2 Authentication and its Connection Manager (cis2.go)
	// combined is the platform's side of combined authentication (reference §4).
	combined *combinedState

	realmRoutes map[string]realmRoute // a realm's paths, built once

	armed *store[string, faultSet] // faults armed for one journey's state (fault_armed.go)

	busyLogged atomic.Int64 // UnixNano of the last "store full" log line
}

// New builds the local platform.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.APISecret == "" {
		opts.APISecret = DefaultAPISecret
	}
	if opts.KeysDir == "" && opts.JWKSURL == "" {
		opts.KeysDir = DefaultKeysDir
	}
	if opts.CallbackURL == "" {
		opts.CallbackURL = DefaultCallbackURL
	}
	if opts.Scopes == nil {
		opts.Scopes = DefaultScopes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{}
	}
	if opts.JWKSTimeout <= 0 {
		opts.JWKSTimeout = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = log.New(io.Discard, "", 0)
	}
	limit := func(def int) int { return cmp.Or(opts.StoreLimit, def) }
	s := &Server{
		opts:   opts,
		mux:    http.NewServeMux(),
		now:    opts.Now,
		tokens: newStore[string, grant](opts.Now, limit(tokenLimit)),
		jtis:   newStore[jtiKey, struct{}](opts.Now, limit(jtiLimit)),
		tried:  newStore[jtiKey, struct{}](opts.Now, limit(jtiLimit)),
		oidc:   newOIDCState(opts.Now, limit(storeLimit)),
		armed:  newStore[string, faultSet](opts.Now, limit(armedLimit)),
	}
	s.combined = newCombinedState(opts.Now, limit(storeLimit))
	s.keys = newAppKeys(opts)
	s.routes()
	return s
}

// ServeHTTP implements http.Handler. A handler that panics gets the
// platform's answer to anything unexpected, 500 unknown_error (reference
// §2.6, "Other platform-wide errors"), unless it had already begun its
// answer; the panic is not re-raised, so the connection stays usable.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler { // the server's own sentinel: let it abort the connection
			panic(v)
		}
		if !tw.wrote {
			writeError(w, unknownError)
		}
	}()
	if r = s.withFaults(tw, r); r == nil || s.answerFault(tw, r) {
		return
	}
	s.mux.ServeHTTP(tw, r)
}

// unknownError is the platform's answer to anything unexpected (reference
// §2.6, "Other platform-wide errors").
var unknownError = perr(http.StatusInternalServerError, "unknown_error", "An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID")

// trackingWriter notes whether an answer has begun, so ServeHTTP knows
// whether it can still send one after a panic.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// KeySource describes where the app's published keys come from.
func (s *Server) KeySource() string {
	if s.opts.JWKSURL != "" {
		return "jwks-url " + s.opts.JWKSURL
	}
	return "keys folder " + s.opts.KeysDir
}

// baseURL is the platform's base URL as this request addressed it: its
// scheme and host, or Options.PublicURL.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// platformError is an error body of the API platform: {error,
// error_description, message_id} (reference §2.6).
type platformError struct {
	Status      int
	Code        string
	Description string
}

func (e *platformError) Error() string { return e.Code + ": " + e.Description }

func perr(status int, code, desc string) *platformError {
	return &platformError{Status: status, Code: code, Description: desc}
}

// writeError sends a platform error body with a fresh opaque message_id.
func writeError(w http.ResponseWriter, e *platformError) {
	writeJSON(w, e.Status, map[string]string{
		"error":             e.Code,
		"error_description": e.Description,
		"message_id":        messageID(),
	})
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// messageID makes an opaque id like Apigee's message ids.
func messageID() string { return "rrt-" + randomHex(10) + "-" + randomHex(4) }

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("mock: crypto/rand failed: " + err.Error()) // impossible on supported platforms
	}
	return hex.EncodeToString(b)
}
