package mock

import (
	"net/http"
	"time"
)

// The combined pattern's choices where reference §4 is unconfirmed or
// silent, kept together so one file says what the local platform assumes
// (nhsauth mock --help repeats it).
const (
	// DefaultCallbackURL is the local app's registered callback URL
	// (nhsauth mock --callback): one per app, compared exactly (§4).
	DefaultCallbackURL = "http://127.0.0.1:8401/callback"

	// pendingAuthTTL is how long the platform keeps an authorise request
	// under its own state while the user signs in (§4.1: unstated; the
	// realm's own login timeout, 30 minutes, is used).
	pendingAuthTTL = loginTabTTL

	// combinedCodeTTL is the life of the platform's code (§4.2 step 6:
	// "the code lives ≤ 300 s").
	combinedCodeTTL = 300 * time.Second

	// platformMaxAge is max_age on the platform's authorise redirect to the
	// identity provider (§4.1).
	platformMaxAge = 300
)

// Answers the reference leaves unconfirmed.
var (
	// userinfoUnauthorized answers /userinfo without a live token (§4.5
	// row 1 gives only the status 401); the platform's invalid_token body
	// shape is assumed.
	userinfoUnauthorized = perr(http.StatusUnauthorized, "access_denied", "Invalid access token")

	// backchannelForbidden answers a back-channel logout from outside the
	// allow list (§4.6: 403; locally only loopback addresses are allowed;
	// the body is assumed).
	backchannelForbidden = perr(http.StatusForbidden, "access_denied", "Forbidden")
)

// The local CIS2 requires PKCE of every client (reference §6.1 does not
// say real CIS2 does; §4.1's redirect has no code_challenge), so /oauth2 adds
// an S256 code_challenge to its authorise redirect and the code_verifier to
// its code redemption. /oauth2-mock's redirect to the realms is exactly
// §4.1's.

// NHS login's code is redeemed by the platform with private_key_jwt (§4.2
// step 3); the local realm's platform client takes client_secret_post for
// both realms, since the realms authenticate clients by secret only.
