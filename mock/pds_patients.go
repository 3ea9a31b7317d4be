package mock

// The synthetic patients of the PDS sandbox scenarios (reference §8). They
// are made up for nhsauth: no real person's data. Their shape follows the
// FHIR UK Core Patient resource that PDS returns.

import "sync"

// patientVersion is every synthetic patient's meta.versionId (and weak ETag).
const patientVersion = "2"

const (
	nhsNumberSystem   = "https://fhir.nhs.uk/Id/nhs-number"
	verificationURL   = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
	verificationCodes = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus"
	confidentiality   = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
)

// syntheticPatients maps an NHS number to its Patient resource; the map is
// built on first use (see lazy.go).
var syntheticPatients = sync.OnceValue(func() map[string]map[string]any {
	return map[string]map[string]any{
		"9000000009": fullPatient(),
		"9000000025": restrictedPatient(),
		"9000000033": minimalPatient(),
	}
})

// patientBase is what every synthetic patient has: id, verified NHS number
// and a confidentiality label ("U" unrestricted or "R" restricted).
func patientBase(nhsNumber, security, securityDisplay string) map[string]any {
	return map[string]any{
		"resourceType": "Patient",
		"id":           nhsNumber,
		"identifier": []any{map[string]any{
			"system": nhsNumberSystem,
			"value":  nhsNumber,
			"extension": []any{map[string]any{
				"url": verificationURL,
				"valueCodeableConcept": map[string]any{"coding": []any{map[string]string{
					"system":  verificationCodes,
					"version": "1.0.0",
					"code":    "01",
					"display": "Number present and verified",
				}}},
			}},
		}},
		"meta": map[string]any{
			"versionId": patientVersion,
			"security": []any{map[string]string{
				"system":  confidentiality,
				"code":    security,
				"display": securityDisplay,
			}},
		},
	}
}

// fullPatient is 9000000009: a patient with the usual demographics.
func fullPatient() map[string]any {
	p := patientBase("9000000009", "U", "unrestricted")
	p["name"] = []any{map[string]any{
		"id":     "nhsauth-name-1",
		"use":    "usual",
		"period": map[string]string{"start": "2020-01-01"},
		"given":  []string{"Ada", "Grace"},
		"family": "Example",
		"prefix": []string{"Ms"},
	}}
	p["gender"] = "female"
	p["birthDate"] = "1990-04-12"
	p["address"] = []any{map[string]any{
		"id":         "nhsauth-address-1",
		"use":        "home",
		"period":     map[string]string{"start": "2020-01-01"},
		"line":       []string{"1 Example Street", "Exampletown"},
		"postalCode": "EX1 1EX",
	}}
	p["telecom"] = []any{map[string]any{
		"id":     "nhsauth-telecom-1",
		"system": "phone",
		"use":    "home",
		"value":  "01632 960000",
		"period": map[string]string{"start": "2020-01-01"},
	}}
	p["generalPractitioner"] = []any{map[string]any{
		"id":   "nhsauth-gp-1",
		"type": "Organization",
		"identifier": map[string]any{
			"system": "https://fhir.nhs.uk/Id/ods-organization-code",
			"value":  "Y12345",
		},
	}}
	return p
}

// restrictedPatient is 9000000025: a restricted (sensitive) patient, so the
// location fields (address, telecom, generalPractitioner) are withheld.
func restrictedPatient() map[string]any {
	p := patientBase("9000000025", "R", "restricted")
	p["name"] = []any{map[string]any{
		"id":     "nhsauth-name-1",
		"use":    "usual",
		"period": map[string]string{"start": "2020-01-01"},
		"given":  []string{"Alan"},
		"family": "Sample",
		"prefix": []string{"Mr"},
	}}
	p["gender"] = "male"
	p["birthDate"] = "1985-09-30"
	return p
}

// minimalPatient is 9000000033: a patient with almost no data.
func minimalPatient() map[string]any {
	return patientBase("9000000033", "U", "unrestricted")
}
