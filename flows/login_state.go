package flows

import "time"

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

// LoginState is the user-restricted flows' part of the journey.
type LoginState struct {
	Mode         LoginMode
	User         string // user UID (CIS2) or NHS number (NHS login) for LoginForm
	RedirectURI  string // "" means the loopback listener's
	LoginTimeout time.Duration
	ClientAuth   string // client_secret_post (default) or client_secret_basic
	SessionURID  string // NHSD-Session-URID for the API call (CIS2)
	BrowserCmd   string // $BROWSER

	// Pasted receives redirected URLs pasted by the user while the browser
	// step waits.
	Pasted chan string

	// AuthURL is the authorise URL built for the browser; ListenAddr the
	// loopback listener's address; Deadline when the wait gives up. The
	// wizard shows them while the browser step runs.
	AuthURL    string
	ListenAddr string
	Deadline   time.Time
}

func newLoginState() LoginState {
	return LoginState{LoginTimeout: 5 * time.Minute, ClientAuth: "client_secret_post", Pasted: make(chan string, 1)}
}
