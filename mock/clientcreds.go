package mock

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Access-token lifetime (reference §2.5): the platform's default is 600 000
// ms, answered as expires_in "599".
const (
	accessTokenDefaultMs = 600_000
	accessTokenMinOverMs = 2_000 // smaller overrides are ignored
	appLevel3Prefix      = "urn:nhsd:apim:app:level3:"
)

// row24NoAppScope is row 24 of reference §2.6: the app's products carry no
// scope for this grant. Token exchange answers it too when no scope survives
// filtering (§3.2).
var row24NoAppScope = perr(http.StatusUnauthorized, "unauthorized_client", "you have tried to request authorization but your application is not configured to use this authorization grant type")

// clientCredentials is the application-restricted signed-JWT grant
// (reference §2): the client assertion (rows 4–23), then the app's
// app-level3 scopes (row 24), then a 10-minute opaque token (§2.5).
func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, form url.Values, tokenURL string) {
	apiKey, e := s.checkClientAssertion(r, form, tokenURL)
	if e != nil {
		writeError(w, e)
		return
	}
	scopes := appLevel3Scopes(s.opts.Scopes)
	if len(scopes) == 0 {
		writeError(w, row24NoAppScope)
		return
	}
	expiresIn, ttl := accessTokenLifetime(form)
	now := s.now()
	tok, err := s.issueToken(grant{
		Pattern: "app",
		Level:   "level3",
		Scopes:  scopes,
		APIKey:  apiKey,
		Expires: now.Add(ttl),
	})
	if err != nil {
		writeError(w, s.storeFull("access token"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{
		"access_token": tok,
		"expires_in":   strconv.Itoa(expiresIn),
		"token_type":   "Bearer",
		"issued_at":    strconv.FormatInt(now.UnixMilli(), 10),
	})
}

// appLevel3Scopes keeps the application-restricted scopes of the app's
// products (reference §2.5, §8).
func appLevel3Scopes(scopes []string) []string {
	var out []string
	for _, sc := range scopes {
		if strings.HasPrefix(sc, appLevel3Prefix) {
			out = append(out, sc)
		}
	}
	return out
}

// accessTokenLifetime applies the optional _access_token_expiry_ms form
// parameter (reference §2.5), which can only shorten the token: a positive
// integer of at least 2000 below the default gives floor(ms/1000) − 1
// seconds; anything else is ignored. It returns expires_in in seconds and how
// long the token really lives.
func accessTokenLifetime(form url.Values) (expiresIn int, ttl time.Duration) {
	ms := accessTokenDefaultMs
	if v, err := strconv.Atoi(form.Get("_access_token_expiry_ms")); err == nil && v >= accessTokenMinOverMs && v < ms {
		ms = v
	}
	return ms/1000 - 1, time.Duration(ms) * time.Millisecond
}
