package tui

import "strings"

// diagnosisHeight is how many rows the diagnosis box wants at width w
// (borders included), capped by the caller.
func diagnosisHeight(c *common, r *stepRender, w int) int {
	if r == nil || !r.failed {
		return 0
	}
	return strings.Count(diagnosisBody(c, r, innerWidth(w)), "\n") + 3
}

// diagnosisBody explains a failed step: the error, then each hint's cause
// and fix (steps.Hint), in plain words.
func diagnosisBody(c *common, r *stepRender, w int) string {
	s := c.styles
	var b strings.Builder
	if r.cancelled {
		// Not a failure to diagnose: the user stopped it.
		b.WriteString(s.Warn.Render("■ ") + indentAfterFirst(wrap("Cancelled with esc before it finished: nothing is known to be wrong with it.", w-2), 2))
		b.WriteString("\n" + s.Dim.Render(wrap("enter runs it again. ("+r.errText+")", w)))
		return b.String()
	}
	b.WriteString(s.DiagTitle.Render("✗ ") + indentAfterFirst(wrap(r.errText, w-2), 2))
	if len(r.hints) == 0 {
		b.WriteString("\n" + s.Dim.Render(wrap("No known diagnosis: read the Response tab for what the server said.", w)))
	}
	for _, h := range r.hints {
		b.WriteString("\n" + c.labelled("Cause", 7, h.Cause, w))
		if h.Fix != "" {
			b.WriteString("\n" + c.labelled("Fix", 7, h.Fix, w))
		}
	}
	return b.String()
}

// diagnosisView is the diagnosis box for a failed step.
func diagnosisView(c *common, r *stepRender, w, h int) string {
	title := "Diagnosis"
	if r.cancelled {
		title = "Cancelled"
	}
	return c.frame(title, "", diagnosisBody(c, r, innerWidth(w)), w, h, false)
}
