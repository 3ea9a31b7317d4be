package tui

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/flows"
)

// state is where the wizard stands (huh's FormState, glow's state).
type state int

// The wizard's states.
const (
	statePickFlow         state = iota // choosing a flow
	statePickEnv                       // choosing an environment
	stateCredentials                   // typing a real environment's credentials
	stateLoading                       // building the journey behind a spinner
	stateReady                         // the step screen, nothing running
	stateRunning                       // a step runs
	stateAwaitingCallback              // the browser step waits for the redirect
	stateDone                          // every step succeeded: the summary shows
	stateFailed                        // the last step run failed
)

func (s state) String() string {
	return [...]string{"pick-flow", "pick-env", "credentials", "loading", "ready", "running", "awaiting-callback", "done", "failed"}[s]
}

// Config is what the command line decides (glow's ui.Config): set FlowID and
// Env to skip the pickers.
type Config struct {
	FlowID string
	Env    string
	Reveal bool // show secrets from the start (--reveal)
	Width  int  // initial size, until the first tea.WindowSizeMsg
	Height int
	// Version is nhsauth's version, which an export (x) names.
	Version string

	// Hyperlinks makes URLs OSC 8 links, for terminals that take them.
	Hyperlinks bool
}

// Deps are the wizard's seams: everything with I/O or time is injected, so
// tests run a fake flow synchronously on a fixed clock.
type Deps struct {
	Journey JourneyFunc
	Flows   []*flows.Flow // default flows.All()
	Envs    []string      // default flows.EnvNames()
	// Now is the clock of the countdowns; default time.Now.
	Now func() time.Time
	// Clipboard copies text; default an OSC 52 sequence on stdout, which
	// works over SSH.
	Clipboard func(text string) tea.Cmd
	// Scrollback prints text to the normal screen's scrollback; default
	// leaving the alternate screen for a moment on stdout.
	Scrollback func(text string) tea.Cmd
	// Spinner is the running animation; default spinner.Dot. Tests pass a
	// single frame.
	Spinner *spinner.Spinner
	// Context is the parent of every step's context; default Background.
	Context context.Context
	// Profiles, when set (UseProfiles), lists and saves saved profiles.
	Profiles Profiles
	// ExportDir is the folder x writes the journey to; default the
	// working folder.
	ExportDir string
}

// Model is the wizard's root model (glow ui.go): it holds the flow runner
// and the journey's state, routes messages to small child models and lays
// them out; the children own their behaviour.
type Model struct {
	common   *common
	cfg      Config
	deps     Deps
	state    state
	fatalErr error
	loadErr  error
	notice   string

	flowPicker, envPicker pickerModel
	flow                  *flows.Flow
	env                   string
	creds                 map[string]string // API key, key path, secret typed in the env picker

	gen        int // bumped whenever the journey is replaced
	ctx        context.Context
	cancel     context.CancelFunc // cancels the journey's steps
	stepCancel context.CancelFunc // cancels the running step
	journey    *flows.Journey
	cleanup    func()
	runner     *flows.Runner
	renders    []stepRender
	running    int // the running step, or -1
	runStart   time.Time
	// loginMode is how the journey signed in when it was built; a test
	// user typed in the sign-in step's inputs switches to the login form,
	// and clearing it switches back.
	loginMode flows.LoginMode
	autoRun   bool
	wait      waitInfo

	reveal        bool
	revealGen     int
	pendingReveal bool // a toggle made while a step ran, applied when it ends

	stepPanes             // the step list, detail, exchange pane and summary
	form       *formModel // credentials, or the selected step's inputs
	paste      *formModel
	help       helpModel
	decode     decodeModel // the token decoder, key d (decode.go)
	spinner    spinner.Model
	summarySeq int // names the latest summary, for its summaryBodyMsg
	ticking    bool

	brk        breakIt // the break-it screen and the chosen fault (breakit.go)
	exportPath string  // where the journey was last exported, for QuitSummary
	mouse      bool    // mouse capture is on (m)
	// copyWhat names what the last copy was of; secretCopyArmed is set
	// by a first C, which warns before the second copies (copy_keys.go).
	copyWhat        string
	secretCopyArmed bool
}

// New builds the wizard. Nothing slow happens here: the journey is built in
// a tea.Cmd from Init, so the first frame comes first.
func New(cfg Config, deps Deps) *Model {
	if deps.Flows == nil {
		deps.Flows = flows.All()
	}
	if deps.Envs == nil {
		deps.Envs = flows.EnvNames()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Clipboard == nil {
		deps.Clipboard = defaultClipboard()
	}
	if deps.Scrollback == nil {
		deps.Scrollback = defaultScrollback()
	}
	if deps.Context == nil {
		deps.Context = context.Background()
	}
	c := &common{styles: defaultStyles(), keys: defaultKeyMap(), help: help.New(), now: deps.Now}
	c.width, c.height = cfg.Width, cfg.Height
	c.links = cfg.Hyperlinks
	if c.width == 0 || c.height == 0 {
		c.width, c.height = minWidth, minHeight
	}
	sp := spinner.New()
	sp.Spinner = spinner.Dot
	if deps.Spinner != nil {
		sp.Spinner = *deps.Spinner
	}
	sp.Style = c.styles.Label
	m := &Model{
		common:    c,
		cfg:       cfg,
		deps:      deps,
		running:   -1,
		reveal:    cfg.Reveal,
		stepPanes: newStepPanes(c),
		help:      newHelp(c),
		decode:    newDecode(c),
		spinner:   sp,
	}
	m.flowPicker = newPicker(c, "Choose a flow", "Each flow is one of the NHS England API platform's security patterns, walked one documented step at a time.", flowItems(deps.Flows))
	m.envPicker = newPicker(c, "Choose an environment", "local runs fully offline against nhsauth's own imitation of the NHS services; the others are NHS England's real hosts and need your app's credentials.", envItems(deps.Envs))
	m.flowPicker.selectID(cfg.FlowID)
	m.envPicker.selectID(cfg.Env)
	if cfg.FlowID != "" {
		f, ok := findFlow(deps.Flows, cfg.FlowID)
		if !ok {
			m.fatalErr = fmt.Errorf("tui: unknown flow %q", cfg.FlowID)
		}
		m.flow = f
	}
	m.env = cfg.Env
	switch {
	case m.flow == nil:
		m.state = statePickFlow
	case m.env == "":
		m.state = statePickEnv
	default:
		m.state = stateLoading
	}
	m.layout()
	c.keys.sync(m.keyContext())
	return m
}

// findFlow is the flow of fs with id.
func findFlow(fs []*flows.Flow, id string) (*flows.Flow, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return nil, false
}

func flowItems(fs []*flows.Flow) []pickerItem {
	items := make([]pickerItem, 0, len(fs))
	for _, f := range fs {
		items = append(items, pickerItem{id: f.ID, title: f.Title, desc: f.Pattern})
	}
	return items
}

func envItems(names []string) []pickerItem {
	items := make([]pickerItem, 0, len(names))
	for _, n := range names {
		title := n
		if n == "local" {
			title = flows.Local("").Title
		} else if e, err := flows.LookupEnv(n); err == nil {
			title = e.Title
		}
		items = append(items, pickerItem{id: n, title: title})
	}
	return items
}

// Init starts building the journey when the command line chose both the
// flow and the environment.
func (m *Model) Init() tea.Cmd {
	if m.state == stateLoading {
		return m.startJourney()
	}
	return nil
}

// State reports where the wizard stands, for tests and logs.
func (m *Model) State() string { return m.state.String() }

// Close cancels any running step and releases the journey (stopping a
// private local platform). main calls it after the program ends.
func (m *Model) Close() { m.releaseJourney() }

// Update routes a message (glow ui.go, STYLE.md §2.3): a fatal error means
// any key quits; then the global keys; a new size fans out to every child;
// domain messages move the state machine; anything else goes to the focused
// child only. Afterwards it keeps the countdown tick alive only while a
// countdown is on screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	// The keys that act, and their names, follow the screen.
	m.common.keys.sync(m.keyContext())
	return m, tea.Batch(cmd, m.ensureTick())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if m.fatalErr != nil {
		if _, ok := msg.(tea.KeyMsg); ok {
			return m.quit()
		}
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if cmd, ok := m.globalKey(msg); ok {
			return cmd
		}
		if cmd, ok := m.breakKey(msg); ok {
			return cmd
		}
		if cmd, ok := m.mouseKey(msg); ok {
			return cmd
		}
	case tea.WindowSizeMsg:
		m.common.width, m.common.height = msg.Width, msg.Height
		m.layout()
		return nil
	case journeyReadyMsg:
		return m.journeyReady(msg)
	case errMsg:
		return m.handleErr(msg)
	case stepDoneMsg:
		return m.stepDone(msg)
	case browserNoticeMsg:
		return m.browserNotice(msg)
	case decodeDoneMsg:
		m.decode.done(msg)
	case exportedMsg:
		m.exported(msg)
		return nil
	case spinner.TickMsg:
		if !m.spinning() {
			return nil // the animation stops: an idle screen is still
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		m.syncPanes()
		return cmd
	case renderedMsg:
		m.rendered(msg)
		return nil
	case summaryBodyMsg:
		if msg.seq == m.summarySeq {
			m.summary.setBody(msg.text)
		}
		return nil
	case clipboardMsg:
		m.copied(msg)
		return nil
	case scrolledMsg:
		if msg.err != nil {
			m.notice = "Could not print to the scrollback: " + msg.err.Error()
		}
		return nil
	case tickMsg:
		m.ticking = false
		m.syncPanes()
		return nil
	}
	return m.updateFocused(msg)
}

// spinning reports whether something runs that the spinner stands for.
func (m *Model) spinning() bool {
	return m.state == stateLoading && m.loadErr == nil || m.state == stateRunning || m.state == stateAwaitingCallback
}

// ensureTick asks for the next countdown tick while a countdown is visible:
// the login timeout, or a live token expiry on the Token tab.
func (m *Model) ensureTick() tea.Cmd {
	if m.ticking {
		return nil
	}
	need := m.state == stateAwaitingCallback && !m.wait.deadline.IsZero()
	if !need && m.onStepScreen() && !m.help.open && m.pane.tab == tabToken {
		i := m.steps.cursor
		need = i < len(m.renders) && m.renders[i].token.live(m.common.now())
	}
	if !need {
		return nil
	}
	m.ticking = true
	return tick()
}

// onStepScreen reports whether the step screen is showing.
func (m *Model) onStepScreen() bool { return m.state >= stateReady && m.runner != nil }

// quit cancels any running step (closing the listener) and ends the program.
func (m *Model) quit() tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	return tea.Quit
}
