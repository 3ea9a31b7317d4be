package steps

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// PKCEMethodS256 is the only code_challenge_method nhsauth sends. RFC 7636
// §4.2: "If the client is capable of using "S256", it MUST use "S256", as
// "S256" is Mandatory To Implement (MTI) on the server."
const PKCEMethodS256 = "S256"

// PKCE is one Proof Key for Code Exchange pair: the verifier the client keeps
// until the code exchange, and the challenge it sends with the authorise
// request. See https://datatracker.ietf.org/doc/html/rfc7636.
type PKCE struct {
	Verifier  string // secret until the code exchange (RFC 7636 §4.1)
	Challenge string // BASE64URL(SHA256(verifier)) (RFC 7636 §4.2)
	Method    string // always S256
}

// NewPKCE makes a fresh verifier and its S256 challenge. RFC 7636 §4.1: the
// verifier is "a high-entropy cryptographic random STRING … with a minimum
// length of 43 characters and a maximum length of 128 characters", and "It
// is RECOMMENDED that the output of a suitable random number generator be
// used to create a 32-octet sequence. The octet sequence is then
// base64url-encoded to produce a 43-octet URL safe string to use as the code
// verifier." That is exactly what this does.
func NewPKCE() PKCE {
	v := RandomString(32)
	return PKCE{Verifier: v, Challenge: S256Challenge(v), Method: PKCEMethodS256}
}

// S256Challenge computes code_challenge = BASE64URL-ENCODE(SHA256(ASCII(
// code_verifier))), RFC 7636 §4.2.
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// RandomString returns n bytes from crypto/rand, base64url-encoded without
// padding: the shape of state, nonce and PKCE verifier values (RFC 6749
// §10.10 asks for at least 128 bits of entropy for such values; n = 16 gives
// exactly that, nhsauth uses 32).
func RandomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("steps: crypto/rand failed: " + err.Error()) // impossible on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
