package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nhsauth/nhsauth/flows"
)

// noFault is the break-it picker's first item: run the flow as it is.
const noFault = "none"

// breakIt is the wizard's break-it screen (key b): before running, pick one
// of the documented failures that fit the flow; the journey is rebuilt with
// that fault (flows.Break), so the run shows the platform's exact reply and
// the diagnosis. It works on the local platform only.
type breakIt struct {
	open   bool
	picker pickerModel
	fault  *flows.Fault // the fault the journey is built with, or nil
}

// breakKey handles the keys of the break-it screen, and b on the step
// screen; it reports whether it took the key.
func (m *Model) breakKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.common.keys
	if m.focusedField() != nil { // a text field takes b as a letter
		return nil, false
	}
	if !m.brk.open {
		if !key.Matches(msg, k.Break) || !k.Break.Enabled() {
			return nil, false
		}
		if m.env != "local" {
			m.notice = "Break-it runs on the local platform only: choose the environment local."
			return nil, true
		}
		m.brk.picker = newPicker(m.common, "Break it on purpose",
			"Pick one documented failure to make happen in this flow, on the local platform only: the flow starts again with it, and the failing step shows the platform's exact reply and its diagnosis.",
			faultItems(m.flow.ID))
		m.brk.picker.setSize(m.common.width, m.common.bodyHeight())
		if m.brk.fault != nil {
			m.brk.picker.selectID(m.brk.fault.Name)
		}
		m.brk.open = true
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Back):
		m.brk.open = false
	case key.Matches(msg, k.Run):
		it, _ := m.brk.picker.selected()
		m.brk.open = false
		m.brk.fault, _ = flows.FaultByName(it.id) // nil for noFault
		m.notice = "Break-it off: the flow runs as it is."
		if m.brk.fault != nil {
			m.notice = "Break-it: " + m.brk.fault.Name + ". Run the flow to see it fail."
		}
		notice := m.notice
		cmd := m.startJourney()
		m.notice = notice
		return cmd, true
	default:
		m.brk.picker, _ = m.brk.picker.update(msg)
	}
	return nil, true
}

// faultItems are the picker's items: no fault, then every fault that fits
// the flow, with the side it happens on.
func faultItems(flowID string) []pickerItem {
	items := []pickerItem{{id: noFault, title: "No fault", desc: "Run the flow as it is."}}
	for _, f := range flows.Faults() {
		if f.Fits(flowID) {
			items = append(items, pickerItem{id: f.Name, title: f.Name + " (" + f.Side + ")", desc: f.Line + ": " + f.Breaks + "."})
		}
	}
	return items
}

// brokenFlow is the flow the runner drives over j: the chosen fault's
// (flows.Break), or the flow itself. A fault that does not fit (the flow
// changed since) is dropped.
func (m *Model) brokenFlow(j *flows.Journey) *flows.Flow {
	if m.brk.fault == nil {
		return m.flow
	}
	f, err := flows.Break(m.flow, j, m.brk.fault)
	if err != nil {
		m.brk.fault = nil
		return m.flow
	}
	return f
}

// where is the status bar's mark of an armed fault, or "".
func (b breakIt) where() string {
	if b.fault == nil {
		return ""
	}
	return " · break " + b.fault.Name
}
