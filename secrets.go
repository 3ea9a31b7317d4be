package main

// The app's API key and secret from the environment, so neither needs to
// be on the command line where ps and the shell history see it.

import (
	"errors"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// The environment variables that stand in for --api-key and --api-secret.
const (
	envAPIKey    = "NHSAUTH_API_KEY"
	envAPISecret = "NHSAUTH_API_SECRET"
)

// credsFromEnv fills c from the environment where its flag was not given
// (the flag wins), and reads --api-secret - from stdin's first line.
func credsFromEnv(env *cliEnv, fs *pflag.FlagSet, c *appCreds) error {
	for _, v := range []struct {
		flag, name string
		dst        *string
	}{{"api-key", envAPIKey, &c.apiKey}, {"api-secret", envAPISecret, &c.apiSecret}} {
		if fs.Lookup(v.flag) == nil {
			continue
		}
		if val := env.getenv(v.name); !fs.Changed(v.flag) && val != "" {
			*v.dst = val // over a profile's value (applyProfile), which marks no flag given
		}
	}
	if c.apiSecret != "-" || fs.Lookup("api-secret") == nil {
		return nil
	}
	line, err := readLine(env.stdin)
	if err != nil || strings.TrimSpace(line) == "" {
		return usagef("--api-secret - reads the secret from stdin, but stdin held no line: pipe it in, or set %s", envAPISecret)
	}
	c.apiSecret = strings.TrimSpace(line)
	return nil
}

// readLine reads up to the first newline one byte at a time, so nothing
// after it is taken from a reader others read later (run's pasted URLs).
func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", io.EOF
	}
	var b strings.Builder
	buf := make([]byte, 1)
	for b.Len() < 64<<10 {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return b.String(), nil
			}
			b.WriteByte(buf[0])
		}
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
	}
	return b.String(), nil
}
