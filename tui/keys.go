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
	Paste     key.Binding
	Back      key.Binding
	Help      key.Binding
	Quit      key.Binding
	ForceQuit key.Binding

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
		Paste:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "paste redirect URL")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		NextField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
	}
}

// ShortHelp is the step screen's key list, most used first: the status bar
// cuts it to its width, so ? and q come early enough to show at 80 columns.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.RunAll, k.Help, k.Quit, k.Rerun, k.Edit, k.NextTab, k.NextPane, k.Copy, k.Reveal}
}

// runningHelp is the step screen's key list while a step runs: esc cancels
// it, and the panes can still be read.
func (k keyMap) runningHelp() []key.Binding {
	return []key.Binding{k.Back, k.Help, k.Quit, k.NextTab, k.NextPane, k.Reveal}
}

// FullHelp is the help screen's key table, one column per group.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Run, k.RunAll, k.Rerun, k.Edit, k.Paste},
		{k.NextPane, k.PrevPane, k.PrevTab, k.NextTab},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Copy, k.Reveal, k.Back, k.Help, k.Quit, k.ForceQuit},
	}
}

// fieldHelp is the key list shown while a text field has focus.
func (k keyMap) fieldHelp() []key.Binding {
	return []key.Binding{k.Submit, k.NextField, k.Back, k.ForceQuit}
}
