package doctor

import (
	"context"
	"fmt"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// platformMaxExp is how far ahead of the platform's clock an assertion's
// exp may lie: reference §2.3 and §2.7, "the code rejects when more than
// 310 s remain (5 min + 10 s slack)".
const platformMaxExp = 310 * time.Second

// skewLimits are how far this machine's clock may be from the platform's
// before a fresh assertion (exp steps.DefaultAssertionLifetime ahead) is
// refused: ahead by more than 310 s − 240 s and its exp lies beyond the
// 5-minute limit (§2.6 row 17); behind by more than 240 s and it arrives
// expired (row 8, "strict: now > exp, no leeway", §2.7).
func skewLimits() (ahead, behind time.Duration) {
	return platformMaxExp - steps.DefaultAssertionLifetime, steps.DefaultAssertionLifetime
}

// clockCheck compares this machine's clock with the platform's Date header
// (RFC 9110 §6.6.1) on a GET of the token URL, which the platform answers
// with 405 and a Date (reference §2.6, "GET (non-POST) to /token").
func clockCheck(ctx context.Context, s Setup) Check {
	const name = "clock"
	j := s.Journey
	url := j.Env.TokenURL()
	_, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: url})
	ex, ok := lastReply(exs)
	if !ok {
		return failed(name, err, s.Timeout, "The platform did not answer, so its clock cannot be read.", "Check the network path to "+j.Env.APIBase+" (proxy settings below).")
	}
	d, ok := steps.ClockSkew(ex, j.Now())
	if !ok {
		return Check{Name: name, Status: Info, Detail: "the platform's reply to GET " + url + " has no usable Date header; clock not compared"}
	}
	ahead, behind := skewLimits()
	secs := int64(d / time.Second)
	rel := "in step with"
	switch {
	case secs > 0:
		rel = fmt.Sprintf("%d s behind", secs)
	case secs < 0:
		rel = fmt.Sprintf("%d s ahead of", -secs)
	}
	detail := fmt.Sprintf("this machine's clock is %s the platform's (its Date header on GET %s); the platform tolerates %d s ahead, %d s behind",
		rel, url, int64(ahead/time.Second), int64(behind/time.Second))
	switch {
	case -d > ahead || d > behind:
		h := steps.SkewHint(d)
		return Check{Name: name, Status: Fail, Detail: detail, Cause: h.Cause + " A fresh assertion would be refused.", Fix: h.Fix}
	case d > steps.SkewThreshold || -d > steps.SkewThreshold:
		h := steps.SkewHint(d)
		return Check{Name: name, Status: Pass, Detail: detail + "; within the limits, but closer to them than it should be", Fix: h.Fix}
	}
	return Check{Name: name, Status: Pass, Detail: detail}
}
