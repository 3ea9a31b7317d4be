package main

// Helpers every command shares: the interrupt context, the environment and
// flow lists as the command line names them, and checks of values the user
// typed.

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

	"github.com/nhsauth/nhsauth/flows"
)

// signalContext is cancelled on Ctrl+C or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// seedEnvs are the environments every command accepts, from the flows
// catalogue (flows.EnvNames).
var seedEnvs = flows.EnvNames()

// envChoices names the environments for --help: "local, sandbox, int, dev
// or prod".
func envChoices() string {
	return strings.Join(seedEnvs[:len(seedEnvs)-1], ", ") + " or " + seedEnvs[len(seedEnvs)-1]
}

// flowTable is the "Flows:" section of run's and wizard's --help: each
// flow's ID and title.
func flowTable() string {
	var b strings.Builder
	b.WriteString("Flows:")
	for _, f := range flowNames() {
		fmt.Fprintf(&b, "\n  %-20s %s", f.id, f.title)
	}
	return b.String()
}

// flowIDs lists the flows' IDs for help and errors.
func flowIDs() string {
	var ids []string
	for _, f := range flowNames() {
		ids = append(ids, f.id)
	}
	return strings.Join(ids, ", ")
}

// flowNames are the flows' IDs and titles, read from flows.All once: it
// builds every flow's steps, and the help texts every command's start-up
// builds need only these.
var flowNames = sync.OnceValue(func() []struct{ id, title string } {
	var names []struct{ id, title string }
	for _, f := range flows.All() {
		names = append(names, struct{ id, title string }{f.ID, f.Title})
	}
	return names
})

// checkURL accepts an absolute http(s) URL or a path starting with "/".
func checkURL(raw string) error {
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		if _, err := url.ParseRequestURI(raw); err != nil {
			return usagef("--url %q is not a valid path: %v", raw, unwrapURLError(err))
		}
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return usagef("--url %q is not a valid URL (%v): give an http(s) URL or a path starting with /", raw, unwrapURLError(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--url %q is not an http(s) URL with a host: give one such as https://int.api.service.nhs.uk/hello-world/hello/application, or a path starting with /", raw)
	}
	return nil
}

// unwrapURLError drops url.Error's "parse URL:" wrapping, which repeats
// the URL the message already quotes.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// isLoopbackHost reports whether host is localhost or a loopback address.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// clip shortens s to about max bytes, on a rune boundary, saying how much
// was left out.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… [%d more bytes not shown]", s[:cut], len(s)-cut)
}
