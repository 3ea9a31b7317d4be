package mock

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// testUser is one of the mock realms' test users: a CIS2 user (reference
// §5.3) signs in with a user UID, an NHS login user (§5.4) with an NHS
// number. Names, e-mail addresses, organisations and role ids are
// fictitious except where the reference records them.
type testUser struct {
	ID         string // the username: CIS2 user UID or NHS number
	GivenName  string
	FamilyName string
	Email      string

	// CIS2 (reference §5.3, §6.2, §6.3).
	AAL           int    // authentication assurance level: 3, 2 or 1
	RoleCode      string // national RBAC job role, R0260
	RoleName      string // its name, as role_name in nhsid_nrbac_roles
	RoleConfirmed bool   // false where the reference leaves the role unconfirmed
	PersonRoleID  string // the URID sent as NHSD-Session-URID
	PersonOrgID   string
	OrgCode       string
	OrgName       string

	// NHS login (reference §5.4, §7).
	ProofingLevel string // P9, P5, P0
	Birthdate     string
	Phone         string
}

// National RBAC roles of the CIS2 test users (reference §5.3, §5.6).
const (
	roleGP       = `"Clinical":"Clinical Provision":"General Medical Practitioner"`
	roleClinical = `"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"`
	roleAdmin    = `"Admin & Clerical":"Admin & Clerical":"Admin/Clinical Support Access Role"`
)

// cis2Users are the CIS2 test users of reference §5.3, in its order. Users
// 656005750105, 106 and 110 have no confirmed role: they get R8000 Clinical
// Practitioner, and the login page says the role is unconfirmed.
var cis2Users = []testUser{
	cis2User("656005750108", "Amira", "Shah", 3, "R0260", roleGP, true, "555254242106"),
	cis2User("656005750107", "Ben", "Carter", 3, "R8000", roleClinical, true, "555254242107"),
	cis2User("656005750104", "Chloe", "Evans", 3, "R8008", roleAdmin, true, "555254242104"),
	cis2User("656005750105", "Dev", "Patel", 3, "R8000", roleClinical, false, "555254242105"),
	cis2User("656005750106", "Erin", "Walsh", 3, "R8000", roleClinical, false, "555254242116"),
	cis2User("656005750111", "Femi", "Adeyemi", 2, "R0260", roleGP, true, "555254242111"),
	cis2User("656005750109", "Grace", "Lin", 2, "R8000", roleClinical, true, "555254242109"),
	cis2User("656005750112", "Harry", "Jones", 2, "R8008", roleAdmin, true, "555254242112"),
	cis2User("656005750110", "Isla", "Reid", 1, "R8000", roleClinical, false, "555254242110"),
}

func cis2User(uid, given, family string, aal int, code, name string, confirmed bool, urid string) testUser {
	return testUser{
		ID: uid, GivenName: given, FamilyName: family,
		Email: strings.ToLower(given+"."+family) + "@example.org",
		AAL:   aal, RoleCode: code, RoleName: name, RoleConfirmed: confirmed,
		PersonRoleID: urid, PersonOrgID: "5552542" + uid[7:], OrgCode: "X26", OrgName: "NHS ENGLAND - X26",
	}
}

// nhsLoginUsers are the NHS login test users of reference §5.4.
var nhsLoginUsers = []testUser{
	{ID: "9912003071", GivenName: "Olivia", FamilyName: "Brown", Email: "olivia.brown@example.org", ProofingLevel: "P9", Birthdate: "1968-02-12", Phone: "+447700900071"},
	{ID: "9912003072", GivenName: "Noah", FamilyName: "Green", Email: "noah.green@example.org", ProofingLevel: "P5", Birthdate: "1975-07-30", Phone: "+447700900072"},
	{ID: "9912003073", GivenName: "Mia", FamilyName: "Taylor", Email: "mia.taylor@example.org", ProofingLevel: "P0", Birthdate: "1990-11-05", Phone: "+447700900073"},
}

// findUser looks a username up among the users; NHS numbers may be typed
// with spaces (991 200 3071).
func findUser(users []testUser, username string) (testUser, bool) {
	username = strings.ReplaceAll(strings.TrimSpace(username), " ", "")
	for _, u := range users {
		if u.ID == username {
			return u, true
		}
	}
	return testUser{}, false
}

// nhsLoginSubNamespace makes NHS login subjects: a stable UUID per NHS
// number (RFC 9562 §5.5, name-based), as NHS login's sub is a UUID that is
// not the NHS number.
var nhsLoginSubNamespace = uuid.MustParse("7d4f8b6e-1c2a-5e3b-9f00-6e6873617574")

// sub is the user's OpenID Connect subject: the user UID for CIS2, a stable
// UUID for NHS login.
func (u testUser) sub() string {
	if u.ProofingLevel != "" {
		return uuid.NewSHA1(nhsLoginSubNamespace, []byte(u.ID)).String()
	}
	return u.ID
}

// acr and amr of a CIS2 login at the user's level (reference §6.3). Only
// AAL3_ANY and N3_SMARTCARD are recorded; the AAL2 and AAL1 values follow
// the acr_values CIS2 is seen to accept (unconfirmed).
func (u testUser) acrAMR() (string, []string) {
	switch u.AAL {
	case 3:
		return "AAL3_ANY", []string{"N3_SMARTCARD"}
	case 2:
		return "AAL2_ANY", []string{"TOTP"}
	default:
		return "AAL1_USERPASS", []string{"PASSWORD"}
	}
}

// assurance is the user's level as the login page shows it.
func (u testUser) assurance() string {
	if u.ProofingLevel != "" {
		return map[string]string{"P9": "P9 (high)", "P5": "P5 (medium)", "P0": "P0 (low)"}[u.ProofingLevel]
	}
	return "AAL" + strconv.Itoa(u.AAL)
}

// idClaims are the ID token's claims for this user (reference §5.6,
// OpenID Connect Core §2). Both realms add sid, as Keycloak does, so
// RP-initiated logout can name the session. Assurance levels are strings, as NHS's EPS
// imitation sends them; the platform accepts numbers too.
func (u testUser) idClaims(iss, clientID, sid, nonce string, authTime, now time.Time) map[string]any {
	c := map[string]any{
		"iss":       iss,
		"aud":       clientID,
		"sub":       u.sub(),
		"auth_time": authTime.Unix(),
		"iat":       now.Unix(),
		"exp":       now.Add(idTokenTTL).Unix(),
		"jti":       uuid.NewString(),
		"sid":       sid,
	}
	if nonce != "" {
		c["nonce"] = nonce
	}
	if u.ProofingLevel != "" {
		c["identity_proofing_level"] = u.ProofingLevel
		c["vot"] = u.ProofingLevel + ".Cp.Cd"
		c["vtm"] = iss + "/trustmark"
		c["nhs_number"] = u.ID
		c["id_status"] = "verified"
		c["token_use"] = "id"
		return c
	}
	acr, amr := u.acrAMR()
	c["azp"] = clientID
	c["typ"] = "ID"
	c["acr"] = acr
	c["amr"] = amr
	c["id_assurance_level"] = "3"
	c["authentication_assurance_level"] = strconv.Itoa(u.AAL)
	c["uid"] = u.ID
	c["name"] = u.GivenName + " " + u.FamilyName
	c["given_name"] = u.GivenName
	c["family_name"] = u.FamilyName
	c["email"] = u.Email
	return c
}

// userinfo answers the userinfo endpoint for the scopes the access token
// carries (reference §5.6, §6.2, §7; OpenID Connect Core §5.3).
func (u testUser) userinfo(scope string) map[string]any {
	has := map[string]bool{}
	for _, s := range strings.Fields(scope) {
		has[s] = true
	}
	c := map[string]any{"sub": u.sub()}
	if u.ProofingLevel != "" {
		c["identity_proofing_level"] = u.ProofingLevel
		if has["profile"] {
			c["nhs_number"] = u.ID
			c["birthdate"] = u.Birthdate
			c["family_name"] = u.FamilyName
			c["given_name"] = u.GivenName
		}
		if has["email"] {
			c["email"] = u.Email
			c["email_verified"] = true
		}
		if has["phone"] {
			c["phone_number"] = u.Phone
			c["phone_number_verified"] = true
		}
		return c
	}
	c["nhsid_useruid"] = u.ID
	if has["profile"] {
		c["name"] = u.GivenName + " " + u.FamilyName
		c["given_name"] = u.GivenName
		c["family_name"] = u.FamilyName
		c["uid"] = u.ID
	}
	if has["email"] {
		c["email"] = u.Email
	}
	if has["nhsperson"] {
		c["idassurancelevel"] = "3"
		c["initials"] = u.GivenName[:1]
		c["display_name"] = u.GivenName + " " + u.FamilyName
	}
	if has["nationalrbacaccess"] {
		c["nhsid_nrbac_roles"] = []map[string]string{{
			"person_orgid":  u.PersonOrgID,
			"person_roleid": u.PersonRoleID,
			"org_code":      u.OrgCode,
			"role_name":     u.RoleName,
			"role_code":     "S8000:G8000:" + u.RoleCode,
		}}
	}
	if has["associatedorgs"] {
		c["nhsid_user_orgs"] = []map[string]string{{"org_code": u.OrgCode, "org_name": u.OrgName}}
	}
	if has["selectedrole"] {
		c["selected_roleid"] = u.PersonRoleID
	}
	return c
}
