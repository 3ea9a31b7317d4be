package steps

// claimExplanations says in plain words what the claims a learner meets in
// a CIS2 or NHS login ID token mean (OpenID Connect Core §2 and §5.1,
// reference §5.6, §6.3 and §7).
var claimExplanations = map[string]string{
	// OpenID Connect Core §2.
	"iss":       "issuer: the realm that signed the token; must equal the issuer from discovery",
	"sub":       "subject: the user at the provider (CIS2: the user's UID, e.g. 656005750104; NHS login: a stable per-user id, not the NHS number)",
	"aud":       "audience: the client the token was issued to; must contain this app's client_id",
	"azp":       "authorised party: the client that asked for the token; when present it must be this app's client_id",
	"exp":       "expiry time; the mock's ID tokens live 1 hour: exchange it for platform tokens now",
	"iat":       "issued at: when the realm signed the token",
	"auth_time": "when the user actually signed in (it can be earlier than iat with single sign-on)",
	"nonce":     "the random value this client sent in the authorise request; a match proves the token answers this login",
	"acr":       "authentication context class: how strongly the user signed in (CIS2: e.g. AAL3_ANY, AAL2_OR_AAL3_ANY)",
	"amr":       "authentication methods used, e.g. N3_SMARTCARD (a smartcard) or TOTP",
	"sid":       "session id at the realm; back-channel logout names the session by it",
	"jti":       "the token's unique id",
	"at_hash":   "hash of the access token issued alongside, binding the two",
	"c_hash":    "hash of the authorization code, binding the code to this token",
	"typ":       "Keycloak's token type: ID for an ID token",

	// CIS2 (reference §5.6, §6.3).
	"id_assurance_level":             "CIS2 identity assurance: how well the person's identity was checked when their smartcard or account was issued",
	"authentication_assurance_level": "CIS2 authentication assurance (AAL): 3 = very high (smartcard, FIDO2), 2 = high, 1 = password only; the platform keeps only product scopes of this level (urn:nhsd:apim:user-nhs-cis2:aal3:…)",
	"uid":                            "CIS2 user UID (the same as sub on the mock)",
	"selected_roleid":                "the RBAC role the user picked at sign-in: send it as NHSD-Session-URID",
	"nhsid_useruid":                  "CIS2 user UID",
	"nhsid_nrbac_roles":              "the user's national RBAC roles (org, role code, activities)",

	// NHS login (reference §7).
	"nhs_number":              "the patient's NHS number (10 digits, synthetic on the mock)",
	"identity_proofing_level": "NHS login identity proofing: P9 high (photo ID checked), P5 medium, P0 low (nothing checked); the platform keeps product scopes of this level (urn:nhsd:apim:user-nhs-login:P9:…)",
	"vot":                     "vector of trust: proofing level and credentials used, e.g. P9.Cp.Cd = P9, password and registered device",
	"vtm":                     "vector trust mark: the URL defining the vot values",
	"id_status":               "NHS login: whether the identity is verified",
	"token_use":               "NHS login: id for an ID token",
	"birthdate":               "date of birth",

	// Profile claims (OpenID Connect Core §5.1).
	"name":               "full name",
	"given_name":         "given name",
	"family_name":        "family name",
	"email":              "email address",
	"email_verified":     "whether the provider verified the email address",
	"preferred_username": "the name the user signs in with (on the mock: the UID or NHS number)",
	"session_state":      "Keycloak's session state, for session management",
}

// ExplainClaim returns a plain explanation of an ID token claim, or "" for
// one nhsauth has no words for. The wizard's Token tab shows it beside each
// claim.
func ExplainClaim(name string) string { return claimExplanations[name] }
