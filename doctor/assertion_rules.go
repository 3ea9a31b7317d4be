package doctor

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// Refusal is one row of the platform's client-assertion error table
// (reference §2.6): the status, error and exact error_description it
// answers.
type Refusal struct {
	Status int
	Code   string
	Desc   string
}

// String is the refusal as the platform answers it: status, error and
// the exact error_description.
func (r Refusal) String() string {
	return fmt.Sprintf("HTTP %d %s: %q", r.Status, r.Code, r.Desc)
}

// The platform's refusals of a client assertion, exactly as reference §2.6
// rows 7–17 and 21 give them.
var (
	refuseAlg       = Refusal{400, "invalid_request", "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"}
	refuseExpired   = Refusal{400, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - JWT has expired"}
	refuseNoKID     = Refusal{400, "invalid_request", "Missing 'kid' header in client_assertion JWT"}
	refuseTyp       = Refusal{400, "invalid_request", "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"}
	refuseNoExp     = Refusal{400, "invalid_request", "Missing 'exp' claim in client_assertion JWT"}
	refuseExpNumber = Refusal{400, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - must be an integer"}
	refuseIssSub    = Refusal{400, "invalid_request", "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"}
	refuseNoJTI     = Refusal{400, "invalid_request", "Missing 'jti' claim in client_assertion JWT"}
	refuseJTIString = Refusal{400, "invalid_request", "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"}
	refuseExpFar    = Refusal{400, "invalid_request", "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"}
	refuseAud       = Refusal{401, "invalid_request", "Missing or invalid 'aud' claim in client_assertion JWT"}
)

// assertionView is what the rules read of a client assertion.
type assertionView struct {
	header, claims map[string]json.RawMessage
	now            time.Time
	audience       string   // the token URL it is meant for, when known
	tokenURLs      []string // token URLs of known environments
}

// assertionRule is one rule of reference §2.2/§2.3: a check line, and the
// refusal it earns when it fails.
type assertionRule func(v assertionView) (Check, Refusal)

// assertionRules are the platform's rules in the order it checks them
// (reference §2.7: alg, expired, kid, typ, exp missing, exp a number,
// iss/sub, jti, jti a string, exp too far; aud after the API key).
var assertionRules = []assertionRule{ruleAlg, ruleExpired, ruleKID, ruleTyp, ruleExpPresent, ruleExpNumber, ruleIssSub, ruleJTI, ruleExpFar, ruleAud}

func str(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// expOf reads exp as the platform does: a JSON number; 0 counts as
// missing, a numeric string is "not an integer" (reference §2.7).
func expOf(v assertionView) (exp int64, present, number bool) {
	raw, ok := v.claims["exp"]
	if !ok || string(raw) == "null" {
		return 0, false, false
	}
	var n json.Number
	if len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &n) == nil {
		f, err := n.Float64()
		if err == nil {
			return int64(f), f != 0, true
		}
	}
	return 0, true, false
}

func pass(name, detail string) (Check, Refusal) {
	return Check{Name: name, Status: Pass, Detail: detail}, Refusal{}
}

func refuse(name, detail string, r Refusal) (Check, Refusal) {
	return Check{Name: name, Status: Fail, Detail: detail}, r
}

func ruleAlg(v assertionView) (Check, Refusal) {
	alg, _ := str(v.header["alg"])
	if alg == "RS512" {
		return pass("alg", "RS512")
	}
	return refuse("alg", orAbsent(alg)+", not RS512", refuseAlg)
}

func ruleExpired(v assertionView) (Check, Refusal) {
	exp, present, number := expOf(v)
	if present && number && v.now.Unix() > exp {
		return refuse("exp", fmt.Sprintf("expired at %s, %s ago", time.Unix(exp, 0).UTC().Format(time.RFC3339), v.now.Sub(time.Unix(exp, 0)).Round(time.Second)), refuseExpired)
	}
	return Check{}, Refusal{}
}

func ruleKID(v assertionView) (Check, Refusal) {
	if kid, _ := str(v.header["kid"]); kid != "" {
		return pass("kid", kid+" (the platform looks it up in your app's registered JWKS)")
	}
	return refuse("kid", "missing", refuseNoKID)
}

func ruleTyp(v assertionView) (Check, Refusal) {
	typ, _ := str(v.header["typ"])
	if strings.EqualFold(typ, "JWT") {
		return pass("typ", typ)
	}
	return refuse("typ", orAbsent(typ)+", not JWT", refuseTyp)
}

func ruleExpPresent(v assertionView) (Check, Refusal) {
	if _, present, _ := expOf(v); !present {
		return refuse("exp", "missing", refuseNoExp)
	}
	return Check{}, Refusal{}
}

func ruleExpNumber(v assertionView) (Check, Refusal) {
	if _, present, number := expOf(v); present && !number {
		return refuse("exp", string(v.claims["exp"])+" is not a JSON number", refuseExpNumber)
	}
	return Check{}, Refusal{}
}

func ruleIssSub(v assertionView) (Check, Refusal) {
	iss, _ := str(v.claims["iss"])
	sub, _ := str(v.claims["sub"])
	if iss != "" && iss == sub {
		return pass("iss = sub", iss+" (your API key; the platform looks the app up by it)")
	}
	return refuse("iss = sub", fmt.Sprintf("iss %s, sub %s", orAbsent(iss), orAbsent(sub)), refuseIssSub)
}

func ruleJTI(v assertionView) (Check, Refusal) {
	raw, ok := v.claims["jti"]
	if !ok {
		return refuse("jti", "missing", refuseNoJTI)
	}
	if s, isStr := str(raw); !isStr || s == "" {
		return refuse("jti", string(raw)+" is not a string", refuseJTIString)
	}
	return pass("jti", "present (the platform accepts each jti once per API key, for 30 days)")
}

func ruleExpFar(v assertionView) (Check, Refusal) {
	exp, present, number := expOf(v)
	if !present || !number || v.now.Unix() > exp {
		return Check{}, Refusal{} // judged by the exp rules above
	}
	ahead := time.Unix(exp, 0).Sub(v.now)
	if ahead > platformMaxExp {
		return refuse("exp", fmt.Sprintf("%s ahead: more than 5 minutes (the platform allows %d s)", ahead.Round(time.Second), int64(platformMaxExp/time.Second)), refuseExpFar)
	}
	return pass("exp", fmt.Sprintf("%s ahead, within 5 minutes", ahead.Round(time.Second)))
}

func ruleAud(v assertionView) (Check, Refusal) {
	aud, _ := str(v.claims["aud"])
	switch {
	case aud == "":
		return refuse("aud", "missing or not a string", refuseAud)
	case v.audience != "" && aud != v.audience:
		return refuse("aud", aud+", not the token URL "+v.audience, refuseAud)
	case v.audience != "":
		return pass("aud", aud)
	}
	for _, u := range v.tokenURLs {
		if aud == u {
			return pass("aud", aud+" (the platform compares it with the URL the assertion is posted to)")
		}
	}
	return refuse("aud", aud+" is no token URL of the platform's environments (pass --audience with the URL you post to, if it is one)", refuseAud)
}

// checkAssertion applies the rules; the refusals come in the order the
// platform would meet them, so the first is the one it would answer.
func checkAssertion(v assertionView) ([]Check, []Refusal) {
	var checks []Check
	var refusals []Refusal
	for _, rule := range assertionRules {
		c, r := rule(v)
		if c.Name == "" {
			continue
		}
		if r.Desc != "" {
			h := steps.Diagnose(&steps.OAuthError{Status: r.Status, Code: r.Code, Description: r.Desc, Grant: steps.GrantClientCredentials})
			c.Cause = "The platform would refuse it with " + r.String() + "."
			if len(h) > 0 {
				c.Cause += " " + h[0].Cause
				c.Fix = h[0].Fix
			}
			refusals = append(refusals, r)
		}
		checks = append(checks, c)
	}
	return checks, refusals
}
