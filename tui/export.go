package tui

// x: the journey so far written to files a support desk can read (issue
// 13): a Markdown transcript, a HAR 1.2 file and a curl script, named for
// the flow and the time, in the working folder. transcript lays them out
// and masks them, as it does for run --markdown, --har and --curl-script;
// secrets stay masked unless the wizard was started with --reveal (s shows
// them on screen only).

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nhsauth/nhsauth/transcript"
)

// exportedMsg says which files an export wrote, or why it could not.
type exportedMsg struct {
	files    []string
	err      error
	revealed bool
}

// export is x: it makes the journey presentable here, on the update loop
// that owns the runner, and writes the files in a command.
func (m *Model) export() tea.Cmd {
	if m.runner == nil || m.flow == nil {
		return nil
	}
	if m.running >= 0 {
		m.notice = fmt.Sprintf("Step %d is running: x exports once it finishes.", m.running+1)
		return nil
	}
	now := m.deps.Now()
	j := transcript.NewJourney(m.runner, transcript.Meta{Version: m.cfg.Version, Time: now,
		Timeout: m.requestTimeout(), Masked: !m.cfg.Reveal})
	base := filepath.Join(m.deps.ExportDir, fmt.Sprintf("nhsauth-%s-%s", m.flow.ID, now.Format("20060102-150405")))
	m.notice = "Exporting the journey…"
	return func() tea.Msg {
		files, err := j.Save(transcript.Files{Markdown: base + ".md", HAR: base + ".har", CurlScript: base + ".sh"})
		return exportedMsg{files: files, err: err, revealed: j.Revealed}
	}
}

// exported names the files on the status line.
func (m *Model) exported(msg exportedMsg) {
	if msg.err != nil {
		m.notice = transcript.Line(fmt.Sprintf("Export failed: %v; check the folder is writable.", msg.err))
		return
	}
	if len(msg.files) == 0 {
		return
	}
	how := "secrets masked"
	if msg.revealed {
		how = "secrets in full (--reveal)"
	}
	base := strings.TrimSuffix(msg.files[0], filepath.Ext(msg.files[0]))
	exts := make([]string, len(msg.files))
	for i, f := range msg.files {
		exts[i] = strings.TrimPrefix(filepath.Ext(f), ".")
	}
	m.notice = transcript.Line(fmt.Sprintf("Exported %s.{%s}, %s.", base, strings.Join(exts, ","), how))
	m.exportPath = fmt.Sprintf("%s.{%s}", base, strings.Join(exts, ","))
}
