package flows

// AppRestricted is the application-restricted signed-JWT flow (reference §2).
// Placeholder until its steps land.
func AppRestricted() *Flow {
	return &Flow{ID: "app-restricted", Title: "Application-restricted (signed JWT)", Pattern: "A backend system calls an API as itself: no user, a signed JWT buys a 10-minute token.", DefaultURL: "/hello-world/hello/application"}
}
