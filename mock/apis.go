package mock

import (
	"net/http"
	"slices"
	"strings"
)

// helloUnauthorized is the Hello World 401 body. The reference gives it only
// as the spec's example (reference §9: unconfirmed), so it lives here alone.
const helloUnauthorized = "Invalid access token"

// Scope suffixes the sample APIs need (reference §8 scope strings, §9).
const (
	helloWorldAPI = "hello-world"
	pdsAPI        = "personal-demographics-service"
)

// productNoAccess is the platform's answer when a valid credential's products
// do not cover the API (reference §2.6, "Other platform-wide errors"; status
// believed 401).
var productNoAccess = perr(http.StatusUnauthorized, "access_denied", "API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.")

// handleHelloWorld is GET /hello-world/hello/world: open access (reference §9).
func (s *Server) handleHelloWorld(w http.ResponseWriter, r *http.Request) {
	echoCorrelationID(w, r)
	writeJSON(w, http.StatusOK, map[string]string{"message": "Hello World!"})
}

// handleHelloApplication is GET /hello-world/hello/application (reference
// §9): the local app's API key in the apikey header (app-level0) or a bearer
// token from the application-restricted signed-JWT flow (app-level3). A
// user-restricted token is refused.
func (s *Server) handleHelloApplication(w http.ResponseWriter, r *http.Request) {
	echoCorrelationID(w, r)
	if _, hasBearer := bearerToken(r); !hasBearer && r.Header.Get("apikey") == s.opts.APIKey {
		writeJSON(w, http.StatusOK, map[string]string{"message": "Hello Application!"})
		return
	}
	g, ok := s.bearerGrant(r)
	if !ok || g.Pattern != "app" {
		helloDenied(w)
		return
	}
	if !hasScope(g.Scopes, func(sc string) bool { return sc == appLevel3Prefix+helloWorldAPI }) {
		writeError(w, productNoAccess)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Hello Application!"})
}

// handleHelloUser is GET /hello-world/hello/user (reference §9): a bearer
// token from a user-restricted flow at CIS2 AAL3 or NHS login P9 or P5. An
// application-restricted token is refused.
func (s *Server) handleHelloUser(w http.ResponseWriter, r *http.Request) {
	echoCorrelationID(w, r)
	g, ok := s.bearerGrant(r)
	if !ok || !userHelloScope(g) {
		helloDenied(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Hello User!"})
}

// handlePing is GET /_ping and GET /hello-world/_ping: the platform's
// liveness probe (reference §1, §9).
func (s *Server) handlePing(w http.ResponseWriter, r *http.Request) {
	echoCorrelationID(w, r)
	writeJSON(w, http.StatusOK, map[string]string{"status": "pass", "version": s.opts.Version})
}

// userHelloScope reports whether a user-restricted grant carries a Hello
// World scope at a level /hello/user accepts.
func userHelloScope(g grant) bool {
	var want []string
	switch g.Pattern {
	case "cis2":
		want = []string{"user-nhs-cis2:aal3:" + helloWorldAPI}
	case "nhs-login":
		want = []string{"user-nhs-login:P9:" + helloWorldAPI, "user-nhs-login:P5:" + helloWorldAPI}
	default:
		return false
	}
	return hasScope(g.Scopes, func(sc string) bool {
		return slices.ContainsFunc(want, func(w string) bool { return strings.HasSuffix(sc, ":"+w) })
	})
}

// helloDenied answers 401 with the Hello World body and a RFC 6750 §3
// challenge.
func helloDenied(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, map[string]string{"message": helloUnauthorized})
}

// bearerGrant returns the live grant behind the request's bearer token.
func (s *Server) bearerGrant(r *http.Request) (grant, bool) {
	tok, ok := bearerToken(r)
	if !ok {
		return grant{}, false
	}
	g, ok := s.tokens.get(tok)
	if ok && faultsOf(r)[FaultSessionRevoked] {
		s.revokeForFault(g)
	}
	if !ok || s.revoked(g) {
		return grant{}, false
	}
	return g, true
}

// bearerToken reads "Authorization: Bearer <token>" (RFC 6750 §2.1; the
// scheme is case-insensitive).
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}

// hasScope reports whether any scope satisfies match.
func hasScope(scopes []string, match func(string) bool) bool {
	return slices.ContainsFunc(scopes, match)
}

// echoCorrelationID copies X-Correlation-ID to the response, as the
// platform's APIs do (reference §8).
func echoCorrelationID(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("X-Correlation-ID"); v != "" {
		w.Header().Set("X-Correlation-ID", v)
	}
}
