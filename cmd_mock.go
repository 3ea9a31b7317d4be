package main

// nhsauth mock: the local platform, served until interrupted.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var mockHelp = &cmdHelp{
	name:    "mock",
	short:   "run the local platform: an offline imitation of the NHS services",
	summary: "run the local platform: an offline imitation of the NHS services.",
	usage:   "mock [--addr HOST:PORT] [--keys DIR | --jwks-url URL] [--api-key K] [--api-secret S] [--scopes LIST] [--callback URL] [--public-url URL] [--allow-remote]",
	details: `Serves, on one address, what the flows use on the real hosts, at the same
paths: /oauth2/token and /oauth2-mock/token, /mock-jwks/keycloak-client-credentials,
the Keycloak mock realms /realms/Cis2-mock-local and /realms/NHS-Login-mock-local
with the NHS test users, the sample APIs /hello-world/... and
/personal-demographics/FHIR/R4/..., and /_mock/info. It registers one app: its
API key and secret, its product scopes, and its published keys, read from every
JWKS (*.json) in --keys (re-read when the folder changes) or from --jwks-url.
Commands run with --env local use it when it listens on 127.0.0.1:8400 (or at
$NHSAUTH_LOCAL_URL); otherwise they start a private one. Ctrl+C stops it.

Combined authentication: /oauth2-mock/authorize, /callback, /token
(authorization_code), /userinfo and /backchannel_logout, with the app's one
registered callback URL (--callback, compared exactly; /_mock/info shows it).
Where NHS's behaviour is unconfirmed the local platform assumes: /userinfo
without a live token answers 401 access_denied "Invalid access token"; a
pending authorise lives 30 minutes; back-channel logout is allowed from
loopback only (403 otherwise); the platform redeems NHS login codes with a
client secret. /oauth2/authorize and the rest of /oauth2 do the same with the
local CIS2 Authentication as identity provider (the platform's client
100000000001.apps.national, with PKCE, which the local CIS2 requires).

On loopback it answers only requests whose Host is 127.0.0.1, localhost or
[::1] (or the --public-url host), so a web page cannot reach it through DNS
rebinding; others get 421. It refuses new grants with 503 rather than forget
a used jti, code or refresh token when its memory of them is full.

Break-it: a request with the header X-Nhsauth-Fault: NAME gets that fault, for
that request alone (nhsauth break --list); POST /_mock/faults with state=S and
fault=NAME arms one for the first request whose query carries state S, once.

The app's default product scopes:
  ` + strings.Join(mock.DefaultScopes, "\n  "),
	examples: []string{
		"nhsauth mock                                   # http://127.0.0.1:8400, keys from ./.auth",
		"nhsauth mock --addr 127.0.0.1:0                # a free port",
		"nhsauth mock --jwks-url https://example.org/jwks.json --api-key my-app",
		"nhsauth mock --addr 0.0.0.0:8400 --allow-remote --public-url http://devbox:8400",
	},
}

// mockConfig is the parsed command line of nhsauth mock.
type mockConfig struct {
	addr string
	opts mock.Options
}

func newMockCmd(env *cliEnv) *cobra.Command {
	fs, v := mockFlags()
	return newCommand(env, spec{help: mockHelp, flags: fs, run: func(ctx context.Context, pos []string) int {
		cfg, err := v.config(fs, pos, env)
		if err != nil {
			return usageFail(env, "mock", err)
		}
		sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		code := runMock(sigCtx, env, cfg)
		if code == exitOK && sigCtx.Err() != nil && ctx.Err() == nil {
			return exitInterrupted // stopped by Ctrl+C, as every command
		}
		return code
	}})
}

// runMock listens and serves until ctx ends.
func runMock(ctx context.Context, env *cliEnv, cfg mockConfig) int {
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			fmt.Fprintf(env.stderr, "nhsauth mock: %s is in use: is another nhsauth mock running? Use --addr 127.0.0.1:0 or stop it.\n", cfg.addr)
		} else {
			fmt.Fprintf(env.stderr, "nhsauth mock: cannot listen on %s (%v): choose another --addr.\n", cfg.addr, unwrapOpError(err))
		}
		return exitFail
	}
	return serveMock(ctx, env, ln, cfg.opts)
}

// mockFlagValues are nhsauth mock's flags as given.
type mockFlagValues struct {
	addr, keys, jwksURL, apiKey, apiSecret, scopes, publicURL, callback string
	allowRemote                                                         bool
}

func mockFlags() (*pflag.FlagSet, *mockFlagValues) {
	fs := pflag.NewFlagSet("mock", pflag.ContinueOnError)
	v := &mockFlagValues{}
	fs.StringVar(&v.addr, "addr", "127.0.0.1:8400", "the address `HOST:PORT` to listen on; :0 or 127.0.0.1:0 picks a free loopback port")
	fs.StringVar(&v.keys, "keys", "./"+mock.DefaultKeysDir, "the folder `DIR` whose JWKS files (*.json) are the app's published keys")
	fs.StringVar(&v.jwksURL, "jwks-url", "", "or: the `URL` of the app's JWKS, as a real app's jwks-resource-url (excludes --keys)")
	fs.StringVar(&v.apiKey, "api-key", mock.DefaultAPIKey, "the app's API key `K`")
	fs.StringVar(&v.apiSecret, "api-secret", mock.DefaultAPISecret, "the app's API secret `S`")
	fs.StringVar(&v.scopes, "scopes", "", "the app's product scopes, a comma-separated `LIST` (default: the seven scopes listed above)")
	fs.StringVar(&v.callback, "callback", mock.DefaultCallbackURL, "the app's registered callback `URL` for combined authentication, compared exactly")
	fs.StringVar(&v.publicURL, "public-url", "", "pin the platform's base `URL` (in token aud and realm iss) instead of each request's scheme and host")
	fs.BoolVar(&v.allowRemote, "allow-remote", false, "allow a non-loopback --addr and any Host header: anyone who can reach it gets tokens for the local app")
	return fs, v
}

// config checks nhsauth mock's flags and makes its configuration.
func (v *mockFlagValues) config(fs *pflag.FlagSet, pos []string, env *cliEnv) (mockConfig, error) {
	fail := func(err error) (mockConfig, error) { return mockConfig{}, err }
	if err := noArgs(pos); err != nil {
		return fail(err)
	}
	if fs.Changed("keys") && v.jwksURL != "" {
		return fail(usagef("--keys and --jwks-url exclude each other: the app publishes its keys in one place"))
	}
	listen, err := checkMockAddr(v.addr, v.allowRemote)
	if err != nil {
		return fail(err)
	}
	if v.apiKey == "" || v.apiSecret == "" {
		return fail(usagef("--api-key and --api-secret must not be empty"))
	}
	if v.publicURL != "" {
		if u, err := url.Parse(v.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(usagef("--public-url %q is not an http(s) URL with a host, such as http://devbox:8400", v.publicURL))
		}
	}
	if v.jwksURL != "" {
		if u, err := url.Parse(v.jwksURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(usagef("--jwks-url %q is not an http(s) URL with a host", v.jwksURL))
		}
	}
	if u, err := url.Parse(v.callback); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(usagef("--callback %q is not an http(s) URL with a host, such as %s", v.callback, mock.DefaultCallbackURL))
	}
	scopes := mock.DefaultScopes
	if fs.Changed("scopes") {
		if scopes = splitScopes(v.scopes); len(scopes) == 0 {
			return fail(usagef("--scopes %q names no scope: give a comma-separated list such as %s, or leave --scopes out for the defaults", v.scopes, mock.DefaultScopes[0]))
		}
	}
	opts := mock.Options{
		APIKey:      v.apiKey,
		APISecret:   v.apiSecret,
		Scopes:      scopes,
		CallbackURL: v.callback,
		PublicURL:   strings.TrimRight(v.publicURL, "/"),
		Version:     versionString(),
		AllowRemote: v.allowRemote,
		Log:         log.New(env.stderr, "nhsauth mock: ", log.LstdFlags),
	}
	if v.jwksURL != "" {
		opts.JWKSURL = v.jwksURL
	} else if err := checkKeysFolder(v.keys); err != nil {
		return fail(err)
	} else {
		opts.KeysDir = v.keys
	}
	return mockConfig{addr: listen, opts: opts}, nil
}

// splitScopes reads a comma-separated scope list, dropping blank entries.
func splitScopes(list string) []string {
	var scopes []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	return scopes
}

// checkKeysFolder refuses a --keys that exists but is not a folder (a
// missing one is fine: generate-keys may create it while the platform runs).
func checkKeysFolder(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil || fi.IsDir() {
		return nil
	}
	return usagef("--keys %q is a file, but --keys wants the folder that holds the JWKS files (*.json), such as --keys %q", dir, filepath.Dir(dir))
}

// checkMockAddr refuses a non-loopback address unless allowRemote. ":0" is
// the shorthand for a free loopback port; any other empty host means every
// interface, which is not loopback.
func checkMockAddr(addr string, allowRemote bool) (string, error) {
	if addr == ":0" {
		return "127.0.0.1:0", nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", usagef("--addr %q is not HOST:PORT, for example 127.0.0.1:8400", addr)
	}
	if port == "" {
		return "", usagef("--addr %q has no port, for example 127.0.0.1:8400", addr)
	}
	if !allowRemote && !isLoopbackHost(host) {
		shown := host
		if shown == "" {
			shown = "every interface"
		}
		return "", usagef("--addr %q listens on %s, not loopback: anyone who reaches it gets tokens for the local app; use 127.0.0.1 or add --allow-remote", addr, shown)
	}
	return addr, nil
}

// serveMock serves the local platform on ln until ctx ends, then shuts down
// gracefully.
func serveMock(ctx context.Context, env *cliEnv, ln net.Listener, opts mock.Options) int {
	srv := mock.New(opts)
	hs := srv.HTTPServer()
	base := displayBase(ln.Addr())
	if opts.PublicURL != "" {
		base = opts.PublicURL
	}
	fmt.Fprintf(env.stdout, "base URL: %s\n", base)
	fmt.Fprintf(env.stdout, "API key: %s\n", opts.APIKey)
	fmt.Fprintf(env.stdout, "API secret: %s (the local app's; 'nhsauth run' knows it)\n", steps.Mask(opts.APISecret))
	fmt.Fprintf(env.stdout, "listening on: %s\n", ln.Addr())
	fmt.Fprintf(env.stdout, "published keys: %s\n", srv.KeySource())
	if opts.KeysDir != "" {
		if n := countJWKS(opts.KeysDir); n == 0 {
			fmt.Fprintf(env.stdout, "  (no JWKS there yet: run 'nhsauth generate-keys --env local --output-dir %s')\n", opts.KeysDir)
		}
	}
	fmt.Fprintf(env.stdout, "token URLs: %s/oauth2/token, %s/oauth2-mock/token\n", base, base)
	fmt.Fprintf(env.stdout, "realms: %s/realms/Cis2-mock-local, %s/realms/NHS-Login-mock-local\n", base, base)
	fmt.Fprintf(env.stdout, "sample APIs: %s/hello-world/hello/{world,application,user}, %s/personal-demographics/FHIR/R4/Patient/{id}\n", base, base)
	fmt.Fprintf(env.stdout, "scopes: %s\n", strings.Join(opts.Scopes, ", "))
	if host, port, err := net.SplitHostPort(ln.Addr().String()); err == nil && (host != "127.0.0.1" || port != "8400") {
		fmt.Fprintf(env.stdout, "use it from other commands: NHSAUTH_LOCAL_URL=%s\n", base)
	}
	fmt.Fprintln(env.stdout, "Ctrl+C to stop.")

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(env.stderr, "nhsauth mock: the server stopped: %v.\n", err)
		return exitFail
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		_ = hs.Close()
	}
	<-errc
	fmt.Fprintln(env.stderr, "nhsauth mock: stopped.")
	return exitOK
}

// displayBase is the base URL to print for a listener: an unspecified
// address (0.0.0.0, ::) is shown as 127.0.0.1, which reaches it locally.
func displayBase(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func countJWKS(dir string) int {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	n := 0
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			n++
		}
	}
	return n
}

// unwrapOpError drops net.OpError's "listen tcp addr:" prefix.
func unwrapOpError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}
