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
package mock
