package steps

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// acrLevelPrefix reads the level an acr value asks for: AAL3_ANY → 3,
// AAL2_OR_AAL3_ANY → 2 (reference §6.3).
var acrLevelPrefix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^AAL([123])_`) })

// RequiredAAL is the lowest authentication assurance level acr_values
// admits (AAL3_ANY → 3, AAL2_OR_AAL3_ANY → 2), or 0 when no value names one.
func RequiredAAL(acrValues string) int {
	need := 0
	for _, v := range strings.Fields(acrValues) {
		if m := acrLevelPrefix().FindStringSubmatch(v); m != nil {
			n, _ := strconv.Atoi(m[1])
			if need == 0 || n < need {
				need = n
			}
		}
	}
	return need
}

// assuranceLevel reads an assurance claim as a number or a digit string:
// CIS2's type is unconfirmed (reference §6.3), so a verifier accepts both.
func assuranceLevel(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		return int(x), x == float64(int(x))
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	if n, ok := numericClaim(v); ok {
		return int(n), true
	}
	return 0, false
}

// AssuranceChecks are the checks a CIS2 relying party makes on the ID token
// for its acr_values (reference §6.3): authentication_assurance_level at
// least the level asked, id_assurance_level 3, and acr one of the values
// asked. Each is its own Check.
func AssuranceChecks(claims map[string]any, acrValues string) []Check {
	need := RequiredAAL(acrValues)
	aal, aalOK := assuranceLevel(claims["authentication_assurance_level"])
	ial, ialOK := assuranceLevel(claims["id_assurance_level"])
	acr := claimString(claims["acr"])
	asked := strings.Fields(acrValues)
	acrOK := len(asked) == 0
	for _, v := range asked {
		acrOK = acrOK || v == acr
	}
	return []Check{
		{Name: "authentication_assurance_level", OK: aalOK && aal >= need,
			Detail: fmt.Sprintf("%s (acr_values %s need at least %d; a number or a digit string)", orNone(claimString(claims["authentication_assurance_level"])), orNone(acrValues), need)},
		{Name: "id_assurance_level", OK: ialOK && ial >= 3,
			Detail: fmt.Sprintf("%s (a verified identity is 3)", orNone(claimString(claims["id_assurance_level"])))},
		{Name: "acr", OK: acrOK, Detail: fmt.Sprintf("%s (one of the acr_values asked: %s)", orNone(acr), orNone(acrValues))},
	}
}
