package main

// nhsauth break --list: the break-it catalogue; nhsauth run FLOW --break
// FAULT makes one of its failures happen on the local platform.

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var breakHelp = &cmdHelp{
	name:    "break",
	short:   "list the failures run --break makes happen on purpose",
	summary: "list the failures that run --break makes happen on purpose, on the local platform.",
	usage:   "break --list",
	details: `Break-it mode shows each documented failure of the NHS platform once, safely,
on the local platform: nhsauth run FLOW --env local --break FAULT runs the flow
with that one fault and ends with the platform's exact reply and the diagnosis
nhsauth gives for it. A client-side fault changes how the flow builds one
request (an assertion re-signed wrong, a code sent twice); a platform-side fault
asks the local platform, by the X-Nhsauth-Fault header on this run's requests
only, to misbehave (its clock, a 429, a slow identity provider). No other run
is touched. Each line names the flows the fault fits.`,
	examples: []string{
		"nhsauth break --list",
		"nhsauth run app-restricted --break wrong-kid",
		"nhsauth run cis2-separate --user 656005750104 --break pkce-wrong",
	},
}

func breakFlags() (*pflag.FlagSet, *bool) {
	fs := pflag.NewFlagSet("break", pflag.ContinueOnError)
	return fs, fs.Bool("list", false, "list every fault, one a line, with the flows it fits")
}

func newBreakCmd(env *cliEnv) *cobra.Command {
	fs, _ := breakFlags()
	return newCommand(env, spec{help: breakHelp, flags: fs, run: func(_ context.Context, pos []string) int {
		if len(pos) > 0 {
			return usageFail(env, "break", usagef("unexpected argument %q: to break a run, use nhsauth run FLOW --break %s", pos[0], pos[0]))
		}
		writeFaultList(env.stdout)
		return exitOK
	}})
}

// writeFaultList prints the catalogue: name, side, one line, the flows.
func writeFaultList(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range flows.Faults() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t(%s)\n", f.Name, f.Side, f.Line, strings.Join(f.Flows, ", "))
	}
	tw.Flush()
}

// checkBreak refuses a --break the run cannot take, as a usage error: an
// unknown fault, one that does not fit the flow, an environment other than
// local.
func checkBreak(name, flowID, envName string) error {
	if name == "" {
		return nil
	}
	fault, ok := flows.FaultByName(name)
	switch {
	case !ok:
		return usagef("unknown fault %q for --break: nhsauth break --list names them (%s)", name, strings.Join(flows.FaultNames(), ", "))
	case !fault.Fits(flowID):
		return usagef("--break %s does not fit %s: it fits %s", name, flowID, fault.FlowsText())
	case envName != "local":
		return usagef("--break runs on the local platform only: use --env local, not %s", envName)
	}
	return nil
}

// breakFlow is f with the --break fault's hooks, j set up for it (checked
// by checkBreak); f itself without one.
func breakFlow(name string, f *flows.Flow, j *flows.Journey) (*flows.Flow, error) {
	if name == "" {
		return f, nil
	}
	fault, _ := flows.FaultByName(name)
	return flows.Break(f, j, fault)
}

// breakSummary is the closing line of a broken run: the fault, the rule it
// breaks and the reply it is meant to draw.
func breakSummary(name, flowID string) string {
	fault, ok := flows.FaultByName(name)
	if !ok {
		return ""
	}
	want := fmt.Sprintf("the platform's reply %q", fault.Expect(flowID))
	if fault.Expect(flowID) == "" {
		want = "no answer within --timeout"
	}
	return fmt.Sprintf("Break-it: %s (%s side), against the rule: %s; it draws %s.", fault.Name, fault.Side, fault.Breaks, want)
}
