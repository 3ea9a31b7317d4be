package keystore

// A key made ahead of need: the wizard starts making the local platform's
// key as it opens, while the user reads the flow picker, so that the first
// step of a first run on local need not wait for it.

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
)

// prewarmed is the outcome of a key made ahead of need.
type prewarmed struct {
	key *rsa.PrivateKey
	err error
}

// ahead is the one key being made ahead of need, if any.
var ahead struct {
	sync.Mutex
	bits int
	ch   chan prewarmed // nil when there is none; buffered, so the maker never blocks
}

// Prewarm starts making a key of bits bits in the background; the next
// Generate(bits) takes it (waiting for it if it is not finished) instead of
// making another. The key lives only in memory until then, and is used at
// most once. A Prewarm while one is pending, or of fewer than MinBits bits,
// does nothing.
func Prewarm(bits int) {
	if bits < MinBits {
		return
	}
	ahead.Lock()
	defer ahead.Unlock()
	if ahead.ch != nil {
		return
	}
	ch := make(chan prewarmed, 1)
	ahead.bits, ahead.ch = bits, ch
	go func() {
		key, err := generate(bits, defaultWorkers(), rand.Reader)
		ch <- prewarmed{key, err}
	}()
}

// takePrewarmed returns the key made ahead for bits bits, once: nil when
// there is none of that size, or it failed (Generate then makes its own).
func takePrewarmed(bits int) *rsa.PrivateKey {
	ahead.Lock()
	ch := ahead.ch
	if ch == nil || ahead.bits != bits {
		ahead.Unlock()
		return nil
	}
	ahead.ch = nil
	ahead.Unlock()
	if r := <-ch; r.err == nil {
		return r.key
	}
	return nil
}
