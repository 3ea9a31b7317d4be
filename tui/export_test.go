package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportKeyWritesJourney: x writes the journey to a Markdown, a HAR
// and a curl script named for the flow and the time, says so on the status
// line, and keeps secrets masked even while s shows them on screen.
func TestExportKeyWritesJourney(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	deps.ExportDir = t.TempDir()
	h := newHarness(t, Config{FlowID: "fake-app", Env: "local", Version: "v9.8.7"}, deps)
	h.keys("a", "s", "x")
	base := filepath.Join(deps.ExportDir, "nhsauth-fake-app-"+fixedNow.Format("20060102-150405"))
	if scr := h.screen(); !strings.Contains(scr, "Exported "+base) {
		t.Errorf("the status line does not name the export:\n%s", scr)
	}
	if want := base + ".{har,md,sh}, secrets masked."; !strings.Contains(h.m.notice, want) {
		t.Errorf("notice = %q, want %q", h.m.notice, want)
	}
	for _, ext := range []string{".md", ".har", ".sh"} {
		b, err := os.ReadFile(base + ext)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(base + ext); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", ext, st.Mode().Perm())
		}
		if strings.Contains(string(b), fakeAccess) || strings.Contains(string(b), "eyJhbGciOiJSUzUxMiIsImtpZCI6") {
			t.Errorf("%s holds a secret in full although only the screen reveals", ext)
		}
	}
	if sum := h.m.QuitSummary(); !strings.Contains(sum, "Export: "+base+".{har,md,sh}") {
		t.Errorf("the summary left on quit does not name the export:\n%s", sum)
	}
	md, _ := os.ReadFile(base + ".md")
	for _, want := range []string{"# nhsauth transcript: Fake application-restricted", "| nhsauth | v9.8.7 |", "## Step 4: ", "Hello Application!"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
}
