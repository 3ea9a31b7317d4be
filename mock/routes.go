package mock

import "net/http"

// routes registers every path of the local platform. Paths mirror the real
// hosts (DESIGN.md, "The local platform").
func (s *Server) routes() {
	for _, base := range []string{"/oauth2", "/oauth2-mock"} {
		s.mux.HandleFunc(base+"/token", s.handleToken)
		s.mux.HandleFunc(base, s.handleOAuthNotFound) // not a redirect to base/
		s.mux.HandleFunc(base+"/", s.handleOAuthNotFound)
		s.mux.HandleFunc("GET "+base+"/_ping", s.handlePing)
	}

	s.combinedRoutes() // reference §4: authorize, callback, userinfo, backchannel_logout

	// mock-jwks (reference §5.5).
	s.mux.HandleFunc("GET /mock-jwks/keycloak-client-credentials", s.handleMockCredentials)

	// Keycloak-shaped realms (reference §5.1): /realms/Cis2-mock-local, /realms/NHS-Login-mock-local.
	s.realmRoutes = s.newRealmRoutes()
	s.mux.HandleFunc("/realms/{realm}/", s.handleRealm)

	// The local CIS2 Authentication and its Connection Manager (reference §6).
	s.cis2Routes()

	// Sample APIs (reference §8, §9).
	s.mux.HandleFunc("GET /hello-world/hello/world", s.handleHelloWorld)
	s.mux.HandleFunc("GET /hello-world/hello/application", s.handleHelloApplication)
	s.mux.HandleFunc("GET /hello-world/hello/user", s.handleHelloUser)
	s.mux.HandleFunc("GET /personal-demographics/FHIR/R4/Patient/{id}", s.handlePatient)
	s.mux.HandleFunc("GET /hello-world/_ping", s.handlePing)
	s.mux.HandleFunc("GET /_ping", s.handlePing)

	// nhsauth's own: the platform's identity and registration.
	s.mux.HandleFunc("GET /_mock/info", s.handleInfo)
	s.mux.HandleFunc("POST /_mock/faults", s.handleArmFaults)
}

// handleOAuthNotFound answers an unknown path under /oauth2 as the platform
// does (reference §2.6, "Other platform-wide errors").
func (s *Server) handleOAuthNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, perr(http.StatusNotFound, "invalid_request", "Not Found"))
}
