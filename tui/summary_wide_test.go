package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestSummaryNamesRedirectUsed: the summary says which redirect_uri the
// authorise request sent (the loopback listener's), not only the mock
// client's registered placeholder.
func TestSummaryNamesRedirectUsed(t *testing.T) {
	h := sequenceScreen(t, "cis2-separate", false, 100, 30)
	if !h.m.steps.onSummary(h.m.runner) {
		t.Fatalf("the finished flow does not show its summary:\n%s", h.screen())
	}
	text := strings.Join(strings.Fields(ansi.Strip(h.m.summary.text)), " ")
	want := "Redirect URI http://127.0.0.1:43111/callback (nhsauth's loopback listener; the client's registered https://example.org/ was not used)"
	if !strings.Contains(text, want) {
		t.Errorf("summary lacks %q:\n%s", want, text)
	}
	// app-restricted signs nobody in: no redirect line.
	h = sequenceScreen(t, "app-restricted", false, 100, 30)
	if strings.Contains(ansi.Strip(h.m.summary.text), "Redirect URI") {
		t.Errorf("app-restricted's summary names a redirect URI:\n%s", h.m.summary.text)
	}
}

// TestGoldenWideSummary: at 200×50 the summary has the sequence view
// beside it instead of empty space.
func TestGoldenWideSummary(t *testing.T) {
	h := sequenceScreen(t, "cis2-separate", false, 200, 50)
	requireScreen(t, h)
}
