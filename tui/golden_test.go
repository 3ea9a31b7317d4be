package tui

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// Golden screens at 100×30 with the ASCII profile, a fixed clock, a
// one-frame spinner and a fixed listener address. Regenerate with
// go test ./tui/ -run Golden -update.

func requireScreen(t *testing.T, h *harness) {
	t.Helper()
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestGoldenFlowPicker(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}), fakeBrowserFlow())
	h := newHarness(t, Config{}, deps)
	requireScreen(t, h)
}

func TestGoldenEnvPicker(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}), fakeBrowserFlow())
	h := newHarness(t, Config{}, deps)
	h.keys("enter")
	requireScreen(t, h)
}

func TestGoldenStepRunning(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	h := stepScreen(t, fakeOpts{block: block})
	h.keys("a")
	requireScreen(t, h)
}

func TestGoldenFinished(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a")
	requireScreen(t, h)
}

func TestGoldenTokenResponse(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("a", "up", "up") // step 3, Response tab
	requireScreen(t, h)
}

func TestGoldenFailedWithDiagnosis(t *testing.T) {
	h := stepScreen(t, fakeOpts{failAt: 3})
	h.keys("a")
	requireScreen(t, h)
}

func TestGoldenBrowserWaiting(t *testing.T) {
	deps, _ := fakeDeps(fakeBrowserFlow())
	h := newHarness(t, Config{FlowID: "fake-browser", Env: "local"}, deps)
	h.keys("a")
	requireScreen(t, h)
}
