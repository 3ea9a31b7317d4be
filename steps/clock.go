package steps

import (
	"fmt"
	"net/http"
	"time"
)

// SkewThreshold is the clock difference above which a failure involving
// exp or iat is put down to clock skew. The Date header has a resolution of
// one second and the round trip adds a little, so smaller differences say
// nothing.
const SkewThreshold = 5 * time.Second

// ClockSkew estimates how far the server's clock is ahead of ours (negative:
// behind) from the Date header of a response (RFC 9110 §6.6.1). now is our
// clock when the response arrived; when zero, the exchange's own start plus
// its duration is used. It reports false when there is no usable Date.
//
// A client assertion's exp is judged by the platform's clock, not ours: a
// local clock 5 minutes behind makes every freshly signed assertion look
// expired; one ahead pushes exp beyond the 5-minute limit (reference §2.3).
func ClockSkew(ex Exchange, now time.Time) (time.Duration, bool) {
	if ex.RespHeader == nil {
		return 0, false
	}
	d := ex.RespHeader.Get("Date")
	if d == "" {
		return 0, false
	}
	server, err := http.ParseTime(d)
	if err != nil {
		return 0, false
	}
	if now.IsZero() {
		if ex.Start.IsZero() {
			return 0, false
		}
		now = ex.Start.Add(ex.Took)
	}
	return server.Sub(now).Round(time.Second), true
}

// SkewHint explains a measured clock skew d (server minus local) in plain
// words; flows add it to failures involving exp or iat when |d| exceeds
// SkewThreshold.
func SkewHint(d time.Duration) Hint {
	abs := d
	if abs < 0 {
		abs = -abs
	}
	secs := int64(abs.Round(time.Second) / time.Second)
	fix := "Synchronise this machine's clock with NTP (Linux: timedatectl set-ntp true; macOS: sntp -sS time.apple.com; Windows: w32tm /resync), then sign a new assertion."
	if d > 0 {
		return Hint{
			Cause: fmt.Sprintf("Your clock is %d s behind the server's (compare its Date header): tokens you sign look older to it, so an assertion can arrive already expired.", secs),
			Fix:   fix,
		}
	}
	return Hint{
		Cause: fmt.Sprintf("Your clock is %d s ahead of the server's (compare its Date header): an exp you set lies further ahead for it, beyond the 5-minute limit, and tokens it issues look older to you.", secs),
		Fix:   fix,
	}
}
