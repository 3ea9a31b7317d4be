package mock

// Faults: the local platform's break-it mode. A client names faults for one
// request in the X-Nhsauth-Fault header; for hops it does not send itself (a
// browser's requests), it arms them for one journey at POST /_mock/faults.
// Nothing here is global: a request without the header, and not armed, is
// answered exactly as before.

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"
)

// FaultHeader names the faults the local platform plays for the request that
// carries it, and for that request only: a comma-separated list of the names
// in Faults ("X-Nhsauth-Fault: clock-ahead"). An unknown name is refused
// with 400, so a typo never passes unnoticed.
const FaultHeader = "X-Nhsauth-Fault"

// The platform-side faults (nhsauth's own; each imitates a failure of
// reference §2.6, §3.4–§3.5, §4 or §5.7 on demand).
const (
	// FaultClockAhead and FaultClockBehind shift the platform's clock, and
	// its Date header, by ClockSkew ahead or behind for the request, as if
	// the client's clock were that far off (reference §2.6 rows 8 and 17).
	FaultClockAhead  = "clock-ahead"
	FaultClockBehind = "clock-behind"
	// FaultRateLimited answers a token request 429 with Retry-After.
	FaultRateLimited = "rate-limited"
	// FaultUnavailable answers a token request 503 with Retry-After.
	FaultUnavailable = "unavailable"
	// FaultKeyNotRegistered plays an app with no JWKS URL (§2.6 row 19).
	FaultKeyNotRegistered = "key-not-registered"
	// FaultJWKSUnreachable plays a JWKS URL that cannot be fetched (row 20).
	FaultJWKSUnreachable = "jwks-unreachable"
	// FaultSlowIdP makes the identity providers (realms, local CIS2) hold
	// their answer until the client gives up, at most SlowIdPDelay.
	FaultSlowIdP = "slow-idp"
	// FaultCodeExpired plays a realm code that expired before its redemption
	// (reference §5.7, "Code not valid").
	FaultCodeExpired = "code-expired"
	// FaultIDTokenExpired plays a subject token that expired before the token
	// exchange (reference §3.4).
	FaultIDTokenExpired = "id-token-expired"
	// FaultIDTokenAudience plays an identity provider's ID token issued to
	// another client, at the combined callback (reference §4.2 step 4).
	FaultIDTokenAudience = "id-token-other-audience"
	// FaultStateTampered plays a state changed on its way to the platform's
	// combined callback (reference §4.2 step 1).
	FaultStateTampered = "state-tampered"
	// FaultRefreshWindow plays a refresh after the session window ended
	// (reference §3.5).
	FaultRefreshWindow = "refresh-window-exceeded"
	// FaultSessionRevoked ends the token's CIS2 session, as a back-channel
	// logout does (reference §4.6), just before the API answers.
	FaultSessionRevoked = "session-revoked"
)

// ClockSkew is how far FaultClockAhead and FaultClockBehind move the clock:
// more than the 5 minutes an assertion may live, so either way it fails.
const ClockSkew = 6 * time.Minute

// SlowIdPDelay bounds how long FaultSlowIdP holds an answer.
const SlowIdPDelay = 2 * time.Minute

// RetryAfter is the Retry-After, in seconds, of the 429 and 503 faults.
const RetryAfter = "5"

// Faults lists every fault name the platform honours, in the order above.
func Faults() []string {
	return []string{FaultClockAhead, FaultClockBehind, FaultRateLimited, FaultUnavailable,
		FaultKeyNotRegistered, FaultJWKSUnreachable, FaultSlowIdP, FaultCodeExpired, FaultIDTokenExpired,
		FaultIDTokenAudience, FaultStateTampered, FaultRefreshWindow, FaultSessionRevoked}
}

// The answers of the 429 and 503 faults. The reference records no body for
// either (§2.6: "Rate-limit (429) body: unconfirmed"); these follow the
// platform's error shape and are our choice.
var (
	faultRateLimited = perr(http.StatusTooManyRequests, "rate_limit_exceeded", "Your application has exceeded its rate limit - retry after the number of seconds in the Retry-After header")
	faultUnavailable = perr(http.StatusServiceUnavailable, "service_unavailable", "The service is temporarily unavailable - retry after the number of seconds in the Retry-After header")
)

// faultSet is the faults in force for one request.
type faultSet map[string]bool

type faultKey struct{}

// faultsOf returns the faults in force for r (none for most requests).
func faultsOf(r *http.Request) faultSet {
	fs, _ := r.Context().Value(faultKey{}).(faultSet)
	return fs
}

// parseFaults reads a comma-separated list of fault names; it returns the
// first unknown name, if any.
func parseFaults(list string, into faultSet) (unknown string) {
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case slices.Contains(Faults(), name):
			into[name] = true
		default:
			return name
		}
	}
	return ""
}

// withFaults reads the request's faults (its header, and any armed for its
// state) into its context. It answers, and returns nil, when the header
// names an unknown fault.
func (s *Server) withFaults(w http.ResponseWriter, r *http.Request) *http.Request {
	fs := faultSet{}
	if h := r.Header.Get(FaultHeader); h != "" {
		if bad := parseFaults(h, fs); bad != "" {
			writeError(w, perr(http.StatusBadRequest, "invalid_request", FaultHeader+": unknown fault "+quote(bad)+" (known: "+strings.Join(Faults(), ", ")+")"))
			return nil
		}
	}
	if st := r.URL.Query().Get("state"); st != "" && s.armed != nil {
		if armed, ok := s.armed.take(st); ok {
			for name := range armed {
				fs[name] = true
			}
		}
	}
	if len(fs) == 0 {
		return r
	}
	r = r.WithContext(context.WithValue(r.Context(), faultKey{}, fs))
	if fs[FaultClockAhead] || fs[FaultClockBehind] {
		w.Header().Set("Date", s.clock(r).UTC().Format(http.TimeFormat))
	}
	return r
}

// quote wraps s in double quotes for an error description.
func quote(s string) string { return `"` + s + `"` }

// clock is the platform's time for r: its clock, moved by a clock fault.
func (s *Server) clock(r *http.Request) time.Time {
	now := s.now()
	switch fs := faultsOf(r); {
	case fs[FaultClockAhead]:
		return now.Add(ClockSkew)
	case fs[FaultClockBehind]:
		return now.Add(-ClockSkew)
	}
	return now
}

// answerFault plays the faults that replace an endpoint's whole answer: 429
// and 503 at the platform's token endpoints, and a slow identity provider.
// It reports whether it answered.
func (s *Server) answerFault(w http.ResponseWriter, r *http.Request) bool {
	fs := faultsOf(r)
	if len(fs) == 0 {
		return false
	}
	token := r.Method == http.MethodPost && (r.URL.Path == "/oauth2/token" || r.URL.Path == "/oauth2-mock/token")
	switch {
	case token && fs[FaultRateLimited]:
		w.Header().Set("Retry-After", RetryAfter)
		writeError(w, faultRateLimited)
		return true
	case token && fs[FaultUnavailable]:
		w.Header().Set("Retry-After", RetryAfter)
		writeError(w, faultUnavailable)
		return true
	case fs[FaultSlowIdP] && (strings.HasPrefix(r.URL.Path, "/realms/") || strings.HasPrefix(r.URL.Path, CIS2Path)):
		t := time.NewTimer(SlowIdPDelay)
		defer t.Stop()
		select { // the client's --timeout ends the wait; then the answer goes nowhere
		case <-r.Context().Done():
		case <-t.C:
		}
	}
	return false
}

// subjectClock is the platform's time for a token exchange's subject token:
// with FaultIDTokenExpired, a time past any ID token the realms issue (they
// live idTokenTTL, reference §5.5), so the subject token counts as expired.
func (s *Server) subjectClock(r *http.Request) time.Time {
	if faultsOf(r)[FaultIDTokenExpired] {
		return s.clock(r).Add(idTokenTTL + time.Minute)
	}
	return s.clock(r)
}

// revokeForFault ends g's CIS2 session as a back-channel logout would
// (reference §4.6 step 6), for FaultSessionRevoked.
func (s *Server) revokeForFault(g grant) {
	if g.SID != "" {
		_ = s.combined.revoked.put(g.SID, struct{}{}, s.now().Add(cis2RefreshTTL+refreshGrace))
	}
}
