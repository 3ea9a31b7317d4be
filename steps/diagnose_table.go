package steps

// Codes the NHS platform and Keycloak send (reference §2.6, §3.5, §5.7).
const (
	codeInvalidRequest = "invalid_request"
	codeInvalidGrant   = "invalid_grant"
	codeInvalidClient  = "invalid_client"
	codeUnauthorized   = "unauthorized_client"
	codePublicKey      = "public_key error"
)

// diagnoses is every error nhsauth knows how to explain, in the order of the
// reference's tables. The descriptions are the platform's exact strings.
var diagnoses = []diagnosis{
	// Reference §2.6, client credentials with a signed JWT, rows 1–24.
	{Code: codeInvalidRequest, Desc: "Content-Type header must be application/x-www-form-urlencoded", Hint: Hint{
		Cause: "The token request's body was not sent as a form: its Content-Type was missing or different (JSON or multipart, for example).",
		Fix:   "Send the parameters form-encoded with Content-Type: application/x-www-form-urlencoded (curl's --data-urlencode does this).",
	}},
	{Code: codeInvalidRequest, Desc: "grant_type is missing", Hint: Hint{
		Cause: "The form had no grant_type parameter (or the body was not form-encoded, so no parameter was read).",
		Fix:   "Send grant_type=client_credentials for a signed JWT (or the token-exchange URN to exchange an ID token).",
	}},
	{Code: "unsupported_grant_type", Desc: "grant_type is invalid", Hint: Hint{
		Cause: "grant_type has a value this endpoint does not accept (a typo, stray spaces, or a grant such as password that the platform does not offer).",
		Fix:   "Use client_credentials (signed JWT), urn:ietf:params:oauth:grant-type:token-exchange (ID token), authorization_code or refresh_token.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'", Hint: Hint{
		Cause: "client_assertion_type was missing or not exactly the JWT-bearer URN.",
		Fix:   "Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing client_assertion", Hint: Hint{
		Cause: "No client_assertion parameter arrived: the signed JWT was not sent (or was sent under another name).",
		Fix:   "Sign an assertion and send it as client_assertion in the form body.",
	}},
	{Code: codeInvalidRequest, Desc: "Malformed JWT in client_assertion", Hint: Hint{
		Cause: "client_assertion is not a JWT the platform can decode (three base64url parts joined by dots): often a quoted, line-wrapped or cut value, or a file name sent instead of the token.",
		Fix:   "Send the compact JWT exactly as signed (eyJ….….…), with no quotes or whitespace.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'", Hint: Hint{
		Cause: "The assertion was not signed with RS512. The platform accepts RS512 only: RS256, PS512, HS256 and a missing alg are all refused.",
		Fix:   "Sign with RS512 (PyJWT: algorithm=\"RS512\"; golang-jwt: jwt.SigningMethodRS512).",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'exp' claim in client_assertion JWT - JWT has expired", Hint: Hint{
		Cause: "The assertion's exp is already in the past by the platform's clock: it was signed too long before sending (it lives 240 s), or your clock may be behind.",
		Fix:   "Sign a fresh assertion right before each request. If that still fails, compare your clock with the server's Date header and fix it with NTP.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'kid' header in client_assertion JWT", Hint: Hint{
		Cause: "The assertion's header has no kid, so the platform cannot pick your public key from the registered JWKS.",
		Fix:   "Add the kid header: the kid of your key in the registered JWKS (--kid).",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'typ' header in client_assertion JWT - must be 'JWT'", Hint: Hint{
		Cause: "The assertion's typ header is missing or not JWT; the platform requires it.",
		Fix:   "Set the header typ to \"JWT\" (some libraries leave it out unless asked).",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'exp' claim in client_assertion JWT", Hint: Hint{
		Cause: "The assertion has no exp claim (an exp of 0 counts as missing).",
		Fix:   "Add exp: the expiry in whole seconds since 1970, at most 5 minutes ahead.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'exp' claim in client_assertion JWT - must be an integer", Hint: Hint{
		Cause: "exp is not a JSON number: for example the string \"1700000000\" or a date.",
		Fix:   "Send exp as an unquoted integer number of seconds since 1970.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT", Hint: Hint{
		Cause: "iss and sub must both be present and equal: both are your application's API key.",
		Fix:   "Set iss and sub to the API key (--api-key).",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'jti' claim in client_assertion JWT", Hint: Hint{
		Cause: "The assertion has no jti claim: the platform needs a unique id per assertion to refuse replays.",
		Fix:   "Add jti: a fresh UUID for every assertion.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID", Hint: Hint{
		Cause: "jti must be a JSON string (a GUID), not a number or an object.",
		Fix:   "Send jti as a string, for example a UUID.",
	}},
	{Code: codeInvalidRequest, Desc: "Non-unique 'jti' claim in client_assertion JWT", Hint: Hint{
		Cause: "This jti was used before with this API key: the platform remembers every jti (for 30 days) and accepts each once, even when the first request failed at a later check.",
		Fix:   "Sign a new assertion with a fresh jti (a UUID) for every token request; never reuse or cache an assertion.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future", Hint: Hint{
		Cause: "exp lies more than 5 minutes ahead of the platform's clock: the lifetime you chose is over 5 minutes, or your clock is ahead.",
		Fix:   "Keep exp at most 5 minutes ahead (240 s leaves a margin). If it already is, your clock is ahead: synchronise it with NTP.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'iss'/'sub' claims in client_assertion JWT", Hint: Hint{
		Cause: "The platform does not know this API key: iss and sub must be the key of an application in this environment (int, sandbox and prod apps have different keys).",
		Fix:   "Copy the API key of this environment's app from the developer portal (--api-key). On --env local it is nhsauth-local-api-key unless the platform was started with another.",
	}},
	{Code: codePublicKey, Desc: "You need to register a public key to use this authentication method - please contact support to configure", Hint: Hint{
		Cause: "Your application has no public key registered for signed JWT authentication: no JWKS URL (jwks-resource-url) is set.",
		Fix:   "Register a JWKS URL for the app: upload your <kid>.json in the developer portal or host it on a public HTTPS URL and have it configured. On --env local, put <kid>.json in the local platform's keys folder.",
	}},
	{Code: codePublicKey, Desc: "The JWKS endpoint, for your client_assertion can't be reached", Hint: Hint{
		Cause: "The platform could not fetch the JWKS URL registered for your app (down, not public, or not HTTPS).",
		Fix:   "Open the JWKS URL in a browser from outside your network; it must serve {\"keys\": [...]}. On --env local, check the platform's --jwks-url.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or invalid 'aud' claim in client_assertion JWT", Hint: Hint{
		Cause: "aud must be exactly the token URL you called: {endpoint}. Any difference counts: the host (127.0.0.1 is not localhost), http or https, /oauth2 or /oauth2-mock, a trailing slash.",
		Fix:   "Set aud to {endpoint}, the same string the request goes to.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'kid' header in client_assertion JWT - no matching public key", Hint: Hint{
		Cause: "The kid is not in your registered JWKS: the kid is wrong, or the JWKS holding the new key is not registered yet. On INT the platform caches a fetched JWKS for up to 1 hour, so a newly added key can take that long to be seen.",
		Fix:   "Check --kid against the kids in the JWKS you registered; after registering a new key wait up to an hour, and keep the old key in the set while rotating.",
	}},
	{Code: codePublicKey, Desc: "JWT signature verification failed", Hint: Hint{
		Cause: "The client assertion was signed with a different key than the one registered under its kid: the public key in your JWKS does not belong to the private key you signed with.",
		Fix:   "Sign with the private key whose JWKS you registered, or register the JWKS of the key you use (nhsauth compares a <kid>.json beside the key before sending).",
	}},
	{Code: codeUnauthorized, Desc: "you have tried to request authorization but your application is not configured to use this authorization grant type", Grant: GrantClientCredentials, Hint: Hint{
		Cause: "Your application is not subscribed to an API product with an application-restricted scope (urn:nhsd:apim:app:level3:<api>), so it cannot get a client-credentials token.",
		Fix:   "In the developer portal, add an application-restricted product of the API to your app (for example Hello World's app-level3 product).",
	}},

	// Other platform-wide errors (reference §2.6).
	{Code: codeInvalidRequest, Desc: "Not Found", Hint: Hint{
		Cause: "There is no such endpoint under /oauth2: the path is wrong.",
		Fix:   "Use {base}/oauth2/token (or /oauth2-mock/token, /authorize, /userinfo).",
	}},
	{Code: "access_denied", Desc: "The developer app associated with the API key is not approved or revoked", Hint: Hint{
		Cause: "Your app is not approved yet in this environment, or its API key was revoked.",
		Fix:   "Check the app's status in the developer portal, or use another app's key.",
	}},
	{Code: "access_denied", Desc: "API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.", Hint: Hint{
		Cause: "Your app is not subscribed to a product that covers this API.",
		Fix:   "Add the API's product to the app in the developer portal, for this environment.",
	}},
	{Code: "unknown_error", Desc: "An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID", Hint: Hint{
		Cause: "The platform failed unexpectedly while handling the request.",
		Fix:   "Retry; if it persists, contact NHS API platform support quoting the message_id of the reply.",
	}},

	// The local platform's break-it answers for 429 and 503: the reference
	// records no body for either (§2.6, "Rate-limit (429) body:
	// unconfirmed"), so these are nhsauth's own, in the platform's shape.
	{Code: "rate_limit_exceeded", Desc: "Your application has exceeded its rate limit - retry after the number of seconds in the Retry-After header", Hint: Hint{
		Cause: "The platform is rate-limiting your app (HTTP 429): it sent more requests than its quota or spike arrest allows.",
		Fix:   "Wait the number of seconds the Retry-After header gives, then retry; cache tokens (they live 10 minutes) instead of asking for one per call.",
	}},
	{Code: "service_unavailable", Desc: "The service is temporarily unavailable - retry after the number of seconds in the Retry-After header", Hint: Hint{
		Cause: "The platform is down or overloaded (HTTP 503); your request is not the cause.",
		Fix:   "Retry after the number of seconds in the Retry-After header, backing off; if it persists, contact NHS API platform support quoting the message_id.",
	}},

	// Reference §3.4, token exchange.
	{Code: codeInvalidRequest, Desc: "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'", Hint: Hint{
		Cause: "With the token-exchange grant, subject_token_type must be the id_token URN.",
		Fix:   "Send subject_token_type=urn:ietf:params:oauth:token-type:id_token.",
	}},
	{Code: codeInvalidRequest, Desc: "grant_type is invalid", Hint: Hint{
		Cause: "subject_token_type named an ID token, so the platform took the token-exchange route, but grant_type was missing or not the token-exchange URN.",
		Fix:   "Send grant_type=urn:ietf:params:oauth:grant-type:token-exchange with the ID token, or leave subject_token_type out of other grants.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing subject_token", Hint: Hint{
		Cause: "No subject_token arrived: the ID token was not sent.",
		Fix:   "Send the identity provider's id_token as subject_token.",
	}},
	{Code: codeInvalidRequest, Desc: "Malformed JWT in subject_token", Hint: Hint{
		Cause: "subject_token is not a decodable JWT: often the provider's access or refresh token was sent instead of the ID token, or the value was cut.",
		Fix:   "Send the id_token value from the provider's token response (a JWT: three dot-separated parts).",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'kid' header in subject_token JWT", Hint: Hint{
		Cause: "The ID token has no kid header, so the platform cannot find the identity provider's key.",
		Fix:   "Send the ID token exactly as the provider issued it; never edit or re-sign it.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'typ' header in subject_token JWT - must be 'JWT'", Hint: Hint{
		Cause: "The ID token's typ header is missing or not JWT.",
		Fix:   "Send the ID token exactly as issued; a home-made test provider must set typ JWT.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'alg' header in subject_token JWT", Hint: Hint{
		Cause: "The ID token's header has no alg.",
		Fix:   "Send the ID token exactly as issued; an unsigned token is never accepted.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'exp' claim in subject_token JWT", Hint: Hint{
		Cause: "The ID token has no exp claim.",
		Fix:   "Send the ID token exactly as the provider issued it.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'exp' claim in subject_token JWT - must be an integer", Hint: Hint{
		Cause: "The ID token's exp is not a JSON number.",
		Fix:   "Send the ID token exactly as the provider issued it.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'exp' claim in subject_token JWT - JWT has expired", Hint: Hint{
		Cause: "The ID token has expired: mock realm ID tokens live 1 hour, and must be exchanged soon after the login.",
		Fix:   "Sign in again and exchange the new ID token straight away.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'iss' claim in subject_token JWT", Hint: Hint{
		Cause: "The ID token has no iss claim, so the platform cannot tell which provider issued it.",
		Fix:   "Send the ID token exactly as the provider issued it.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing 'aud' claim in subject_token JWT", Hint: Hint{
		Cause: "The ID token has no aud claim (the platform requires one, though it does not compare it).",
		Fix:   "Send the ID token exactly as the provider issued it.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or non-matching 'iss' claim in subject_token JWT", Path: "/oauth2/", Hint: Hint{
		Cause: "This ID token came from the mock realm (or another issuer /oauth2 does not trust): /oauth2 accepts ID tokens from the real CIS2 and NHS login only.",
		Fix:   "Exchange a mock realm's ID token at /oauth2-mock/token: {mock_endpoint}.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or non-matching 'iss' claim in subject_token JWT", Path: "/oauth2-mock/", Hint: Hint{
		Cause: "/oauth2-mock accepts ID tokens only from this environment's mock realms (Cis2-mock-<env>, NHS-Login-mock-<env>): this one came from another issuer (a real provider, or another environment's realm).",
		Fix:   "Sign in on this environment's mock realm, or exchange a real provider's ID token at /oauth2/token.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing or non-matching 'iss' claim in subject_token JWT", Hint: Hint{
		Cause: "The ID token's issuer is not one this base path trusts: /oauth2 trusts the real CIS2 and NHS login, /oauth2-mock the mock realms of its environment. A mock realm's ID token sent to /oauth2 gets this error.",
		Fix:   "Exchange a mock realm's ID token at /oauth2-mock/token, and a real provider's at /oauth2/token.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid 'kid' header in subject_token JWT - no matching public key", Hint: Hint{
		Cause: "The ID token's kid is not among the identity provider's published keys: it was signed by another realm or by a key the provider does not publish.",
		Fix:   "Use an ID token issued by the realm the platform trusts for this environment, unmodified.",
	}},
	{Code: codePublicKey, Desc: "JWT signature verification failed", Grant: GrantTokenExchange, Hint: Hint{
		Cause: "In a token exchange this can also be the ID token: its signature does not verify against the identity provider's published keys (it was edited or re-signed).",
		Fix:   "Send the ID token exactly as issued; if it is untouched, check the client assertion's key against your registered JWKS.",
	}},
	{Code: codeUnauthorized, Desc: "you have tried to request authorization but your application is not configured to use this authorization grant type", Grant: GrantTokenExchange, Hint: Hint{
		Cause: "Insufficient assurance for your app's products: the platform keeps only the app's user-restricted scopes at the user's level (CIS2 authentication_assurance_level, NHS login identity_proofing_level), and none was left.",
		Fix:   "Sign in as a user at the level your app's products need (CIS2 AAL3 such as 656005750104; NHS login P9 9912003071 or P5 9912003072), or subscribe the app to a product at the user's level.",
	}},

	// Reference §3.5, refresh (and §4.3, the combined pattern's token request).
	{Code: codeInvalidRequest, Desc: "client_secret is missing", Hint: Hint{
		Cause: "No client_secret was sent: refreshing a platform token (and redeeming a combined-pattern code) needs your app's API secret, even for token-exchange apps.",
		Fix:   "Pass the API secret (--api-secret; on --env local it is nhsauth-local-api-secret).",
	}},
	{Code: codeInvalidClient, Desc: "client_id or client_secret is invalid", Hint: Hint{
		Cause: "The API key (client_id) or the API secret (client_secret) is wrong for this environment.",
		Fix:   "Copy both from the app's page in the developer portal for this environment (--api-key, --api-secret).",
	}},
	{Code: codeInvalidRequest, Desc: "client_id is missing", Hint: Hint{
		Cause: "No client_id was sent: the platform identifies your app by its API key there.",
		Fix:   "Send client_id=<your API key>.",
	}},
	{Code: codeInvalidRequest, Desc: "refresh_token is missing", Hint: Hint{
		Cause: "No refresh_token was sent with grant_type=refresh_token.",
		Fix:   "Send the refresh_token from the latest token response.",
	}},
	{Code: codeInvalidGrant, Desc: "refresh_token is invalid", Hint: Hint{
		Cause: "The refresh token is unknown or already used: every refresh returns a new refresh token and retires the old one. It must also go to the base path that issued it (/oauth2 or /oauth2-mock).",
		Fix:   "Send the refresh_token from the latest response, at the same base path; if it is lost, sign in again.",
	}},
	{Code: codeInvalidGrant, Desc: "refresh token refresh period has expired", Hint: Hint{
		Cause: "The refresh window has ended: it is fixed at the first token (12 h for CIS2, 1 h for NHS login) and counts down across refreshes.",
		Fix:   "Sign the user in again to start a new session.",
	}},

	// Reference §4.1–§4.5: authorise, callback, code redemption and userinfo
	// on the platform.
	{Code: codeInvalidRequest, Desc: "client_id is invalid", Hint: Hint{
		Cause: "The API key sent as client_id is not known in this environment.",
		Fix:   "Use the API key of this environment's app from the developer portal.",
	}},
	{Code: codeInvalidRequest, Desc: "redirect_uri is missing", Hint: Hint{
		Cause: "No redirect_uri was sent.",
		Fix:   "Send redirect_uri: the callback URL registered for your app, exactly.",
	}},
	{Code: codeInvalidRequest, Desc: "redirect_uri is invalid", Hint: Hint{
		Cause: "redirect_uri is not exactly the callback URL registered for your app (scheme, host, port, path and trailing slash all count).",
		Fix:   "Send the registered callback URL, or register this one in the developer portal.",
	}},
	{Code: codeInvalidRequest, Desc: "state is missing", Hint: Hint{
		Cause: "The authorise request had no state; the platform requires one to tie the callback to the request.",
		Fix:   "Send a fresh random state and check it on the callback.",
	}},
	{Code: codeInvalidRequest, Desc: "response_type is missing", Hint: Hint{
		Cause: "The authorise request had no response_type.",
		Fix:   "Send response_type=code.",
	}},
	{Code: "unsupported_response_type", Desc: "response_type is invalid", Hint: Hint{
		Cause: "response_type was not code: the platform supports the authorization code flow only.",
		Fix:   "Send response_type=code.",
	}},
	{Code: codeUnauthorized, Desc: "you have tried to request authorization but your application is not configured to use this authorization grant type", Grant: GrantAuthorizationCode, Path: "/callback", Hint: Hint{
		Cause: "Insufficient assurance, found at the platform's callback: it keeps only the app's product scopes at the user's level (CIS2 aal<n>, NHS login P<n>); none was left, so it answered the browser 401 and never reached your callback.",
		Fix:   "Sign in as a user at the level your app's products need (CIS2 AAL3 such as 656005750104; NHS login P9 9912003071 or P5 9912003072), or subscribe the app to a product at the user's level.",
	}},
	{Code: codeInvalidRequest, Desc: "Invalid state parameter.", Hint: Hint{
		Cause: "The platform has no record of this state: its state is single use, so a replayed callback (the browser's back button, a second tab, a reload) or a retry after a failure gets this; so does a login left too long, or a state changed on its way back (a proxy or extension rewriting the URL).",
		Fix:   "Start the login again from the authorise step, in one tab, without going back.",
	}},
	{Desc: "Invalid 'aud' claim in external ID token JWT", Hint: Hint{
		Cause: "The identity provider's ID token was not issued to the platform's own client: the provider and the platform are out of step.",
		Fix:   "Retry the login; if it persists, contact NHS API platform support.",
	}},
	{Desc: "Invalid iss claim in external ID token JWT", Hint: Hint{
		Cause: "The identity provider's ID token has an issuer the platform does not expect for this environment.",
		Fix:   "Retry the login; if it persists, contact NHS API platform support.",
	}},
	{Code: codeInvalidRequest, Desc: "authorization_code is missing", Hint: Hint{
		Cause: "No code was sent with grant_type=authorization_code.",
		Fix:   "Send the code from the callback as code.",
	}},
	{Code: codeInvalidGrant, Desc: "authorization_code is invalid", Hint: Hint{
		Cause: "The authorisation code is unknown, already used or expired: codes are single use and short-lived.",
		Fix:   "Sign in again for a fresh code and redeem it at once, once.",
	}},
	{Code: codeInvalidRequest, Desc: "The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation", Hint: Hint{
		Cause: "The platform's userinfo answers only for tokens from CIS2 combined authentication; this token came from another pattern.",
		Fix:   "For separate authentication, call the identity provider's own userinfo endpoint with its access token.",
	}},

	{Code: codeInvalidRequest, Desc: "Malformed JWT in External ID token", Hint: Hint{
		Cause: "The identity provider answered the platform's callback with an ID token the platform could not decode: the provider and the platform are out of step, not your app.",
		Fix:   "Retry the login; if it persists, contact NHS API platform support quoting the message_id.",
	}},

	// Reference §4.6, back-channel logout at the platform: the identity
	// provider's request, refused.
	{Code: codeInvalidRequest, Desc: "Malformed JWT in logout_token", Hint: Hint{
		Cause: "The back-channel logout request's logout_token is not a JWT the platform can decode.",
		Fix:   "Send logout_token=<the compact JWT> form-encoded, as OpenID Connect Back-Channel Logout 1.0 §2.5 says.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing/invalid aud claim in JWT", Hint: Hint{
		Cause: "The logout token's aud (its first element) is not the platform's own client at the identity provider.",
		Fix:   "Issue the logout token to the platform's client id, the one its ID tokens carry as aud.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing/invalid iss claim in JWT", Hint: Hint{
		Cause: "The logout token's iss is not the identity provider's issuer for this environment (compared case-insensitively).",
		Fix:   "Use the issuer of the provider's discovery document as iss.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing sid claim in JWT", Hint: Hint{
		Cause: "The logout token has no sid: the platform ends sessions by sid only.",
		Fix:   "Include the session's sid, the one in the user's ID token.",
	}},
	{Code: codeInvalidRequest, Desc: "Missing/invalid events claim in JWT", Hint: Hint{
		Cause: "The logout token's events claim is missing or lacks the member http://schemas.openid.net/event/backchannel-logout.",
		Fix:   "Send events = {\"http://schemas.openid.net/event/backchannel-logout\": {}} (Back-Channel Logout 1.0 §2.4).",
	}},
	{Code: codeInvalidRequest, Desc: "Prohibited nonce claim in JWT", Hint: Hint{
		Cause: "The logout token carries a nonce, which Back-Channel Logout 1.0 §2.4 prohibits (so that it cannot pass for an ID token).",
		Fix:   "Leave nonce out of the logout token.",
	}},
	{Code: "not_implemented", Desc: "Logout Failed", Hint: Hint{
		Cause: "The platform could not fetch the identity provider's JWKS to verify the logout token.",
		Fix:   "Check the provider's jwks_uri is reachable; retry the logout later.",
	}},
	{Code: "bad_request", Desc: "Unable to verify JWT", Hint: Hint{
		Cause: "The logout token's signature does not verify with the identity provider's keys (wrong key, unknown kid, or alg none).",
		Fix:   "Sign the logout token with a key published in the provider's JWKS, as its ID tokens are.",
	}},
	{Code: "not_implemented", Desc: "SID not found", Hint: Hint{
		Cause: "The platform holds no session with this sid: it was never issued a token, or it already ended (a second logout, or tokens never exchanged).",
		Fix:   "Nothing to do for an ended session; otherwise check the sid is the one in the user's ID token.",
	}},

	// Reference §5.7, Keycloak's own token endpoint (the mock realms).
	{Code: codeInvalidGrant, Desc: "Code not valid", Hint: Hint{
		Cause: "The authorisation code is unknown, already used or expired: Keycloak codes are single use and live about a minute.",
		Fix:   "Run the login again for a fresh code and exchange it straight away, once.",
	}},
	{Code: codeInvalidGrant, Desc: "Incorrect redirect_uri", Hint: Hint{
		Cause: "The token request's redirect_uri differs from the authorise request's (https://example.org and https://example.org/ differ).",
		Fix:   "Send exactly the redirect_uri used when authorising.",
	}},
	{Code: codeInvalidGrant, Desc: "PKCE verification failed", Hint: Hint{
		Cause: "The code_verifier is missing or does not hash (S256) to the code_challenge sent when authorising.",
		Fix:   "Send the code_verifier generated with this login's challenge; a new login needs a new pair.",
	}},
	{Code: codeUnauthorized, Desc: "Invalid client or Invalid client credentials", Hint: Hint{
		Cause: "The mock client's client_id or client_secret is wrong, or sent the way the client does not accept.",
		Fix:   "Fetch them again from mock-jwks/keycloak-client-credentials with your API key, and check client_secret_post against client_secret_basic.",
	}},
	{Code: codeInvalidGrant, Desc: "Invalid refresh token", Hint: Hint{
		Cause: "Keycloak does not know this refresh token, or it was already used or has expired.",
		Fix:   "Use the latest refresh token, or sign in again.",
	}},

	// Reference §6.4, CIS2's own token endpoint.
	{Code: codeInvalidClient, Desc: "JWT is not valid", Hint: Hint{
		Cause: "CIS2 refused the private_key_jwt client assertion: wrong aud (it must be the token endpoint exactly as in discovery), an unregistered key, or an expired exp.",
		Fix:   "Check aud against the discovery document's token_endpoint and the key registered in Connection Manager.",
	}},

	// The local CIS2's token endpoint (ForgeRock AM's wording; reference §6
	// records only "JWT is not valid").
	{Code: codeInvalidClient, Desc: "Client authentication failed", Hint: Hint{
		Cause: "CIS2 could not authenticate the client: unknown client_id, a wrong secret, or an authentication method other than the one registered in Connection Manager.",
		Fix:   "Use the client id and the method registered (--client-auth), with that client's secret or key.",
	}},
	{Code: codeInvalidGrant, Desc: "The provided access grant is invalid, expired, or revoked.", Hint: Hint{
		Cause: "The authorisation code is unknown, already used or expired: CIS2 codes are single use and short-lived.",
		Fix:   "Sign in again for a fresh code and redeem it at once, once.",
	}},
	{Code: codeInvalidGrant, Desc: "The redirection URI provided does not match a pre-registered value.", Hint: Hint{
		Cause: "The token request's redirect_uri differs from the authorise request's (or from the client's registered ones).",
		Fix:   "Send exactly the redirect_uri used when authorising, one registered in Connection Manager.",
	}},
	{Code: codeInvalidGrant, Desc: "The request failed the PKCE code verifier check", Hint: Hint{
		Cause: "The code_verifier is missing or does not hash (S256) to the code_challenge sent when authorising.",
		Fix:   "Send the code_verifier generated with this login's challenge.",
	}},

	// Fallbacks by code alone (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1;
	// OpenID Connect Core §3.1.2.6).
	{Code: codeInvalidRequest, Hint: Hint{
		Cause: "The server found a required parameter missing, repeated or malformed.",
		Fix:   "Read the error_description: it names the parameter.",
	}},
	{Code: codeInvalidClient, Hint: Hint{
		Cause: "The server could not authenticate your client (wrong client_id, secret or assertion).",
		Fix:   "Check the client credentials for this environment.",
	}},
	{Code: codeInvalidGrant, Hint: Hint{
		Cause: "The grant (code, refresh token or assertion) is invalid, expired, already used, or was issued to another client or redirect URI.",
		Fix:   "Start the step that produced it again and use the new value at once.",
	}},
	{Code: codeUnauthorized, Hint: Hint{
		Cause: "Your client is not allowed to use this grant type (on the NHS platform: no product with a scope for this pattern and level).",
		Fix:   "Check the app's products in the developer portal.",
	}},
	{Code: "unsupported_grant_type", Hint: Hint{
		Cause: "The server does not support this grant_type.",
		Fix:   "Check the grant_type value for typos.",
	}},
	{Code: "invalid_scope", Hint: Hint{
		Cause: "The requested scope is unknown or not allowed for this client.",
		Fix:   "Request the scopes the provider documents (openid profile, plus nationalrbacaccess for CIS2).",
	}},
	{Code: "access_denied", Hint: Hint{
		Cause: "Access was refused: at a login, the user cancelled or did not consent; at an API, the app lacks the product.",
		Fix:   "Sign in again and complete the login, or check the app's products.",
	}},
	{Code: "unsupported_response_type", Hint: Hint{
		Cause: "The server does not support this response_type.",
		Fix:   "Use response_type=code.",
	}},
	{Code: "server_error", Hint: Hint{
		Cause: "The identity provider failed while handling the login.",
		Fix:   "Retry in a minute.",
	}},
	{Code: "temporarily_unavailable", Hint: Hint{
		Cause: "The identity provider is overloaded or under maintenance.",
		Fix:   "Retry later.",
	}},
	{Code: "login_required", Hint: Hint{
		Cause: "The provider needs the user to sign in (prompt=none could not be satisfied).",
		Fix:   "Authorise again without prompt=none.",
	}},
	{Code: "interaction_required", Hint: Hint{
		Cause: "The provider needs the user to interact (prompt=none could not be satisfied).",
		Fix:   "Authorise again without prompt=none.",
	}},
	{Code: "consent_required", Hint: Hint{
		Cause: "The user has not consented to the requested scopes.",
		Fix:   "Authorise again and accept the consent screen.",
	}},
	{Code: "invalid_token", Hint: Hint{
		Cause: "The access token is expired, revoked or malformed.",
		Fix:   "Get a fresh token and call again.",
	}},
	{Code: "insufficient_scope", Hint: Hint{
		Cause: "The access token lacks the scope this endpoint needs.",
		Fix:   "Get a token with the needed scope (for userinfo, openid).",
	}},
	{Code: codePublicKey, Hint: Hint{
		Cause: "The platform could not use your registered public key for this assertion.",
		Fix:   "Check the JWKS registered for your app and the kid you sign with.",
	}},
	{Code: "unknown_error", Hint: Hint{
		Cause: "The platform failed unexpectedly.",
		Fix:   "Retry; if it persists, contact NHS API platform support quoting the message_id.",
	}},
}
