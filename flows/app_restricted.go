package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// SignedJWTGuide is NHS England's guide to the application-restricted
// pattern with signed JWT authentication (reference S8).
const SignedJWTGuide = "https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/application-restricted-restful-apis-signed-jwt-authentication"

// AppRestricted is the application-restricted signed-JWT flow (reference §2):
// key ready → JWKS published → client assertion signed → token requested →
// API called.
func AppRestricted() *Flow {
	return &Flow{
		ID:         "app-restricted",
		Title:      "Application-restricted (signed JWT)",
		Pattern:    "A backend system calls an API as itself: no user, a signed JWT buys a 10-minute token.",
		Doc:        SignedJWTGuide,
		DefaultURL: "/hello-world/hello/application",
		Steps: []Step{
			{
				ID:    "key",
				Title: "Key ready",
				What: "Finds the RSA private key your app signs with and checks it: at least 2048 bits and, when a JWKS " +
					"named <kid>.json sits beside it, that the JWKS holds this kid with the same public key. On the local " +
					"platform a 4096-bit key pair is made in .auth/ when there is none.",
				Why: "The platform never sees your private key: it checks each signature with the public key you registered. " +
					"A key that does not match the registered JWKS fails only at the token endpoint, with a terse " +
					"\"JWT signature verification failed\"; checking here says what is wrong before anything is sent.",
				Doc:    "NHS signed JWT guide, step 2 \"Generate a key pair\" (" + SignedJWTGuide + "); RFC 7518 §3.3 (RSA keys of 2048 bits or more)",
				Inputs: []Input{keyFileInput(), keyIDInput()},
				Run:    func(_ context.Context, j *Journey) Outcome { return ReadyKey(j) },
			},
			{
				ID:    "jwks",
				Title: "JWKS published",
				What: "Shows the public half of the key as the JSON Web Key Set (JWKS) the platform verifies your " +
					"signatures with, and where it has to be published.",
				Why: "The platform finds your public key by the assertion's kid in the JWKS registered for your app (its " +
					"jwks-resource-url). The local platform reads every JWKS in its keys folder; on INT and beyond you " +
					"register the JWKS once, and the platform caches it for up to an hour, so a new key can take that long to work.",
				Doc: "RFC 7517 §5 (JWK Set); NHS signed JWT guide, step 3 \"Register your public key\" (" + SignedJWTGuide + ")",
				Run: publishJWKS,
			},
			{
				ID:    "assertion",
				Title: "Client assertion signed",
				What: "Signs a short-lived JWT with RS512: header kid and typ JWT; claims iss and sub = your API key, " +
					"aud = the token URL, a fresh jti (a UUID) and exp 240 s ahead.",
				Why: "The assertion proves your app holds the private key without ever sending it (RFC 7523). The platform " +
					"refuses an expired assertion, one whose exp is more than 5 minutes ahead, an aud other than the URL " +
					"called, and any jti it has seen before: so a new assertion is signed for every token request.",
				Doc:    "RFC 7523 §3 (JWT for client authentication); NHS signed JWT guide, step 4 \"Generate and sign a JWT\" (" + SignedJWTGuide + ")",
				Inputs: []Input{assertionAPIKeyInput()},
				Run:    signAssertion,
			},
			{
				ID:    "token",
				Title: "Token requested",
				What: "POSTs the assertion to the platform's token endpoint as a client-credentials grant and receives an " +
					"access token that lasts 10 minutes.",
				Why: "APIs accept the platform's short-lived opaque bearer token, not your JWT. The token endpoint checks the " +
					"assertion in a fixed order (form, claims, API key, JWKS, signature, products) and its error names the " +
					"first check that failed; nhsauth explains each one.",
				Doc: "RFC 6749 §4.4 (client credentials grant); RFC 7523 §2.2 (client_assertion); NHS signed JWT guide, step 5 \"Get an access token\" (" + SignedJWTGuide + ")",
				Run: requestToken,
			},
			{
				ID:    "api",
				Title: "API called",
				What:  "Calls the API with Authorization: Bearer <access token> and a fresh X-Request-ID.",
				Why: "An application-restricted token opens the endpoints of your app's app-level3 products: Hello World's " +
					"/hello/application answers \"Hello Application!\", while a user-restricted endpoint such as " +
					"/hello/user refuses it with 401, because no user signed in.",
				Doc:    "RFC 6750 §2.1 (bearer token); NHS signed JWT guide, step 6 \"Call the API\" (" + SignedJWTGuide + ")",
				Inputs: []Input{apiCallURLInput("/hello-world/hello/application")},
				Run: func(ctx context.Context, j *Journey) Outcome {
					return callBearerAPI(ctx, j, "/hello-world/hello/application")
				},
			},
		},
	}
}

// errNoKey means a step that needs the key ran before "Key ready".
var errNoKey = errors.New("flows: no key loaded: run the \"Key ready\" step first")

// signAssertion signs the client assertion for the platform's token URL.
func signAssertion(_ context.Context, j *Journey) Outcome {
	if j.Key == nil {
		return Fail(errNoKey)
	}
	signed, ex, err := platformAuth(j).Sign(j.Env.TokenURL())
	if err != nil {
		return Fail(err, ex)
	}
	j.Secret(signed)
	j.Assertion = signed
	return Outcome{
		Summary:   fmt.Sprintf("Assertion signed for %s (kid %s), expires in %d s", j.Env.TokenURL(), j.KID, int(steps.DefaultAssertionLifetime/time.Second)),
		Exchanges: []steps.Exchange{ex},
		JWT:       signed,
	}
}

// platformAuth is the app's signed-JWT client authentication at the
// platform (reference §2): the journey's key, kid, API key and clock.
func platformAuth(j *Journey) steps.ClientAuth {
	return steps.PlatformAuth(j.Key, j.KID, j.APIKey, j.Now)
}

// requestToken exchanges the assertion for an access token. An assertion
// already sent (a re-run) or expired is replaced by a fresh one first: the
// platform accepts each jti once (reference §2.7).
func requestToken(ctx context.Context, j *Journey) Outcome {
	var pre []steps.Exchange
	var details []string
	if reason := staleAssertion(j); reason != "" {
		o := signAssertion(ctx, j)
		if o.Failed() {
			return o
		}
		pre = o.Exchanges
		details = append(details, "Signed a fresh assertion first: "+reason+".")
	}
	j.sentAssertion = j.Assertion
	auth := platformAuth(j)
	auth.Assertion = j.Assertion
	tok, exs, err := steps.ClientCredentials(ctx, j.HTTP, steps.ClientCredentialsParams{TokenURL: j.Env.TokenURL(), Auth: auth})
	j.Secret(tok.Secrets()...)
	exs = append(pre, exs...)
	if err != nil {
		o := Fail(err, exs...)
		o.Details = details
		return withSkew(o, j.Now())
	}
	j.Token = tok
	details = append(details, fmt.Sprintf("Token type %s: the API calls send it in the Authorization header.", tok.TokenType))
	if tok.IssuedAt > 0 {
		issued := time.UnixMilli(int64(tok.IssuedAt)).UTC()
		details = append(details, fmt.Sprintf("Issued at %s; expires at %s.", issued.Format(time.RFC3339), issued.Add(time.Duration(tok.ExpiresIn)*time.Second).Format(time.RFC3339)))
	}
	return Outcome{
		Summary:   fmt.Sprintf("Access token issued, expires in %d s", tok.ExpiresIn),
		Details:   details,
		Exchanges: exs,
	}
}

// staleAssertion says why the journey's assertion cannot be sent as it is,
// or "" when it can.
func staleAssertion(j *Journey) string {
	switch {
	case j.Assertion == "":
		return "none was signed yet"
	case j.Assertion == j.sentAssertion:
		return "the last one was already sent, and the platform accepts each jti only once"
	}
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(j.Assertion, &claims); err == nil && claims.ExpiresAt != nil && !j.Now().Before(claims.ExpiresAt.Time) {
		return "the last one expired at " + claims.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return ""
}

// callBearerAPI calls the journey's API URL (or def) with the access token.
func callBearerAPI(ctx context.Context, j *Journey, def string) Outcome {
	target := j.APIURL
	if target == "" {
		target = def
	}
	target = j.Env.Resolve(target)
	resp, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: target, AccessToken: j.Token.AccessToken, Header: j.Headers, FollowRedirects: j.FollowRedirects})
	j.API = APIResult{Status: resp.Status, Body: resp.Body}
	if err != nil {
		return Fail(err, exs...)
	}
	summary := fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))
	if msg := bodyMessage(resp.Body); msg != "" {
		summary += ": " + msg
	}
	return Outcome{Summary: summary, Exchanges: exs}
}

// bodyMessage is the "message" of a JSON body (Hello World's answer), or "".
func bodyMessage(b []byte) string {
	var v struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v.Message
}

// Inputs shared by the flows that sign client assertions.

func keyFileInput() Input {
	return Input{
		Key: "private-key", Label: "Private key (PEM)",
		Help: "The RSA private key your app signs with. Default: .auth/<env>-1.pem (created on local when missing).",
		Get:  keyPath,
		Set: func(j *Journey, v string) error {
			v = strings.TrimSpace(v)
			if j.KID != "" && j.KID == keystore.KIDFromPath(keyPath(j)) {
				j.KID = "" // the kid followed the old file name: let it follow the new one
			}
			j.KeyPath = v
			return nil
		},
	}
}

func keyIDInput() Input {
	return Input{
		Key: "kid", Label: "Key id (kid)",
		Help: "The kid of the key in your registered JWKS. Default: the key file's name without .pem.",
		Get:  keyID,
		Set: func(j *Journey, v string) error {
			v = strings.TrimSpace(v)
			if strings.ContainsAny(v, " \t/\\") {
				return fmt.Errorf("flows: kid %q: use letters, digits, '-' or '_'", v)
			}
			j.KID = v
			return nil
		},
	}
}

func assertionAPIKeyInput() Input {
	return Input{
		Key: "api-key", Label: "API key",
		Help: "Your app's API key from the developer portal: the assertion's iss and sub.",
		Get:  func(j *Journey) string { return j.APIKey },
		Set: func(j *Journey, v string) error {
			v = strings.TrimSpace(v)
			if v == "" {
				return errors.New("flows: the API key cannot be empty")
			}
			j.APIKey = v
			return nil
		},
	}
}

func apiCallURLInput(def string) Input {
	return Input{
		Key: "url", Label: "API URL",
		Help: "The API to call: a full URL, or a path resolved against the environment (default " + def + ").",
		Get: func(j *Journey) string {
			if j.APIURL != "" {
				return j.APIURL
			}
			return def
		},
		Set: func(j *Journey, v string) error {
			v = strings.TrimSpace(v)
			if v != "" && !strings.HasPrefix(v, "/") {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return fmt.Errorf("flows: %q is not a URL: give https://host/path or a path starting with /", v)
				}
			}
			j.APIURL = v
			return nil
		},
	}
}
