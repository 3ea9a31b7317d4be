package tui

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// hostileFlow has one step whose token endpoint refused with an
// error_description that clears the screen and retitles the window, as a
// hostile or broken server could (issue 14, Medium 1).
func hostileFlow() *flows.Flow {
	const desc = "\x1b[2J\x1b]0;title\x07"
	return &flows.Flow{ID: "hostile", Title: "Hostile server", Steps: []flows.Step{{
		ID: "token", Title: "Token requested", What: "Asks for a token.",
		Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
			ex := steps.Exchange{Title: "Token request", Method: "POST", URL: fakeBase + "/oauth2/token", Status: 400,
				RespHeader: http.Header{"Content-Type": {"application/json"}, "X-Evil": {"a\u009b2Jb"}},
				RespBody:   []byte(`{"error":"invalid_request","error_description":"\u001b[2J\u001b]0;title\u0007"}`)}
			page := steps.Exchange{Title: "Login page", Method: "GET", URL: fakeBase + "/login", Status: 200,
				RespHeader: http.Header{"Content-Type": {"text/html"}}, RespBody: []byte("<title>" + desc + "</title>")}
			err := &steps.OAuthError{Status: 400, Code: "invalid_request", Description: desc}
			return flows.Outcome{Err: err, Exchanges: []steps.Exchange{ex, page},
				Hints: []steps.Hint{{Cause: "The server said: " + desc, Fix: "Ask it why."}}}
		},
	}}}
}

// TestWizardNeutralisesServerText: the wizard's panes show what a server
// sent with its control characters escaped, and word the failure as the
// command line does.
func TestWizardNeutralisesServerText(t *testing.T) {
	deps, _ := fakeDeps(hostileFlow())
	h := newHarness(t, Config{FlowID: "hostile", Env: "local"}, deps)
	h.keys("a")
	if h.m.state != stateFailed {
		t.Fatalf("state = %s, want failed", h.m.state)
	}
	r := h.m.renders[0]
	for what, text := range map[string]string{
		"screen": h.m.View(), "response": r.response, "request": r.request, "curl": r.curl,
		"error": r.errText, "hint": r.hints[0].Cause,
	} {
		if i := strings.IndexFunc(text, func(c rune) bool { return c == 0x1b || c == 0x07 || (c >= 0x80 && c <= 0x9f) }); i >= 0 {
			t.Errorf("%s holds a control character at %d: %q", what, i, text)
		}
	}
	for what, text := range map[string]string{"error": r.errText, "hint": r.hints[0].Cause, "page": r.response} {
		if !strings.Contains(text, `\x1b[2J\x1b]0;title\x07`) {
			t.Errorf("%s does not show the server's text escaped: %q", what, text)
		}
	}
	if !strings.Contains(r.response, `X-Evil: a\u009b2Jb`) {
		t.Errorf("a C1 character in a header is not escaped:\n%s", r.response)
	}
	// The CLI's wording, word for word.
	want := transcript.Fail(h.m.runner.Result(0).Outcome.Err, nil, 0).Text
	if r.errText != want || !strings.HasPrefix(want, "the platform refused the request: invalid_request: ") {
		t.Errorf("wizard says %q, the command line %q", r.errText, want)
	}
}
