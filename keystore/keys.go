package keystore

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// DefaultBits is the RSA key size NHS's guide generates
// (openssl genrsa -out $KID.pem 4096).
const DefaultBits = 4096

// MinBits is the smallest RSA key nhsauth signs with. RFC 7518 §3.3: "A key
// of size 2048 bits or larger MUST be used with these algorithms."
const MinBits = 2048

// Errors a key file can earn; each is wrapped with the file's path.
var (
	ErrNoPEM     = errors.New("no PEM block found")
	ErrEncrypted = errors.New("the private key is encrypted")
	ErrPublicKey = errors.New("this is a public key, not a private key")
	ErrNotRSA    = errors.New("the key is not an RSA key")
	ErrTooSmall  = errors.New("the RSA key is too small")
	ErrDamaged   = errors.New("the PEM block's content is not a valid key (damaged or cut short)")
)

// Generate makes a new RSA private key of the given size with e = 65537
// (RFC 8017 §3), its two primes found by a search shared among the cores
// (keys_generate.go), and checked with rsa.PrivateKey.Validate; or the one
// Prewarm started making, if it is of this size.
func Generate(bits int) (*rsa.PrivateKey, error) {
	if bits < MinBits {
		return nil, fmt.Errorf("keystore: %d bits: %w (at least %d)", bits, ErrTooSmall, MinBits)
	}
	if key := takePrewarmed(bits); key != nil {
		return key, nil
	}
	key, err := generate(bits, defaultWorkers(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("keystore: generate: %w", err)
	}
	return key, nil
}

// EncodePrivatePEM encodes a key as PKCS#1 "RSA PRIVATE KEY", the form the
// NHS script writes.
func EncodePrivatePEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// EncodePublicPEM encodes a public key as SubjectPublicKeyInfo "PUBLIC KEY".
func EncodePublicPEM(pub *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("keystore: encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// LoadPrivateKey reads an unencrypted RSA private key in PKCS#1 or PKCS#8 PEM.
// Each failure names the file and the reason (encrypted, a public key, not
// RSA, too small, not a regular file, over MaxFileSize) so a caller can say
// what to do instead.
func LoadPrivateKey(path string) (*rsa.PrivateKey, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	key, err := ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("keystore: %s: %w", path, err)
	}
	return key, nil
}

// ParsePrivateKey parses the first PEM private key in data.
func ParsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, ErrNoPEM
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "" {
		return nil, ErrEncrypted
	}
	if strings.Contains(block.Type, "PUBLIC KEY") || block.Type == "CERTIFICATE" {
		return nil, ErrPublicKey
	}
	var key *rsa.PrivateKey
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			// The asn1 error's text (tags, classes) means nothing to the
			// reader: name what is wrong instead.
			return nil, fmt.Errorf("%w: RSA PRIVATE KEY (PKCS#1)", ErrDamaged)
		}
		key = k
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: PRIVATE KEY (PKCS#8)", ErrDamaged)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%w (found %T)", ErrNotRSA, k)
		}
		key = rk
	case "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY":
		return nil, fmt.Errorf("%w (found %q)", ErrNotRSA, block.Type)
	default:
		return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
	}
	if bits := key.N.BitLen(); bits < MinBits {
		return nil, fmt.Errorf("%w: %d bits (at least %d)", ErrTooSmall, bits, MinBits)
	}
	return key, nil
}
