package steps

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	"github.com/pkg/browser"
)

// Opener opens a URL in a browser. The browser step takes one, so tests and
// the wizard can put their own in its place.
type Opener interface {
	Open(url string) error
}

// OpenerFunc adapts a function to Opener.
type OpenerFunc func(url string) error

// Open calls f(url).
func (f OpenerFunc) Open(url string) error { return f(url) }

// BrowserOpener returns the opener nhsauth uses: the command in $BROWSER
// when browserEnv (its value) is set, else the system's default browser via
// github.com/pkg/browser. Neither is waited for beyond starting, and neither
// may write to the terminal: a launcher's chatter would corrupt the wizard's
// screen (DESIGN.md, "The browser step").
func BrowserOpener(browserEnv string) Opener {
	if strings.TrimSpace(browserEnv) != "" {
		return envBrowser(browserEnv)
	}
	return systemBrowser{}
}

// envBrowser runs $BROWSER: split on spaces, %s replaced by the URL, or the
// URL appended when there is no %s.
type envBrowser string

func (b envBrowser) Open(url string) error { return b.OpenNotify(url, nil) }

// OpenNotify starts $BROWSER on url and, when the command later exits with
// an error (BROWSER=/bin/false, a launcher that finds no display), calls
// failed from another goroutine, once. A command still running is not
// waited for.
func (b envBrowser) OpenNotify(url string, failed func(error)) error {
	args := strings.Fields(string(b))
	replaced := false
	for i, a := range args {
		if strings.Contains(a, "%s") {
			args[i] = strings.ReplaceAll(a, "%s", url)
			replaced = true
		}
	}
	if !replaced {
		args = append(args, url)
	}
	cmd := exec.Command(args[0], args[1:]...)
	// Stdin, Stdout and Stderr stay nil: the null device.
	if err := cmd.Start(); err != nil {
		return WithHint(fmt.Errorf("steps: open browser: $BROWSER=%q: %w", string(b), err),
			"The command in $BROWSER could not be started.",
			"Fix or unset $BROWSER, or open the URL yourself: it is printed above.")
	}
	// Not waited for (a browser may run for hours), but reaped so it does not
	// linger as a zombie when it exits.
	go func() {
		if err := cmd.Wait(); err != nil && failed != nil {
			failed(WithHint(fmt.Errorf("steps: open browser: $BROWSER=%q: %w", string(b), err),
				"The command in $BROWSER exited with an error, so the browser probably did not open.",
				"Open the URL yourself (it is printed above), or fix or unset $BROWSER."))
		}
	}()
	return nil
}

// ExitNotifier is an Opener whose browser command can still fail after
// Open returned (a $BROWSER command that exits non-zero): OpenNotify calls
// failed, from another goroutine, when it does, so a caller waiting for the
// redirect can say so at once.
type ExitNotifier interface {
	Opener
	OpenNotify(url string, failed func(error)) error
}

// systemBrowser opens the default browser with github.com/pkg/browser.
type systemBrowser struct{}

var quietBrowser sync.Once

func (systemBrowser) Open(url string) error {
	// pkg/browser writes the launcher's output to these package variables;
	// set them once, before the first use, so no two goroutines race on them.
	quietBrowser.Do(func() { browser.Stdout, browser.Stderr = io.Discard, io.Discard })
	if err := browser.OpenURL(url); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w (no browser launcher such as xdg-open was found)", err)
		}
		return WithHint(fmt.Errorf("steps: open browser: %w", err),
			"No browser could be opened here (common over SSH or in a container).",
			"Open the URL yourself: it is printed above. Set $BROWSER to choose a browser command.")
	}
	return nil
}
