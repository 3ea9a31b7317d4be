package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// publishJWKS shows the JWKS of the journey's key and where it must be
// published (reference §2.4). On the local platform, whose app publishes
// every JWKS document in its keys folder, it checks that a document in the
// key's folder holds this kid with this key (writing <kid>.json when the key
// is <kid>.pem and its JWKS is missing) and asks the platform where it reads
// keys from. Elsewhere it can only show the JWKS to register.
func publishJWKS(ctx context.Context, j *Journey) Outcome {
	if j.Key == nil {
		return Fail(errNoKey)
	}
	if j.Env.Local {
		return publishLocalJWKS(ctx, j)
	}
	jwksPath := filepath.Join(filepath.Dir(keyPath(j)), j.KID+".json")
	set := keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&j.Key.PublicKey, j.KID)}}
	if onDisk, err := keystore.ReadJWKS(jwksPath); err == nil {
		set = onDisk // steps.CheckKey has matched it with the key
	}
	ex := jwksRecord(j, set)
	ex.Note = fmt.Sprintf("The public key as a JWKS (%s). Register it for your app on %s before requesting a token: "+
		"upload it in the developer portal, or host it at a public HTTPS URL and have that URL set as the app's "+
		"jwks-resource-url. The platform caches a fetched JWKS for up to 1 hour.", jwksPath, j.Env.Name)
	o := Outcome{Summary: "JWKS to register for kid " + j.KID + ": " + jwksPath, Exchanges: []steps.Exchange{ex}}
	o.Details = append(o.Details,
		"nhsauth cannot see what is registered on "+j.Env.Name+": if the token request fails with a kid or signature error, the registered JWKS is the first suspect.")
	if _, err := os.Stat(jwksPath); err != nil {
		o.Details = append(o.Details, "There is no "+jwksPath+" yet: save the JWKS shown here under that name (nhsauth generate-keys writes it with the key).")
	}
	return o
}

// publishLocalJWKS is publishJWKS on the local platform.
func publishLocalJWKS(ctx context.Context, j *Journey) Outcome {
	dir := filepath.Dir(keyPath(j))
	path, set, jwk, found := findPublished(dir, j.KID)
	var details []string
	switch {
	case found:
		pub, err := jwk.PublicKey()
		if err != nil || pub.N.Cmp(j.Key.N) != 0 || pub.E != j.Key.E {
			ex := jwksRecord(j, set)
			ex.Note = "The JWKS published for kid " + j.KID + " (" + path + "): its key is not this private key's public half."
			return Fail(steps.WithHint(fmt.Errorf("flows: jwks: %s holds a different public key for kid %q", path, j.KID),
				"The key and the JWKS do not match: the local platform would verify your signature with the key in "+path+" and answer \"JWT signature verification failed\".",
				"Use the private key that belongs to "+path+", or remove that file and publish this key's JWKS."), ex)
		}
	case j.KID == keystore.KIDFromPath(keyPath(j)) && !exists(filepath.Join(dir, j.KID+".json")):
		// <kid>.pem without its <kid>.json (a key made with openssl, say):
		// complete the set as generate-keys would have.
		path = filepath.Join(dir, j.KID+".json")
		set = keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&j.Key.PublicKey, j.KID)}}
		if err := os.WriteFile(path, set.Marshal(), 0o644); err != nil {
			return Fail(fmt.Errorf("flows: jwks: %w", err))
		}
		details = append(details, "The key had no JWKS beside it, so its JWKS was written from the key: "+path+".")
	default:
		kids := publishedKIDs(dir)
		fix := fmt.Sprintf("Pass the kid of this key's JWKS, or publish it: save the JWKS shown here as %s.", filepath.Join(dir, j.KID+".json"))
		if len(kids) > 0 {
			fix = fmt.Sprintf("Pass --kid %s if that JWKS belongs to this key, or publish this one: save the JWKS shown here as %s.", kids[0], filepath.Join(dir, j.KID+".json"))
		}
		o := Fail(steps.WithHint(fmt.Errorf("flows: jwks: no JWKS in %s holds kid %q", dir, j.KID),
			fmt.Sprintf("The local platform publishes the JWKS documents in its keys folder, and none in %s holds kid %q (kids there: [%s]): the token request would fail with \"no matching public key\".", dir, j.KID, strings.Join(kids, " ")),
			fix))
		o.Exchanges = []steps.Exchange{jwksRecord(j, keystore.JWKS{Keys: []keystore.JWK{keystore.PublicJWK(&j.Key.PublicKey, j.KID)}})}
		o.Exchanges[0].Note = "The JWKS this key needs (not published yet). Only public values (n, e) are in it."
		return o
	}
	ex := jwksRecord(j, set)
	ex.Note = fmt.Sprintf("The public key as a JWKS, in %s. The local platform reads the JWKS documents in its keys folder, "+
		"so a key in that folder is published as soon as it is written. Only public values (n, e) are in it.", path)
	o := Outcome{Summary: "JWKS published to the local platform: " + path, Details: details, Exchanges: []steps.Exchange{ex}}
	info, infoEx := localPlatformInfo(ctx, j)
	if infoEx != nil {
		o.Exchanges = append(o.Exchanges, *infoEx)
	}
	if err := checkKeyFolder(info, j, path); err != nil {
		o.Err, o.Summary = err, ""
		return o
	}
	o.Details = append(o.Details, checkLocalPlatform(info, j, path)...)
	return o
}

// checkKeyFolder fails the step when the running local platform reads its
// keys from another folder that does not publish this key: its token
// request would fail the signature check two steps later.
func checkKeyFolder(info *platformInfo, j *Journey, jwksPath string) error {
	if info == nil {
		return nil
	}
	dir, ok := strings.CutPrefix(info.KeySource, "keys folder ")
	mine := filepath.Dir(jwksPath)
	if !ok || sameDir(dir, mine) {
		return nil
	}
	if _, _, jwk, found := findPublished(dir, j.KID); found {
		if pub, err := jwk.PublicKey(); err == nil && pub.Equal(&j.Key.PublicKey) {
			return nil // a copy of this key's JWKS is published there
		}
	}
	return steps.WithHint(fmt.Errorf("flows: jwks: the local platform reads its keys from %s, not %s", dir, mine),
		fmt.Sprintf("The local platform at %s reads its keys from %s, where no JWKS holds this key for kid %q: the token request would fail its signature check.", j.Env.APIBase, dir, j.KID),
		fmt.Sprintf("Start the platform on this folder (nhsauth mock --keys %s), or pass --private-key with a key in %s, or stop that platform (and unset NHSAUTH_LOCAL_URL) so nhsauth starts its own.", mine, dir))
}

// jwksRecord is a synthetic exchange showing a JWKS.
func jwksRecord(j *Journey, set keystore.JWKS) steps.Exchange {
	body, _ := json.MarshalIndent(set, "", "  ") // plain strings: cannot fail
	return steps.Exchange{Title: "JWKS", Spec: "RFC 7517 §5", Synthetic: true, Start: j.Now(), ReqBody: body}
}

// findPublished looks for kid in every JWKS document (*.json holding a
// "keys" array) in dir, as the local platform reads them; <kid>.json first.
func findPublished(dir, kid string) (string, keystore.JWKS, keystore.JWK, bool) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	own := filepath.Join(dir, kid+".json")
	sort.SliceStable(paths, func(a, b int) bool { return paths[a] == own && paths[b] != own })
	for _, p := range paths {
		set, err := keystore.ReadJWKS(p)
		if err != nil {
			continue
		}
		if k, ok := set.Find(kid); ok {
			return p, set, k, true
		}
	}
	return "", keystore.JWKS{}, keystore.JWK{}, false
}

// publishedKIDs lists the kids of every JWKS document in dir.
func publishedKIDs(dir string) []string {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var kids []string
	for _, p := range paths {
		if set, err := keystore.ReadJWKS(p); err == nil {
			for _, k := range set.Keys {
				kids = append(kids, k.Kid)
			}
		}
	}
	return kids
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// platformInfo is the part of the local platform's GET /_mock/info a flow
// checks against the journey.
type platformInfo struct {
	Name      string `json:"name"`
	APIKey    string `json:"api_key"`
	KeySource string `json:"key_source"`
}

// localPlatformInfo asks the local platform who it is and where it reads the
// app's keys. It never fails the step: the answer only adds advice.
func localPlatformInfo(ctx context.Context, j *Journey) (*platformInfo, *steps.Exchange) {
	resp, exs, err := steps.CallAPI(ctx, j.HTTP, steps.APIParams{URL: j.Env.APIBase + "/_mock/info"})
	for i := range exs {
		exs[i].Title, exs[i].Spec = "Local platform info", "nhsauth's own: GET /_mock/info"
	}
	var ex *steps.Exchange
	if len(exs) > 0 {
		ex = &exs[len(exs)-1]
	}
	if err != nil {
		return nil, ex
	}
	var info platformInfo
	if json.Unmarshal(resp.Body, &info) != nil {
		return nil, ex
	}
	return &info, ex
}

// checkLocalPlatform compares the local platform's registration with the
// journey and says what would make the token request fail.
func checkLocalPlatform(info *platformInfo, j *Journey, jwksPath string) []string {
	if info == nil {
		return []string{"The local platform did not describe itself (GET /_mock/info); the token request will show whether it finds the key."}
	}
	var out []string
	if info.APIKey != "" && j.APIKey != "" && info.APIKey != j.APIKey {
		out = append(out, fmt.Sprintf("Warning: the local platform's app has API key %q but this journey uses %q: the token request will be refused (unknown iss/sub).", info.APIKey, j.APIKey))
	}
	if dir, ok := strings.CutPrefix(info.KeySource, "keys folder "); ok {
		if sameDir(dir, filepath.Dir(jwksPath)) {
			out = append(out, "The local platform reads its keys from "+dir+": the JWKS is published there.")
		} else {
			// checkKeyFolder has found this key's JWKS there too.
			out = append(out, "The local platform reads its keys from "+dir+", where a copy of this key's JWKS is published.")
		}
	} else if info.KeySource != "" {
		out = append(out, "The local platform reads the app's keys from "+info.KeySource+": it must serve kid "+j.KID+" with this key.")
	}
	return out
}

// sameDir reports whether two folder names denote the same folder, as far
// as can be told from here (a relative name is relative to its process).
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if aa == bb {
		return true
	}
	sa, err1 := os.Stat(aa)
	sb, err2 := os.Stat(bb)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
