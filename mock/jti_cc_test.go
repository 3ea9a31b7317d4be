package mock

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestJTICache checks the (sub, jti) keying, the 30-day retention and the
// soft limit that drops only entries whose assertion has expired.
func TestJTICache(t *testing.T) {
	now := ccClock
	clock := func() time.Time { return now }

	t.Run("keyed by sub and jti", func(t *testing.T) {
		c := newJTICache(clock)
		if !c.record("app-a", "j1", now.Add(time.Minute)) {
			t.Fatal("first record refused")
		}
		if !c.used("app-a", "j1") || c.used("app-b", "j1") || c.used("app-a", "j2") {
			t.Error("used() does not key by (sub, jti)")
		}
		if c.record("app-a", "j1", now.Add(time.Minute)) {
			t.Error("second record of the same pair accepted")
		}
		if !c.record("app-b", "j1", now.Add(time.Minute)) {
			t.Error("same jti under another sub refused")
		}
	})

	t.Run("kept 30 days", func(t *testing.T) {
		now = ccClock
		c := newJTICache(clock)
		c.record("s", "j", now.Add(time.Minute))
		now = ccClock.Add(29 * 24 * time.Hour)
		if !c.used("s", "j") {
			t.Error("forgotten before 30 days")
		}
		now = ccClock.Add(30*24*time.Hour + time.Second)
		if c.used("s", "j") || c.len() != 0 {
			t.Error("kept past 30 days")
		}
	})

	t.Run("soft limit drops only expired assertions", func(t *testing.T) {
		now = ccClock
		c := newJTICacheSized(clock, jtiRetention, 3, 1000)
		for i := range 5 { // live assertions: all kept though over the limit
			c.record("s", strconv.Itoa(i), now.Add(5*time.Minute))
		}
		if c.len() != 5 {
			t.Fatalf("len %d, want 5 (live entries are never dropped)", c.len())
		}
		now = ccClock.Add(6 * time.Minute) // all five have expired
		c.record("s", "new", now.Add(5*time.Minute))
		if c.len() != 3 {
			t.Errorf("len %d, want the limit 3", c.len())
		}
		if c.used("s", "0") || c.used("s", "1") || c.used("s", "2") || !c.used("s", "4") || !c.used("s", "new") {
			t.Error("did not drop the oldest entries first")
		}
	})

	t.Run("bounded under a stream", func(t *testing.T) {
		now = ccClock
		c := newJTICacheSized(clock, jtiRetention, 100, 1000)
		for i := range 10_000 {
			now = ccClock.Add(time.Duration(i) * time.Second)
			c.record("s", strconv.Itoa(i), now.Add(10*time.Second))
		}
		// At most the limit plus the entries still live (10 s at 1 per second).
		if n := c.len(); n > 100+11 {
			t.Errorf("len %d, want about 100", n)
		}
		if cap(c.queue) > 4*(100+11) {
			t.Errorf("queue capacity %d grew without bound", cap(c.queue))
		}
	})

	t.Run("hard limit drops the oldest live entries", func(t *testing.T) {
		now = ccClock
		c := newJTICacheSized(clock, jtiRetention, 3, 5)
		for i := range 8 { // all live
			c.record("s", strconv.Itoa(i), now.Add(5*time.Minute))
		}
		if c.len() != 5 {
			t.Fatalf("len %d, want the hard limit 5", c.len())
		}
		if c.used("s", "2") || !c.used("s", "3") || !c.used("s", "7") {
			t.Error("did not drop the oldest live entries first")
		}
	})

	t.Run("entries have a fixed size however long the jti", func(t *testing.T) {
		now = ccClock
		c := newJTICache(clock)
		long := strings.Repeat("j", 1<<20)
		c.record("s", long, now.Add(time.Minute))
		if !c.used("s", long) || c.used("s", long[1:]) {
			t.Error("long jti not keyed exactly")
		}
		// Length-prefixed: the boundary between sub and jti counts.
		c.record("ab", "c", now.Add(time.Minute))
		if c.used("a", "bc") {
			t.Error(`("ab", "c") and ("a", "bc") share a key`)
		}
	})

	t.Run("concurrent record is atomic", func(t *testing.T) {
		now = ccClock
		c := newJTICache(clock)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 16 {
			wg.Go(func() {
				if c.record("s", "same", now.Add(time.Minute)) {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d goroutines recorded the same jti, want 1", wins)
		}
	})
}
