package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxJWKSBytes caps a JWKS document read from the keys folder or fetched
// from the JWKS URL.
const maxJWKSBytes = 1 << 20

// jwksURLTTL is how long a JWKS fetched from Options.JWKSURL is reused. The
// real platform caches it for an hour per URL (reference §2.4); the local
// platform keeps it one minute so that a changed JWKS is seen quickly.
const jwksURLTTL = time.Minute

// Folder re-read policy. The folder's own modification time changes whenever
// a file is added, removed or renamed into it (generate-keys writes through a
// rename), so a changed mtime triggers a rescan at once. An edit in place
// changes only the file, so the folder is rescanned at least every
// dirRescanEvery anyway. A scan made less than dirRacyWindow after the folder
// last changed is not trusted (a second change within the filesystem's
// timestamp granularity would leave the mtime as it was), as git does with
// its "racily clean" index entries.
const (
	dirRescanEvery = time.Second
	dirRacyWindow  = 2 * time.Second
)

var (
	// errNoKeyRegistered means the app has no public key: row 19 of §2.6.
	errNoKeyRegistered = errors.New("mock: no public key registered")
	// errJWKSUnreachable means the JWKS could not be had: row 20 of §2.6.
	errJWKSUnreachable = errors.New("mock: JWKS endpoint unreachable")
)

// appKeys is the local app's published JWKS (reference §2.4), from a keys
// folder (every *.json document holding a "keys" array, merged) or from a
// JWKS URL (the app's jwks-resource-url). Client keys are parsed with go-jose,
// never with keystore, so the platform stays an independent counterpart.
type appKeys struct {
	dir     string
	url     string
	hc      *http.Client
	ttl     time.Duration // of a JWKS fetched from url
	timeout time.Duration // of one fetch from url

	mu sync.Mutex
	// keys folder
	dirMod    time.Time
	scannedAt time.Time
	sig       string // the *.json files' names, sizes and mtimes at the last scan
	dirSet    jose.JSONWebKeySet
	// JWKS URL
	fetchedAt time.Time
	urlSet    jose.JSONWebKeySet
	flight    *jwksFlight // the fetch under way, shared by every grant that needs it
}

// jwksFlight is one fetch of the JWKS URL and its result, ready once done
// is closed.
type jwksFlight struct {
	done    chan struct{}
	set     jose.JSONWebKeySet
	err     error
	waiting atomic.Int32 // grants waiting on it (for tests)
}

// newAppKeys describes where the app's published keys come from.
func newAppKeys(opts Options) *appKeys {
	return &appKeys{dir: opts.KeysDir, url: opts.JWKSURL, hc: opts.HTTPClient, ttl: jwksURLTTL, timeout: opts.JWKSTimeout}
}

// set returns the app's current JWKS. Its errors wrap errNoKeyRegistered
// (row 19) or errJWKSUnreachable (row 20).
func (k *appKeys) set(ctx context.Context) (jose.JSONWebKeySet, error) {
	if k.url != "" {
		return k.fromURL(ctx)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fromDirLocked()
}

// fromURL returns the JWKS at k.url, fetched at most once per ttl. The fetch
// runs once for every grant that needs it at the time (single flight) and is
// bounded by k.timeout, so a hanging URL costs concurrent grants one timeout,
// not one each in turn; a grant whose own request ends stops waiting. Failures
// are not cached: the next grant fetches again.
func (k *appKeys) fromURL(ctx context.Context) (jose.JSONWebKeySet, error) {
	k.mu.Lock()
	if !k.fetchedAt.IsZero() && time.Since(k.fetchedAt) < k.ttl {
		defer k.mu.Unlock()
		return k.urlSet, nil
	}
	f := k.flight
	if f == nil {
		f = &jwksFlight{done: make(chan struct{})}
		k.flight = f
		go k.fetch(f)
	}
	f.waiting.Add(1)
	k.mu.Unlock()
	select {
	case <-f.done:
		return f.set, f.err
	case <-ctx.Done():
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %w", errJWKSUnreachable, ctx.Err())
	}
}

// fetch makes flight f's one fetch, with its own deadline (not one grant's
// request context, which may end before the others'), and publishes it.
func (k *appKeys) fetch(f *jwksFlight) {
	ctx, cancel := context.WithTimeout(context.Background(), k.timeout)
	defer cancel()
	f.set, f.err = fetchJWKS(ctx, k.hc, k.url)
	k.mu.Lock()
	if f.err == nil {
		k.urlSet, k.fetchedAt = f.set, time.Now()
	}
	k.flight = nil
	k.mu.Unlock()
	close(f.done)
}

// fetchJWKS GETs a JWKS document.
func fetchJWKS(ctx context.Context, hc *http.Client, url string) (jose.JSONWebKeySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %w", errJWKSUnreachable, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %w", errJWKSUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %s answered %s", errJWKSUnreachable, url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %w", errJWKSUnreachable, err)
	}
	if len(body) > maxJWKSBytes {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %s is larger than %d bytes", errJWKSUnreachable, url, maxJWKSBytes)
	}
	set, ok := parseJWKS(body)
	if !ok {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %s is not a JWKS document", errJWKSUnreachable, url)
	}
	return set, nil
}

// fromDirLocked returns the merged JWKS of the keys folder, re-read when the
// folder changed (see dirRescanEvery).
func (k *appKeys) fromDirLocked() (jose.JSONWebKeySet, error) {
	fi, err := os.Stat(k.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: keys folder %s does not exist", errNoKeyRegistered, k.dir)
	}
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %w", errJWKSUnreachable, err)
	}
	if !fi.IsDir() {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %s is not a folder", errJWKSUnreachable, k.dir)
	}
	now := time.Now()
	fresh := fi.ModTime().Equal(k.dirMod) &&
		now.Sub(k.scannedAt) < dirRescanEvery &&
		k.scannedAt.Sub(k.dirMod) >= dirRacyWindow
	if !fresh {
		if err := k.rescanLocked(); err != nil {
			return jose.JSONWebKeySet{}, err
		}
		k.dirMod, k.scannedAt = fi.ModTime(), now
	}
	if len(k.dirSet.Keys) == 0 {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: no JWKS with a key in %s", errNoKeyRegistered, k.dir)
	}
	return k.dirSet, nil
}

// rescanLocked lists the folder's *.json files and re-reads them when any
// name, size or mtime changed since the last scan.
func (k *appKeys) rescanLocked() error {
	entries, err := os.ReadDir(k.dir)
	if err != nil {
		return fmt.Errorf("%w: %w", errJWKSUnreachable, err)
	}
	var files []string
	var sig strings.Builder
	for _, e := range entries {
		if !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue // vanished since the listing, or not a plain file
		}
		files = append(files, e.Name())
		fmt.Fprintf(&sig, "%s\x00%d\x00%d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
	}
	if sig.String() == k.sig && k.sig != "" {
		return nil
	}
	var merged jose.JSONWebKeySet
	for _, name := range files {
		data, err := readCapped(filepath.Join(k.dir, name), maxJWKSBytes)
		if err != nil {
			continue // unreadable or too large: not a published JWKS
		}
		if set, ok := parseJWKS(data); ok {
			merged.Keys = append(merged.Keys, set.Keys...)
		}
	}
	k.dirSet, k.sig = merged, sig.String()
	return nil
}

// readCapped reads a file of at most limit bytes.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("mock: %s is larger than %d bytes", path, limit)
	}
	return data, nil
}

// parseJWKS reads a JWKS document (RFC 7517 §5): a JSON object whose "keys"
// member is an array. Each key is parsed on its own with go-jose, and a key
// it cannot parse is skipped, as RFC 7517 §5 asks; alg and use are optional
// (NHS-hosted JWKS files have neither). ok is false when data is not a JWKS.
func parseJWKS(data []byte) (set jose.JSONWebKeySet, ok bool) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Keys == nil {
		return jose.JSONWebKeySet{}, false
	}
	for _, raw := range doc.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			continue
		}
		if pub := k.Public(); pub.Key != nil {
			k = pub // keep only the public half of a private JWK
		}
		set.Keys = append(set.Keys, k)
	}
	set.Keys = slices.Clip(set.Keys)
	return set, true
}
