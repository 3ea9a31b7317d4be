package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
)

// TestPlainAsksForCredentialsWithoutEchoingTheSecret: on a real
// environment the plain mode asks for the API key, key file and secret,
// line by line; echo is off while the secret is typed, and the secret is
// never written.
func TestPlainAsksForCredentialsWithoutEchoingTheSecret(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{}))
	var got Credentials
	hidden, restored := 0, 0
	var out bytes.Buffer
	const secret = "s3cret-typed-value"
	summary, err := RunPlain(context.Background(), PlainOptions{
		FlowID: "fake-app",
		In:     strings.NewReader("3\nmy-key\nkeys/int-1.pem\n" + secret + "\nq\n"),
		Out:    &out,
		Echo:   true,
		HideInput: func() func() {
			hidden++
			return func() { restored++ }
		},
		Journey: func(ctx context.Context, flowID, env string, c Credentials) (*flows.Journey, func(), error) {
			got = c
			return deps.Journey(ctx, flowID, env, c)
		},
		PrintStep: func(w io.Writer, n, total int, st flows.Step, o flows.Outcome, j *flows.Journey) {
			fmt.Fprintf(w, "[%d/%d] %s\n", n, total, o.Summary)
		},
		Flows: deps.Flows,
		Envs:  deps.Envs,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != (Credentials{APIKey: "my-key", KeyPath: "keys/int-1.pem", APISecret: secret}) {
		t.Fatalf("credentials %+v", got)
	}
	if hidden != 1 || restored != 1 {
		t.Fatalf("echo turned off %d times and on %d times, want once each", hidden, restored)
	}
	if strings.Contains(out.String(), secret) || strings.Contains(summary, secret) {
		t.Fatalf("the secret was written:\n%s", out.String())
	}
	for _, want := range []string{"Environment: a number from 1 to 5", "API key (--api-key): my-key", "API secret (--api-secret), for refreshes (not shown as you type):", "Step 1 of 4"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if !strings.Contains(summary, "0 of 4 steps done.") {
		t.Errorf("summary after q at the first step:\n%s", summary)
	}
}

// TestPlainRetriesAFailedStep: a failed step is explained again and
// offered again; Enter runs it once more.
func TestPlainRetriesAFailedStep(t *testing.T) {
	deps, _ := fakeDeps(fakeAppFlow(fakeOpts{failAt: 3}))
	var out bytes.Buffer
	_, err := RunPlain(context.Background(), PlainOptions{
		FlowID: "fake-app", Env: "local",
		In:      strings.NewReader("\n\n\n\nq\n"),
		Out:     &out,
		Journey: deps.Journey,
		PrintStep: func(w io.Writer, n, total int, st flows.Step, o flows.Outcome, j *flows.Journey) {
			fmt.Fprintf(w, "[%d/%d] failed=%v\n", n, total, o.Failed())
		},
		Flows: deps.Flows,
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Count(s, "[3/4] failed=true") != 2 || !strings.Contains(s, "Enter runs again step 3") {
		t.Fatalf("the failed step was not offered again:\n%s", s)
	}
}
