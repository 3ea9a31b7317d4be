package flows

import (
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// LoginMode says how the browser step gets the authorisation code.
type LoginMode int

// Login modes of the authorise step (DESIGN.md, "The browser step").
const (
	// LoginWait prints the URL and waits for the callback or a pasted URL.
	LoginWait LoginMode = iota
	// LoginBrowser opens the system browser ($BROWSER when set) and waits.
	LoginBrowser
	// LoginForm submits the realm's login form as Journey.Login.User, as
	// NHS's own test harness does.
	LoginForm
)

func (m LoginMode) String() string {
	switch m {
	case LoginBrowser:
		return "browser"
	case LoginForm:
		return "form"
	}
	return "wait"
}

// DefaultLoginTimeout is how long the sign-in step waits for the browser
// (--login-timeout).
const DefaultLoginTimeout = 5 * time.Minute

// LoginState is the user-restricted flows' part of the journey.
type LoginState struct {
	Mode         LoginMode
	User         string // user UID (CIS2) or NHS number (NHS login) for LoginForm
	RedirectURI  string // "" means the loopback listener's
	LoginTimeout time.Duration
	ClientAuth   steps.AuthMethod // at the realm's token endpoint: one of RealmAuthMethods ("" means client_secret_post)
	SessionURID  string           // NHSD-Session-URID for the API call (CIS2)
	BrowserCmd   string           // $BROWSER
	// Opener opens the browser in LoginBrowser mode; nil means
	// steps.BrowserOpener(BrowserCmd). Tests and the wizard inject their own.
	Opener steps.Opener
	// Notify, when set, is told at once what the user should know while
	// the sign-in step waits (the browser command failed); it is called on
	// the step's goroutine. The same lines end up in the step's details.
	Notify func(msg string)
	// Scope overrides the flow's scope ("" means openid profile
	// nationalrbacaccess for CIS2, openid profile for NHS login).
	Scope string
	// ExchangeURL is where the ID token is exchanged; "" means the
	// environment's /oauth2-mock/token (the mock realms' tokens are trusted
	// only there).
	ExchangeURL string
	// ACRValues, when set, is sent as acr_values (CIS2 directly, reference §6.3).
	ACRValues string

	// Pasted receives redirected URLs pasted by the user while the browser
	// step waits.
	Pasted chan string

	// AuthURL is the authorise URL built for the browser; ListenAddr the
	// loopback listener's address ("" when the redirect URI is not a
	// loopback one and the URL must be pasted); Deadline when the wait gives
	// up (set by the authorise step, which starts the listener). The wizard
	// shows them while the browser step runs; the sign-in step only reads
	// them.
	AuthURL    string
	ListenAddr string
	Deadline   time.Time

	// Learned by the steps, in order.
	Creds           steps.MockClient // the realm's mock client, from mock-jwks
	Provider        steps.Provider   // the realm's discovery document
	State           string           // sent with the authorise request
	Nonce           string           // sent with the authorise request, echoed in the ID token
	PKCE            steps.PKCE       // the verifier is a secret until the code exchange
	SentRedirectURI string           // the redirect_uri the authorise request sent
	Listener        *steps.Listener  // the loopback listener, open between the authorise and sign-in steps
	Callback        steps.Callback   // the redirect back from the realm
	Code            string           // the authorization code
	Tokens          steps.Token      // the realm's token reply (id_token among them)
	IDToken         steps.IDToken    // the decoded ID token and its checks
	Exchanged       steps.Token      // the platform's tokens from the token exchange
	Refreshed       steps.Token      // the platform's latest refresh reply
}

func newLoginState() LoginState {
	return LoginState{LoginTimeout: DefaultLoginTimeout, ClientAuth: steps.AuthClientSecretPost, Pasted: make(chan string, 1)}
}

// CloseListener stops the loopback listener if one is open. The sign-in
// step closes it itself; callers that stop a journey between the authorise
// and sign-in steps (quitting the wizard, a failed run) call this.
func (l *LoginState) CloseListener() {
	if l.Listener != nil {
		l.Listener.Close()
		l.Listener = nil
	}
}
