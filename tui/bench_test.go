package tui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// largeJSON is a JSON document of about n bytes: a FHIR-like bundle.
func largeJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"resourceType":"Bundle","type":"searchset","entry":[`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"fullUrl":"https://int.api.service.nhs.uk/personal-demographics/FHIR/R4/Patient/%010d","resource":{"resourceType":"Patient","id":"%010d","active":true,"name":[{"family":"Smith","given":["Jane","Ann"]}],"gender":"female","birthDate":"1970-01-%02d","score":%d.5,"deceased":null}}`, 9000000000+i, 9000000000+i, i%28+1, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// largeBodyFlow has one step whose response is body.
func largeBodyFlow(body []byte) *flows.Flow {
	return &flows.Flow{ID: "large", Title: "Large body", Steps: []flows.Step{{
		ID: "api", Title: "API called",
		Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
			ex := steps.Exchange{Title: "API call", Method: "GET", URL: fakeBase + "/personal-demographics/FHIR/R4/Patient",
				Status: 200, RespHeader: http.Header{"Content-Type": {"application/fhir+json"}}, RespBody: body}
			return flows.Outcome{Summary: "HTTP 200", Exchanges: []steps.Exchange{ex}}
		},
	}}}
}

// largeBodyModel is the step screen showing a 5 MB JSON response, scrolled
// to the middle.
func largeBodyModel(tb testing.TB, size int) *harness {
	deps, _ := fakeDeps(largeBodyFlow(largeJSON(size)))
	h := newHarness(tb, Config{FlowID: "large", Env: "local"}, deps)
	h.keys("enter", "up", "tab", "tab") // run it, select it, focus the exchange pane
	for range 50 {
		h.m.Update(keyMsg("pgdown"))
	}
	return h
}

func TestLargeBodyScrolls(t *testing.T) {
	if testing.Short() {
		t.Skip("5 MB body")
	}
	size, minLines := 5<<20, 100000
	if raceEnabled {
		size, minLines = 512<<10, 10000
	}
	h := largeBodyModel(t, size)
	before := h.m.pane.yOffset
	if before == 0 {
		t.Fatal("page down did not scroll the exchange pane")
	}
	if !strings.Contains(h.screen(), "Patient") {
		t.Fatalf("body not shown:\n%s", h.screen())
	}
	if total := h.m.pane.totalLines(); total < minLines {
		t.Fatalf("%d lines: the body was not pretty-printed", total)
	}
}

// BenchmarkViewLargeBody measures one frame while scrolling a 5 MB JSON
// response: a scroll key, then View.
func BenchmarkViewLargeBody(b *testing.B) {
	b.Run("ascii", func(b *testing.B) { benchView(b) })
	b.Run("truecolor", func(b *testing.B) {
		lipgloss.SetColorProfile(termenv.TrueColor)
		defer lipgloss.SetColorProfile(termenv.Ascii)
		benchView(b)
	})
}

func benchView(b *testing.B) {
	h := largeBodyModel(b, 5<<20)
	b.ResetTimer()
	for i := range b.N {
		k := "down"
		if i%200 >= 100 {
			k = "up"
		}
		h.m.Update(keyMsg(k))
		_ = h.m.View()
	}
}

// BenchmarkFirstFrame measures New, Init and the first View with the pickers
// skipped: what stands between the command line and the first frame.
func BenchmarkFirstFrame(b *testing.B) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	for range b.N {
		m := New(Config{FlowID: "fake-app", Env: "local", Width: 100, Height: 30}, deps)
		_ = m.Init()
		_ = m.View()
	}
}

// BenchmarkRenderLargeBody measures the one-off work when a step with a 5 MB
// JSON response finishes: masking, pretty-printing and colouring every tab,
// then wrapping the Response tab to the pane and loading it.
func BenchmarkRenderLargeBody(b *testing.B) {
	b.Run("ascii", func(b *testing.B) { benchRender(b) })
	b.Run("truecolor", func(b *testing.B) {
		lipgloss.SetColorProfile(termenv.TrueColor)
		defer lipgloss.SetColorProfile(termenv.Ascii)
		benchRender(b)
	})
}

func benchRender(b *testing.B) {
	body := largeJSON(5 << 20)
	ex := steps.Exchange{Title: "API call", Method: "GET", URL: fakeBase + "/p", Status: 200,
		RespHeader: http.Header{"Content-Type": {"application/fhir+json"}}, RespBody: body}
	res := flows.Result{Status: flows.StatusDone, Runs: 1, Outcome: flows.Outcome{Exchanges: []steps.Exchange{ex}}}
	s := defaultStyles()
	b.SetBytes(int64(len(body)))
	vp := newPager(&common{styles: s, keys: defaultKeyMap()}, 3)
	vp.setSize(70, 22) // text 66 wide
	for range b.N {
		r := renderOutcome(res, &steps.Redactor{}, 0)
		text := renderExchanges(s, res.Outcome.Exchanges, &steps.Redactor{})
		r.request, r.response, r.curl = text.request, text.response, text.curl
		vp.setContent(r.wrappedText(tabResponse, 66))
	}
}
