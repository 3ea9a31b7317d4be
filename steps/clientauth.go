package steps

import (
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AuthMethod names a client authentication method at a token endpoint, as
// OpenID Connect Core §9 spells it (token_endpoint_auth_method, RFC 7591
// §2). See https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication.
type AuthMethod string

// The client authentication methods nhsauth speaks. AuthMethods lists them;
// authMethods below defines each.
const (
	AuthClientSecretPost  AuthMethod = "client_secret_post"
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
	AuthClientSecretJWT   AuthMethod = "client_secret_jwt"
	AuthPrivateKeyJWT     AuthMethod = "private_key_jwt"
)

// authMethod is the one definition of a client authentication method: its
// name, the other spellings accepted for it, the algorithms of its
// assertion (JWT methods; the first is the default) and how it is put on
// the token request. Adding a method adds a row to authMethods (and a case
// to clientauth_test.go); the flags, the wizard and the errors list the
// rows.
type authMethod struct {
	name    AuthMethod
	aliases []string
	algs    []string
	signKey func(a ClientAuth) (any, error) // JWT methods: the key the assertion is signed with
	apply   func(a ClientAuth, form *[]formField, header http.Header)
}

var authMethods = []authMethod{
	// RFC 6749 §2.3.1.
	{name: AuthClientSecretPost, aliases: []string{"post"}, apply: secretInForm},
	{name: AuthClientSecretBasic, aliases: []string{"basic"}, apply: secretInHeader},
	// RFC 7523 §2.2; OpenID Connect Core §9.
	{name: AuthClientSecretJWT, algs: []string{"HS256", "HS512"}, signKey: secretKey, apply: assertionInForm},
	// RS512 first: the NHS API platform takes nothing else, and CIS2 takes
	// it as well as RS256 (reference §2.2, §6.4).
	{name: AuthPrivateKeyJWT, algs: []string{"RS512", "RS256"}, signKey: privateKey, apply: assertionInForm},
}

// AuthMethods lists every client authentication method nhsauth speaks, in
// the order of OpenID Connect Core §9.
func AuthMethods() []AuthMethod {
	out := make([]AuthMethod, len(authMethods))
	for i, m := range authMethods {
		out[i] = m.name
	}
	return out
}

// JoinAuthMethods spells methods for a help text or an error: "a, b or c".
func JoinAuthMethods(methods []AuthMethod) string {
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = string(m)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ParseAuthMethod reads a method's name or one of its other spellings
// ("post", "basic"). The empty string stays empty: it means
// client_secret_post wherever a ClientAuth is applied.
func ParseAuthMethod(s string) (AuthMethod, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, m := range authMethods {
		if s == string(m.name) {
			return m.name, nil
		}
		for _, a := range m.aliases {
			if s == a {
				return m.name, nil
			}
		}
	}
	return "", fmt.Errorf("steps: client authentication %q: use %s", s, JoinAuthMethods(AuthMethods()))
}

// lookupAuthMethod finds a method's definition by any spelling
// ParseAuthMethod reads; "" is client_secret_post.
func lookupAuthMethod(m AuthMethod) (authMethod, bool) {
	if m == "" {
		m = AuthClientSecretPost
	}
	name, err := ParseAuthMethod(string(m))
	if err != nil {
		return authMethod{}, false
	}
	for _, d := range authMethods {
		if d.name == name {
			return d, true
		}
	}
	return authMethod{}, false
}

// ClientAuth is how a client proves who it is at a token endpoint: a method
// and what that method needs. The one token-form POST applies it to every
// grant (client credentials, authorization code, token exchange, refresh),
// as golang/oauth2 applies its AuthStyle in newTokenRequest. See
// https://datatracker.ietf.org/doc/html/rfc6749#section-2.3 and
// https://datatracker.ietf.org/doc/html/rfc7523#section-2.2.
type ClientAuth struct {
	Method   AuthMethod       // "" means client_secret_post
	ClientID string           // client_id; iss and sub of an assertion (on the NHS platform: the API key)
	Secret   string           // client_secret; client_secret_jwt's HMAC key
	Key      *rsa.PrivateKey  // private_key_jwt's signing key
	KID      string           // private_key_jwt: the key's id in the registered JWKS
	Alg      string           // a JWT method's algorithm; "" means its default (HS256, RS512)
	Audience string           // an assertion's aud; "" means the token URL posted to
	Lifetime time.Duration    // an assertion's exp − now; 0 means DefaultAssertionLifetime
	Now      func() time.Time // the clock of an assertion's exp and iat; nil means time.Now
	NewJTI   func() string    // an assertion's jti; nil means a fresh UUID v4

	// Platform signs as the NHS API platform's guide does (reference §2.2,
	// §2.3, §10): RS512, typ JWT, a kid, no iat, and the API key's wording
	// in errors. PlatformAuth sets it.
	Platform bool
	// Assertion is a JWT method's client assertion already signed (by
	// Sign), sent as it is; "" means the POST signs one for its token URL.
	Assertion string
}

// PlatformAuth is the NHS API platform's signed-JWT client authentication
// (reference §2): private_key_jwt with an RS512 assertion whose header
// carries typ JWT and kid, and whose claims are iss = sub = the API key,
// aud = the token URL, a fresh jti and an exp at most 5 minutes ahead, with
// no iat. See https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/application-restricted-restful-apis-signed-jwt-authentication.
func PlatformAuth(key *rsa.PrivateKey, kid, apiKey string, now func() time.Time) ClientAuth {
	return ClientAuth{Method: AuthPrivateKeyJWT, ClientID: apiKey, Key: key, KID: kid, Alg: "RS512", Now: now, Platform: true}
}

// applyClientAuth puts a on the token request: form parameters where the
// form holds clientAuthHere (at the end when it holds none) and headers. A
// JWT method without an Assertion signs one for tokenURL; its record comes
// back for the caller to show.
func applyClientAuth(a ClientAuth, tokenURL string, form []formField, header http.Header) ([]formField, *Exchange, error) {
	d, ok := lookupAuthMethod(a.Method)
	if !ok {
		return nil, nil, fmt.Errorf("client authentication %q: use %s", a.Method, JoinAuthMethods(AuthMethods()))
	}
	var signed *Exchange
	if d.signKey != nil && a.Assertion == "" {
		assertion, ex, err := a.sign(d, tokenURL)
		if err != nil {
			return nil, nil, fmt.Errorf("client assertion: %w", err)
		}
		a.Assertion, signed = assertion, &ex
	}
	var auth []formField
	d.apply(a, &auth, header)
	out := make([]formField, 0, len(form)+len(auth))
	placed := false
	for _, f := range form {
		if f == clientAuthHere {
			out, placed = append(out, auth...), true
			continue
		}
		out = append(out, f)
	}
	if !placed {
		out = append(out, auth...)
	}
	return out, signed, nil
}

// clientAuthHere marks where a grant's form takes the client's
// authentication parameters, so each request keeps the order of the guide
// that defines it.
var clientAuthHere = formField{name: "\x00client authentication"}

// authParam reports whether name is a form parameter some client
// authentication method sends: a grant's extra parameters never override
// one.
func authParam(name string) bool {
	probe := ClientAuth{ClientID: "-", Secret: "-", Assertion: "-"}
	for _, d := range authMethods {
		var form []formField
		d.apply(probe, &form, http.Header{})
		for _, f := range form {
			if f.name == name {
				return true
			}
		}
	}
	return false
}

// secretInForm is client_secret_post: "the client MAY include the client
// credentials in the request-body using the following parameters:
// client_id, client_secret" (RFC 6749 §2.3.1).
func secretInForm(a ClientAuth, form *[]formField, _ http.Header) {
	*form = append(*form, formField{"client_id", a.ClientID}, formField{"client_secret", a.Secret})
}

// secretInHeader is client_secret_basic: "the client identifier is encoded
// using the application/x-www-form-urlencoded encoding algorithm ... and
// the encoded value is used as the username; the client password is
// encoded using the same algorithm and used as the password" (RFC 6749
// §2.3.1).
func secretInHeader(a ClientAuth, _ *[]formField, header http.Header) {
	cred := url.QueryEscape(a.ClientID) + ":" + url.QueryEscape(a.Secret)
	header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
}

// assertionInForm is the JWT methods' form: client_assertion_type and
// client_assertion (RFC 7523 §2.2). client_id is left out: the assertion's
// iss names the client, and the platform's guide sends none.
func assertionInForm(a ClientAuth, form *[]formField, _ http.Header) {
	*form = append(*form, formField{"client_assertion_type", AssertionTypeJWTBearer}, formField{"client_assertion", a.Assertion})
}

// secretKey is client_secret_jwt's HMAC key: the client secret (OpenID
// Connect Core §9).
func secretKey(a ClientAuth) (any, error) {
	if a.Secret == "" {
		return nil, WithHint(errors.New("no client secret to sign with"),
			"client_secret_jwt signs the assertion with the client secret as the HMAC key.",
			"Give the client secret the provider issued with the client id.")
	}
	return []byte(a.Secret), nil
}

// privateKey is private_key_jwt's signing key, which must come with the
// kid the server finds its public half by (RFC 7515 §4.1.4).
func privateKey(a ClientAuth) (any, error) {
	switch {
	case a.Key == nil:
		return nil, errors.New("no private key to sign with")
	case a.KID == "":
		return nil, WithHint(errors.New("empty kid"),
			"The platform needs a 'kid' header to find your public key in the registered JWKS (NHS signed JWT guide).",
			"Pass --kid, or name the key file <kid>.pem so the kid is read from it.")
	}
	return a.Key, nil
}
