package main

// Resolution of --env local: the platform named by $NHSAUTH_LOCAL_URL, else
// the one `nhsauth mock` runs at 127.0.0.1:8400, else a private one started
// in-process on a free loopback port for the duration of the command.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/transcript"
)

// localProbeAddr is where `nhsauth mock` listens by default. Tests point it
// at a closed port so they never meet a real mock running on the machine.
var localProbeAddr = "127.0.0.1:8400"

// localProbeTimeout bounds the look for a running local platform: a closed
// port answers at once, so this only matters when something else holds it.
const localProbeTimeout = 300 * time.Millisecond

// localURLTimeout bounds the check of $NHSAUTH_LOCAL_URL, which may be a
// slower remote address.
const localURLTimeout = 5 * time.Second

// mockInfo is the part of GET /_mock/info nhsauth reads.
type mockInfo struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	BaseURL   string `json:"base_url"`
	APIKey    string `json:"api_key"`
	KeySource string `json:"key_source"`
}

// localOptions are what a private local platform is registered with.
type localOptions struct {
	apiKey    string // --api-key; "" means the local default
	apiKeySet bool   // --api-key given on the command line
	apiSecret string
	keysDir   string // the folder of --private-key, or ./.auth
}

// localPlatform is the local platform a command uses.
type localPlatform struct {
	env     flows.Env
	apiKey  string // the API key to use with it
	cleanup func()
}

// resolveLocal finds or starts the local platform.
func resolveLocal(env *cliEnv, o localOptions) (*localPlatform, error) {
	apiKey := o.apiKey
	if apiKey == "" {
		apiKey = flows.LocalAPIKey
	}
	if u := strings.TrimSpace(env.getenv("NHSAUTH_LOCAL_URL")); u != "" {
		base := strings.TrimRight(u, "/")
		pu, err := url.Parse(base)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return nil, fmt.Errorf("NHSAUTH_LOCAL_URL=%q is not an http(s) URL: set it to the base URL 'nhsauth mock' prints, or unset it", u)
		}
		info, err := probeLocal(base, localURLTimeout)
		if err != nil {
			start := "start 'nhsauth mock' on that machine"
			if isLoopbackHost(pu.Hostname()) && pu.Port() != "" {
				start = "start 'nhsauth mock --addr " + pu.Host + "'"
			}
			if transcript.UntrustedCertificate(err) {
				start = "point SSL_CERT_FILE at the certificate (or its CA) that server presents, set NHSAUTH_LOCAL_URL to the http URL 'nhsauth mock' prints,"
			}
			return nil, fmt.Errorf("NHSAUTH_LOCAL_URL=%s does not answer as an nhsauth local platform: %v; %s or unset NHSAUTH_LOCAL_URL", base, err, start)
		}
		return adoptLocal(env, base, info, apiKey, o.apiKeySet), nil
	}
	if localProbeAddr != "" {
		base := "http://" + localProbeAddr
		if info, err := probeLocal(base, localProbeTimeout); err == nil {
			return adoptLocal(env, base, info, apiKey, o.apiKeySet), nil
		}
	}
	return startPrivateLocal(o, apiKey)
}

// adoptLocal uses a running platform. Without --api-key, nhsauth takes the
// platform's own API key so a mock started with another key still works.
func adoptLocal(env *cliEnv, base string, info mockInfo, apiKey string, apiKeySet bool) *localPlatform {
	if info.APIKey != "" && info.APIKey != apiKey {
		if apiKeySet {
			fmt.Fprintf(env.stderr, "warning: the local platform at %s registers API key %q, not %q: expect the token request to fail, or drop --api-key.\n", base, info.APIKey, apiKey)
		} else {
			apiKey = info.APIKey
		}
	}
	return &localPlatform{env: flows.Local(base), apiKey: apiKey, cleanup: func() {}}
}

// probeLocal asks base/_mock/info who it is.
func probeLocal(base string, timeout time.Duration) (mockInfo, error) {
	hc := &http.Client{Timeout: timeout}
	resp, err := hc.Get(base + "/_mock/info")
	if err != nil {
		return mockInfo{}, &probeError{plainTransportError(err, timeout), err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return mockInfo{}, fmt.Errorf("reading /_mock/info: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return mockInfo{}, fmt.Errorf("GET /_mock/info answered HTTP %d", resp.StatusCode)
	}
	var raw map[string]any
	if json.Unmarshal(body, &raw) != nil {
		return mockInfo{}, errors.New("GET /_mock/info did not answer JSON")
	}
	var info mockInfo
	_ = json.Unmarshal(body, &info) // the fields are optional; raw proved it is an object
	if !strings.Contains(info.Name, "nhsauth") && info.APIKey == "" {
		return mockInfo{}, errors.New("GET /_mock/info did not answer as an nhsauth local platform")
	}
	return info, nil
}

// probeError is a probe's transport failure in plain words, keeping the
// cause so resolveLocal can choose the fix.
type probeError struct {
	text  string
	cause error
}

func (e *probeError) Error() string { return e.text }
func (e *probeError) Unwrap() error { return e.cause }

// startPrivateLocal serves a fresh local platform on a free loopback port
// until cleanup is called.
func startPrivateLocal(o localOptions, apiKey string) (*localPlatform, error) {
	keysDir := o.keysDir
	if keysDir == "" {
		keysDir = filepath.Join(".", flows.DefaultKeyDir)
	}
	secret := o.apiSecret
	if secret == "" {
		secret = flows.LocalAPISecret
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot start the local platform on a loopback port (%v): check that 127.0.0.1 is usable", err)
	}
	srv := mock.New(mock.Options{APIKey: apiKey, APISecret: secret, KeysDir: keysDir, Version: version}).HTTPServer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed after Shutdown
	}()
	cleanup := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
		<-done
	}
	base := "http://" + ln.Addr().String()
	return &localPlatform{env: flows.Local(base), apiKey: apiKey, cleanup: cleanup}, nil
}

// resolveEnv returns the environment named name; for "local" it finds or
// starts the local platform. Unknown names are usage errors.
func resolveEnv(env *cliEnv, name string, o localOptions) (flows.Env, string, func(), error) {
	if name == "local" {
		lp, err := resolveLocal(env, o)
		if err != nil {
			return flows.Env{}, "", nil, err
		}
		return lp.env, lp.apiKey, lp.cleanup, nil
	}
	e, err := flows.LookupEnv(name)
	if err != nil {
		return flows.Env{}, "", nil, usagef("unknown environment %q: use one of %s", name, strings.Join(flows.EnvNames(), ", "))
	}
	return e, o.apiKey, func() {}, nil
}

// keysDirFor is the folder the local platform publishes keys from: the
// private key's folder, or ./.auth.
func keysDirFor(privateKey string) string {
	if privateKey != "" {
		return filepath.Dir(privateKey)
	}
	return flows.DefaultKeyDir
}
