package transcript

import (
	"fmt"
	"strings"
)

// Mermaid renders the sequence as a Mermaid sequenceDiagram
// (https://mermaid.js.org/syntax/sequenceDiagram.html), for the Markdown
// export: a participant per lifeline (its short name as the alias, its
// full name shown), a Note over the lifelines for each step that ran, a
// solid arrow (->>) per request and local record, a dotted one (-->>) per
// reply, and for a failure a cross (-x, --x) with a Note saying so (a
// Note alone for the app's own check that failed). Steps
// that have not run are left out. The characters Mermaid gives a meaning
// in a message (';', '#') are written as its entity codes.
func (s Sequence) Mermaid() string {
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	for _, a := range s.Actors {
		fmt.Fprintf(&b, "    participant %s as %s\n", a.Short(), mermaidText(s.Names[a]))
	}
	first, last := s.Actors[0].Short(), s.Actors[len(s.Actors)-1].Short()
	for _, st := range s.Steps {
		if len(st.Arrows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "    Note over %s,%s: %d. %s\n", first, last, st.Number, mermaidText(st.Title))
		for _, a := range st.Arrows {
			if a.Self() && a.State == ArrowFailed {
				fmt.Fprintf(&b, "    Note over %s: ✗ %s\n", a.From.Short(), mermaidText(a.Label()))
				continue
			}
			fmt.Fprintf(&b, "    %s%s%s: %s\n", a.From.Short(), mermaidArrow(a), a.To.Short(), mermaidText(a.Label()))
			if a.State == ArrowFailed {
				fmt.Fprintf(&b, "    Note over %s: ✗ failed here\n", a.To.Short())
			}
		}
	}
	return b.String()
}

// mermaidArrow is the arrow's Mermaid form: solid for a request, dotted
// for a reply, a cross instead of the head when it failed.
func mermaidArrow(a Arrow) string {
	line := "-"
	if a.Reply {
		line = "--"
	}
	if a.State == ArrowFailed {
		return line + "x"
	}
	return line + ">>"
}

// mermaidText makes text safe inside a Mermaid message: one line, and ';'
// and '#' (statement separator and entity start) as entity codes.
func mermaidText(s string) string {
	return mermaidEscapes.Replace(Line(s))
}

var mermaidEscapes = strings.NewReplacer("#", "#35;", ";", "#59;", "\n", " ")
