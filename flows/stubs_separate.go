package flows

// CIS2Separate is the CIS2 separate authentication flow (reference §3, §5).
// Placeholder until its steps land.
func CIS2Separate() *Flow {
	return &Flow{ID: "cis2-separate", Title: "CIS2 separate authentication", Pattern: "Healthcare worker signs in with CIS2; the app swaps the ID token for a platform token.", DefaultURL: "/hello-world/hello/user"}
}

// NHSLoginSeparate is the NHS login separate authentication flow.
// Placeholder until its steps land.
func NHSLoginSeparate() *Flow {
	return &Flow{ID: "nhs-login-separate", Title: "NHS login separate authentication", Pattern: "Patient signs in with NHS login; the app swaps the ID token for a platform token.", DefaultURL: "/hello-world/hello/user"}
}
