package mock

import (
	"container/heap"
	"errors"
	"sync"
	"time"
)

// errStoreFull means a store holds its limit of live entries. Nothing live is
// ever evicted to make room (a forgotten jti or spent code would be usable
// again, a forgotten pending login would break a sign-in in progress), so the
// caller refuses the request instead: fail closed.
var errStoreFull = errors.New("mock: store full of live entries")

// store is the local platform's one bounded expiring map, used for pending
// logins, codes, sessions, refresh tokens, used jti values and issued access
// tokens. It is safe for concurrent use. An entry lives until its expiry;
// expired entries are swept, earliest first, by every write (a min-heap of
// expiries keeps that O(log n)); take makes a value single use.
type store[K comparable, V any] struct {
	now   func() time.Time
	limit int

	mu sync.Mutex
	m  map[K]storeEntry[V]
	q  expiryHeap[K] // every entry's expiry; stale items (taken, replaced) are skipped
}

type storeEntry[V any] struct {
	v   V
	exp int64 // UnixNano
}

func newStore[K comparable, V any](now func() time.Time, limit int) *store[K, V] {
	return &store[K, V]{now: now, limit: max(limit, 1), m: map[K]storeEntry[V]{}}
}

// put stores v under key until exp, replacing what key held. It fails with
// errStoreFull when a new key finds the store full of live entries.
func (s *store[K, V]) put(key K, v V, exp time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.setLocked(key, v, exp, true)
}

// add stores v under key until exp only if key holds no live value, and
// reports whether it did: check and record are one atomic step, so of two
// concurrent adds of one key only one succeeds.
func (s *store[K, V]) add(key K, v V, exp time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.liveLocked(key); ok {
		return false, nil
	}
	return true, s.setLocked(key, v, exp, false)
}

func (s *store[K, V]) setLocked(key K, v V, exp time.Time, replace bool) error {
	now := s.now().UnixNano()
	s.sweepLocked(now)
	if _, held := s.m[key]; !(held && replace) && len(s.m) >= s.limit {
		return errStoreFull
	}
	e := storeEntry[V]{v: v, exp: exp.UnixNano()}
	s.m[key] = e
	heap.Push(&s.q, expiryItem[K]{key: key, exp: e.exp})
	return nil
}

// sweepLocked forgets every entry that has expired, earliest first, and
// rebuilds the heap when stale items make up most of it, so its size stays
// within a small factor of the map's.
func (s *store[K, V]) sweepLocked(now int64) {
	for len(s.q) > 0 && s.q[0].exp <= now {
		it := heap.Pop(&s.q).(expiryItem[K])
		if e, ok := s.m[it.key]; ok && e.exp == it.exp {
			delete(s.m, it.key)
		}
	}
	if len(s.q) > 2*len(s.m)+64 {
		s.q = s.q[:0:0]
		for k, e := range s.m {
			s.q = append(s.q, expiryItem[K]{key: k, exp: e.exp})
		}
		heap.Init(&s.q)
	}
}

// get returns the live value under key.
func (s *store[K, V]) get(key K) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.liveLocked(key)
}

// take returns the live value under key and removes it, atomically: of two
// concurrent takes of one key, only one succeeds (single-use codes and
// refresh tokens).
func (s *store[K, V]) take(key K) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.liveLocked(key)
	delete(s.m, key)
	return v, ok
}

// del removes key.
func (s *store[K, V]) del(key K) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
}

// len counts the live entries, after sweeping the expired ones.
func (s *store[K, V]) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now().UnixNano())
	return len(s.m)
}

func (s *store[K, V]) liveLocked(key K) (V, bool) {
	e, ok := s.m[key]
	if !ok || e.exp <= s.now().UnixNano() {
		var zero V
		return zero, false
	}
	return e.v, true
}

// expiryItem is one entry's expiry in the heap.
type expiryItem[K comparable] struct {
	key K
	exp int64
}

// expiryHeap is a min-heap of expiries (container/heap).
type expiryHeap[K comparable] []expiryItem[K]

func (h expiryHeap[K]) Len() int           { return len(h) }
func (h expiryHeap[K]) Less(i, j int) bool { return h[i].exp < h[j].exp }
func (h expiryHeap[K]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap[K]) Push(x any)        { *h = append(*h, x.(expiryItem[K])) }
func (h *expiryHeap[K]) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// each calls fn with every live entry, under the store's lock: fn must not
// use the store.
func (s *store[K, V]) each(fn func(K, V)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UnixNano()
	for k, e := range s.m {
		if e.exp > now {
			fn(k, e.v)
		}
	}
}
