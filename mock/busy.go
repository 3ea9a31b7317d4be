package mock

import (
	"net/http"
	"time"
)

// busyDesc is the one sentence every full-store refusal carries.
const busyDesc = "The local platform holds too many live grants, codes or sessions: try again when some have expired"

// platformBusy is the platform's answer when a store is full of live values
// (fail closed: nothing live is evicted). The body is our choice,
// unconfirmed: the reference records no overload answer of the platform.
var platformBusy = perr(http.StatusServiceUnavailable, "temporarily_unavailable", busyDesc)

// busyLogEvery spaces the log lines of a flood: one a second is enough to
// say why requests are refused.
const busyLogEvery = time.Second

// storeFull logs why a request is refused (at most once per busyLogEvery)
// and returns the platform's 503. what names the full store.
func (s *Server) storeFull(what string) *platformError {
	now := time.Now().UnixNano()
	last := s.busyLogged.Load()
	if now-last >= int64(busyLogEvery) && s.busyLogged.CompareAndSwap(last, now) {
		s.opts.Log.Printf("refusing requests with 503: the %s store is full of live entries (limit reached; they free up as they expire)", what)
	}
	return platformBusy
}

// writeRealmBusy answers a full store at a realm's token endpoint in
// Keycloak's error shape (our choice, unconfirmed, as platformBusy).
func (s *Server) writeRealmBusy(w http.ResponseWriter, what string) {
	e := s.storeFull(what)
	writeKeycloakError(w, e.Status, e.Code, e.Description)
}

// renderRealmBusy answers a full store on a realm's pages.
func (s *Server) renderRealmBusy(w http.ResponseWriter, d *realmDef, what string) {
	e := s.storeFull(what)
	s.renderError(w, e.Status, d, e.Description)
}
