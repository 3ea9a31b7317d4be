package doctor

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// keyFile is the journey's private key file and kid, as the flows resolve
// them: the file given, else <key folder>/<env>-1.pem; the kid given, else
// the file's name without .pem.
func keyFile(j *flows.Journey) (path, kid string) {
	path = j.KeyPath
	if path == "" {
		path = flows.DefaultKeyPath(j)
	}
	kid = j.KID
	if kid == "" {
		kid = keystore.KIDFromPath(path)
	}
	return path, kid
}

// keyChecks checks the private key file: it exists (on local the default
// one is made, as run does), parses as an unencrypted RSA key of at least
// 2048 bits (RFC 7518 §3.3; NHS's guide makes 4096), is readable by its
// owner alone (0600), and sits in a folder others cannot read or write.
// The key's loading and its wording are the key step's own
// (flows.ReadyKey), so the two never disagree.
func keyChecks(s Setup) (*rsa.PrivateKey, []Check) {
	j := s.Journey
	path, kid := keyFile(j)
	_, statErr := os.Stat(path)
	ready := flows.ReadyKey(j) // makes the default key on local; words load failures
	key, err := keystore.LoadPrivateKey(path)
	if err != nil {
		c := Check{Name: "private key", Status: Fail, Detail: path + ": " + strings.TrimPrefix(err.Error(), "keystore: ")}
		if hs := steps.HintsOf(ready.Err); len(hs) > 0 {
			c.Cause, c.Fix = hs[0].Cause, hs[0].Fix
		}
		return nil, []Check{c}
	}
	bits := key.N.BitLen()
	c := Check{Name: "private key", Status: Pass, Detail: fmt.Sprintf("%s: %d-bit RSA, kid %s", path, bits, kid)}
	switch {
	case bits < keystore.MinBits:
		c.Status = Fail
		c.Cause = fmt.Sprintf("RS512 needs an RSA key of at least %d bits (RFC 7518 §3.3); this one has %d.", keystore.MinBits, bits)
		c.Fix = "Make a new key with nhsauth generate-keys (4096 bits) and register its JWKS."
	case bits < keystore.DefaultBits:
		c.Detail += fmt.Sprintf(" (NHS's guide makes %d-bit keys; %d is accepted)", keystore.DefaultBits, bits)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		c.Detail += "; made just now with its JWKS, as nhsauth run does on local"
	}
	out := []Check{c}
	if runtime.GOOS != "windows" { // Go does not map Windows ACLs to these bits
		out = append(out, modeCheck(path), folderCheck(filepath.Dir(path)))
	}
	if c.Status == Fail {
		return nil, out
	}
	return key, out
}

// modeCheck: the private key is readable and writable by its owner only.
func modeCheck(path string) Check {
	fi, err := os.Stat(path)
	if err != nil {
		return Check{Name: "key file mode", Status: Info, Detail: "not read: " + err.Error()}
	}
	mode := fi.Mode().Perm()
	if mode&0o077 != 0 {
		return Check{Name: "key file mode", Status: Fail, Detail: fmt.Sprintf("%s is mode %04o", path, mode),
			Cause: "Others on this machine can read (or change) your private key: whoever holds it can sign as your app.",
			Fix:   "chmod 600 " + path + " (and, if it may have been copied, make a new key with nhsauth generate-keys and register its JWKS)."}
	}
	return Check{Name: "key file mode", Status: Pass, Detail: fmt.Sprintf("%s is mode %04o", path, mode)}
}

// folderCheck: the key's folder is not readable or writable by others
// (keystore.LooseFolder for writes: whoever can write there can swap the
// key or its JWKS).
func folderCheck(dir string) Check {
	fi, err := os.Stat(dir)
	if err != nil {
		return Check{Name: "key folder", Status: Info, Detail: "not read: " + err.Error()}
	}
	mode := fi.Mode().Perm()
	_, loose := keystore.LooseFolder(dir)
	switch {
	case loose:
		return Check{Name: "key folder", Status: Fail, Detail: fmt.Sprintf("%s is mode %04o", dir, mode),
			Cause: "Others can write to the key's folder, so they can replace the key or its JWKS.",
			Fix:   "chmod 700 " + dir}
	case mode&0o004 != 0:
		return Check{Name: "key folder", Status: Fail, Detail: fmt.Sprintf("%s is mode %04o", dir, mode),
			Cause: "Everyone on this machine can list the key's folder and see which keys are there.",
			Fix:   "chmod 700 " + dir + " (or keep the key in a folder of its own, such as .auth/)"}
	}
	return Check{Name: "key folder", Status: Pass, Detail: fmt.Sprintf("%s is mode %04o", dir, mode)}
}

// besideJWKS is the JWKS file beside the key: <kid>.json, or the key's
// own <name>.json (nhsauth generate-keys and NHS's guide name it after the
// key) when there is no <kid>.json.
func besideJWKS(path, kid string) string {
	p := filepath.Join(filepath.Dir(path), kid+".json")
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return filepath.Join(filepath.Dir(path), keystore.KIDFromPath(path)+".json")
	}
	return p
}

// jwksFileCheck compares the JWKS beside the key with the key, as the
// platform would use it (reference §2.2, §2.4): a key under the kid, the
// same modulus and exponent, alg RS512 when given, use sig when given.
func jwksFileCheck(s Setup, key *rsa.PrivateKey) Check {
	path, kid := keyFile(s.Journey)
	jp := besideJWKS(path, kid)
	if _, err := os.Stat(jp); errors.Is(err, fs.ErrNotExist) {
		return Check{Name: "JWKS file", Status: Info, Detail: "no JWKS beside the key (" + jp + "): nothing local to compare; nhsauth generate-keys writes one"}
	}
	set, err := keystore.ReadJWKS(jp)
	if err != nil {
		return Check{Name: "JWKS file", Status: Fail, Detail: strings.TrimPrefix(err.Error(), "keystore: "),
			Cause: "The file beside the key cannot be read as a JWKS ({\"keys\": [...]}).",
			Fix:   "Fix or remove it, or regenerate the key pair with nhsauth generate-keys --force."}
	}
	c := compareJWKS(set, kid, key, "the JWKS beside the key")
	c.Name = "JWKS file"
	c.Detail = jp + ": " + c.Detail
	return c
}

// compareJWKS checks one JWKS against the key under kid; where names the
// document in the wording.
func compareJWKS(set keystore.JWKS, kid string, key *rsa.PrivateKey, where string) Check {
	jwk, ok := set.Find(kid)
	if !ok {
		fix := "Regenerate the key pair with nhsauth generate-keys --kid " + kid + " --force, and register the new JWKS."
		if len(set.Keys) > 0 {
			fix = fmt.Sprintf("Pass --kid %s if that is this key, or add this key to the JWKS under kid %s.", set.Keys[0].Kid, kid)
		}
		return Check{Status: Fail, Detail: fmt.Sprintf("kids %s, no %q", kidsOf(set), kid),
			Cause: fmt.Sprintf("%s has no key with kid %s: the platform would answer \"Invalid 'kid' header in client_assertion JWT - no matching public key\".", transcript.Capitalise(where), kid),
			Fix:   fix}
	}
	pub, err := jwk.PublicKey()
	if err != nil {
		return Check{Status: Fail, Detail: strings.TrimPrefix(err.Error(), "keystore: "),
			Cause: "The JWK for kid " + kid + " in " + where + " is not a usable RSA public key.",
			Fix:   "Regenerate the JWKS from the private key with nhsauth generate-keys --force."}
	}
	if pub.N.Cmp(key.N) != 0 || pub.E != key.E {
		return Check{Status: Fail, Detail: "kid " + kid + " holds another public key (its modulus differs from the private key's)",
			Cause: transcript.Capitalise(where) + " and the private key do not match: the platform would verify your signature with the JWKS's key and answer \"JWT signature verification failed\".",
			Fix:   "Use the private key that belongs to this JWKS, or regenerate both with nhsauth generate-keys --force and register the new JWKS."}
	}
	if jwk.Alg != "" && jwk.Alg != "RS512" {
		return Check{Status: Fail, Detail: "kid " + kid + " has alg " + jwk.Alg,
			Cause: "The platform takes RS512 signatures only (reference §2.2); a JWK that names another alg does not fit them.",
			Fix:   "Set \"alg\": \"RS512\" (or leave alg out) in the JWKS."}
	}
	if jwk.Use != "" && jwk.Use != "sig" {
		return Check{Status: Fail, Detail: "kid " + kid + " has use " + jwk.Use,
			Cause: "The key is published for use " + jwk.Use + ", not for signatures (RFC 7517 §4.2).",
			Fix:   "Set \"use\": \"sig\" in the JWKS."}
	}
	return Check{Status: Pass, Detail: fmt.Sprintf("kid %s, same modulus as the private key, alg %s, use %s", kid, orAbsent(jwk.Alg), orAbsent(jwk.Use))}
}

func orAbsent(s string) string {
	if s == "" {
		return "(absent)"
	}
	return s
}
