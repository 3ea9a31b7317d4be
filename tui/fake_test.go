package tui

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// fixedNow is the clock of every golden screen.
var fixedNow = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

const (
	fakeBase   = "http://127.0.0.1:8400"
	fakeAccess = "Xq3sAccessTokenValue0123456789"
)

// fakeJWT builds an unsigned-looking compact JWS with the given claims.
func fakeJWT(header, claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
}

// fakeOpts shape a fake flow.
type fakeOpts struct {
	failAt int // 1-based step that fails; 0 none
	calls  *callLog
	block  chan struct{} // when set, the token step waits for it (or its context)
}

// callLog records which steps ran, in order.
type callLog struct {
	mu  sync.Mutex
	ids []string
}

func (c *callLog) add(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.ids = append(c.ids, id)
	c.mu.Unlock()
}

func (c *callLog) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.ids, ",")
}

// fakeAppFlow imitates the application-restricted flow with canned,
// deterministic outcomes: every step resolves at once.
func fakeAppFlow(o fakeOpts) *flows.Flow {
	fail := func(n int) bool { return o.failAt == n }
	assertion := fakeJWT(`{"alg":"RS512","kid":"local-1","typ":"JWT"}`,
		fmt.Sprintf(`{"iss":"nhsauth-local-api-key","sub":"nhsauth-local-api-key","aud":"%s/oauth2/token","jti":"9f1c2d3e","exp":%d}`, fakeBase, fixedNow.Add(240*time.Second).Unix()))
	return &flows.Flow{
		ID:      "fake-app",
		Title:   "Fake application-restricted",
		Pattern: "A backend calls an API as itself with a signed JWT.",
		Steps: []flows.Step{
			{
				ID: "key", Title: "Key ready", What: "Loads the private key.", Why: "The platform verifies the assertion with its public half.", Doc: "Reference §2.4",
				Inputs: []flows.Input{
					{Key: "key-path", Label: "Private key", Get: func(j *flows.Journey) string { return j.KeyPath }, Set: func(j *flows.Journey, v string) error {
						if strings.HasSuffix(v, ".pub") {
							return errors.New("that is a public key")
						}
						j.KeyPath = v
						return nil
					}},
					{Key: "api-secret", Label: "API secret", Secret: true, Get: func(j *flows.Journey) string { return j.APISecret }, Set: func(j *flows.Journey, v string) error { j.APISecret = v; return nil }},
				},
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					o.calls.add("key")
					if fail(1) {
						return flows.Fail(steps.WithHint(errors.New("steps: read .auth/local-1.pem: no such file"), "The key file does not exist.", "Run nhsauth generate-keys --env local."))
					}
					return flows.Outcome{Summary: "Loaded " + j.KeyPath + " (2048-bit RSA, kid local-1)"}
				},
			},
			{
				ID: "assertion", Title: "Assertion signed", What: "Signs an RS512 client assertion.", Why: "It proves the app holds the private key.", Doc: "RFC 7523 §3",
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					o.calls.add("assertion")
					j.Assertion = assertion
					j.Secret(assertion)
					return flows.Outcome{Summary: "Signed a client assertion (expires in 240 s)", JWT: assertion,
						Exchanges: []steps.Exchange{{Title: "Client assertion", Spec: "RFC 7523 §3", Synthetic: true, Note: "a signed JWT", ReqBody: []byte(`{"iss":"nhsauth-local-api-key"}`)}},
						Checks:    []steps.Check{{Name: "RSA key of at least 2048 bits", OK: true}}}
				},
			},
			{
				ID: "token", Title: "Token requested", What: "Exchanges the assertion for an access token.", Why: "APIs accept only platform tokens.", Doc: "RFC 6749 §4.4",
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					o.calls.add("token")
					if o.block != nil {
						select {
						case <-o.block:
						case <-ctx.Done():
							return flows.Fail(ctx.Err())
						}
					}
					form := url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {j.Assertion}}
					ex := steps.Exchange{Title: "Token request", Spec: "RFC 6749 §4.4", Method: "POST", URL: fakeBase + "/oauth2/token",
						ReqHeader: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, ReqBody: []byte(form.Encode()),
						RespHeader: http.Header{"Content-Type": {"application/json"}}, Took: 12 * time.Millisecond}
					if fail(3) {
						ex.Status = 401
						ex.RespBody = []byte(`{"error":"invalid_client","error_description":"Invalid 'kid' header in JWT - no matching public key","message_id":"rrt-1"}`)
						// Hints spelled out (not flows.Fail, which adds steps'
						// own diagnoses) so the golden screen depends on this
						// file alone.
						err := &steps.OAuthError{Status: 401, Code: "invalid_client", Description: "Invalid 'kid' header in JWT - no matching public key"}
						return flows.Outcome{Err: err, Exchanges: []steps.Exchange{ex},
							Hints: []steps.Hint{{Cause: "No key with kid local-1 is published for this app.", Fix: "Publish local-1.json in the app's JWKS, or sign with a kid that is."}}}
					}
					ex.Status = 200
					ex.RespBody = []byte(`{"access_token":"` + fakeAccess + `","expires_in":"599","token_type":"Bearer","issued_at":"1767348000000"}`)
					j.Token = steps.Token{AccessToken: fakeAccess, ExpiresIn: 599}
					j.Secret(fakeAccess)
					return flows.Outcome{Summary: "Access token issued (expires in 599 s)", Exchanges: []steps.Exchange{ex}}
				},
			},
			{
				ID: "api", Title: "API called", What: "Calls Hello World with the token.", Why: "The token is only useful if an API accepts it.", Doc: "Reference §9",
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					o.calls.add("api")
					body := []byte(`{"message": "Hello Application!"}`)
					ex := steps.Exchange{Title: "API call", Method: "GET", URL: fakeBase + "/hello-world/hello/application",
						ReqHeader: http.Header{"Authorization": {"Bearer " + j.Token.AccessToken}, "X-Request-Id": {"0f0e0d0c-0000-4000-8000-000000000001"}},
						Status:    200, RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: body, Took: 3 * time.Millisecond}
					j.API = flows.APIResult{Status: 200, Body: body}
					return flows.Outcome{Summary: "HTTP 200: Hello Application!", Exchanges: []steps.Exchange{ex}}
				},
			},
		},
	}
}

// fakeBrowserFlow has an authorise step and a browser step that waits for a
// pasted URL (or its context).
func fakeBrowserFlow() *flows.Flow {
	return &flows.Flow{
		ID: "fake-browser", Title: "Fake CIS2 separate", Pattern: "A user signs in in the browser.",
		Steps: []flows.Step{
			{ID: "authorise", Title: "Authorise URL built", What: "Builds the authorise URL.",
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					j.Login.AuthURL = fakeBase + "/realms/Cis2-mock-local/protocol/openid-connect/auth?client_id=nhsauth-cis2-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A43111%2Fcallback&response_type=code&scope=openid&state=st4te-0123456789abcdef&nonce=n0nce-0123456789abcdef&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
					j.Login.ListenAddr = "http://127.0.0.1:43111/callback"
					j.Login.Deadline = fixedNow.Add(5 * time.Minute)
					return flows.Outcome{Summary: "Authorise URL ready"}
				}},
			{ID: "sign-in", Title: "Signed in", What: "Waits for the browser redirect.", Wait: flows.WaitBrowser, PreparedBy: "authorise",
				Run: func(ctx context.Context, j *flows.Journey) flows.Outcome {
					select {
					case u := <-j.Login.Pasted:
						code := ""
						if pu, err := url.Parse(u); err == nil {
							code = pu.Query().Get("code")
						}
						return flows.Outcome{Summary: "Got code " + steps.Mask(code)}
					case <-ctx.Done():
						return flows.Fail(ctx.Err())
					}
				}},
		},
	}
}

// newFakeJourney is a journey on the fake local platform.
func newFakeJourney() *flows.Journey {
	j := flows.NewJourney(flows.Local(fakeBase), http.DefaultClient)
	j.Now = func() time.Time { return fixedNow }
	j.KeyPath = ".auth/local-1.pem"
	j.Secret(j.APISecret)
	return j
}

// fakeDeps wire a fake flow with a synchronous journey builder.
func fakeDeps(fs ...*flows.Flow) (Deps, *[]string) {
	var copied []string
	one := spinner.Spinner{Frames: []string{"*"}, FPS: time.Hour}
	return Deps{
		Journey: func(ctx context.Context, flowID, env string, creds Credentials) (*flows.Journey, func(), error) {
			if env == "int" {
				// What main's builder does with the credentials form (its
				// own test: TestWizardJourneyTakesTypedCredentials).
				j := newFakeJourney()
				j.Env = flows.Env{Name: "int", APIBase: "https://int.api.service.nhs.uk"}
				j.APIKey, j.APISecret, j.KeyPath = creds.APIKey, creds.APISecret, creds.KeyPath
				return j, func() {}, nil
			}
			return newFakeJourney(), func() {}, nil
		},
		Flows:     fs,
		Envs:      []string{"local", "sandbox", "int", "dev", "prod"},
		Now:       func() time.Time { return fixedNow },
		Clipboard: func(s string) tea.Cmd { copied = append(copied, s); return nil },
		Spinner:   &one,
	}, &copied
}

// harness drives a Model as Bubble Tea would, but synchronously: each
// message's commands run in goroutines and their messages are fed back until
// nothing arrives for a moment. Timer ticks are dropped, so nothing loops.
type harness struct {
	t    testing.TB
	m    *Model
	msgs chan tea.Msg
	quit bool
}

func newHarness(t testing.TB, cfg Config, deps Deps) *harness {
	t.Helper()
	if cfg.Width == 0 {
		cfg.Width, cfg.Height = 100, 30
	}
	h := &harness{t: t, m: New(cfg, deps), msgs: make(chan tea.Msg, 64)}
	t.Cleanup(h.m.Close)
	h.spawn(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: cfg.Width, Height: cfg.Height})
	return h
}

func (h *harness) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { h.msgs <- cmd() }()
}

// send delivers msg and settles.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	h.deliver(msg)
	h.settle(60 * time.Millisecond)
}

func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, spinner.TickMsg, tickMsg:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.spawn(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	}
	_, cmd := h.m.Update(msg)
	h.spawn(cmd)
}

// settle feeds back messages until none arrives for quiet and nothing is
// being formatted in the background.
func (h *harness) settle(quiet time.Duration) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case msg := <-h.msgs:
			h.deliver(msg)
		case <-time.After(quiet):
			if !h.m.formatting() || time.Now().After(deadline) {
				return
			}
		}
	}
}

// keys sends each key in turn: "enter", "a", "shift+tab", "right"…
func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

// typeText sends runes one key at a time.
func (h *harness) typeText(s string) {
	h.t.Helper()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// screen is the current frame without escape sequences.
func (h *harness) screen() string { return ansi.Strip(h.m.View()) }

// waitFor settles until the screen contains want, or fails.
func (h *harness) waitFor(want string, d time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(h.screen(), want) {
			return
		}
		h.settle(50 * time.Millisecond)
	}
	h.t.Fatalf("screen never showed %q; last frame:\n%s", want, h.screen())
}

func (h *harness) status(i int) flows.Status { return h.m.runner.Result(i).Status }
