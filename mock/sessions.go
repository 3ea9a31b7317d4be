package mock

import "time"

// Lifetimes of the user-restricted side's state (reference §3.3, §3.5, §5.5,
// §5.6). Everything lives in memory, expires, and is bounded.
const (
	loginTabTTL     = 30 * time.Minute   // a login page left open (Keycloak's default login timeout)
	codeTTL         = 60 * time.Second   // authorization codes: single use, short-lived
	realmSSOTTL     = 12 * time.Hour     // a realm session (session_state / sid)
	realmAccessTTL  = 300 * time.Second  // the realm's access token: expires_in 300
	realmRefreshTTL = 1800 * time.Second // the realm's refresh token: refresh_expires_in 1800
	idTokenTTL      = time.Hour          // "the ID token has a lifetime of 1 hour" (§5.5)

	// storeLimit bounds each of these stores (Options.StoreLimit changes
	// it): at the limit, expired entries are swept, and if none had expired
	// the new entry is refused (see store): a flood of authorise requests
	// gets 503 rather than evicting a login in progress.
	storeLimit = 10000
)

// oidcState is the local platform's user-restricted state: the realms'
// signing keys, pending logins, codes, realm sessions and refresh tokens,
// and the platform's refresh sessions (reference §3.5).
type oidcState struct {
	keys            *realmKeys
	logins          *store[string, authRequest]     // tab_id → authorise request awaiting a login
	codes           *store[string, authCode]        // code → what it was issued for
	sessions        *store[string, realmSession]    // sid → signed-in user
	realmRefresh    *store[string, realmRefresh]    // realm refresh token → session
	platformRefresh *store[string, platformSession] // platform refresh token → refresh window
}

// newOIDCState makes the user-restricted state, each store bounded to limit
// entries.
func newOIDCState(now func() time.Time, limit int) *oidcState {
	return &oidcState{
		keys:            newRealmKeys(),
		logins:          newStore[string, authRequest](now, limit),
		codes:           newStore[string, authCode](now, limit),
		sessions:        newStore[string, realmSession](now, limit),
		realmRefresh:    newStore[string, realmRefresh](now, limit),
		platformRefresh: newStore[string, platformSession](now, limit),
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
	Clients  []string // every client that got a code in this session, for back-channel logout
	AuthTime time.Time
	Secret   string // the browser's session cookie proves it (realm_sso.go)
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
