package flows

import (
	"strings"

	"github.com/nhsauth/nhsauth/steps"
)

// steps is cis2-direct's list (reference §6, issue "CIS2 Authentication
// directly").
func (d *direct) steps() []Step {
	s := d.sep
	return []Step{
		{
			ID: "register", Title: "Register the client",
			What:   "On local: registers a client at the local Connection Manager with RFC 7591 metadata (redirect URI, client authentication, signed userinfo, back-channel logout URI) and starts the back-channel logout receiver. Elsewhere: uses the client id and secret or key you registered in CIS2's Connection Manager, which nhsauth cannot do for you.",
			Why:    "CIS2 only talks to clients it knows: the redirect URI must match exactly, and the token endpoint insists on the authentication method registered.",
			Doc:    "RFC 7591 §2, §3; CIS2 Register to access an environment (" + docCIS2Register + ")",
			Inputs: []Input{clientIDInput(), clientSecretInput(), directAuthInput(), userinfoAlgInput()},
			Run:    d.runRegister,
		},
		{
			ID: "discovery", Title: "Discover CIS2",
			What: "Reads CIS2's discovery document: its issuer (ForgeRock AM's realm path) and every endpoint the later steps use.",
			Why:  "CIS2's guidance says to fetch discovery at run time and cache it for at most an hour; the issuer here is the one every ID token carries.",
			Doc:  "OpenID Connect Discovery 1.0 §4; CIS2 discovery (reference §6.1)",
			Run:  d.runDiscovery,
		},
		{
			ID: "authorize", Title: "Build the authorise URL",
			What:   "Makes a fresh state, nonce and PKCE pair, asks for the assurance level with acr_values and for the claims with scopes, and starts the loopback listener at the registered redirect URI.",
			Why:    "acr_values tells CIS2 how strongly the user must authenticate (AAL3_ANY: a smartcard or equivalent); the relying party checks the level again in the ID token.",
			Doc:    "OpenID Connect Core §3.1.2.1; RFC 7636; CIS2 authenticator guidance (reference §6.3)",
			Inputs: []Input{acrInput(), scopeInput(DefaultCIS2Scope)},
			Run:    d.runAuthorize,
		},
		{
			ID: "sign-in", Title: "Sign in", PreparedBy: "authorize",
			What:   "Signs in on CIS2's login page as a test user (by user UID): in the browser, by pasting the redirected URL, or by submitting the login form directly.",
			Why:    "The user proves who they are to CIS2, never to your app; a user below the requested level is refused.",
			Doc:    "OpenID Connect Core §3.1.2.5; CIS2 test users (reference §5.3)",
			Wait:   WaitBrowser,
			Inputs: []Input{userInput("user UID", steps.CIS2TestUsers)},
			Run:    d.runSignIn,
		},
		{
			ID: "code", Title: "Exchange the code",
			What:   "Redeems the code at CIS2's access_token endpoint with PKCE and the registered client authentication; a JWT method's assertion is shown decoded.",
			Why:    "The token endpoint refuses any other method than the registered one, and a client assertion whose aud is not the token endpoint exactly as discovery states it.",
			Doc:    "RFC 6749 §4.1.3; RFC 7523 §2.2; OpenID Connect Core §9; reference §6.4",
			Inputs: []Input{algInput()},
			Run:    d.runCode,
		},
		{
			ID: "id-token", Title: "Verify the ID token",
			What: "Checks the ID token line by line (signature, algorithm, issuer, audience, expiry, issue time, nonce), then the assurance a relying party must check itself for its acr_values.",
			Why:  "CIS2 signs RS256 with a kid from jwk_uri; the assurance claims decide what the user may do, and their JSON type is unconfirmed, so numbers and digit strings are both accepted.",
			Doc:  "OpenID Connect Core §3.1.3.7; reference §6.3",
			Run:  d.runIDToken,
		},
		{
			ID: "userinfo", Title: "Read the userinfo",
			What: "Calls userinfo with the access token; a signed answer (application/jwt) is verified line by line: algorithm, kid, signature, iss, and sub equal to the ID token's.",
			Why:  "Userinfo carries the RBAC roles; signed, it cannot be altered on the way. CIS2's signed userinfo has no aud today, so none is required.",
			Doc:  "OpenID Connect Core §5.3; reference §6.2, §6.5",
			Run:  d.runUserinfo,
		},
		{
			ID: "token-exchange", Title: "Exchange the ID token for platform tokens",
			What:   "Optional: sends CIS2's ID token to the platform's /oauth2/token (which trusts CIS2) with your app's signed client assertion.",
			Why:    "APIs on the platform want the platform's tokens; the exchange keeps only the products at the user's assurance level.",
			Doc:    "RFC 8693 §2.1; reference §3",
			Inputs: []Input{exchangeURLInput()},
			Run:    d.runTokenExchange,
		},
		{
			ID: "call-api", Title: "Call the API",
			What:   "Calls the API with the platform access token.",
			Why:    "Hello World's /hello/user wants a user-restricted token at CIS2 AAL3.",
			Doc:    "RFC 6750 §2.1; NHS Hello World API",
			Inputs: []Input{urlInput(s.defaultURL)},
			Run:    d.runCallAPI,
		},
		{
			ID: "logout", Title: "Back-channel logout",
			What: "Ends the session at CIS2's endSession with the ID token as hint; CIS2 POSTs a logout token to the registered backchannel_logout_uri, where the receiver validates it, each check on its own line, and answers 200 or 400.",
			Why:  "CIS2 ends sessions on its side too (a smartcard pulled out): the app must end its own session when told, and must not be fooled by a forged or replayed logout token.",
			Doc:  docBCL + "; reference §6.5",
			Run:  d.runLogout,
		},
	}
}

func clientIDInput() Input {
	return Input{Key: "client-id", Label: "CIS2 client id", Help: "The client id Connection Manager issued (<12 digits>.apps.national|supplier); empty on local: registered for you.",
		Get: func(j *Journey) string { return j.Direct.ClientID },
		Set: func(j *Journey, v string) error { j.Direct.ClientID = strings.TrimSpace(v); return nil }}
}

func clientSecretInput() Input {
	return Input{Key: "client-secret", Label: "CIS2 client secret", Secret: true, Help: "The client secret (a GUID) for client_secret_post, _basic or _jwt; empty on local: issued at registration.",
		Get: func(j *Journey) string { return j.Direct.ClientSecret },
		Set: func(j *Journey, v string) error {
			j.Direct.ClientSecret = strings.TrimSpace(v)
			j.Secret(j.Direct.ClientSecret)
			return nil
		}}
}

func directAuthInput() Input {
	return Input{Key: "client-auth", Label: "Client authentication", Help: steps.JoinAuthMethods(steps.AuthMethods()) + " (CIS2 offers all four; reference §6.4).",
		Get: func(j *Journey) string { return string(j.Direct.ClientAuth) },
		Set: func(j *Journey, v string) error {
			m, err := steps.ParseAuthMethod(v)
			if err != nil {
				return err
			}
			j.Direct.ClientAuth = m
			return nil
		}}
}

func userinfoAlgInput() Input {
	return Input{Key: "userinfo-alg", Label: "Signed userinfo", Help: "userinfo_signed_response_alg registered on local: RS256 or RS512.",
		Get: func(j *Journey) string { return j.Direct.UserinfoAlg },
		Set: func(j *Journey, v string) error {
			return setChoice(&j.Direct.UserinfoAlg, v, "userinfo-alg", "RS256", "RS512")
		}}
}

func algInput() Input {
	return Input{Key: "alg", Label: "Assertion algorithm", Help: "private_key_jwt: RS512 (default) or RS256; client_secret_jwt: HS256 (default) or HS512.",
		Get: func(j *Journey) string { return j.Direct.Alg },
		Set: func(j *Journey, v string) error {
			return setChoice(&j.Direct.Alg, v, "alg", "", "RS512", "RS256", "HS256", "HS512")
		}}
}

// acrInput is the acr_values asked of CIS2, by cis2-direct at CIS2 itself
// and by cis2-combined through the platform (--acr-values); "" means the
// flow's default.
func acrInput() Input {
	return Input{Key: "acr-values", Label: "acr_values", Help: "Space-separated (--acr-values). Empty: cis2-direct asks " + DefaultCIS2ACR + "; cis2-combined sends none and the platform asks AAL3_ANY. Seen in use: AAL3_ANY, AAL2_OR_AAL3_ANY, AAL2_ANY, AAL1_USERPASS.",
		Get: func(j *Journey) string { return j.Login.ACRValues },
		Set: func(j *Journey, v string) error { j.Login.ACRValues = strings.Join(strings.Fields(v), " "); return nil }}
}
