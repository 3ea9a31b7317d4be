package mock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// faultServer is a local platform whose clock stands still, so a Date
// header can be compared exactly.
func faultServer(t *testing.T) (*Server, time.Time) {
	t.Helper()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return New(Options{KeysDir: t.TempDir(), Now: func() time.Time { return now }}), now
}

// TestFaultHeaderScopesOneRequest checks clock-ahead and clock-behind move
// the Date header of the request that names them, and only that one.
func TestFaultHeaderScopesOneRequest(t *testing.T) {
	s, now := faultServer(t)
	for _, tt := range []struct {
		header string
		want   time.Time
	}{
		{FaultClockAhead, now.Add(ClockSkew)},
		{FaultClockBehind, now.Add(-ClockSkew)},
	} {
		req := httptest.NewRequest(http.MethodGet, "/_ping", nil)
		req.Header.Set(FaultHeader, tt.header)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if got := rec.Header().Get("Date"); got != tt.want.Format(http.TimeFormat) {
			t.Errorf("%s: Date %q, want %q", tt.header, got, tt.want.Format(http.TimeFormat))
		}
		// The next request, without the header, is the platform's own.
		rec = httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_ping", nil))
		if got := rec.Header().Get("Date"); got != "" {
			t.Errorf("after %s, a request without the header got Date %q", tt.header, got)
		}
	}
}

// TestNoFaultHeaderChangesNothing checks every fault-aware answer is the
// platform's usual one without the header: the token endpoint still checks
// the form, not a 429.
func TestNoFaultHeaderChangesNothing(t *testing.T) {
	s, _ := faultServer(t)
	post := func(fault string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if fault != "" {
			req.Header.Set(FaultHeader, fault)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(FaultRateLimited); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != RetryAfter {
		t.Fatalf("with the header: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec := post("")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "client_assertion_type") {
		t.Fatalf("without the header: %d %s, want the usual row 4", rec.Code, rec.Body)
	}
}

// TestUnknownFaultIsRefused checks a typo in the header is a 400 naming
// the known faults, never a silent success.
func TestUnknownFaultIsRefused(t *testing.T) {
	s, _ := faultServer(t)
	req := httptest.NewRequest(http.MethodGet, "/_ping", nil)
	req.Header.Set(FaultHeader, "clock-ahaed")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "clock-ahead") {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}

// TestArmedFaultsAreOneJourneysOnce checks faults armed for one state reach
// that journey's first request, once, and never another journey's.
func TestArmedFaultsAreOneJourneysOnce(t *testing.T) {
	s, now := faultServer(t)
	arm := httptest.NewRequest(http.MethodPost, "/_mock/faults", strings.NewReader(url.Values{"state": {"journey-a"}, "fault": {FaultClockAhead}}.Encode()))
	arm.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, arm)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("arming: %d %s", rec.Code, rec.Body)
	}
	date := func(state string) string {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_ping?state="+state, nil))
		return rec.Header().Get("Date")
	}
	if got := date("journey-b"); got != "" {
		t.Errorf("another journey got the fault: Date %q", got)
	}
	if got, want := date("journey-a"), now.Add(ClockSkew).Format(http.TimeFormat); got != want {
		t.Errorf("the armed journey: Date %q, want %q", got, want)
	}
	if got := date("journey-a"); got != "" {
		t.Errorf("the fault was not consumed: Date %q", got)
	}
}
