package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// run cis2-direct takes every client authentication method and both
// userinfo algorithms from the command line, and exits 1 naming the level
// of a user below acr_values; other flows keep the realms' two methods.
func TestRunCIS2Direct(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--user", "656005750104", "--client-auth", "client_secret_jwt", "--alg", "HS512"}, exitOK, "13 of 13 checks passed"},
		{[]string{"--user", "656005750104", "--client-auth", "private_key_jwt", "--alg", "RS256", "--userinfo-alg", "RS512"}, exitOK, "alg: RS512 (registered RS512"},
		{[]string{"--user", "656005750109", "--acr-values", "AAL3_ANY"}, exitFail, "authenticates at AAL2"},
		{[]string{"--user", "656005750104", "--userinfo-alg", "HS256"}, exitUsage, "--userinfo-alg"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := inTempDir(t)
			writeTestKey(t, filepath.Join(dir, ".auth"), "local-1")
			r := nhsauth(t, nil, nil, append([]string{"run", "cis2-direct", "--env", "local"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q\n%v", r.code, tt.code, tt.want, r)
			}
		})
	}
	r := nhsauth(t, nil, nil, "run", "cis2-separate", "--env", "local", "--user", "656005750104", "--client-auth", "private_key_jwt")
	if r.code != exitUsage {
		t.Fatalf("cis2-separate took private_key_jwt: %v", r)
	}
}
