package main

// nhsauth version and --version: the module version, VCS revision, build
// time and Go version the build recorded (runtime/debug.ReadBuildInfo).

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is nhsauth's version when the build info has none (a test
// binary, or a build stamped with -ldflags "-X main.version=…").
var version = "0.1.0-dev"

// versionString is what version and --version print.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "nhsauth " + version
	}
	return formatVersion(bi)
}

// formatVersion lays out the build info: the module version (or
// main.version for a development build), then the VCS revision with
// "(modified)" for a dirty work tree, the commit time and the Go version.
func formatVersion(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" || v == "(devel)" || version != "0.1.0-dev" {
		v = version
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var b strings.Builder
	fmt.Fprintf(&b, "nhsauth %s", v)
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "\n  revision: %s", rev)
		if settings["vcs.modified"] == "true" {
			b.WriteString(" (modified)")
		}
	} else if bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		// A development build without a revision: Go stamps one only
		// when it builds inside a git clone, and not under
		// -buildvcs=false (a GOFLAGS some machines set).
		b.WriteString("\n  revision: not recorded (build inside a git clone, with GOFLAGS=-buildvcs=auto if `go env GOFLAGS` says -buildvcs=false)")
	}
	if t := settings["vcs.time"]; t != "" {
		fmt.Fprintf(&b, "\n  built:    %s (commit time)", t)
	}
	fmt.Fprintf(&b, "\n  go:       %s", bi.GoVersion)
	if goos, arch := settings["GOOS"], settings["GOARCH"]; goos != "" {
		fmt.Fprintf(&b, " %s/%s", goos, arch)
	}
	return b.String()
}

// newVersionCmd is nhsauth version: it takes no flags, so anything after it
// is a usage error, not a flag to look up.
func newVersionCmd(env *cliEnv) *cobra.Command {
	h := &cmdHelp{name: "version", short: "print nhsauth's version, revision and Go version",
		summary: "print nhsauth's version: module version, VCS revision, build time and Go version.", usage: "version"}
	c := newCommand(env, spec{help: h, run: func(_ context.Context, pos []string) int {
		if len(pos) > 0 {
			switch pos[0] {
			case "-h", "--help", "-help":
				fmt.Fprint(env.stdout, "nhsauth version: print nhsauth's version.\n\nUsage:\n  nhsauth version\n")
				return exitOK
			}
			return usageFail(env, "version", usagef("unexpected argument %q: version takes no flags or arguments", pos[0]))
		}
		fmt.Fprintln(env.stdout, versionString())
		return exitOK
	}})
	c.DisableFlagParsing = true
	return c
}

// setVersion gives root its --version flag, whose text is read from the
// build info only when asked for: every other command would pay for it at
// start-up.
func setVersion(root *cobra.Command) {
	root.Version = version // non-empty, so that cobra adds --version
	cobra.AddTemplateFunc("nhsauthVersion", versionString)
	root.SetVersionTemplate("{{nhsauthVersion}}\n")
}
