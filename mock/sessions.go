package mock

import (
	"sync"
	"time"
)

// Lifetimes of the user-restricted side's state (reference §3.3, §3.5, §5.5,
// §5.6). Everything lives in memory, expires, and is bounded.
const (
	loginTabTTL     = 30 * time.Minute   // a login page left open (Keycloak's default login timeout)
	codeTTL         = 60 * time.Second   // authorization codes: single use, short-lived
	realmSSOTTL     = 12 * time.Hour     // a realm session (session_state / sid)
	realmAccessTTL  = 300 * time.Second  // the realm's access token: expires_in 300
	realmRefreshTTL = 1800 * time.Second // the realm's refresh token: refresh_expires_in 1800
	idTokenTTL      = time.Hour          // "the ID token has a lifetime of 1 hour" (§5.5)

	// storeLimit bounds every store: at the limit, expired entries are swept
	// and, if that is not enough, the entry closest to expiry is evicted.
	storeLimit = 10000
)

// oidcState is the local platform's user-restricted state: the realms'
// signing keys, pending logins, codes, realm sessions and refresh tokens,
// and the platform's refresh sessions (reference §3.5).
type oidcState struct {
	keys            *realmKeys
	logins          *expiring[authRequest]     // tab_id → authorise request awaiting a login
	codes           *expiring[authCode]        // code → what it was issued for
	sessions        *expiring[realmSession]    // sid → signed-in user
	realmRefresh    *expiring[realmRefresh]    // realm refresh token → session
	platformRefresh *expiring[platformSession] // platform refresh token → refresh window
}

func newOIDCState(now func() time.Time) *oidcState {
	return &oidcState{
		keys:            newRealmKeys(),
		logins:          newExpiring[authRequest](now, storeLimit),
		codes:           newExpiring[authCode](now, storeLimit),
		sessions:        newExpiring[realmSession](now, storeLimit),
		realmRefresh:    newExpiring[realmRefresh](now, storeLimit),
		platformRefresh: newExpiring[platformSession](now, storeLimit),
	}
}

// authRequest is an authorise request that passed its checks and waits for
// the user to sign in on the login page.
type authRequest struct {
	Realm       string
	ClientID    string
	RedirectURI string
	State       string
	Nonce       string
	Scope       string
	Challenge   string // PKCE code_challenge (RFC 7636 §4.3), "" when none was sent
	Method      string // "S256" or "plain"
}

// authCode is an authorization code: the request it answers and the session
// it opened (RFC 6749 §4.1.2).
type authCode struct {
	authRequest
	SID string
}

// realmSession is a signed-in user at a realm.
type realmSession struct {
	Realm    string
	UserID   string // CIS2 user UID or NHS number
	ClientID string
	AuthTime time.Time
}

// realmRefresh is a realm refresh token.
type realmRefresh struct {
	Realm    string
	SID      string
	ClientID string
	Scope    string
}

// platformSession is what a platform refresh token carries: the grant it
// renews and the fixed window it may be renewed in (reference §3.5).
type platformSession struct {
	BasePath     string // "/oauth2" or "/oauth2-mock": refresh only there
	APIKey       string
	Grant        grant     // pattern, level, scopes, subject of the access token
	FirstIssued  time.Time // the token exchange that opened the window
	WindowEnd    time.Time // FirstIssued + refresh_tokens_validity
	TokenExpires time.Time // this refresh token's own expiry (≤ WindowEnd)
	TokenTTL     time.Duration
	Count        int
}

// expiring is a concurrency-safe map whose entries expire, bounded to max
// entries.
type expiring[V any] struct {
	now func() time.Time
	max int

	mu sync.Mutex
	m  map[string]expiringEntry[V]
}

type expiringEntry[V any] struct {
	v   V
	exp time.Time
}

func newExpiring[V any](now func() time.Time, limit int) *expiring[V] {
	return &expiring[V]{now: now, max: limit, m: map[string]expiringEntry[V]{}}
}

// put stores v under key until exp.
func (e *expiring[V]) put(key string, v V, exp time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.m[key]; !ok && len(e.m) >= e.max {
		e.makeRoomLocked()
	}
	e.m[key] = expiringEntry[V]{v: v, exp: exp}
}

// makeRoomLocked sweeps expired entries; if none were, it evicts the entry
// closest to expiry, so the map never grows past max.
func (e *expiring[V]) makeRoomLocked() {
	now := e.now()
	for k, en := range e.m {
		if !now.Before(en.exp) {
			delete(e.m, k)
		}
	}
	if len(e.m) < e.max {
		return
	}
	var victim string
	var soonest time.Time
	for k, en := range e.m {
		if victim == "" || en.exp.Before(soonest) {
			victim, soonest = k, en.exp
		}
	}
	delete(e.m, victim)
}

// get returns the live value under key.
func (e *expiring[V]) get(key string) (V, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.liveLocked(key)
}

// take returns the live value under key and removes it, atomically: of two
// concurrent takes of one key, only one succeeds (single-use codes and
// refresh tokens).
func (e *expiring[V]) take(key string) (V, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v, ok := e.liveLocked(key)
	delete(e.m, key)
	return v, ok
}

// del removes key.
func (e *expiring[V]) del(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.m, key)
}

// len counts the entries held, expired or not.
func (e *expiring[V]) len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.m)
}

func (e *expiring[V]) liveLocked(key string) (V, bool) {
	en, ok := e.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	if !e.now().Before(en.exp) {
		delete(e.m, key)
		var zero V
		return zero, false
	}
	return en.v, true
}
