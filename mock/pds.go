package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// fhirJSON is the media type of every PDS response (reference §8).
const fhirJSON = "application/fhir+json"

// spineCodes is the code system of PDS OperationOutcome details.
const spineCodes = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode"

// requestIDPattern is a UUID in its canonical 8-4-4-4-12 form (reference §8:
// X-Request-ID is a GUID).
var requestIDPattern = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// pdsIssue is one PDS error: HTTP status, FHIR issue type, Spine code and
// its display text.
type pdsIssue struct {
	status  int
	code    string // FHIR IssueType
	spine   string // Spine-ErrorOrWarningCode
	display string
}

// The PDS errors the local platform answers (reference §8).
var (
	pdsAccessDenied    = pdsIssue{http.StatusUnauthorized, "forbidden", "ACCESS_DENIED", "Access Denied - Unauthorised"}
	pdsMissingValue    = pdsIssue{http.StatusBadRequest, "required", "MISSING_VALUE", "Required value is missing"}
	pdsInvalidValue    = pdsIssue{http.StatusBadRequest, "value", "INVALID_VALUE", "Provided value is invalid"}
	pdsInvalidID       = pdsIssue{http.StatusBadRequest, "value", "INVALID_RESOURCE_ID", "Resource Id is invalid"}
	pdsResourceMissing = pdsIssue{http.StatusNotFound, "not_found", "RESOURCE_NOT_FOUND", "Resource not found"}
)

// handlePatient is GET /personal-demographics/FHIR/R4/Patient/{id}
// (reference §8): a token of any pattern whose products cover PDS, then
// X-Request-ID, then the sandbox scenarios by NHS number. It echoes
// X-Request-ID and X-Correlation-ID.
func (s *Server) handlePatient(w http.ResponseWriter, r *http.Request) {
	echoCorrelationID(w, r)
	reqID := r.Header.Get("X-Request-ID")
	if reqID != "" {
		w.Header().Set("X-Request-ID", reqID)
	}
	g, ok := s.bearerGrant(r)
	if !ok {
		writeOutcome(w, pdsAccessDenied, "Invalid access token - a valid bearer token from the platform is required")
		return
	}
	if !hasScope(g.Scopes, func(sc string) bool { return strings.HasSuffix(sc, ":"+pdsAPI) }) {
		writeOutcome(w, pdsAccessDenied, "The calling application is not configured for this operation: its token has no personal-demographics-service scope")
		return
	}
	if reqID == "" {
		writeOutcome(w, pdsMissingValue, "Invalid request with error - X-Request-ID header must be supplied to access this resource")
		return
	}
	if !requestIDPattern().MatchString(reqID) {
		writeOutcome(w, pdsInvalidValue, fmt.Sprintf("Invalid value - '%s' in header 'X-Request-ID'", reqID))
		return
	}
	id := r.PathValue("id")
	if !validNHSNumber(id) {
		writeOutcome(w, pdsInvalidID, fmt.Sprintf("Invalid value - '%s' in field 'id'", id))
		return
	}
	p, ok := syntheticPatients()[id]
	if !ok {
		writeOutcome(w, pdsResourceMissing, "")
		return
	}
	w.Header().Set("ETag", `W/"`+patientVersion+`"`)
	writeFHIR(w, http.StatusOK, p)
}

// writeOutcome sends a FHIR OperationOutcome with one issue.
func writeOutcome(w http.ResponseWriter, is pdsIssue, diagnostics string) {
	issue := map[string]any{
		"severity": "error",
		"code":     is.code,
		"details": map[string]any{"coding": []map[string]string{{
			"system":  spineCodes,
			"version": "1",
			"code":    is.spine,
			"display": is.display,
		}}},
	}
	if diagnostics != "" {
		issue["diagnostics"] = diagnostics
	}
	if is.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeFHIR(w, is.status, map[string]any{"resourceType": "OperationOutcome", "issue": []any{issue}})
}

// writeFHIR sends v as application/fhir+json.
func writeFHIR(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", fhirJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// validNHSNumber checks an NHS number: ten digits whose last is the modulus
// 11 check digit of the first nine (weights 10 down to 2; 11 → 0; 10 is
// never valid).
func validNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i := range 10 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}
