package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// Kinds of JWT Decode tells apart.
const (
	KindIDToken     = "id_token"
	KindAccessToken = "access_token"
	KindAssertion   = "client_assertion"
	KindLogout      = "logout_token"
	KindJWT         = "jwt"
)

// kindNames are the kinds in words.
var kindNames = map[string]string{KindIDToken: "an ID token", KindAccessToken: "an access token", KindAssertion: "a client assertion",
	KindLogout: "a logout token", KindJWT: "a JWT"}

// KindName is a kind in words ("an ID token").
func KindName(kind string) string { return kindNames[kind] }

// DecodeOptions are what decode is given besides the token.
type DecodeOptions struct {
	// Verify asks for the issuer's discovery and JWKS checks even when
	// the issuer is not a known NHS or local one.
	Verify bool
	// Assertion treats the token as a client assertion (reference §2.2,
	// §2.3) whatever its claims say.
	Assertion bool
	// Audience, when set, is the aud the token must carry: the client id
	// of an ID token, the token URL of an assertion.
	Audience string
	// LocalBase is the local platform's base URL (--env local); "" when no
	// local platform was asked for.
	LocalBase string
	HTTP      *http.Client
	Now       time.Time
	Timeout   time.Duration
}

// Decoded is a JWT made presentable and checked: its header and claims
// explained (transcript.PresentToken), its signature masked, the issuer's
// verification checks and, for a client assertion, the platform's rules.
type Decoded struct {
	Kind      string
	Token     transcript.Token
	Signature string // masked
	Issuer    string
	// Verified reports whether the verification checks ran (Checks);
	// NotVerified says why not.
	Verified    bool
	NotVerified string
	Checks      []Check
	// Rules are the platform's rules for a client assertion, in the order
	// it checks them; Refusal is the error it would answer first ("" when
	// every rule passes).
	Rules   []Check
	Refusal string
}

// ErrNotJWT means the input is not a compact JWT (RFC 7519 §7.2).
var ErrNotJWT = errors.New("not a JWT")

// Decode decodes raw (any compact JWS, RFC 7515 §7.1), tells its kind, and
// checks it: a client assertion against the platform's rules (reference
// §2.2, §2.3, §2.7), any other token against its issuer (OpenID Connect
// Discovery §4, then steps.VerifyIDToken's checks of OpenID Connect Core
// §3.1.3.7, and nbf) when the issuer is a known NHS or local one, or when
// o.Verify asks. Nothing the token says makes nhsauth fetch from a host it
// does not know unless o.Verify asks. The error is ErrNotJWT (wrapped)
// when raw does not decode.
func Decode(ctx context.Context, raw string, o DecodeOptions) (Decoded, error) {
	raw = strings.TrimSpace(raw)
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	parts := strings.Split(raw, ".")
	switch {
	case raw == "":
		return Decoded{}, fmt.Errorf("%w: the input is empty", ErrNotJWT)
	case len(parts) == 1:
		return Decoded{}, fmt.Errorf("%w: an opaque token (no dots), which only the service that issued it can read; the platform's access tokens are opaque", ErrNotJWT)
	case len(parts) == 5:
		return Decoded{}, fmt.Errorf("%w: five parts, an encrypted JWT (JWE, RFC 7516), which only the holder of its key can read", ErrNotJWT)
	case len(parts) != 3:
		return Decoded{}, fmt.Errorf("%w: %d parts separated by dots, not 3 (header.claims.signature)", ErrNotJWT, len(parts))
	}
	dec, err := steps.DecodeJWT(raw)
	if err != nil {
		return Decoded{}, fmt.Errorf("%w: %s", ErrNotJWT, transcript.Text(err.Error()))
	}
	d := Decoded{Token: transcript.PresentToken(raw, nil, nil), Signature: steps.Mask(parts[2])}
	header, claims := rawMembers(dec.Header), rawMembers(dec.Claims)
	d.Kind = kindOf(header, claims, d.Token.Assertion || o.Assertion)
	iss, _ := str(claims["iss"])
	// What the token says is shown neutralised (transcript.Line), as every
	// server's text is; the raw issuer only drives verification.
	d.Issuer = transcript.Line(iss)
	if d.Kind == KindAssertion {
		checks, refusals := checkAssertion(assertionView{header: header, claims: claims, now: o.Now, audience: o.Audience, tokenURLs: tokenURLs(o.LocalBase)})
		d.Rules = clean(checks)
		if len(refusals) > 0 {
			d.Refusal = refusals[0].String()
		}
		d.NotVerified = "a client assertion's signature is checked by the platform against your app's registered JWKS: run nhsauth doctor"
		return d, nil
	}
	d.verify(ctx, raw, iss, o)
	d.NotVerified = transcript.Text(d.NotVerified) // it quotes the issuer
	return d, nil
}

func rawMembers(ms []steps.Member) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(ms))
	for _, x := range ms {
		m[x.Name] = x.Value
	}
	return m
}

// kindOf tells a token's kind from its members: a client assertion (RFC
// 7523 §3: iss = sub, aud a token URL), a logout token (OpenID Connect
// Back-Channel Logout §2.4: the events claim), an ID token (OpenID Connect
// Core §2: nonce, auth_time, azp, acr or the realms' typ ID), an access
// token (RFC 9068: scope, client_id or typ at+jwt).
func kindOf(header, claims map[string]json.RawMessage, assertion bool) string {
	has := func(m map[string]json.RawMessage, names ...string) bool {
		for _, n := range names {
			if _, ok := m[n]; ok {
				return true
			}
		}
		return false
	}
	typ, _ := str(claims["typ"])
	htyp, _ := str(header["typ"])
	use, _ := str(claims["token_use"])
	switch {
	case assertion:
		return KindAssertion
	case has(claims, "events"):
		return KindLogout
	case strings.EqualFold(typ, "ID") || use == "id" || has(claims, "nonce", "auth_time", "azp", "acr", "at_hash"):
		return KindIDToken
	case strings.EqualFold(htyp, "at+jwt") || strings.EqualFold(typ, "Bearer") || has(claims, "scope", "client_id"):
		return KindAccessToken
	}
	return KindJWT
}

// tokenURLs are the platform's token URLs in every environment, the local
// one's when its base is known.
func tokenURLs(localBase string) []string {
	var out []string
	envs := []flows.Env{}
	for _, name := range flows.EnvNames() {
		if e, err := flows.LookupEnv(name); err == nil {
			envs = append(envs, e)
		}
	}
	if localBase != "" {
		envs = append(envs, flows.Local(localBase))
	}
	for _, e := range envs {
		out = append(out, e.TokenURL(), e.MockTokenURL())
	}
	return out
}

// clean neutralises the checks' text: it quotes the token and servers.
func clean(cs []Check) []Check {
	out := make([]Check, len(cs))
	for i, c := range cs {
		out[i] = Check{Name: transcript.Line(c.Name), Status: c.Status, Detail: transcript.Text(c.Detail), Cause: transcript.Text(c.Cause), Fix: transcript.Text(c.Fix)}
	}
	return out
}

// knownIssuer reports whether iss is an NHS identity provider (the
// Keycloak mock realms, reference §5.1; CIS2 Authentication, §6.1; NHS
// login, §7) or, when base is set, the local platform at base.
func knownIssuer(iss, base string) bool {
	if base != "" && (iss == base || strings.HasPrefix(iss, base+"/")) {
		return true
	}
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "https" {
		return false
	}
	h := u.Hostname()
	return h == "identity.ptl.api.platform.nhs.uk" || strings.HasSuffix(h, ".spineservices.nhs.uk") ||
		h == "auth.login.nhs.uk" || strings.HasSuffix(h, ".signin.nhs.uk")
}

func contains(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
