package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key binding of the wizard, in one place (huh keymap.go);
// the status bar and the full help are generated from it.
type keyMap struct {
	Run       key.Binding
	RunAll    key.Binding
	Rerun     key.Binding
	Edit      key.Binding
	NextPane  key.Binding
	PrevPane  key.Binding
	PrevTab   key.Binding
	NextTab   key.Binding
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Top       key.Binding
	Bottom    key.Binding
	Copy      key.Binding
	Reveal    key.Binding
	Export    key.Binding
	Sequence  key.Binding
	Paste     key.Binding
	Profile   key.Binding
	Back      key.Binding
	Help      key.Binding
	Decode    key.Binding
	Quit      key.Binding
	ForceQuit key.Binding
	Break     key.Binding // b: pick a break-it fault (breakit.go)
	Mouse     key.Binding // mouse.go
	CopyRun   key.Binding // copy_keys.go
	PrintURL  key.Binding // copy_keys.go

	// Text fields: only these act on the wizard while a field has focus.
	Submit    key.Binding
	NextField key.Binding
	PrevField key.Binding
}

func defaultKeyMap() *keyMap {
	return &keyMap{
		Run:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		RunAll:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "run all")),
		Rerun:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run")),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		PrevTab:   key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous tab")),
		NextTab:   key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next tab")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy curl")),
		Reveal:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "show secrets")),
		Export:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export to files")),
		Sequence:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "sequence view")),
		Paste:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste redirect URL")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Profile:   key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "save profile")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Decode:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decode a token")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Break:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "break it")),
		Mouse:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", mouseHelp(false))),
		CopyRun:   key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "copy runnable curl")),
		PrintURL:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "print URL")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		NextField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
	}
}

// ShortHelp is the step screen's key list, most used first: the status bar
// cuts it to its width, so ? and q come early enough to show at 80 columns.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.RunAll, k.Help, k.Quit, k.Rerun, k.Edit, k.NextTab, k.NextPane, k.Copy, k.Reveal, k.Sequence}
}

// runningHelp is the step screen's key list while a step runs: esc cancels
// it, and the panes can still be read.
func (k keyMap) runningHelp() []key.Binding {
	return []key.Binding{k.Back, k.Help, k.Quit, k.NextTab, k.NextPane, k.Reveal}
}

// FullHelp is the help screen's key table, one column per group.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Run, k.RunAll, k.Rerun, k.Edit, k.Paste, k.PrintURL},
		{k.NextPane, k.PrevPane, k.PrevTab, k.NextTab, k.Sequence},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Copy, k.CopyRun, k.Reveal, k.Export, k.Profile, k.Back, k.Help, k.Decode, k.Quit, k.ForceQuit, k.Break, k.Mouse},
	}
}

// fieldHelp is the key list shown while a text field has focus.
func (k keyMap) fieldHelp() []key.Binding {
	return []key.Binding{k.Submit, k.NextField, k.Back, k.ForceQuit}
}

// keyContext is what the key map needs to know of the screen to enable the
// keys that act on it and name them for it.
type keyContext struct {
	state   state
	steps   bool // the step screen shows (the browser wait included)
	help    bool // the help is open
	field   bool // a text field has the keyboard
	paste   bool // that field is the pasted redirect URL
	running bool // a step runs
	reveal  bool // secrets are shown
	decode  bool // the token decoder is open
}

func (x keyContext) picking() bool { return x.state == statePickFlow || x.state == statePickEnv }

// sync enables the bindings that act on the screen x and names them for it,
// so the help never lists a key that does nothing.
func (k *keyMap) sync(x keyContext) {
	picking := x.picking()
	for _, b := range []*key.Binding{&k.RunAll, &k.Rerun, &k.Edit, &k.NextPane, &k.PrevPane, &k.PrevTab, &k.NextTab, &k.Copy, &k.Reveal, &k.Sequence, &k.CopyRun, &k.PrintURL} {
		b.SetEnabled(x.steps)
	}
	k.Export.SetEnabled(x.steps)
	k.Run.SetEnabled(x.steps || picking)
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom} {
		b.SetEnabled(x.steps || picking || x.help)
	}
	k.PageUp.SetEnabled(x.steps || x.help)
	k.PageDown.SetEnabled(x.steps || x.help)
	k.Paste.SetEnabled(x.state == stateAwaitingCallback)
	k.Profile.SetEnabled(x.steps && !x.running)
	k.Break.SetEnabled(x.steps && !x.running && x.state != stateAwaitingCallback && !x.help && !x.field)
	k.Back.SetEnabled(x.state != statePickFlow || x.field || x.help || x.decode)
	k.Run.SetHelp("enter", "run")
	if picking {
		k.Run.SetHelp("enter", "choose")
	}
	k.Help.SetHelp("?", "help")
	if x.help {
		k.Help.SetHelp("?/esc", "close help")
	}
	// What enter does in a text field, and whether there is another field.
	k.NextField.SetEnabled(!x.paste)
	switch {
	case x.paste:
		k.Submit.SetHelp("enter", "send")
	case x.state == stateCredentials:
		k.Submit.SetHelp("enter", "continue")
	default:
		k.Submit.SetHelp("enter", "save")
	}
	k.Copy.SetHelp("c", "copy curl")
	k.Back.SetHelp("esc", "back")
	switch {
	case x.state == stateAwaitingCallback:
		k.Copy.SetHelp("c", "copy URL")
		k.Back.SetHelp("esc", "cancel")
	case x.steps && x.running:
		k.Back.SetHelp("esc", "cancel step")
	}
	k.Reveal.SetHelp("s", "show secrets")
	if x.reveal {
		k.Reveal.SetHelp("s", "hide secrets")
	}
}

// forScreen is the status bar's keys for the screen x.
func (k keyMap) forScreen(x keyContext) []key.Binding {
	switch {
	case x.decode:
		return []key.Binding{k.Back, k.ForceQuit}
	case x.field:
		return k.fieldHelp()
	case x.help:
		return []key.Binding{k.Help, k.Quit}
	case x.picking():
		return []key.Binding{k.Up, k.Down, k.Run, k.Back, k.Help, k.Quit}
	case x.state == stateLoading:
		return []key.Binding{k.Back, k.Quit}
	case x.state == stateAwaitingCallback:
		return []key.Binding{k.Paste, k.Copy, k.Back, k.Quit, k.PrintURL}
	case x.running:
		return k.runningHelp()
	}
	return k.ShortHelp()
}
