package mock

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestStore: entries expire, take is single use, and a full store refuses a
// new key rather than evict a live entry (fail closed); expired entries make
// room; a stream keeps the map and its expiry heap bounded.
func TestStore(t *testing.T) {
	now := ccClock
	clock := func() time.Time { return now }
	st := newStore[string, int](clock, 3)
	for k, ttl := range map[string]time.Duration{"a": time.Minute, "b": time.Hour} {
		if err := st.put(k, len(k), now.Add(ttl)); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok := st.get("a"); !ok || v != 1 {
		t.Fatalf("get a = %v %v", v, ok)
	}
	now = now.Add(time.Minute)
	if _, ok := st.get("a"); ok {
		t.Error("a outlived its expiry")
	}
	if v, ok := st.take("b"); !ok || v != 1 {
		t.Errorf("take b = %v %v", v, ok)
	}
	if _, ok := st.take("b"); ok {
		t.Error("b taken twice")
	}
	for i := range 3 {
		if err := st.put(fmt.Sprint(i), i, now.Add(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	if err := st.put("new", 9, now.Add(10*time.Hour)); !errors.Is(err, errStoreFull) {
		t.Errorf("put into a full store: %v, want errStoreFull", err)
	}
	if err := st.put("1", 10, now.Add(time.Hour)); err != nil {
		t.Errorf("replacing a held key in a full store: %v", err)
	}
	for _, k := range []string{"0", "1", "2"} {
		if _, ok := st.get(k); !ok {
			t.Errorf("live entry %s was evicted", k)
		}
	}
	now = now.Add(time.Hour) // "0" and "1" expire
	if err := st.put("new", 9, now.Add(time.Hour)); err != nil || st.len() != 2 {
		t.Errorf("after expiry: put %v, len %d, want nil and 2", err, st.len())
	}

	// A stream of short-lived entries, each taken or replaced, stays bounded.
	st = newStore[string, int](clock, 100)
	for i := range 20_000 {
		now = now.Add(time.Second)
		k := fmt.Sprint(i)
		if err := st.put(k, i, now.Add(50*time.Second)); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
		if i%2 == 0 {
			st.take(k)
		} else {
			_ = st.put(k, i, now.Add(40*time.Second))
		}
	}
	if n, q := st.len(), len(st.q); n > 100 || q > 2*100+64 {
		t.Errorf("len %d, heap %d: not bounded", n, q)
	}
}

// TestStoreAddAtomic: of many concurrent adds of one key, one succeeds.
func TestStoreAddAtomic(t *testing.T) {
	st := newStore[string, struct{}](func() time.Time { return ccClock }, 10)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if ok, err := st.add("same", struct{}{}, ccClock.Add(time.Minute)); ok && err == nil {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d goroutines added the same key, want 1", wins.Load())
	}
}

// TestJTIMemory checks the (sub, jti) keying, that a jti is kept until its
// assertion's exp (not longer: past it row 8 refuses the assertion first),
// and that entries have a fixed size.
func TestJTIMemory(t *testing.T) {
	now := ccClock
	srv := New(Options{KeysDir: t.TempDir(), Now: func() time.Time { return now }})
	exp := float64(now.Add(time.Minute).Unix())
	if ok, err := srv.recordJTI("app-a", "j1", exp); !ok || err != nil {
		t.Fatalf("first record: %v %v", ok, err)
	}
	if !srv.jtiUsed("app-a", "j1") || srv.jtiUsed("app-b", "j1") || srv.jtiUsed("app-a", "j2") {
		t.Error("jtiUsed does not key by (sub, jti)")
	}
	if ok, _ := srv.recordJTI("app-a", "j1", exp); ok {
		t.Error("second record of the same pair accepted")
	}
	if ok, _ := srv.recordJTI("app-b", "j1", exp); !ok {
		t.Error("same jti under another sub refused")
	}
	// A fractional exp is remembered past its own instant.
	if ok, _ := srv.recordJTI("s", "frac", exp+0.9); !ok {
		t.Fatal("record refused")
	}
	now = ccClock.Add(time.Minute + 900*time.Millisecond)
	if !srv.jtiUsed("app-a", "j1") || !srv.jtiUsed("s", "frac") {
		t.Error("forgotten before its assertion expired")
	}
	now = ccClock.Add(time.Minute + 3*time.Second)
	if srv.jtiUsed("app-a", "j1") || srv.jtis.len() != 0 {
		t.Errorf("kept past the assertion's exp: %d entries", srv.jtis.len())
	}
	long := strings.Repeat("j", 1<<20)
	srv.recordJTI("s", long, exp+3600)
	if !srv.jtiUsed("s", long) || srv.jtiUsed("s", long[1:]) {
		t.Error("long jti not keyed exactly")
	}
	// Length-prefixed: the boundary between sub and jti counts.
	srv.recordJTI("ab", "c", exp+3600)
	if srv.jtiUsed("a", "bc") {
		t.Error(`("ab", "c") and ("a", "bc") share a key`)
	}
}
