package mock

import (
	"crypto/rand"
	"sync"
	"time"
)

// grant describes a platform access token the local platform issued: which
// pattern it came from and what it may call.
type grant struct {
	Pattern string   // "app" (application-restricted), "cis2", "nhs-login"
	Level   string   // "level3", "aal3", "P9"...
	Scopes  []string // the product scopes that survived filtering
	APIKey  string
	Expires time.Time
	Subject string // user's sub, for user-restricted tokens
}

// tokenStoreLimit bounds the issued-token memory: at 200 000 tokens (about
// 50 MB), issuing one more forgets the oldest, even if it is still live. At
// the default ten-minute lifetime that takes more than 333 tokens a second
// for ten minutes; below that rate every token lives its full life.
const tokenStoreLimit = 200_000

// tokenStore remembers issued platform access tokens until they expire, so
// the sample APIs can check a bearer token's pattern and level. It is safe
// for concurrent use and bounded: tokens are queued in issue order, and each
// issue first forgets, oldest first, those that have expired, and then, while
// the store is full, the oldest live ones. The sweep is amortised O(1).
type tokenStore struct {
	now   func() time.Time
	limit int

	mu     sync.Mutex
	tokens map[string]grant
	order  []string // issue order; order[head:] may still be in tokens
	head   int
}

func newTokenStore(now func() time.Time) *tokenStore {
	return newTokenStoreSized(now, tokenStoreLimit)
}

// newTokenStoreSized makes a token store holding at most limit tokens.
func newTokenStoreSized(now func() time.Time, limit int) *tokenStore {
	return &tokenStore{now: now, limit: max(limit, 1), tokens: map[string]grant{}}
}

// issue stores g under a fresh opaque access token (28 characters, the
// platform's shape) and returns it.
func (s *tokenStore) issue(g grant) string {
	tok := opaqueToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	s.tokens[tok] = g
	s.order = append(s.order, tok)
	return tok
}

// sweepLocked forgets queued tokens from the oldest while they have expired
// or the store is full. A short-lived token issued after a long-lived one
// waits for it (at most the default ten minutes), still refused by lookup.
// s.mu must be held.
func (s *tokenStore) sweepLocked(now time.Time) {
	for s.head < len(s.order) {
		k := s.order[s.head]
		if g, ok := s.tokens[k]; ok && !now.After(g.Expires) && len(s.tokens) < s.limit {
			break
		}
		delete(s.tokens, k)
		s.order[s.head] = ""
		s.head++
	}
	// Compact once the dead prefix is half the slice, keeping appends O(1)
	// amortised and the backing array bounded.
	if s.head > 0 && s.head >= len(s.order)/2 {
		n := copy(s.order, s.order[s.head:])
		clear(s.order[n:])
		s.order = s.order[:n]
		s.head = 0
	}
}

// len reports how many tokens are held, live or not yet swept.
func (s *tokenStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}

// lookup returns the grant behind a live token.
func (s *tokenStore) lookup(tok string) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.tokens[tok]
	if !ok || s.now().After(g.Expires) {
		return grant{}, false
	}
	return g, true
}

// opaqueToken is a random 28-character alphanumeric token, like
// EFFs3EeT0SZbF2J14LvM93vVDTaA.
func opaqueToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 28)
	if _, err := rand.Read(out); err != nil {
		panic("mock: crypto/rand failed: " + err.Error()) // impossible on supported platforms
	}
	for i, b := range out {
		out[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(out)
}
