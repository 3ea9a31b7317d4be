package main

// nhsauth generate-keys: the RSA key pair and JWKS of NHS's signed-JWT
// guide, step 2, as mock-authentication.py makes them, but never
// overwriting a key without --force.

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var generateKeysHelp = &cmdHelp{
	name:    "generate-keys",
	short:   "make an RSA key pair and its JWKS (as mock-authentication.py)",
	summary: "make an RSA key pair and its JWKS (as mock-authentication.py does).",
	usage:   "generate-keys [--env ENV] [--kid KID] [--output-dir DIR] [--force] [--api-key K]",
	details: `Writes three files to the output folder (created 0700 when missing):
  <kid>.pem      the private key, PKCS#1 "RSA PRIVATE KEY", mode 0600: keep it secret
  <kid>.pem.pub  the public key, SubjectPublicKeyInfo "PUBLIC KEY", mode 0644
  <kid>.json     the JWKS the platform verifies your signatures with, mode 0644
An existing key is never overwritten without --force, which replaces all three
files (a lost private key cannot be recovered) or, when one cannot be replaced,
none. A folder writable by others (mode 0777, say) is kept as it is, with a
warning. Then prints the next steps for the environment: on local the key is
already published; elsewhere the JWKS must be uploaded in the developer portal
or hosted at a public HTTPS URL.`,
	examples: []string{
		"nhsauth generate-keys --env local              # .auth/local-1.*, published on the local platform at once",
		"nhsauth generate-keys --env int --api-key K    # .auth/int-1.*, then register the JWKS for your INT app",
		"nhsauth generate-keys --env int --kid int-2    # a second key, for rotation",
		"nhsauth generate-keys --env int --force        # replace .auth/int-1.* (the old private key is lost)",
	},
}

// generateKeysOptions are generate-keys' flags.
type generateKeysOptions struct {
	apiKey, env, kid, outDir string
	force                    bool
	bits                     int
}

func generateKeysFlags() (*pflag.FlagSet, *generateKeysOptions) {
	fs := pflag.NewFlagSet("generate-keys", pflag.ContinueOnError)
	o := &generateKeysOptions{}
	fs.StringVar(&o.apiKey, "api-key", "", "the app's API key `K`, only quoted in the next steps printed at the end")
	fs.StringVar(&o.env, "env", "int", "the environment `ENV` the key is for: "+envChoices())
	fs.StringVar(&o.kid, "kid", "", "the key id `KID`, also the files' base name (default <env>-1)")
	fs.StringVar(&o.outDir, "output-dir", "./.auth", "the folder `DIR` to write the three files to")
	fs.BoolVar(&o.force, "force", false, "replace an existing key's three files (the old private key is lost)")
	fs.IntVar(&o.bits, "bits", keystore.DefaultBits, "advanced: the RSA key size in `BITS`, at least 2048 (NHS's guide uses 4096)")
	return fs, o
}

func newGenerateKeysCmd(env *cliEnv) *cobra.Command {
	fs, o := generateKeysFlags()
	return newCommand(env, spec{help: generateKeysHelp, flags: fs, run: func(_ context.Context, pos []string) int {
		if err := o.check(fs, pos); err != nil {
			return usageFail(env, "generate-keys", err)
		}
		return generateKeys(env, o)
	}})
}

// check validates generate-keys' command line before anything is made.
func (o *generateKeysOptions) check(fs *pflag.FlagSet, pos []string) error {
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := checkEnvName(o.env, seedEnvs); err != nil {
		return err
	}
	if o.bits < keystore.MinBits {
		return usagef("--bits %d is too small: RS512 needs an RSA key of at least %d bits", o.bits, keystore.MinBits)
	}
	if o.bits > maxBits {
		return usagef("--bits %d is too large: use 4096 (NHS's guide) or at most %d, which already takes a while to make", o.bits, maxBits)
	}
	if fs.Changed("kid") {
		if err := checkKID(o.kid); err != nil {
			return err
		}
	}
	if o.kid == "" {
		o.kid = o.env + "-1"
	}
	if o.outDir == "" {
		return usagef("--output-dir is empty: give a folder, for example ./.auth")
	}
	return nil
}

// generateKeys makes, writes and reports the key pair.
func generateKeys(env *cliEnv, o *generateKeysOptions) int {
	files := keystore.PathsFor(o.outDir, o.kid)
	if !o.force {
		// Say so before the slow part: Write checks again, atomically enough.
		for _, p := range []string{files.Private, files.Public, files.JWKS} {
			if _, err := os.Lstat(p); err == nil {
				return refuseOverwrite(env, p, o.kid)
			}
		}
	}
	// And find an unusable folder before the slow part too.
	if err := checkOutputDir(o.outDir); err != nil {
		printFailure(env.stderr, "generate-keys", err.Error(), nil, nil)
		return exitFail
	}

	fmt.Fprintf(env.stderr, "Generating a %d-bit RSA key…\n", o.bits)
	key, err := generateRSA(o.bits)
	if err != nil {
		printFailure(env.stderr, "generate-keys", "cannot generate the key: "+stripPrefixes(err.Error()), nil, nil)
		return exitFail
	}
	files, err = keystore.Write(o.outDir, o.kid, key, o.force)
	var exists *keystore.ExistsError
	switch {
	case errors.As(err, &exists):
		return refuseOverwrite(env, exists.Path, o.kid)
	case errors.Is(err, keystore.ErrNotRegular):
		printFailure(env.stderr, "generate-keys", "cannot replace the key files: "+stripPrefixes(err.Error()), nil, nil)
		return exitFail
	case err != nil:
		printFailure(env.stderr, "generate-keys", "cannot write the key files: "+stripPrefixes(err.Error())+"; check that the folder is writable or choose another with --output-dir", nil, nil)
		return exitFail
	}

	fmt.Fprintf(env.stdout, "Wrote the %d-bit key %s:\n", o.bits, o.kid)
	for _, f := range []struct{ path, what string }{
		{files.Private, "private key (PKCS#1): keep it secret, never commit it"},
		{files.Public, "public key (SubjectPublicKeyInfo)"},
		{files.JWKS, "JWKS: the public key the platform verifies your signatures with"},
	} {
		mode := "????"
		if fi, err := os.Stat(f.path); err == nil {
			mode = fmt.Sprintf("%04o", fi.Mode().Perm())
		}
		fmt.Fprintf(env.stdout, "  %-*s  %s  %s\n", len(files.Public), f.path, mode, f.what)
	}
	warnIfTracked(env.stderr, o.outDir, files.Private)
	warnIfLoose(env.stderr, o.outDir)
	nextSteps(env.stdout, o.env, o.apiKey, files)
	return exitOK
}

// maxBits bounds --bits: a bigger RSA key takes minutes to make and buys
// nothing the platform asks for.
const maxBits = 8192

// kidRE is what a key id may hold: it names three files and travels in the
// JWT header, so letters, digits, '.', '-' and '_', not starting with a dot
// or a dash (a hidden file, or a name that reads as a flag).
// It is compiled on first use: {0,127} makes a large program, which every
// other command would pay for at start-up.
var kidRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`) })

// checkKID refuses a --kid that cannot name the key's files.
func checkKID(kid string) error {
	if kid == "" {
		return usagef("--kid is empty: leave it out for the default <env>-1, or give one such as int-2")
	}
	if !kidRE().MatchString(kid) {
		return usagef("--kid %q cannot name the key files: use letters, digits, '.', '-' and '_' only (no slashes or spaces), for example int-2", kid)
	}
	return nil
}

// checkOutputDir reports, before a key is made, a folder the three files
// cannot be written to: a path through an existing file, or a folder this
// user may not write. A folder that does not exist yet is created (0700),
// as Write would.
func checkOutputDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return fmt.Errorf("--output-dir %s is a file, not a folder: choose a folder with --output-dir", dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("--output-dir %s is inside a file, not a folder: choose a folder with --output-dir", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot use the folder %s (%v): choose another with --output-dir", dir, unwrapPathError(err))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("--output-dir %s is inside a file, not a folder: choose a folder with --output-dir", dir)
		}
		return fmt.Errorf("cannot create the folder %s (%v): check its parent's permissions or choose another with --output-dir", dir, unwrapPathError(err))
	}
	probe, err := os.CreateTemp(dir, ".nhsauth-write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write to the folder %s (%v): check its permissions or choose another with --output-dir", dir, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// unwrapPathError drops *fs.PathError's "op path:" prefix, which repeats
// the folder the sentence already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refuseOverwrite says why nothing was written.
func refuseOverwrite(env *cliEnv, path, kid string) int {
	fmt.Fprintf(env.stderr, "nhsauth generate-keys: %s already exists and nothing was written; use --force to replace the three files of %s (the old private key will be lost), or choose another --kid.\n", path, kid)
	return exitFail
}

// warnIfTracked warns when the key folder sits in a git work tree and is
// not ignored, so the private key could be committed. Without git it says
// nothing.
func warnIfTracked(w io.Writer, dir, privatePath string) {
	git, err := exec.LookPath("git")
	if err != nil {
		return
	}
	out, err := exec.Command(git, "-C", dir, "rev-parse", "--is-inside-work-tree").Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return
	}
	abs, err := filepath.Abs(privatePath)
	if err != nil {
		return
	}
	// check-ignore exits 0 when ignored, 1 when not, 128 on error.
	err = exec.Command(git, "-C", dir, "check-ignore", "-q", abs).Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		fmt.Fprintf(w, "warning: %s is inside a git work tree and not ignored: add %s/ to .gitignore so the private key is never committed.\n", dir, filepath.Base(filepath.Clean(dir)))
	}
}

// warnIfLoose warns when the key folder is writable by its group or others:
// nhsauth leaves the folder's mode to its owner, and says how to tighten it.
func warnIfLoose(w io.Writer, dir string) {
	if mode, loose := keystore.LooseFolder(dir); loose {
		fmt.Fprintf(w, "warning: %s is writable by others (mode %04o): anyone who can write there can replace your key or its JWKS; run chmod 700 %s.\n", dir, mode, dir)
	}
}

// nextSteps prints what to do with the new key in envName, between the
// seed's 70-character rules.
func nextSteps(w io.Writer, envName, apiKey string, f keystore.Files) {
	rule := strings.Repeat("=", 70)
	fmt.Fprintf(w, "\n%s\nNEXT STEPS (%s)\n%s\n", rule, envName, rule)
	if envName == "local" {
		fmt.Fprintf(w, `Already published: the local platform reads the JWKS from this folder,
so there is nothing to upload. Next:
  nhsauth get-token --env local --private-key %s
`, f.Private)
		if dir := filepath.Dir(f.Private); filepath.Clean(dir) != filepath.Clean(flows.DefaultKeyDir) {
			// A private platform reads the key's folder; a long-running one
			// reads its --keys folder, ./.auth by default.
			fmt.Fprintf(w, "A running 'nhsauth mock' reads ./%s instead: start it with --keys %s\nto publish this folder.\n", flows.DefaultKeyDir, dir)
		}
		fmt.Fprintln(w, rule)
		return
	}
	key := apiKey
	if key == "" {
		key = "<your API key>"
	}
	fmt.Fprintf(w, `1. Register the public key for your %s app, either way:
   - upload %s for your app in the NHS developer portal, or
   - host it at a public HTTPS URL and register that URL as the app's JWKS URL.
   The platform caches a JWKS for up to 1 hour: a new key may take that long.
2. Keep %s secret: never commit it, never share it.
3. Then get a token:
  nhsauth get-token --env %s --api-key %s --private-key %s
%s
`, envName, f.JWKS, f.Private, envName, key, f.Private, rule)
}

// generateRSA makes an RSA key of bits bits. Every core searches for each
// prime together (keystore/keys_generate.go): finding a 2048-bit prime is a
// geometric wait (0.1–1.5 s on one core), which n cores shorten n times, in
// its typical case and its tail alike.
func generateRSA(bits int) (*rsa.PrivateKey, error) {
	return keystore.Generate(bits)
}
