package tui

import (
	"fmt"

	"github.com/nhsauth/nhsauth/flows"
)

// Editing a step's inputs (e): a form built from the step's flows.Input
// list, and the values written back with Input.Set.

// inputsForm is the form that edits step i's settable inputs, filled from
// j; nil when the step has none.
func inputsForm(c *common, i int, st flows.Step, j *flows.Journey, reveal bool) *formModel {
	var fields []formField
	for _, in := range st.Inputs {
		if in.Set == nil {
			continue
		}
		v := ""
		if in.Get != nil {
			v = in.Get(j)
		}
		label := in.Label
		if label == "" {
			label = in.Key
		}
		fields = append(fields, field(in.Key, label, in.Help, v, "", in.Secret))
	}
	if len(fields) == 0 {
		return nil
	}
	f := newForm(c, fmt.Sprintf("Inputs of step %d · %s", i+1, st.Title),
		"Changing an input marks this step and the ones after it to run again.", fields, reveal)
	f.step = i
	return f
}

// applyInputs writes the values that changed back to j, registering a
// secret one with the journey's redactor, and reports whether any changed.
// It stops at the first value the step refuses.
func applyInputs(st flows.Step, j *flows.Journey, vals map[string]string) (bool, error) {
	changed := false
	for _, in := range st.Inputs {
		v, ok := vals[in.Key]
		if !ok || in.Set == nil {
			continue
		}
		old := ""
		if in.Get != nil {
			old = in.Get(j)
		}
		if v == old {
			continue
		}
		if err := in.Set(j, v); err != nil {
			return changed, fmt.Errorf("%s: %w", in.Label, err)
		}
		if in.Secret {
			j.Secret(v)
		}
		changed = true
	}
	return changed, nil
}
