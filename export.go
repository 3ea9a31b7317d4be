package main

// run's exports (issue 13): --har, --markdown and --curl-script write the
// journey, as the transcript package lays it out, to files once the run
// ends, whether it succeeded or not (a failed run is what a support desk
// is sent).

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/transcript"
	"github.com/spf13/pflag"
)

// exportFlags are run's export files.
type exportFlags struct{ har, markdown, curlScript string }

// add registers the export flags on fs.
func (e *exportFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&e.har, "har", "", "also write the run's HTTP exchanges as a HAR 1.2 `FILE` (DevTools can import it); secrets redacted unless --reveal")
	fs.StringVar(&e.markdown, "markdown", "", "also write the run as a Markdown transcript `FILE` (steps, outcomes, checks, hints, each exchange); secrets redacted unless --reveal")
	fs.StringVar(&e.curlScript, "curl-script", "", "also write a bash script `FILE` of curl commands that replays the run, its secrets as variables; run it with bash FILE")
}

// check reports a usage error when an export's folder does not exist, so
// the run is not wasted.
func (e exportFlags) check() error {
	for _, f := range []struct{ flag, path string }{{"--har", e.har}, {"--markdown", e.markdown}, {"--curl-script", e.curlScript}} {
		if f.path == "" {
			continue
		}
		dir := filepath.Dir(f.path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("%s %s: the folder %s does not exist: create it, or name a file in an existing folder", f.flag, f.path, dir)
		}
		if st, err := os.Stat(f.path); err == nil && st.IsDir() {
			return usagef("%s %s is a folder: name a file, for example %s", f.flag, f.path, filepath.Join(f.path, "nhsauth.out"))
		}
	}
	return nil
}

// write writes the files asked for, saying so on stderr; it reports
// false when one could not be written.
func (e exportFlags) write(env *cliEnv, r *flows.Runner, timeout time.Duration) bool {
	if e.har == "" && e.markdown == "" && e.curlScript == "" {
		return true
	}
	j := transcript.NewJourney(r, transcript.Meta{Version: shortVersion(), Time: time.Now(), Timeout: timeout})
	written, err := j.Save(transcript.Files{HAR: e.har, Markdown: e.markdown, CurlScript: e.curlScript})
	if len(written) > 0 {
		how := "secrets redacted"
		if j.Revealed {
			how = "secrets shown in full (--reveal): keep them private"
		}
		fmt.Fprintf(env.stderr, "Wrote %s (%s).\n", strings.Join(written, ", "), how)
	}
	if err != nil {
		printFailure(env.stderr, "run", err.Error()+": check the folder exists and is writable", nil, nil)
		return false
	}
	return true
}

// shortVersion is nhsauth's version alone ("v1.2.3", or main.version for a
// development build), as an export's creator names it.
func shortVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && version == "0.1.0-dev" {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return version
}
