package main

// The token command's cache: reuse a fresh token, refresh a stale one
// through the flow's own refresh step, keep what the flow or the refresh
// gave.

import (
	"context"
	"fmt"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/profile"
	"github.com/nhsauth/nhsauth/steps"
)

// tokenCache is one token command's view of the cache: nil store when the
// cache is off.
type tokenCache struct {
	env   *cliEnv
	key   profile.CacheKey
	store *profile.Store
}

// open turns the cache on unless --no-cache, or the local platform is the
// command's private one (its tokens end with it).
func (c *tokenCache) open(noCache, private bool) {
	if noCache || private {
		return
	}
	st, err := c.env.profiles()
	if err != nil {
		fmt.Fprintf(c.env.stderr, "warning: tokens are not cached: %v\n", err)
		return
	}
	c.store = st
}

// reuse returns a cached token still fresh, or one refreshed from a cached
// refresh token; ok is false when the flow must run.
func (c *tokenCache) reuse(ctx context.Context, o *tokenCmdFlags, f *flows.Flow, j *flows.Journey) (tokenResult, bool) {
	if c.store == nil {
		return tokenResult{}, false
	}
	t, ok, err := c.store.Token(c.key)
	if err != nil {
		fmt.Fprintf(c.env.stderr, "warning: cannot read the token cache: %v\n", err)
	}
	now := time.Now()
	switch {
	case !ok:
		return tokenResult{}, false
	case t.Fresh(now, reuseMargin):
		return tokenResult{tok: t, source: "cache"}, true
	case f.Index("refresh") < 0 || !t.Refreshable(now):
		return tokenResult{}, false
	case j.APISecret == "": // the platform wants it even for token-exchange apps (reference §3.5)
		fmt.Fprintf(c.env.stderr, "The cached token has expired; refreshing it needs the API secret (--api-secret, $%s or a profile's): signing in again.\n", envAPISecret)
		return tokenResult{}, false
	}
	tok, err := refreshCached(ctx, c.env, o, f, j, t)
	if err != nil {
		fmt.Fprintln(c.env.stderr, "The cached refresh token did not work: signing in again.")
		return tokenResult{}, false
	}
	fresh := cachedFrom(c.key, tok, time.Now())
	c.save(fresh)
	return tokenResult{tok: fresh, source: "refresh"}, true
}

// refreshCached runs the flow's own refresh step (RFC 6749 §6; reference
// §3.5) on the cached refresh token: every step before it is skipped, as
// their work is what the cache holds.
func refreshCached(ctx context.Context, env *cliEnv, o *tokenCmdFlags, f *flows.Flow, j *flows.Journey, t profile.CachedToken) (steps.Token, error) {
	r := flows.NewRunner(f, j)
	for _, st := range f.Steps[:f.Index("refresh")] {
		if err := r.Skip(st.ID); err != nil {
			return steps.Token{}, err
		}
	}
	j.Token = steps.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType,
		RefreshTokenExpiresIn: steps.Number(time.Until(t.RefreshExpiry).Seconds())}
	j.Secret(t.AccessToken, t.RefreshToken)
	if err := drive(ctx, env, o, r, nil, "refresh"); err != nil {
		return steps.Token{}, err
	}
	return j.Token, nil
}

// save keeps t, warning when it cannot.
func (c *tokenCache) save(t profile.CachedToken) {
	if c.store == nil {
		return
	}
	if err := c.store.SaveToken(t); err != nil {
		fmt.Fprintf(c.env.stderr, "warning: the token was not cached: %v\n", err)
	}
}
