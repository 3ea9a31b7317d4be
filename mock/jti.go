package mock

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"
)

// jtiRetention is how long a used client-assertion jti is remembered: 30
// days, as the platform's cache keeps it (reference §2.3).
const jtiRetention = 30 * 24 * time.Hour

// jtiSoftLimit bounds the jti memory. Past it, the oldest entries whose
// assertion has already expired are forgotten early (see jtiCache).
const jtiSoftLimit = 100_000

// jtiHardLimit is the most entries ever held (about 50 MB): past it even
// live entries are forgotten, oldest first (see jtiCache).
const jtiHardLimit = 500_000

// jtiKey is one used jti: the platform keys its cache by (sub, jti)
// (reference §2.3), so two apps may use the same jti. The pair is kept as
// its SHA-256, so an entry has a fixed size however long the claims are
// (the jti is recorded before the signature is checked, so anyone can
// send one).
type jtiKey [sha256.Size]byte

// newJTIKey hashes (sub, jti), length-prefixed so that no two pairs share
// an input.
func newJTIKey(sub, jti string) jtiKey {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(sub)))
	h.Write(n[:])
	h.Write([]byte(sub))
	h.Write([]byte(jti))
	var k jtiKey
	h.Sum(k[:0])
	return k
}

// jtiEntry is a used jti with the time it was recorded and the exp of the
// assertion that carried it.
type jtiEntry struct {
	key jtiKey
	at  time.Time
	exp time.Time
}

// jtiCache remembers which client-assertion jti values each API key has used
// (reference §2.3 and §2.7, row 16 of §2.6). It is safe for concurrent use.
//
// Bounds: an entry is kept for 30 days, as on the platform. When more than
// limit entries are held, the oldest ones are dropped early, but only those
// whose assertion has expired: replaying such an assertion is refused by the
// expiry check (row 8), which runs before the jti check, so forgetting it
// early changes no answer. An entry whose assertion is still live is kept
// past limit, up to hard: only more than hard assertions within one
// assertion lifetime (at most 310 s, row 17), over 1600 a second for five
// minutes, make the oldest live entries go, and with them the refusal of
// their replay.
//
// Entries are recorded in arrival order and all share one retention, so a
// FIFO queue is also the expiry order; the sweep is amortised O(1).
type jtiCache struct {
	now       func() time.Time
	retention time.Duration
	limit     int // soft: expired assertions go first
	hard      int // never exceeded

	mu    sync.Mutex
	seen  map[jtiKey]struct{}
	queue []jtiEntry // arrival order; queue[head:] are live
	head  int
}

// newJTICache makes the platform's jti memory with the reference defaults.
func newJTICache(now func() time.Time) *jtiCache {
	return newJTICacheSized(now, jtiRetention, jtiSoftLimit, jtiHardLimit)
}

// newJTICacheSized makes a jti memory with a given retention, soft limit
// and hard limit.
func newJTICacheSized(now func() time.Time, retention time.Duration, limit, hard int) *jtiCache {
	return &jtiCache{now: now, retention: retention, limit: limit, hard: max(hard, limit, 1), seen: map[jtiKey]struct{}{}}
}

// used reports whether sub has already used jti (row 16).
func (c *jtiCache) used(sub, jti string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweepLocked(c.now(), 0)
	_, ok := c.seen[newJTIKey(sub, jti)]
	return ok
}

// record marks jti as used by sub, for an assertion that expires at exp. It
// reports false when the pair was already recorded (a concurrent replay that
// passed used at the same time), so check-and-record is atomic.
func (c *jtiCache) record(sub, jti string, exp time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.sweepLocked(now, 1)
	k := newJTIKey(sub, jti)
	if _, ok := c.seen[k]; ok {
		return false
	}
	c.seen[k] = struct{}{}
	c.queue = append(c.queue, jtiEntry{key: k, at: now, exp: exp})
	return true
}

// len reports how many jti values are remembered.
func (c *jtiCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

// sweepLocked drops entries past retention, then, while the cache holds
// more than limit−room entries, the oldest ones whose assertion has expired,
// and while it holds more than hard−room, the oldest ones whatever their
// assertion. c.mu must be held.
func (c *jtiCache) sweepLocked(now time.Time, room int) {
	for c.head < len(c.queue) {
		e := c.queue[c.head]
		old := now.Sub(e.at) > c.retention
		over := len(c.seen)+room > c.limit && now.After(e.exp)
		full := len(c.seen)+room > c.hard
		if !old && !over && !full {
			break
		}
		delete(c.seen, e.key)
		c.queue[c.head] = jtiEntry{}
		c.head++
	}
	// Compact once the dead prefix is half the slice, keeping appends O(1)
	// amortised and the backing array bounded.
	if c.head > 0 && c.head >= len(c.queue)/2 {
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue = c.queue[:n]
		c.head = 0
	}
}
