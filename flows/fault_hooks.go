package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nhsauth/nhsauth/steps"
)

// faultHooks are how a fault takes part in a run; each field is optional.
type faultHooks struct {
	header string                           // sent in FaultHeader on every request of the run
	byForm bool                             // the fault acts on a browser hop: sign in by form, so the hop carries the header
	user   string                           // the test user signed in by form
	before map[string]func(*Journey)        // by step ID: a journey input changed before the step
	resign func(*resign)                    // the assertion step's result, re-signed wrong
	twice  map[string]func(*Journey) func() // by step ID: sent twice; the func prepares the second send
}

// resign is a signed assertion taken apart for a fault to change.
type resign struct {
	header map[string]any
	claims jwt.MapClaims
	alg    string
	now    time.Time
}

// ErrFaultDoesNotFit means a fault was asked of a flow it does not apply to.
var ErrFaultDoesNotFit = errors.New("flows: fault does not fit this flow")

// Break returns f with fault's hooks around its steps, and sets up j for
// the run: a platform-side fault's header on every request j.HTTP sends, a
// fault's test user. The flow still runs through the Runner. Break-it mode
// runs on the local platform only: a real platform would not honour the
// header, and breaking a real app's login on purpose helps nobody.
func Break(f *Flow, j *Journey, fault *Fault) (*Flow, error) {
	if !fault.Fits(f.ID) {
		return nil, fmt.Errorf("%w: %s fits %s, not %s", ErrFaultDoesNotFit, fault.Name, fault.FlowsText(), f.ID)
	}
	if !j.Env.Local {
		return nil, fmt.Errorf("flows: break-it mode runs on the local platform only (--env local), not %s", j.Env.Name)
	}
	h := fault.hooks
	if h.header != "" {
		hc := *j.HTTP
		next := hc.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		hc.Transport = faultTransport{next: next, names: h.header}
		j.HTTP = &hc
	}
	switch {
	case h.user != "":
		j.Login.User, j.Login.Mode = h.user, LoginForm
	case h.byForm && j.Login.Mode != LoginForm:
		// A real browser would not send the header: nhsauth's own form
		// login does, on every hop (POST /_mock/faults arms a browser's).
		j.Login.Mode = LoginForm
		if j.Login.User == "" {
			j.Login.User = defaultTestUser(f.ID)
		}
	}
	out := *f
	out.Steps = make([]Step, len(f.Steps))
	for i, st := range f.Steps {
		out.Steps[i] = h.wrap(st, fault, i == 0)
	}
	return &out, nil
}

// wrap puts the hooks for st's ID around its Run.
// The first step of a platform-side fault's run says that every request
// carries the header, since the recorded requests are those the flow built.
func (h faultHooks) wrap(st Step, fault *Fault, first bool) Step {
	run := st.Run
	before, twice := h.before[st.ID], h.twice[st.ID]
	resignHere := h.resign != nil && st.ID == "assertion"
	announce := first && h.header != ""
	if before == nil && twice == nil && !resignHere && !announce {
		return st
	}
	note := "Break-it (" + fault.Name + "): " + fault.Line + "."
	if announce {
		note += " Every request of this run carries " + FaultHeader + ": " + h.header + ", and the local platform plays the fault for those requests only."
	}
	st.Run = func(ctx context.Context, j *Journey) Outcome {
		if announce {
			if err := probeFaults(ctx, j, h.header); err != nil {
				return Fail(err)
			}
		}
		if before != nil {
			before(j)
		}
		var between func()
		if twice != nil {
			between = twice(j)
		}
		o := run(ctx, j)
		switch {
		case o.Failed():
		case resignHere:
			o = resignAssertion(j, o, h.resign)
		case twice != nil:
			first := o.Exchanges
			between()
			o = run(ctx, j)
			o.Exchanges = append(first, o.Exchanges...)
		}
		o.Details = append([]string{note}, o.Details...)
		return o
	}
	return st
}

// resignAssertion re-signs the assertion the step signed, changed by
// change: the broken assertion is what the step shows and the token step
// sends.
func resignAssertion(j *Journey, o Outcome, change func(*resign)) Outcome {
	tok, _, err := jwt.NewParser().ParseUnverified(j.Assertion, jwt.MapClaims{})
	if err != nil {
		return Fail(fmt.Errorf("flows: break-it: %w", err), o.Exchanges...)
	}
	r := &resign{header: tok.Header, claims: tok.Claims.(jwt.MapClaims), alg: "RS512", now: j.Now()}
	change(r)
	nt := jwt.NewWithClaims(jwt.GetSigningMethod(r.alg), r.claims)
	nt.Header = r.header
	nt.Header["alg"] = r.alg
	var key any = j.Key
	if r.alg == "HS256" {
		key = []byte(j.APIKey) // a shared secret: what the platform never accepts
	}
	signed, err := nt.SignedString(key)
	if err != nil {
		return Fail(fmt.Errorf("flows: break-it: sign: %w", err), o.Exchanges...)
	}
	j.Secret(signed)
	j.Assertion, o.JWT = signed, signed
	return o
}

// defaultTestUser is the test user break-it signs in as when none was
// given: an AAL3 CIS2 user, or a P9 NHS login user (reference §5.3, §5.4).
func defaultTestUser(flowID string) string {
	if strings.HasPrefix(flowID, "nhs-login") {
		return "9912003071"
	}
	return "656005750104"
}

// faultTransport adds FaultHeader to every request: the local platform plays
// the faults it names for those requests only.
type faultTransport struct {
	next  http.RoundTripper
	names string
}

func (t faultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(FaultHeader, t.names)
	return t.next.RoundTrip(req)
}

// breakVerifier swaps the PKCE verifier for another login's.
func breakVerifier(j *Journey) {
	j.Login.PKCE.Verifier = steps.NewPKCE().Verifier
	j.Secret(j.Login.PKCE.Verifier)
}

// breakRedirect makes the code exchange send a redirect_uri other than the
// authorise request's.
func breakRedirect(j *Journey) {
	j.Login.SentRedirectURI = strings.TrimSuffix(j.Login.SentRedirectURI, "/") + "/elsewhere"
}

// reuseRefresh keeps the refresh token the first refresh spends, for the
// second to send again.
func reuseRefresh(j *Journey) func() {
	prev := j.Token
	return func() { j.Token = prev }
}

// resendAssertion lets the token step send the assertion it just sent
// again, as a client that caches its assertion does.
func resendAssertion(j *Journey) func() {
	return func() { j.sentAssertion = "" }
}

// probeFaults checks that the local platform plays the fault named: one
// started by an older nhsauth (nhsauth mock left running) would ignore
// FaultHeader, and the run would succeed for no visible reason.
func probeFaults(ctx context.Context, j *Journey, name string) error {
	u := j.Env.APIBase + "/_mock/info"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("flows: break-it: %w", err)
	}
	var info struct {
		Faults []string `json:"faults"`
	}
	resp, err := j.HTTP.Do(req)
	if err == nil {
		defer resp.Body.Close()
		err = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&info)
	}
	if err == nil && slices.Contains(info.Faults, name) {
		return nil
	}
	return steps.WithHint(fmt.Errorf("flows: break-it: the local platform at %s does not play the fault %s", j.Env.APIBase, name),
		"The local platform answering there was started by an older nhsauth (or is not nhsauth's): it ignores "+FaultHeader+".",
		"Stop that nhsauth mock and run again (a private one starts), or restart it with this nhsauth.")
}
