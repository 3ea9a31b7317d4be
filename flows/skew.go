package flows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// withSkew is every flow's one clock-skew rule for a failed step. The last
// completed exchange's Date header is compared with the journey's clock
// (now, the clock that signs assertions and checks exp and iat), because
// exp and iat are judged by the other side's clock:
//   - apart by more than steps.SkewThreshold: steps.SkewHint comes first
//     among the hints, in the outcome and in its error, so steps.HintsOf
//     (the command line's hints) finds it too;
//   - within it, for a refusal about exp or iat: a detail says the clock is
//     not the cause.
func withSkew(o Outcome, now time.Time) Outcome {
	var last *steps.Exchange
	for i := len(o.Exchanges) - 1; i >= 0 && last == nil; i-- {
		if o.Exchanges[i].Completed() {
			last = &o.Exchanges[i]
		}
	}
	if last == nil {
		return o
	}
	d, ok := steps.ClockSkew(*last, now)
	if !ok {
		return o
	}
	if d > steps.SkewThreshold || d < -steps.SkewThreshold {
		h := steps.SkewHint(d)
		o.Hints = append([]steps.Hint{h}, o.Hints...)
		if o.Err != nil {
			o.Err = &steps.HintError{Err: o.Err, Hints: []steps.Hint{h}}
		}
		return o
	}
	if refusedForTime(o.Err) {
		o.Details = append(o.Details, fmt.Sprintf("Your clock and the server's agree within %s (its Date header), so the clock is not the cause.", steps.SkewThreshold))
	}
	return o
}

// refusedForTime reports whether err is a server's refusal naming an exp or
// iat claim (reference §2.6 rows 8, 17; §3.4).
func refusedForTime(err error) bool {
	var oe *steps.OAuthError
	return errors.As(err, &oe) && (strings.Contains(oe.Description, "'exp'") || strings.Contains(oe.Description, "'iat'"))
}
