package flows

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// DefaultKeyPath is the private key a journey uses when none is given:
// <KeyDir>/<env>-1.pem, the file nhsauth generate-keys writes by default.
func DefaultKeyPath(j *Journey) string {
	dir := j.KeyDir
	if dir == "" {
		dir = DefaultKeyDir
	}
	return filepath.Join(dir, j.Env.Name+"-1.pem")
}

// keyPath is the journey's private key file: the one given, or the default.
func keyPath(j *Journey) string {
	if j.KeyPath != "" {
		return j.KeyPath
	}
	return DefaultKeyPath(j)
}

// keyID is the journey's kid: the one given, or the key file's name
// without .pem, as NHS's script derives it.
func keyID(j *Journey) string {
	if j.KID != "" {
		return j.KID
	}
	return keystore.KIDFromPath(keyPath(j))
}

// ReadyKey makes the journey's signing key ready, the first step of every
// flow that signs a client assertion (reference §2.4): it resolves the key
// file (KeyPath, else <KeyDir>/<env>-1.pem), creates the default one with
// its public key and JWKS on the local platform when it is missing (a
// missing key the user named is an error), loads it, derives the
// kid from the file name unless one was given, and checks with
// steps.CheckKey what would doom a token request. It sets j.Key, j.KID and
// j.KeyPath. The private key itself is never shown: the outcome's record
// holds only public facts.
func ReadyKey(j *Journey) Outcome {
	path := keyPath(j)
	kid := keyID(j)
	var created *keystore.Files
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		// Only the default key is made on local: a key file the user named
		// and that is missing is a mistake to report, not to paper over.
		if !j.Env.Local || path != DefaultKeyPath(j) {
			return Fail(steps.WithHint(fmt.Errorf("flows: key: %s does not exist", path),
				"There is no private key at "+path+".",
				fmt.Sprintf("Run nhsauth generate-keys --env %s (it writes %s and its JWKS), register the JWKS, or pass --private-key with your key.", j.Env.Name, path)))
		}
		files, err := createLocalKey(j, path)
		if err != nil {
			return Fail(err)
		}
		created = &files
	}
	key, err := keystore.LoadPrivateKey(path)
	if err != nil {
		return Fail(keyLoadError(err, path, j.Env.Name))
	}
	if err := steps.CheckKey(key, path, kid); err != nil {
		return Fail(err)
	}
	j.Key, j.KID, j.KeyPath = key, kid, path

	bits := key.N.BitLen()
	o := Outcome{Summary: fmt.Sprintf("Key ready: %s (%d-bit RSA, kid %s)", path, bits, kid)}
	if created != nil {
		o.Summary = fmt.Sprintf("Key created: %s (%d-bit RSA, kid %s)", path, bits, kid)
		o.Details = append(o.Details,
			fmt.Sprintf("No key was there, so a new key pair was made: %s (private, mode 0600), %s and %s (the JWKS).", created.Private, created.Public, created.JWKS))
	}
	jwksPath := filepath.Join(filepath.Dir(path), kid+".json")
	if _, err := os.Stat(jwksPath); err == nil {
		o.Details = append(o.Details, fmt.Sprintf("The JWKS beside the key, %s, holds kid %s with this key's public half.", jwksPath, kid))
	} else {
		o.Details = append(o.Details, fmt.Sprintf("No JWKS beside the key (%s): nothing local to compare with; the next step shows the JWKS to register.", jwksPath))
	}
	if mode, loose := keystore.LooseFolder(filepath.Dir(path)); loose {
		o.Details = append(o.Details, fmt.Sprintf("Warning: the key's folder %s is writable by others (mode %04o): anyone who can write there can replace the key or its JWKS; tighten it with chmod 700 %s.", filepath.Dir(path), mode, filepath.Dir(path)))
	}
	o.Exchanges = []steps.Exchange{keyRecord(key, path, kid, created != nil, j)}
	return o
}

// createLocalKey makes the default key pair for the local platform at
// path, <KeyDir>/<kid>.pem, where the local platform finds its JWKS.
func createLocalKey(j *Journey, path string) (keystore.Files, error) {
	bits := j.KeyBits
	if bits == 0 {
		bits = keystore.DefaultBits
	}
	key, err := keystore.Generate(bits)
	if err != nil {
		return keystore.Files{}, fmt.Errorf("flows: key: %w", err)
	}
	files, err := keystore.Write(filepath.Dir(path), keystore.KIDFromPath(path), key, false)
	if err != nil {
		var ee *keystore.ExistsError
		if errors.As(err, &ee) {
			return files, steps.WithHint(fmt.Errorf("flows: key: %w", err),
				ee.Path+" exists but its private key "+path+" does not: a new key would not match it.",
				"Remove the leftover files, or run nhsauth generate-keys --env local --force to replace all three.")
		}
		return files, fmt.Errorf("flows: key: %w", err)
	}
	return files, nil
}

// keyLoadError explains why a key file cannot be used.
func keyLoadError(err error, path, env string) error {
	err = fmt.Errorf("flows: key: %w", err)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return steps.WithHint(err, "There is no private key at "+path+".",
			"Run nhsauth generate-keys --env "+env+", or pass --private-key with your key.")
	case errors.Is(err, fs.ErrPermission):
		return steps.WithHint(err, path+" cannot be read by this user.",
			"Check the file's owner and permissions (a private key should be 0600 and yours).")
	case errors.Is(err, keystore.ErrNotRegular):
		return steps.WithHint(err, path+" is not a regular file (a device, FIFO or folder), so it cannot hold a key.",
			"Pass the private key file itself (<kid>.pem).")
	case errors.Is(err, keystore.ErrTooLarge):
		return steps.WithHint(err, fmt.Sprintf("%s is over %d MiB; a PEM private key is a few KB, so this is not one.", path, keystore.MaxFileSize>>20),
			"Pass the private key file itself (<kid>.pem), as nhsauth generate-keys writes it.")
	case errors.Is(err, keystore.ErrEncrypted):
		return steps.WithHint(err, path+" is encrypted with a passphrase; nhsauth signs with an unencrypted key, as NHS's script writes it.",
			fmt.Sprintf("Decrypt a copy: openssl rsa -in %s -out %s (keep it 0600), and pass that file.", path, strings.TrimSuffix(path, ".pem")+"-plain.pem"))
	case errors.Is(err, keystore.ErrPublicKey):
		return steps.WithHint(err, path+" holds a public key or certificate; signing needs the private key.",
			"Pass the private key file (<kid>.pem, not <kid>.pem.pub).")
	case errors.Is(err, keystore.ErrNotRSA):
		return steps.WithHint(err, path+" is not an RSA key (an EC, OpenSSH or DSA key?): the platform accepts RS512 signatures only, which need RSA.",
			"Make an RSA key: nhsauth generate-keys --env "+env+" (or openssl genrsa -out <kid>.pem 4096), and register its JWKS.")
	case errors.Is(err, keystore.ErrTooSmall):
		return steps.WithHint(err, path+" is an RSA key under 2048 bits, which RS512 may not use (RFC 7518 §3.3).",
			"Make a new key with nhsauth generate-keys (4096 bits) and register its JWKS.")
	case errors.Is(err, keystore.ErrDamaged):
		return steps.WithHint(err, path+" has a PEM private key block whose content does not parse: the file was damaged, cut short or edited.",
			"Copy the key again from where it was made, or make a new one with nhsauth generate-keys --env "+env+" and register its JWKS.")
	case errors.Is(err, keystore.ErrNoPEM):
		return steps.WithHint(err, path+" is not a PEM file.",
			"Pass the PEM private key: a file starting with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----.")
	}
	return steps.WithHint(err, path+" cannot be read as an RSA private key.",
		"Pass an unencrypted RSA private key in PEM (PKCS#1 or PKCS#8), or make one with nhsauth generate-keys.")
}

// keyRecord is a synthetic exchange with the public facts of a key: never
// the private key.
func keyRecord(key *rsa.PrivateKey, path, kid string, created bool, j *Journey) steps.Exchange {
	facts := struct {
		File       string `json:"file"`
		Type       string `json:"type"`
		Bits       int    `json:"bits"`
		KID        string `json:"kid"`
		Thumbprint string `json:"jwk_thumbprint"`
		Created    bool   `json:"created"`
	}{path, "RSA", key.N.BitLen(), kid, thumbprint(&key.PublicKey), created}
	body, _ := json.MarshalIndent(facts, "", "  ") // plain values: cannot fail
	return steps.Exchange{
		Title:     "Private key",
		Spec:      "RFC 7518 §3.3; RFC 7638",
		Synthetic: true,
		Start:     j.Now(),
		Note:      "The private key stays on this machine and is never shown. Below: its public facts; the thumbprint (RFC 7638) identifies the public key, so it can be matched with a JWKS.",
		ReqBody:   body,
	}
}

// thumbprint is the RFC 7638 SHA-256 thumbprint of an RSA public key, or
// "" for a key go-jose cannot describe (none that loads as a signing key).
func thumbprint(pub *rsa.PublicKey) string {
	t, _ := keystore.Thumbprint(pub)
	return t
}
