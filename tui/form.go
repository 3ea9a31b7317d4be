package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// formField is one labelled text field.
type formField struct {
	key, label, help string
	secret           bool
	input            textField
}

// formModel is a column of text fields: the credentials of a real
// environment, or a step's inputs. While it has focus, keys type into the
// focused field; only ctrl+c, esc, enter and tab act on the wizard.
type formModel struct {
	c             *common
	title, intro  string
	fields        []formField
	focus         int
	err           string
	submitHint    string // what enter does: "enter saves"
	step          int    // the step whose inputs it edits; -1 for none
	width, height int
}

func newForm(c *common, title, intro string, fields []formField, reveal bool) *formModel {
	f := &formModel{c: c, title: title, intro: intro, fields: fields, submitHint: "enter saves", step: -1}
	for i := range f.fields {
		in := newTextField()
		in.Prompt = ""
		in.EchoCharacter = '•'
		in.SetValue(fields[i].input.Value())
		in.Placeholder = fields[i].input.Placeholder
		f.fields[i].input = in
	}
	f.setReveal(reveal)
	f.focusField(0)
	return f
}

// field builds a formField holding value.
func field(key, label, help, value, placeholder string, secret bool) formField {
	in := newTextField()
	in.SetValue(value)
	in.Placeholder = placeholder
	return formField{key: key, label: label, help: help, secret: secret, input: in}
}

// setReveal shows secret fields as typed or masks them.
func (f *formModel) setReveal(reveal bool) {
	for i := range f.fields {
		f.fields[i].input.EchoMode = echoNormal
		if f.fields[i].secret && !reveal {
			f.fields[i].input.EchoMode = echoPassword
		}
	}
}

func (f *formModel) focusField(i int) {
	if len(f.fields) == 0 {
		return
	}
	f.focus = (i + len(f.fields)) % len(f.fields)
	for k := range f.fields {
		if k == f.focus {
			f.fields[k].input.Focus()
		} else {
			f.fields[k].input.Blur()
		}
	}
}

// values returns every field's value by key.
func (f *formModel) values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for _, fl := range f.fields {
		out[fl.key] = strings.TrimSpace(fl.input.Value())
	}
	return out
}

func (f *formModel) setSize(w, h int) {
	f.width, f.height = w, h
	for i := range f.fields {
		f.fields[i].input.Width = max(10, innerWidth(w)-6)
	}
}

// update moves between fields on tab and shift+tab and types into the
// focused field otherwise. enter and esc are the root's.
func (f *formModel) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, f.c.keys.NextField):
			f.focusField(f.focus + 1)
			return nil
		case key.Matches(k, f.c.keys.PrevField):
			f.focusField(f.focus - 1)
			return nil
		}
	}
	if len(f.fields) == 0 {
		return nil
	}
	var cmd tea.Cmd
	f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	f.err = ""
	return cmd
}

func (f *formModel) view() string {
	s := f.c.styles
	inner := innerWidth(f.width)
	var b strings.Builder
	if f.intro != "" {
		b.WriteString(wrap(f.intro, inner) + "\n\n")
	}
	for i, fl := range f.fields {
		label := fl.label
		if i == f.focus {
			label = s.Label.Render("› " + label)
		} else {
			label = "  " + s.Bold.Render(label)
		}
		b.WriteString(label + "\n")
		b.WriteString("    " + fl.input.View() + "\n")
		if fl.help != "" {
			b.WriteString(s.Dim.Render(indentAll(wrap(fl.help, inner-4), 4)) + "\n")
		}
		b.WriteString("\n")
	}
	if f.err != "" {
		b.WriteString(s.Fail.Render(wrap("✗ "+f.err, inner)) + "\n\n")
	}
	b.WriteString(s.Dim.Render(f.submitHint + " · tab next field · esc cancels"))
	return f.c.frame(f.title, "", b.String(), f.width, f.height, false)
}

// inline renders a one-field form without a frame (the paste field).
func (f *formModel) inline(width int) string {
	if len(f.fields) == 0 {
		return ""
	}
	s := f.c.styles
	fl := f.fields[0]
	out := s.Label.Render(fl.label) + "\n" + s.Label.Render("› ") + fl.input.View() + "\n"
	if f.err != "" {
		out += s.Fail.Render(wrap("✗ "+f.err, width)) + "\n"
	}
	return out + s.Dim.Render("enter sends it to the sign-in step · esc cancels")
}
