package steps

// Placeholders for the application-restricted steps and the renderers; each
// moves to its own file as it lands. The signatures are the contract the
// flows, the commands and the wizard code against.

import (
	"context"
	"crypto/rsa"
	"io"
	"net/http"
	"net/url"
	"time"
)

// AssertionParams are the inputs of a client assertion (reference §2.2, §2.3).
type AssertionParams struct {
	Key      *rsa.PrivateKey
	KID      string
	APIKey   string        // iss and sub
	Audience string        // the exact token URL called
	Now      time.Time     // exp = Now + Lifetime
	Lifetime time.Duration // 0 means 240 s
	JTI      string        // "" means a fresh UUID
}

// SignAssertion signs an RS512 client assertion (RFC 7523 §3) and returns it
// with a synthetic Exchange showing its decoded header and claims.
func SignAssertion(p AssertionParams) (string, Exchange, error) { return "", Exchange{}, nil }

// ClientCredentialsParams are the inputs of a client-credentials grant with a
// signed JWT (RFC 6749 §4.4, RFC 7523 §2.2).
type ClientCredentialsParams struct {
	TokenURL  string
	Assertion string
	Extra     url.Values // more form parameters, e.g. _access_token_expiry_ms
}

// ClientCredentials exchanges a client assertion for an access token.
func ClientCredentials(ctx context.Context, hc *http.Client, p ClientCredentialsParams) (Token, []Exchange, error) {
	return Token{}, nil, nil
}

// APIParams describe one API call with a bearer token.
type APIParams struct {
	Method      string
	URL         string
	AccessToken string
	Header      http.Header
	Body        []byte
}

// APIResponse is an API's reply.
type APIResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// CallAPI calls an API with Authorization: Bearer and a fresh X-Request-ID
// unless one is given (reference §8).
func CallAPI(ctx context.Context, hc *http.Client, p APIParams) (APIResponse, []Exchange, error) {
	return APIResponse{}, nil, nil
}

// CheckKey checks locally what would doom a token request: an RSA key under
// 2048 bits, or a JWKS file beside the key (<dir>/<kid>.json) that lacks the
// kid or holds a different public key.
func CheckKey(key *rsa.PrivateKey, keyPath, kid string) error { return nil }

// FormatExchange writes an exchange as text (request line, headers, body;
// status, headers, body, JSON pretty-printed), masking secrets with red.
func FormatExchange(w io.Writer, ex Exchange, red *Redactor) {}

// Curl renders an exchange as a curl command, masking secrets with red.
func Curl(ex Exchange, red *Redactor) string { return "" }
