package flows

import (
	"crypto/rsa"
	"net/http"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// The local app's registration on the local platform, as its documentation
// states it (nhsauth mock --help). The local platform has its own copy: the
// two sides agree by documentation, as a real app and the real platform do.
const (
	LocalAPIKey    = "nhsauth-local-api-key"
	LocalAPISecret = "nhsauth-local-api-secret"
	DefaultKeyDir  = ".auth"
)

// Journey is the state one walk through a flow accumulates. It is plain data
// so that a test can build one by hand; steps read it and write back what
// they learned.
type Journey struct {
	Env  Env
	HTTP *http.Client     // per-request timeout already set
	Now  func() time.Time // the clock every time-bound step uses
	// Redact masks every secret the journey has learned; Reveal turns it off.
	Redact *steps.Redactor

	// Inputs: from flags or the wizard's fields.
	APIKey    string
	APISecret string
	KeyPath   string // private key PEM; "" means <KeyDir>/<env>-1.pem
	KID       string // "" means the key file's name without .pem
	KeyDir    string
	KeyBits   int    // size of a key ReadyKey creates on local; 0 means keystore.DefaultBits (4096)
	APIURL    string // "" means the flow's default; "/…" is relative to Env.APIBase
	Headers   http.Header
	// FollowRedirects lets the API call follow same-origin redirects
	// (steps.APIParams.FollowRedirects); by default none is followed.
	FollowRedirects bool

	// Learned by the steps.
	Key       *rsa.PrivateKey
	Assertion string
	Token     steps.Token // the platform's access token
	API       APIResult

	// sentAssertion is the last assertion sent to a token endpoint: the
	// platform accepts each jti once, so a re-run signs a new one.
	sentAssertion string

	// Login holds the user-restricted flows' state (credentials, provider,
	// state, nonce, PKCE, code, ID token, refresh).
	Login LoginState
	// Direct holds cis2-direct's own state (registration, userinfo,
	// back-channel logout).
	Direct DirectState
	// Combined holds the combined flows' state (registered callback,
	// browser session, platform tokens).
	Combined CombinedState
}

// APIResult is what the last API call returned.
type APIResult struct {
	Status int
	Body   []byte
}

// NewJourney returns a journey with nhsauth's defaults for env.
func NewJourney(env Env, hc *http.Client) *Journey {
	j := &Journey{
		Env:    env,
		HTTP:   hc,
		Now:    time.Now,
		Redact: &steps.Redactor{},
		KeyDir: DefaultKeyDir,
		Login:  newLoginState(),
		Direct: newDirectState(),
	}
	if env.Local {
		j.APIKey, j.APISecret = LocalAPIKey, LocalAPISecret
	}
	return j
}

// Secret registers values the renderers must mask.
func (j *Journey) Secret(values ...string) { j.Redact.Add(values...) }

// appSecretAuth is the app's API key and secret sent in the token form
// (client_secret_post): how the platform authenticates the app when it
// refreshes tokens and when it redeems its own combined-pattern code, even
// for apps that sign JWTs elsewhere (reference §3.5, §4.3).
func (j *Journey) appSecretAuth() steps.ClientAuth {
	return steps.ClientAuth{Method: steps.AuthClientSecretPost, ClientID: j.APIKey, Secret: j.APISecret}
}
