package keystore

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"testing"
)

// checkGeneratedKey asserts what keys_generate.go promises of a key of bits
// bits: it validates, has exactly bits bits, e = 65537, two primes of the
// FIPS 186-5 A.1.3 lengths with their top two bits set, e coprime to p−1
// and q−1, and |p − q| > 2^(bits/2 − 100).
func checkGeneratedKey(t *testing.T, bits int, key *rsa.PrivateKey) {
	t.Helper()
	n, e, primes := key.N, key.E, key.Primes
	if err := key.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if n.BitLen() != bits || e != 65537 || len(primes) != 2 {
		t.Fatalf("key: %d bits, e=%d, %d primes; want %d bits, e=65537, 2 primes", n.BitLen(), e, len(primes), bits)
	}
	p, q := primes[0], primes[1]
	if p.BitLen()+q.BitLen() != bits || p.BitLen() != (bits+1)/2 {
		t.Errorf("primes of %d and %d bits for a %d-bit key", p.BitLen(), q.BitLen(), bits)
	}
	one, e65537 := big.NewInt(1), big.NewInt(65537)
	for _, x := range primes {
		if x.Bit(x.BitLen()-2) != 1 {
			t.Errorf("prime %x…: second-highest bit not set", x.Bytes()[:4])
		}
		if !x.ProbablyPrime(20) {
			t.Errorf("factor %x… is not prime", x.Bytes()[:4])
		}
		if new(big.Int).GCD(nil, nil, e65537, new(big.Int).Sub(x, one)).Cmp(one) != 0 {
			t.Errorf("e shares a factor with p−1")
		}
	}
	if d := new(big.Int).Sub(p, q); d.Abs(d).BitLen() <= bits/2-100 {
		t.Errorf("|p − q| has %d bits, want more than %d", d.BitLen(), bits/2-100)
	}
}

func TestGenerateMakesValidDistinctKeys(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range []struct{ bits, workers int }{
		{2048, 2},
		{2048, 3},
		{2049, 1}, // p and q of different lengths, found by one worker
		{2050, 2},
	} {
		key, err := generate(tc.bits, tc.workers, rand.Reader)
		if err != nil {
			t.Fatalf("generate(%d, %d): %v", tc.bits, tc.workers, err)
		}
		checkGeneratedKey(t, tc.bits, key)
		for _, x := range append([]*big.Int{key.N}, key.Primes...) {
			if seen[x.String()] {
				t.Errorf("generate(%d, %d): a modulus or prime repeats an earlier key's", tc.bits, tc.workers)
			}
			seen[x.String()] = true
		}
	}
}

// TestGenerateKeyMatchesItsJWKS: the JWKS written beside a generated key
// holds that key's modulus and exponent.
func TestGenerateKeyMatchesItsJWKS(t *testing.T) {
	key, err := Generate(MinBits)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := PublicJWK(&key.PublicKey, "k").PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	if pub.N.Cmp(key.N) != 0 || pub.E != key.E {
		t.Error("the JWK's n or e differs from the generated key's")
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestGenerateReportsARandomFailure(t *testing.T) {
	if _, err := generate(2048, 2, failingReader{}); err == nil {
		t.Fatal("generate with a failing random source: no error")
	}
}

// TestSieveMarksExactlyTheSmallMultiples checks the sieve against trial
// division by every odd number below sieveBound, for a sample of the
// window: a candidate is marked when it has a small factor or is ≡ 1 mod
// 65537, and only then.
func TestSieveMarksExactlyTheSmallMultiples(t *testing.T) {
	start, err := randomOdd(rand.Reader, 256)
	if err != nil {
		t.Fatal(err)
	}
	composite := sieve(start)
	cand, r := new(big.Int), new(big.Int)
	marked := 0
	for k := 0; k < sieveWindow; k += 97 {
		cand.Add(start, big.NewInt(int64(2*k)))
		want := r.Mod(cand, big.NewInt(65537)).Int64() == 1
		for d := int64(3); d < sieveBound && !want; d += 2 {
			want = r.Mod(cand, big.NewInt(d)).Sign() == 0
		}
		if composite[k] != want {
			t.Errorf("candidate start+%d: marked %v, want %v", 2*k, composite[k], want)
		}
		if want {
			marked++
		}
	}
	if marked == 0 {
		t.Error("no sampled candidate marked: the sieve marks nothing")
	}
}

func TestRandomOddHasExactLength(t *testing.T) {
	for _, bits := range []int{1024, 1025, 2047} {
		x, err := randomOdd(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		if x.BitLen() != bits || x.Bit(bits-2) != 1 || x.Bit(0) != 1 {
			t.Errorf("randomOdd(%d) = %d bits, second bit %d, low bit %d", bits, x.BitLen(), x.Bit(bits-2), x.Bit(0))
		}
	}
}

// TestGenerateTakesThePrewarmedKeyOnce: after Prewarm, Generate of that size
// returns the key made ahead, valid, and the next Generate makes a new one;
// a Generate of another size leaves it alone.
func TestGenerateTakesThePrewarmedKeyOnce(t *testing.T) {
	Prewarm(MinBits)
	Prewarm(MinBits) // a second call while one is pending does nothing
	other, err := Generate(MinBits + 2)
	if err != nil {
		t.Fatal(err)
	}
	if other.N.BitLen() != MinBits+2 {
		t.Fatalf("Generate(%d) returned a %d-bit key: it took the prewarmed one", MinBits+2, other.N.BitLen())
	}
	ahead.Lock()
	pending := ahead.ch != nil
	ahead.Unlock()
	if !pending {
		t.Fatal("after Prewarm, no key is being made ahead")
	}
	first, err := Generate(MinBits)
	if err != nil {
		t.Fatal(err)
	}
	checkGeneratedKey(t, MinBits, first)
	ahead.Lock()
	pending = ahead.ch != nil
	ahead.Unlock()
	if pending {
		t.Error("the prewarmed key is still offered after Generate took it")
	}
	second, err := Generate(MinBits)
	if err != nil {
		t.Fatal(err)
	}
	if first.N.Cmp(second.N) == 0 {
		t.Error("two Generate calls after one Prewarm returned the same key")
	}
}
