package steps

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsauth/nhsauth/keystore"
)

// CheckKey checks locally what would doom a token request: an RSA key under
// 2048 bits, or a JWKS file beside the key (<dir>/<kid>.json) that lacks the
// kid or holds a different public key.
//
// It reads the JWKS the way the platform would use it (reference §2.4): by
// kid, comparing modulus and exponent. A missing JWKS file is not an error:
// the key may be registered elsewhere, so there is nothing to compare.
// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used".
func CheckKey(key *rsa.PrivateKey, keyPath, kid string) error {
	if key == nil {
		return errors.New("steps: check key: no key")
	}
	if bits := key.N.BitLen(); bits < keystore.MinBits {
		return WithHint(fmt.Errorf("steps: check key: the RSA key has %d bits: %w", bits, keystore.ErrTooSmall),
			fmt.Sprintf("RS512 needs an RSA key of at least %d bits (RFC 7518 §3.3); NHS's guide makes 4096-bit keys.", keystore.MinBits),
			"Make a new key with nhsauth generate-keys and register its JWKS.")
	}
	if keyPath == "" || kid == "" {
		return nil
	}
	jwksPath := filepath.Join(filepath.Dir(keyPath), kid+".json")
	if _, err := os.Stat(jwksPath); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	set, err := keystore.ReadJWKS(jwksPath)
	if err != nil {
		return WithHint(fmt.Errorf("steps: check key: %w", err),
			"The file "+jwksPath+" beside the key cannot be read as a JWKS ({\"keys\": [...]}).",
			"Fix or remove it, or regenerate the key pair with nhsauth generate-keys --force.")
	}
	jwk, ok := set.Find(kid)
	if !ok {
		kids := make([]string, 0, len(set.Keys))
		for _, k := range set.Keys {
			kids = append(kids, k.Kid)
		}
		fix := "Regenerate the key pair with nhsauth generate-keys --kid " + kid + " --force."
		if len(kids) > 0 {
			fix = fmt.Sprintf("Pass --kid %s, or regenerate the key pair.", kids[0])
		}
		return WithHint(fmt.Errorf("steps: check key: %s has no key with kid %q", jwksPath, kid),
			fmt.Sprintf("The JWKS beside the key has kids [%s], not %q: the platform would answer \"no matching public key\".", strings.Join(kids, " "), kid),
			fix)
	}
	pub, err := jwk.PublicKey()
	if err != nil {
		return WithHint(fmt.Errorf("steps: check key: %s: %w", jwksPath, err),
			"The JWK for kid "+kid+" in "+jwksPath+" is not a usable RSA public key.",
			"Regenerate the JWKS from the private key with nhsauth generate-keys --force.")
	}
	if pub.N.Cmp(key.N) != 0 || pub.E != key.E {
		return WithHint(fmt.Errorf("steps: check key: the key and the JWKS do not match: %s holds a different public key for kid %q", jwksPath, kid),
			"The key and the JWKS do not match: the platform would verify your signature with the JWKS's key and answer \"JWT signature verification failed\".",
			"Use the private key that belongs to this JWKS, or regenerate both with nhsauth generate-keys --force and register the new JWKS.")
	}
	return nil
}
