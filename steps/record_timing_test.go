package steps

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestRecorderSplitsTimings: a round trip records when its request was
// written and when the reply's first byte came, between its start and its
// end (on a clock that ticks once per reading, so the order is the test).
func TestRecorderSplitsTimings(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer ts.Close()
	var ticks atomic.Int64
	hc, rec := Recorder(ts.Client(), "GET", "")
	rec.rec.now = func() time.Time { return time.Unix(0, ticks.Add(1)*int64(time.Millisecond)) }
	resp, err := hc.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ex := rec.Exchanges()[0]
	if !(0 < ex.Sent && ex.Sent < ex.FirstByte && ex.FirstByte < ex.Took) {
		t.Errorf("sent %v, first byte %v, took %v: want 0 < sent < first byte < took", ex.Sent, ex.FirstByte, ex.Took)
	}
}
