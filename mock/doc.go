// Package mock is the local platform: one http.Handler that imitates every
// NHS England endpoint nhsauth's flows use (the API platform's /oauth2 and
// /oauth2-mock token endpoints, mock-jwks, the Keycloak mock realms and the
// sample APIs), faithful to paths, parameters, status codes and error
// bodies as ../shared/reference/nhs-platform.md records them.
//
// It is the other side of the wire and must stay an honest, independent
// counterpart: it parses what clients send with its own code and third-party
// libraries (go-jose for JWKS, golang-jwt), and never imports steps or flows.
// It may use keystore only to make its own signing keys.
//
// Each request's own scheme and host make the platform's base URL, so a
// token's aud and a realm's iss name the address the client actually used;
// Options.PublicURL pins it instead.
//
// Break-it mode (fault.go, fault_armed.go): a request that carries the
// X-Nhsauth-Fault header gets the faults it names, for that request only
// (clock-ahead and clock-behind move the platform's clock and its Date
// header by ClockSkew; others answer 429 or 503, play an unregistered or
// unreachable JWKS, an expired code or ID token, a tampered state, a slow
// identity provider). POST /_mock/faults arms faults for the hops a client
// does not send itself, keyed by the state those requests carry and used
// once. Nothing is ever switched on for every request.
package mock
