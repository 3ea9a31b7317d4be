// Package transcript makes what nhsauth shows of a journey presentable,
// once: each steps.Exchange becomes its parts (request line, headers, form
// fields, body, status line, curl command) with secrets masked and control
// characters neutralised where the parts are made, a step's outcome
// becomes its summary, checks and a failure worded in plain language, and
// a JWT becomes its decoded header and claims with their explanations.
//
// Renderers only lay the parts out: plain text for nhsauth run, get-token
// and call-api (text.go), the --json documents (json.go), and the wizard's
// styled panes, which add colour and nothing else (package tui), and the
// exports of a whole journey (export.go): HAR 1.2 (har.go), a Markdown
// transcript (markdown.go) and a bash script of curl commands
// (curlscript.go). A new output format is one more renderer here.
//
// Text a server sent is never trusted: every part meant for a terminal has
// its C0 and C1 control characters shown escaped (Line, Text), and the JSON
// writer escapes them as JSON.
//
// Dependency direction: transcript imports flows, steps and the standard
// library; it never imports tui, bubbletea or lipgloss, and flows and steps
// never import it.
package transcript
