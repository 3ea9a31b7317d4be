package mock

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"time"
)

// jtiLimit bounds the used-jti memory (about 70 MB at the limit). An entry
// lives only until its assertion's exp (at most 310 s ahead, row 17), so
// reaching it takes more than 1600 verified grants a second for five
// minutes; past it grants are refused (fail closed), never a live jti
// forgotten (Options.StoreLimit changes it).
const jtiLimit = 500_000

// jtiKey is one used jti: the platform keys its cache by (sub, jti)
// (reference §2.3), so two apps may use the same jti. The pair is kept as
// its SHA-256, so an entry has a fixed size however long the claims are.
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

// jtiExpiry is how long a used jti is remembered: until its assertion's exp,
// rounded up to the second, and one second more. The platform keeps it 30
// days (reference §2.3), but past exp the assertion is refused as expired
// (row 8, which runs before the jti check), so remembering it longer changes
// no answer and only lets a flood grow the store.
func jtiExpiry(exp float64) time.Time {
	return unixTime(math.Ceil(exp) + 1)
}

// jtiUsed reports whether sub has already used jti (row 16): in a granted
// assertion, or in one whose claims passed and that was refused later.
func (s *Server) jtiUsed(sub, jti string) bool {
	k := newJTIKey(sub, jti)
	if _, ok := s.jtis.get(k); ok {
		return true
	}
	_, ok := s.tried.get(k)
	return ok
}

// triedJTI records a jti whose claims passed (rows 7–17), before the API key,
// the JWKS and the signature are checked, as the platform does (reference
// §2.7): a corrected retry with the same jti after a wrong aud or signature
// gets row 16. It reports false when the pair was already there (a
// concurrent request with the same jti won).
//
// This memory is kept apart from the granted jti values on purpose: anyone
// can add to it with unsigned assertions, so when it is full a new attempt is
// simply not remembered (that retry is then answered like a fresh one), while
// a granted jti lives in its own fail-closed store that only the app's key
// can fill. A flood can therefore never give a granted jti a second life.
func (s *Server) triedJTI(sub, jti string, exp float64) bool {
	fresh, err := s.tried.add(newJTIKey(sub, jti), struct{}{}, jtiExpiry(exp))
	return fresh || err != nil
}

// recordJTI marks jti as used by sub, for a verified assertion that expires
// at exp. It reports false when the pair was already recorded (a concurrent
// replay that passed jtiUsed at the same time), and errStoreFull when the
// memory is full of live jti values.
func (s *Server) recordJTI(sub, jti string, exp float64) (bool, error) {
	return s.jtis.add(newJTIKey(sub, jti), struct{}{}, jtiExpiry(exp))
}
