package keystore

// RSA key generation with a shared prime search: every core looks for the
// same prime at once and the first one found is kept, then the next. The
// time to find a 2048-bit prime varies widely (it is a geometric wait), so
// sharing each search among n cores divides both its mean and its spread by
// n, where racing whole keys only trims the tail.
//
// Each search follows the incremental method of OpenSSL's BN_generate_prime
// (which `openssl genrsa`, NHS's guide's command, runs) and of the Handbook of
// Applied Cryptography, note 4.51: a random odd start of exact bit length
// with its top two bits set (as FIPS 186-5 A.1.3 and Go's crypto/rsa do, so
// that p·q has exactly the asked-for length), a sieve of the next candidates
// by every odd prime below sieveBound, then Miller–Rabin rounds and a
// Baillie–PSW test (math/big's ProbablyPrime) on the survivors. Starting
// from a random point favours primes that follow long gaps a little, as
// every incremental search does; the keys are as good as openssl's.

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/bits"
	"runtime"
	"sync"
)

// publicExponent is e, as every RSA key nhsauth makes: 65537 (RFC 8017
// §3.1 allows any odd e; 65537 is what openssl and Go choose).
const publicExponent = 65537

const (
	// sieveBound bounds the small primes the sieve divides by: a candidate
	// that survives them is prime about one time in 58 at 2048 bits (by
	// Mertens' third theorem), against one in 710 for a random odd number.
	sieveBound = 1 << 20
	// sieveWindow is how many odd candidates follow one random start: about
	// three times the mean gap between 2048-bit primes, so most starts yield
	// a prime and a new start is rarely needed.
	sieveWindow = 2048
)

// mrRounds is the number of Miller–Rabin rounds with pseudorandom bases a
// candidate of bits bits must pass, besides the Baillie–PSW test that
// math/big's ProbablyPrime adds: the rounds Go's crypto/rsa runs on random
// candidates (after BoringSSL, for an error below 2⁻¹²⁸), 4 from 1,345 bits
// and 5 from 476.
func mrRounds(bits int) int {
	if bits >= 1345 {
		return 4
	}
	return 5
}

// maxWorkers bounds the searches that run at once.
const maxWorkers = 8

// generate makes an RSA key of bits bits with e = 65537 from two primes found
// by workers shared searches reading random from rnd. It checks the key
// (rsa.PrivateKey.Validate) before returning it.
func generate(bits, workers int, rnd io.Reader) (*rsa.PrivateKey, error) {
	pool := startPrimeSearch(rnd, workers, (bits+1)/2, bits/2)
	defer pool.stop()
	for {
		p, err := pool.next((bits + 1) / 2)
		if err != nil {
			return nil, err
		}
		q, err := pool.next(bits / 2)
		if err != nil {
			return nil, err
		}
		key, err := keyFromPrimes(p, q, bits)
		if errors.Is(err, errRetryPrimes) {
			continue
		}
		return key, err
	}
}

// errRetryPrimes means two primes make no acceptable key (p and q too close,
// or d too small): both are dropped and two more taken. Each happens with
// probability below 2⁻⁹⁰ for a 4096-bit key.
var errRetryPrimes = errors.New("keystore: primes rejected, retry")

// keyFromPrimes builds the key of p and q with the checks of FIPS 186-5
// A.1.3: |p − q| > 2^(nlen/2 − 100), e coprime to p−1 and q−1 (the sieve
// already skipped p ≡ 1 mod 65537), d = e⁻¹ mod lcm(p−1, q−1) with
// d > 2^(nlen/2); then the CRT values, and rsa.PrivateKey.Validate.
func keyFromPrimes(p, q *big.Int, bits int) (*rsa.PrivateKey, error) {
	n := new(big.Int).Mul(p, q)
	if n.BitLen() != bits {
		return nil, fmt.Errorf("keystore: internal error: modulus of %d bits, want %d", n.BitLen(), bits)
	}
	diff := new(big.Int).Sub(p, q)
	if diff.Abs(diff).BitLen() <= bits/2-100 {
		return nil, errRetryPrimes
	}
	one := big.NewInt(1)
	pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
	g := new(big.Int).GCD(nil, nil, pm1, qm1)
	lambda := new(big.Int).Div(new(big.Int).Mul(pm1, qm1), g)
	d := new(big.Int).ModInverse(big.NewInt(publicExponent), lambda)
	if d == nil || d.BitLen() <= bits/2 {
		return nil, errRetryPrimes
	}
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: publicExponent}, D: d, Primes: []*big.Int{p, q}}
	key.Precompute()
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("keystore: generated key does not validate: %w", err)
	}
	return key, nil
}

// primeSearch is the shared search: its workers send every prime they find
// until quit is closed.
type primeSearch struct {
	found chan *big.Int
	errs  chan error
	quit  chan struct{}
	spare []*big.Int // primes found but not yet asked for
}

// startPrimeSearch starts workers searches (at least one). Worker i looks
// for primes of lengths[i], lengths[i+1], … in turn, so that with p and q of
// different lengths (an odd key size) both are found, even by one worker.
func startPrimeSearch(rnd io.Reader, workers int, lengths ...int) *primeSearch {
	s := &primeSearch{found: make(chan *big.Int), errs: make(chan error, 1), quit: make(chan struct{})}
	for i := range max(workers, 1) {
		go s.work(rnd, i, lengths)
	}
	return s
}

// next returns a prime of bits bits: a spare one found earlier, or the next
// one the workers find.
func (s *primeSearch) next(bits int) (*big.Int, error) {
	for i, p := range s.spare {
		if p.BitLen() == bits {
			s.spare = append(s.spare[:i], s.spare[i+1:]...)
			return p, nil
		}
	}
	for {
		select {
		case p := <-s.found:
			if p.BitLen() == bits {
				return p, nil
			}
			s.spare = append(s.spare, p)
		case err := <-s.errs:
			return nil, err
		}
	}
}

// stop ends every worker; each looks between two candidates.
func (s *primeSearch) stop() { close(s.quit) }

// stopped reports whether stop was called.
func (s *primeSearch) stopped() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}

// work searches primes and sends each one found until stopped.
func (s *primeSearch) work(rnd io.Reader, i int, lengths []int) {
	for ; !s.stopped(); i++ {
		p, err := searchWindow(rnd, lengths[i%len(lengths)], s.stopped)
		if err != nil {
			select {
			case s.errs <- err:
			default:
			}
			return
		}
		if p == nil {
			continue
		}
		select {
		case s.found <- p:
		case <-s.quit:
			return
		}
	}
}

// searchWindow draws one random start of bits bits and returns the first
// probable prime among the sieveWindow odd numbers from it, or nil when
// there is none or the search was stopped.
func searchWindow(rnd io.Reader, bits int, stopped func() bool) (*big.Int, error) {
	start, err := randomOdd(rnd, bits)
	if err != nil {
		return nil, err
	}
	composite := sieve(start)
	cand := new(big.Int)
	for k := range sieveWindow {
		if composite[k] {
			continue
		}
		if stopped() {
			return nil, nil
		}
		cand.Add(start, big.NewInt(int64(2*k)))
		if cand.BitLen() != bits {
			return nil, nil // past 2^bits: draw again
		}
		if cand.ProbablyPrime(mrRounds(bits)) {
			return cand, nil
		}
	}
	return nil, nil
}

// randomOdd is a uniformly random odd number of exactly bits bits with its
// top two bits set (FIPS 186-5 A.1.3 steps 4.2–4.4: then p > √2·2^(bits−1)).
func randomOdd(rnd io.Reader, bits int) (*big.Int, error) {
	b := make([]byte, (bits+7)/8)
	if _, err := io.ReadFull(rnd, b); err != nil {
		return nil, fmt.Errorf("keystore: reading random: %w", err)
	}
	x := new(big.Int).SetBytes(b)
	x.Rsh(x, uint(len(b)*8-bits)) // exactly bits random bits
	x.SetBit(x, bits-1, 1)
	x.SetBit(x, bits-2, 1)
	x.SetBit(x, 0, 1)
	return x, nil
}

// sieve marks which of start, start+2, …, start+2·(sieveWindow−1) is
// divisible by an odd prime below sieveBound, or is ≡ 1 mod 65537 (then e
// would not be coprime to p−1: FIPS 186-5 A.1.3 step 4.5).
func sieve(start *big.Int) []bool {
	composite := make([]bool, sieveWindow)
	mark := func(r, p uint64) {
		// start + 2k ≡ r' (mod p) for the k marked; here r' = 0, so
		// k ≡ −r·2⁻¹ (mod p), and 2⁻¹ = (p+1)/2.
		for k := (p - r) % p * ((p + 1) / 2) % p; k < sieveWindow; k += p {
			composite[k] = true
		}
	}
	sp := smallPrimes()
	for _, g := range sp.groups {
		r := modSmall(start, g.product)
		for _, p := range sp.primes[g.first:g.end] {
			mark(r%uint64(p), uint64(p))
		}
	}
	// start + 2k ≡ 1 (mod e) is start + 2k − 1 ≡ 0: the residue less one.
	const e = publicExponent
	mark((modSmall(start, e)+e-1)%e, e)
	return composite
}

// modSmall is x mod m for a word-sized m.
func modSmall(x *big.Int, m uint64) uint64 {
	var r uint64
	words := x.Bits()
	for i := len(words) - 1; i >= 0; i-- {
		if bits.UintSize == 32 {
			r = (r<<32 | uint64(words[i])) % m
		} else {
			_, r = bits.Div64(r, uint64(words[i]), m)
		}
	}
	return r
}

// sievePrimes are the odd primes below sieveBound, in groups of a few
// consecutive ones whose product fits a word: one long division by the
// product gives the residue by each.
type sievePrimes struct {
	primes []uint32
	groups []struct {
		product    uint64
		first, end int // the group is primes[first:end]
	}
}

// smallPrimes is computed on first use: start-up should not pay for key
// generation.
var smallPrimes = sync.OnceValue(func() *sievePrimes {
	sp := &sievePrimes{}
	limit := uint64(1) << 63
	if bits.UintSize == 32 {
		limit = 1 << 32 // r<<32 in modSmall must not overflow
	}
	isComposite := make([]bool, sieveBound)
	for i := 3; i < sieveBound; i += 2 {
		if isComposite[i] {
			continue
		}
		for j := i * i; j < sieveBound; j += 2 * i {
			isComposite[j] = true
		}
		p, n := uint64(i), len(sp.groups)
		sp.primes = append(sp.primes, uint32(i))
		if n > 0 && sp.groups[n-1].product <= (limit-1)/p {
			sp.groups[n-1].product *= p
			sp.groups[n-1].end++
			continue
		}
		sp.groups = append(sp.groups, struct {
			product    uint64
			first, end int
		}{p, len(sp.primes) - 1, len(sp.primes)})
	}
	return sp
})

// defaultWorkers is one search per core, at most maxWorkers.
func defaultWorkers() int { return min(runtime.NumCPU(), maxWorkers) }
