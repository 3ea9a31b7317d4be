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

// tokenStore remembers issued platform access tokens until they expire, so
// the sample APIs can check a bearer token's pattern and level. Expired
// entries are swept as new ones arrive, keeping it bounded under load.
type tokenStore struct {
	now func() time.Time

	mu     sync.Mutex
	tokens map[string]grant
	puts   int
}

func newTokenStore(now func() time.Time) *tokenStore {
	return &tokenStore{now: now, tokens: map[string]grant{}}
}

// issue stores g under a fresh opaque access token (28 characters, the
// platform's shape) and returns it.
func (s *tokenStore) issue(g grant) string {
	tok := opaqueToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = g
	s.puts++
	if s.puts%256 == 0 {
		now := s.now()
		for k, v := range s.tokens {
			if now.After(v.Expires) {
				delete(s.tokens, k)
			}
		}
	}
	return tok
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
