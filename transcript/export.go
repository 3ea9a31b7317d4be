package transcript

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// The exports of a whole journey (issue 13): a HAR 1.2 file (har.go), a
// Markdown transcript for a support desk (markdown.go) and a bash script of
// curl commands that replays it (curlscript.go). All three are laid out
// from one Journey, made here from the Runner with the same Present and
// PresentStep as the screen, so a value is masked the one way everywhere.

// Meta is what an export says of itself beside the journey.
type Meta struct {
	Version string        // nhsauth's version, for HAR log.creator
	Time    time.Time     // when the export was made
	Timeout time.Duration // the per-request limit a "no reply" failure names
	// Masked masks the export even while the journey's Redactor reveals:
	// the wizard's s key shows secrets on screen, not in files.
	Masked bool
}

// Journey is a walk through a flow made presentable for the exports:
// every step's outcome and exchanges masked with the journey's Redactor
// (nothing masked when it reveals), and the list of what was redacted.
type Journey struct {
	FlowID, FlowTitle, Pattern string
	Env, APIBase               string
	Meta
	// Revealed says the journey's Redactor showed secrets in full: the
	// files then hold them, and Redacted is empty.
	Revealed bool
	Steps    []JourneyStep
	// Redacted lists each secret value the exports show masked, where it
	// was and how it is shown.
	Redacted []Redaction

	// Sequence is who talked to whom, drawn in the Markdown transcript as a
	// Mermaid sequenceDiagram.
	Sequence Sequence

	rawBase string // the environment's base URL, unmasked: the script's BASE_URL
}

// JourneyStep is one step of a journey with its outcome.
type JourneyStep struct {
	ID, Title, What, Doc string
	Status               string // flows.Status: "done", "failed", "pending"…
	Step                 Step
	Exchanges            []ExportExchange
}

// ExportExchange is one exchange as the exports show it (Exchange,
// masked) with the same exchange unmasked (Open), which the curl script
// reads to turn each masked value into a variable, never into text.
type ExportExchange struct {
	Exchange
	Open Exchange
	// hidden is the exchange masked even when the journey reveals: what
	// the curl script compares with Open to find its variables.
	hidden Exchange
}

// Redaction is one secret value an export shows masked: the step and
// exchange it was in, what it was (a header, a form or query parameter, a
// JSON member), and how it is shown.
type Redaction struct {
	Step, Exchange string
	Where          string // "request header Authorization", "form field client_assertion"
	Shown          string // the masked form: "eyJh…"
}

// NewJourney makes a run presentable for the exports, masked with the
// journey's Redactor.
func NewJourney(r *flows.Runner, meta Meta) *Journey {
	j := r.Journey
	red := j.Redact
	if meta.Masked && red != nil && red.Reveal {
		red = red.Clone()
		red.Reveal = false
	}
	open, hide := red.Clone(), red.Clone()
	if open == nil {
		open, hide = &steps.Redactor{}, &steps.Redactor{}
	}
	open.Reveal, hide.Reveal = true, false
	out := &Journey{
		FlowID: r.Flow.ID, FlowTitle: Line(r.Flow.Title), Pattern: Line(r.Flow.Pattern),
		Env: Line(j.Env.Name), APIBase: Line(red.String(j.Env.APIBase)),
		Meta: meta, Revealed: red != nil && red.Reveal, rawBase: j.Env.APIBase,
	}
	for i, st := range r.Flow.Steps {
		res := r.Result(i)
		js := JourneyStep{ID: st.ID, Title: Line(st.Title), What: Text(st.What), Doc: Text(st.Doc),
			Status: res.Status.String(), Step: PresentStep(res.Outcome, red, meta.Timeout)}
		for _, ex := range res.Outcome.Exchanges {
			e := ExportExchange{Exchange: Present(ex, red), Open: Present(ex, open), hidden: Present(ex, hide)}
			js.Exchanges = append(js.Exchanges, e)
			if !out.Revealed {
				out.Redacted = append(out.Redacted, redactions(fmt.Sprintf("Step %d, %s", i+1, js.Title), e)...)
			}
		}
		out.Steps = append(out.Steps, js)
	}
	out.Sequence = sequenceWith(r, -1, red)
	return out
}

// Files names the files an export writes; an empty name is skipped.
type Files struct {
	HAR, Markdown, CurlScript string
	// Sections go into the Markdown transcript before its steps
	// (WriteMarkdown's extra).
	Sections []Section
}

// Save writes the journey to each file named in f, and returns the names
// written. Each file is written whole or not at all (a temporary file
// beside it, renamed over it: an existing file is replaced, as curl -o
// does), with mode 0600, since with --reveal it holds secrets.
func (j *Journey) Save(f Files) ([]string, error) {
	var written []string
	for _, out := range []struct {
		path   string
		render func(io.Writer)
	}{
		{f.HAR, j.WriteHAR},
		{f.Markdown, func(w io.Writer) { j.WriteMarkdown(w, f.Sections) }},
		{f.CurlScript, j.WriteCurlScript},
	} {
		if out.path == "" {
			continue
		}
		var buf bytes.Buffer
		out.render(&buf)
		if err := writeFileAtomic(out.path, buf.Bytes()); err != nil {
			return written, err
		}
		written = append(written, out.path)
	}
	return written, nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, renamed into place, mode 0600.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("transcript: cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return fmt.Errorf("transcript: cannot write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("transcript: cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("transcript: cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("transcript: cannot write %s: %w", path, err)
	}
	return nil
}
