package transcript

import (
	"net/url"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
)

// Who is who in a sequence: tables, so that a new endpoint or flow is one
// row. The paths are those of the real hosts, which the local platform
// mirrors (reference §1; DESIGN.md "The local platform").

// actorRoute says which actor answers at a path prefix or on a host.
type actorRoute struct {
	host, prefix string // one of them set
	actor        Actor
}

// actorRoutes are checked in order; the first that matches wins. An
// address none matches is taken for the API (any --url).
var actorRoutes = []actorRoute{
	{prefix: "/oauth2-mock/", actor: ActorPlatform},
	{prefix: "/oauth2/", actor: ActorPlatform},
	{prefix: "/mock-jwks/", actor: ActorPlatform},
	{prefix: "/_mock/connection-manager", actor: ActorIdP}, // CIS2's Connection Manager
	{prefix: "/_mock/", actor: ActorPlatform},
	{prefix: "/realms/", actor: ActorIdP},    // Keycloak mock realms
	{prefix: "/openam/", actor: ActorIdP},    // CIS2 Authentication (ForgeRock AM)
	{host: "signin.nhs.uk", actor: ActorIdP}, // NHS login's sandpit and integration
	{host: "login.nhs.uk", actor: ActorIdP},
	{host: "cis2.spineservices.nhs.uk", actor: ActorIdP},
	{prefix: "/callback", actor: ActorApp}, // the app's loopback listener
	{prefix: "/backchannel-logout", actor: ActorApp},
}

// frontChannel are the path endings only the browser visits: authorise
// pages, login forms, redirects to a callback and logout pages (OpenID
// Connect Core §3.1.2, RP-Initiated Logout §2).
var frontChannel = []string{"/authorize", "/openid-connect/auth", "/authenticate", "/login", "/callback", "/openid-connect/logout", "/endSession"}

// stepActors are the actors a step involves before it has run, by step ID,
// so the lifelines stay put as the flow runs.
var stepActors = map[string][]Actor{
	"key": {ActorApp}, "jwks": {ActorPlatform}, "assertion": {ActorApp},
	"token": {ActorPlatform}, "token-exchange": {ActorPlatform}, "refresh": {ActorPlatform},
	"credentials": {ActorPlatform}, "registration": {ActorPlatform}, "register": {ActorIdP},
	"discovery": {ActorIdP}, "authorize": {ActorYou}, "sign-in": {ActorYou, ActorIdP},
	"code": {ActorIdP}, "id-token": {ActorIdP}, "userinfo": {ActorIdP},
	"api": {ActorAPI}, "call-api": {ActorAPI}, "sign-out": {ActorYou, ActorIdP}, "logout": {ActorIdP},
}

// actorAt is the actor that answers at u.
func actorAt(u *url.URL) Actor {
	host := u.Hostname()
	for _, r := range actorRoutes {
		if r.host != "" && (host == r.host || strings.HasSuffix(host, "."+r.host)) ||
			r.prefix != "" && strings.HasPrefix(u.Path, r.prefix) {
			return r.actor
		}
	}
	return ActorAPI
}

// senderTo is who sends a request to u: the identity provider calls the
// app's back-channel logout endpoint; the browser visits the front-channel
// pages and carries every hop of a step that waits for it; the app sends
// the rest.
func senderTo(st flows.Step, u *url.URL, to Actor) Actor {
	switch {
	case to == ActorApp && strings.HasSuffix(u.Path, "/backchannel-logout"):
		return ActorIdP
	case st.Wait == flows.WaitBrowser:
		return ActorYou
	}
	for _, end := range frontChannel {
		if strings.HasSuffix(u.Path, end) {
			return ActorYou
		}
	}
	return ActorApp
}

// actorNames are the lifelines' full names for a flow in env: the identity
// provider is the mock realm the flow signs in at, or CIS2 itself.
func actorNames(flowID, env string) map[Actor]string {
	idp := "CIS2 mock realm"
	switch {
	case strings.HasPrefix(flowID, "nhs-login"):
		idp = "NHS login mock realm"
	case flowID == "cis2-direct" && env == "local":
		idp = "local CIS2"
	case flowID == "cis2-direct":
		idp = "CIS2 Authentication"
	}
	return map[Actor]string{
		ActorYou: "You (browser)", ActorApp: "nhsauth (the app)", ActorPlatform: "API platform",
		ActorIdP: idp, ActorAPI: "the API",
	}
}
