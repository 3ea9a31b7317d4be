package doctor

import (
	"context"

	"github.com/nhsauth/nhsauth/flows"
)

// localKeysCheck, on the local platform only, runs the app-restricted
// flow's own key and JWKS steps (flows.AppRestricted; reference §2.4: the
// platform verifies the assertion with the JWKS registered for the app).
// The local platform publishes the JWKS documents of its keys folder, so
// this names what the token request alone cannot: a running platform that
// reads another folder, or a folder without this key's JWKS.
func localKeysCheck(ctx context.Context, s Setup) Check {
	const name = "local platform's keys"
	r := flows.NewRunner(flows.AppRestricted(), s.Journey)
	if err := r.Drive(ctx, flows.Hooks{Through: "jwks"}); err != nil {
		return failed(name, err, s.Timeout, "The local platform cannot verify this key's signatures.",
			"Publish this key's JWKS in the platform's keys folder (nhsauth generate-keys --env local writes both).")
	}
	return Check{Name: name, Status: Pass, Detail: r.Result(r.Flow.Index("jwks")).Outcome.Summary}
}
