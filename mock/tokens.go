package mock

import (
	"crypto/rand"
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

	// Combined authentication (reference §4): the realm session the token
	// belongs to (CIS2 only, for back-channel logout), the identity
	// provider's access token /userinfo proxies with, and the provider's
	// userinfo path it proxies to.
	Combined    bool
	SID         string
	IdPAccess   string
	IdPUserinfo string
}

// tokenLimit bounds the issued-token memory (about 140 MB at the limit). At
// the default ten-minute lifetime reaching it takes more than 833 tokens a
// second for ten minutes; past it grants are refused (fail closed) rather
// than a live token forgotten (Options.StoreLimit changes it).
const tokenLimit = 500_000

// issueToken stores g under a fresh opaque access token (28 characters, the
// platform's shape) until g.Expires and returns it, so the sample APIs can
// check a bearer token's pattern and level. It fails with errStoreFull when
// the store is full of live tokens.
func (s *Server) issueToken(g grant) (string, error) {
	tok := opaqueToken()
	if err := s.tokens.put(tok, g, g.Expires); err != nil {
		return "", err
	}
	return tok, nil
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
