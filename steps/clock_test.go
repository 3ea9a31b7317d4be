package steps_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

func TestClockSkew(t *testing.T) {
	local := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) http.Header {
		return http.Header{"Date": {local.Add(d).Format(http.TimeFormat)}}
	}
	tests := []struct {
		name   string
		ex     steps.Exchange
		now    time.Time
		want   time.Duration
		wantOK bool
	}{
		{"server ahead", steps.Exchange{RespHeader: date(90 * time.Second)}, local, 90 * time.Second, true},
		{"server behind", steps.Exchange{RespHeader: date(-7 * time.Minute)}, local, -7 * time.Minute, true},
		{"in step", steps.Exchange{RespHeader: date(0)}, local, 0, true},
		{"now from the exchange", steps.Exchange{RespHeader: date(30 * time.Second), Start: local.Add(-time.Second), Took: time.Second}, time.Time{}, 30 * time.Second, true},
		{"no Date", steps.Exchange{RespHeader: http.Header{}}, local, 0, false},
		{"bad Date", steps.Exchange{RespHeader: http.Header{"Date": {"yesterday"}}}, local, 0, false},
		{"no response", steps.Exchange{}, local, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := steps.ClockSkew(tt.ex, tt.now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ClockSkew = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSkewHint(t *testing.T) {
	behind := steps.SkewHint(90 * time.Second)
	if !strings.Contains(behind.Cause, "90 s behind") || !strings.Contains(behind.Fix, "NTP") {
		t.Errorf("behind = %+v", behind)
	}
	ahead := steps.SkewHint(-7 * time.Minute)
	if !strings.Contains(ahead.Cause, "420 s ahead") || !strings.Contains(ahead.Fix, "NTP") {
		t.Errorf("ahead = %+v", ahead)
	}
}
