package flows

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

func TestWithSkew(t *testing.T) {
	start := time.Now().Truncate(time.Second) // the Date header has one-second resolution
	ex := func(serverAhead time.Duration) steps.Exchange {
		return steps.Exchange{Status: 400, Start: start, Took: 10 * time.Millisecond,
			RespHeader: http.Header{"Date": {start.Add(serverAhead).UTC().Format(http.TimeFormat)}}}
	}
	for _, tt := range []struct {
		name       string
		exs        []steps.Exchange
		journeyOff time.Duration // the journey's clock against the one the exchanges were timed by
		wantHint   string
	}{
		{"in step", []steps.Exchange{ex(time.Second)}, 0, ""},
		{"server 2 minutes ahead", []steps.Exchange{ex(2 * time.Minute)}, 0, "120 s behind"},
		{"server 10 minutes behind", []steps.Exchange{ex(-10 * time.Minute)}, 0, "600 s ahead"},
		{"no Date header", []steps.Exchange{{Status: 400, Start: start}}, 0, ""},
		{"the last completed exchange counts", []steps.Exchange{ex(2 * time.Minute), {Synthetic: true}}, 0, "120 s behind"},
		// The journey's clock signs assertions and judges exp and iat: it
		// is the one compared (before, the separate flows compared the
		// exchange's own timing and missed this).
		{"the journey's clock 10 minutes ahead", []steps.Exchange{ex(0)}, 10 * time.Minute, "600 s ahead"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := withSkew(Fail(errors.New("refused"), tt.exs...), start.Add(10*time.Millisecond+tt.journeyOff)) // the journey clock as the reply arrived
			var got, inErr string
			for _, h := range o.Hints {
				got += h.Cause
			}
			for _, h := range steps.HintsOf(o.Err) {
				inErr += h.Cause
			}
			if got != inErr {
				t.Errorf("outcome hints %q, error hints %q: the error must carry them too", got, inErr)
			}
			if (tt.wantHint == "") != (got == "") || !strings.Contains(got, tt.wantHint) {
				t.Errorf("hints %q, want %q", got, tt.wantHint)
			}
		})
	}
}

// TestWithSkewOrderAndAgreement checks the rest of the one rule: the skew
// hint comes before the error's own, in the outcome as in the error; and a
// refusal about exp or iat with the clocks in step says the clock is not
// the cause (before, only the application-restricted flow said so).
func TestWithSkewOrderAndAgreement(t *testing.T) {
	start := time.Now().Truncate(time.Second)
	ex := func(serverAhead time.Duration) steps.Exchange {
		return steps.Exchange{Status: 400, Start: start, Took: 10 * time.Millisecond,
			RespHeader: http.Header{"Date": {start.Add(serverAhead).UTC().Format(http.TimeFormat)}}}
	}
	now := start.Add(10 * time.Millisecond)
	expired := &steps.OAuthError{Code: "invalid_request", Description: "Invalid 'exp' claim in client_assertion JWT - JWT has expired", Status: 400}
	own := steps.WithHint(expired, "own cause", "own fix")

	o := withSkew(Fail(own, ex(3*time.Minute)), now)
	if len(o.Hints) < 2 || !strings.Contains(o.Hints[0].Cause, "180 s behind") || o.Hints[1].Cause != "own cause" {
		t.Errorf("outcome hints %+v, want the skew first, then the error's own", o.Hints)
	}
	if inErr := steps.HintsOf(o.Err); len(inErr) != len(o.Hints) || inErr[0] != o.Hints[0] {
		t.Errorf("error hints %+v, want the outcome's %+v", inErr, o.Hints)
	}
	if len(o.Details) != 0 {
		t.Errorf("details %q with the clocks apart", o.Details)
	}

	o = withSkew(Fail(own, ex(time.Second)), now)
	if len(o.Details) != 1 || !strings.Contains(o.Details[0], "agree within 5s") || len(o.Hints) != len(Fail(own).Hints) {
		t.Errorf("in step: details %q, hints %+v", o.Details, o.Hints)
	}
	if o = withSkew(Fail(errors.New("refused"), ex(time.Second)), now); len(o.Details) != 0 {
		t.Errorf("details %q for a refusal not about exp or iat", o.Details)
	}
}
