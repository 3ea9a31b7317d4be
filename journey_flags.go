package main

// The flags `run` and `wizard` share, and the journey they build: the
// environment resolved (the local platform found or started), the HTTP
// client with its per-request timeout, and every input a flow reads.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/pflag"
)

// appCreds are the app's registration as a command was given it: from
// flags, or from the wizard's credentials form.
type appCreds struct {
	apiKey     string
	apiSecret  string
	privateKey string // the PEM file; "" means <key folder>/<env>-1.pem
	kid        string
}

// over returns c with each value typed in the wizard's credentials form in
// place of its flag, so the form feeds the same builder as the flags.
func (c appCreds) over(typed appCreds) appCreds {
	pick := func(typed, flag string) string {
		if typed != "" {
			return typed
		}
		return flag
	}
	return appCreds{apiKey: pick(typed.apiKey, c.apiKey), apiSecret: pick(typed.apiSecret, c.apiSecret),
		privateKey: pick(typed.privateKey, c.privateKey), kid: pick(typed.kid, c.kid)}
}

// journeyFlags are the flags of run and wizard.
type journeyFlags struct {
	appCreds
	env          string
	url          string
	timeout      time.Duration
	loginTimeout time.Duration
	user         string
	userSet      bool // --user was given, if only as ""
	browser      bool
	redirectURI  string
	clientAuth   steps.AuthMethod
	sessionURID  string
	headers      []string
	follow       bool
	reveal       bool
	json         bool
	direct       *directFlags // cis2-direct's own (flags_direct.go)
	exports      exportFlags  // run's --har, --markdown, --curl-script (export.go)
	breakFault   string       // run --break: a fault of flows.Faults (cmd_break.go)
	combinedFlags
}

// addJourneyFlags registers the flags run and wizard share on fs. A new
// flag of both is one line here and one field in journeyFlags (and, when
// it feeds the journey, one line in journey).
func addJourneyFlags(fs *pflag.FlagSet, defaultEnv string) *journeyFlags {
	o := &journeyFlags{}
	fs.StringVar(&o.env, "env", defaultEnv, "the environment `ENV`: "+strings.Join(flows.EnvNames(), ", "))
	fs.StringVar(&o.apiKey, "api-key", "", "the app's API key `K`, or $"+envAPIKey+" (default on local: the local app's "+flows.LocalAPIKey+")")
	fs.StringVar(&o.apiSecret, "api-secret", "", "the app's API secret `S`, used to refresh; - reads it from stdin; or $"+envAPISecret+", which ps never shows (default on local: the local app's)")
	fs.StringVar(&o.privateKey, "private-key", "", "the app's RSA private key, a `PEM` file (default .auth/<env>-1.pem, made on local when missing)")
	fs.StringVar(&o.kid, "kid", "", "the key id `KID` registered in the JWKS (default: the key file's name without .pem)")
	fs.StringVar(&o.url, "url", "", "the API `URL` the last step calls; a path starting with / is relative to the environment's API host (default: the flow's sample API)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "the limit `D` for each HTTP request (a duration: 10s, 1m)")
	fs.DurationVar(&o.loginTimeout, "login-timeout", 5*time.Minute, "how long the sign-in step waits for the browser's redirect, `D` (a duration: 90s, 10m)")
	fs.Func("user", "sign in as test user `UID` (a CIS2 user UID or an NHS login NHS number) by submitting the login form, without a browser", func(v string) error {
		o.user, o.userSet = v, true
		return nil
	})
	fs.Lookup("user").DefValue = ""
	fs.BoolVar(&o.browser, "browser", false, "open the system browser ($BROWSER when set) for the sign-in and wait for its redirect")
	fs.StringVar(&o.redirectURI, "redirect-uri", "", "the redirect `URI` sent to the identity provider (default: the loopback listener's http://127.0.0.1:PORT/callback)")
	fs.StringVar((*string)(&o.clientAuth), "client-auth", string(flows.RealmAuthMethods()[0]), "client authentication `METHOD` at the identity provider's token endpoint (cis2-direct: "+steps.JoinAuthMethods(steps.AuthMethods())+"); at the mock realms: "+steps.JoinAuthMethods(flows.RealmAuthMethods()))
	fs.StringVar(&o.sessionURID, "session-urid", "", "send NHSD-Session-URID: `URID` (a CIS2 role id) with the API call")
	fs.StringArrayVar(&o.headers, "header", nil, "an extra API request header `\"Name: value\"`; repeatable")
	fs.BoolVar(&o.follow, "follow", false, "let the API call follow redirects within the URL's origin (scheme, host and port); none is followed by default")
	fs.BoolVar(&o.reveal, "reveal", false, "show secrets (tokens, assertions, codes, the API secret) in full instead of masked")
	fs.BoolVar(&o.json, "json", false, "print the run as one JSON document instead of a transcript")
	o.direct = addDirectFlags(fs)
	o.combinedFlags.add(fs)
	return o
}

// check validates the flags that need no network: the environment's name,
// --client-auth, --header and, off the local platform, --api-key. run calls
// it before journey; the wizard may skip the --api-key rule and ask instead.
func (o *journeyFlags) check(envName string, needAPIKey bool) error {
	if envName == "" {
		envName = o.env
	}
	if err := checkEnvName(envName, seedEnvs); err != nil {
		return err
	}
	if envName != "local" && needAPIKey && strings.TrimSpace(o.apiKey) == "" {
		return usagef("--api-key is required on %s: give the API key of your app from the NHS developer portal", envName)
	}
	m, err := o.direct.parseClientAuth(o.clientAuth)
	if err != nil {
		return err
	}
	o.clientAuth = m // "post" and "basic" spelt in full
	if err := o.direct.check(); err != nil {
		return err
	}
	if o.timeout <= 0 {
		return usagef("--timeout must be more than 0, for example 30s")
	}
	if o.loginTimeout <= 0 {
		return usagef("--login-timeout must be more than 0, for example 5m")
	}
	if o.userSet && strings.TrimSpace(o.user) == "" {
		return usagef("--user is empty: give a test user's UID (a CIS2 user UID or an NHS login NHS number), or leave --user out to sign in in the browser")
	}
	if o.user != "" && o.browser {
		return usagef("--user and --browser exclude each other: --user signs in by form, --browser waits for you in the browser")
	}
	if o.url != "" {
		if err := checkURL(o.url); err != nil {
			return err
		}
	}
	if o.redirectURI != "" {
		if u, err := url.Parse(o.redirectURI); err != nil || u.Scheme == "" || u.Host == "" {
			return usagef("--redirect-uri %q is not an absolute URL: give one such as https://example.org/ or http://127.0.0.1:8080/callback, or leave it out for the loopback listener", o.redirectURI)
		}
	}
	if err := checkHeaderValue("--session-urid", o.sessionURID); err != nil {
		return err
	}
	if _, err = parseHeaders(o.headers); err != nil {
		return err
	}
	return o.combinedFlags.check()
}

// journey builds the journey for flow f in environment envName (the flag's
// value when envName is ""): resolves the environment, starting a private
// local platform when needed, and returns a cleanup to call when done.
// Errors that are the command line's fault are *usageError.
func (o *journeyFlags) journey(env *cliEnv, f *flows.Flow, envName string) (*flows.Journey, func(), error) {
	noop := func() {}
	if envName == "" {
		envName = o.env
	}
	if err := o.check(envName, false); err != nil {
		return nil, noop, err
	}
	headers, _ := parseHeaders(o.headers) // checked above
	warnReplacedHeaders(env.stderr, headers)
	j, cleanup, err := openJourney(env, envName, o.appCreds, o.timeout)
	if err != nil {
		return nil, noop, err
	}
	j.APIURL = o.url // "" means the flow's default
	j.FollowRedirects = o.follow
	if len(headers) > 0 {
		j.Headers = headers
	}
	j.Login.User = o.user
	switch {
	case o.user != "":
		j.Login.Mode = flows.LoginForm
	case o.browser:
		j.Login.Mode = flows.LoginBrowser
	default:
		j.Login.Mode = flows.LoginWait
	}
	j.Login.RedirectURI = o.redirectURI
	j.Login.LoginTimeout = o.loginTimeout
	j.Login.ClientAuth = o.clientAuth
	j.Login.SessionURID = o.sessionURID
	j.Login.BrowserCmd = env.getenv("BROWSER")
	j.Redact.Reveal = o.reveal
	o.direct.apply(j, o.clientAuth)
	o.combinedFlags.apply(j)
	return j, cleanup, nil
}

// openJourney is where every command's journey starts: the environment
// resolved (the local platform found or started, registered with c), the
// HTTP client with its per-request timeout, and the app's credentials,
// the API secret registered as a secret.
func openJourney(env *cliEnv, envName string, c appCreds, timeout time.Duration) (*flows.Journey, func(), error) {
	e, apiKey, cleanup, err := resolveEnv(env, envName, localOptions{
		apiKey:    c.apiKey,
		apiKeySet: c.apiKey != "",
		apiSecret: c.apiSecret,
		keysDir:   keysDirFor(c.privateKey),
	})
	if err != nil {
		return nil, nil, err
	}
	j := flows.NewJourney(e, &http.Client{Timeout: timeout})
	if apiKey != "" {
		j.APIKey = apiKey
	}
	if c.apiSecret != "" {
		j.APISecret = c.apiSecret
	}
	j.KeyPath, j.KID = c.privateKey, c.kid
	if c.privateKey != "" {
		j.KeyDir = keysDirFor(c.privateKey)
	}
	j.Secret(j.APISecret)
	return j, cleanup, nil
}
