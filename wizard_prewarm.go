package main

// The wizard starts making the local platform's key as it opens (issue 10):
// a first run on local then finds the key made, or nearly, by the time the
// user has picked a flow and reached its first step.

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
)

// prewarmLocalKey starts making the key flows.ReadyKey would make at the
// first step on local, when localKeyAhead says it would make one. The key
// stays in memory until ReadyKey writes it, as before, and is dropped
// unused otherwise.
func prewarmLocalKey(env *cliEnv, o *wizardOptions, envName string) {
	if bits, ok := localKeyAhead(env, o, envName); ok {
		keystore.Prewarm(bits)
	}
}

// localKeyAhead is the size of the key to make ahead, and whether to: when
// the wizard may run on local (envName "" lets the user pick it, the
// default), no --private-key was given, and the default key,
// .auth/local-1.pem, does not exist.
func localKeyAhead(env *cliEnv, o *wizardOptions, envName string) (int, bool) {
	if (envName != "" && envName != "local") || o.privateKey != "" {
		return 0, false
	}
	path := filepath.Join(flows.DefaultKeyDir, "local-1.pem")
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return 0, false
	}
	return localKeyBits(env, keystore.DefaultBits), true
}

// localKeyBits is the size of the key made on local: NHSAUTH_KEY_BITS
// (undocumented, for tests) makes it smaller than the 4096 bits NHS's guide
// uses, so it is made fast; otherwise def.
func localKeyBits(env *cliEnv, def int) int {
	if bits, err := strconv.Atoi(env.getenv("NHSAUTH_KEY_BITS")); err == nil && bits >= keystore.MinBits {
		return bits
	}
	return def
}
