package flows_test

import (
	"context"
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/mock"
	"github.com/nhsauth/nhsauth/steps"
)

// sepKey is the app's 2048-bit key, made once for the package: RSA
// generation is slow under -race.
var (
	sepKeyOnce sync.Once
	sepKeyVal  *rsa.PrivateKey
	sepKeyErr  error
)

func sepKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	sepKeyOnce.Do(func() { sepKeyVal, sepKeyErr = keystore.Generate(2048) })
	if sepKeyErr != nil {
		t.Fatal(sepKeyErr)
	}
	return sepKeyVal
}

// sepPlatform starts an in-process local platform whose app publishes the
// shared key (as local-1 in a fresh folder), and returns a journey on it
// that logs in by form.
func sepPlatform(t testing.TB) (*flows.Journey, *httptest.Server) {
	t.Helper()
	return sepPlatformWith(t, mock.Options{})
}

// sepPlatformWith is sepPlatform with the platform's options (its KeysDir
// is set here).
func sepPlatformWith(t testing.TB, opts mock.Options) (*flows.Journey, *httptest.Server) {
	t.Helper()
	dir := t.TempDir()
	if _, err := keystore.Write(dir, "local-1", sepKey(t), false); err != nil {
		t.Fatal(err)
	}
	opts.KeysDir = dir
	ts := httptest.NewServer(mock.New(opts))
	t.Cleanup(ts.Close)
	hc := ts.Client()
	hc.Timeout = 10 * time.Second
	j := flows.NewJourney(flows.Local(ts.URL), hc)
	j.KeyDir, j.KeyBits = dir, 2048
	j.Login.Mode = flows.LoginForm
	t.Cleanup(j.Login.CloseListener)
	return j, ts
}

// sepIndex is the position of the step with id in f.
func sepIndex(t testing.TB, f *flows.Flow, id string) int {
	t.Helper()
	for i, s := range f.Steps {
		if s.ID == id {
			return i
		}
	}
	t.Fatalf("flow %s has no step %s", f.ID, id)
	return -1
}

// sepRunThrough runs every step up to and including the one with id, and
// fails the test if any of them fails.
func sepRunThrough(t *testing.T, r *flows.Runner, id string) {
	t.Helper()
	last := sepIndex(t, r.Flow, id)
	for i := 0; i <= last; i++ {
		o, err := r.RunStep(context.Background(), i)
		if err != nil || o.Failed() {
			t.Fatalf("step %s: %v %v (hints %s)", r.Flow.Steps[i].ID, err, o.Err, sepHintText(o))
		}
	}
}

// sepRun runs one step by id and returns its outcome.
func sepRun(t *testing.T, r *flows.Runner, id string) flows.Outcome {
	t.Helper()
	o, err := r.RunStep(context.Background(), sepIndex(t, r.Flow, id))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func sepHintText(o flows.Outcome) string {
	var b strings.Builder
	for _, h := range o.Hints {
		b.WriteString(h.Cause + " | " + h.Fix + "\n")
	}
	return b.String()
}

// sepTitles lists the titles of every exchange of a run, in order.
func sepTitles(r *flows.Runner) []string {
	var out []string
	for i := 0; i < r.Len(); i++ {
		for _, ex := range r.Result(i).Outcome.Exchanges {
			out = append(out, ex.Title)
		}
	}
	return out
}

// sepBrowser plays the user's browser for the waiting modes: it signs in on
// the realm's login page as user and then follows the redirect to wherever
// it points, as a browser does (edit may change the redirected URL first).
// Errors are sent on the returned channel.
func sepBrowser(hc *http.Client, user string, edit func(string) string) (steps.Opener, <-chan error) {
	errs := make(chan error, 1)
	return steps.OpenerFunc(func(authURL string) error {
		go func() {
			// FormLogin stops before the redirect back; the browser follows it.
			cb, _, err := steps.FormLogin(context.Background(), hc, steps.FormLoginParams{AuthURL: authURL, Username: user})
			if err != nil {
				errs <- err
				return
			}
			target := cb.URL
			if edit != nil {
				target = edit(target)
			}
			resp, err := http.Get(target)
			if err == nil {
				resp.Body.Close()
			}
			errs <- err
		}()
		return nil
	}), errs
}

// sepFreePort finds a free loopback port.
func sepFreePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// sepWithQuery replaces one query parameter of a URL.
func sepWithQuery(raw, key, value string) string {
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// sepRunAll runs every step and returns the ID and outcome of the step
// that failed ("" when none did) with RunAll's error.
func sepRunAll(r *flows.Runner) (failed string, failure flows.Outcome, err error) {
	err = r.RunAll(context.Background(), func(i int, o flows.Outcome) {
		if o.Failed() {
			failed, failure = r.Flow.Steps[i].ID, o
		}
	})
	return failed, failure, err
}
