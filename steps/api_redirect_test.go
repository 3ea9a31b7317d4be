package steps_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

// authSeen is a server that records the Authorization header of every
// request it gets, by path.
type authSeen struct {
	mu   sync.Mutex
	auth map[string]string
}

func (a *authSeen) saw(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.auth == nil {
		a.auth = map[string]string{}
	}
	a.auth[r.URL.Path] = r.Header.Get("Authorization")
}

func (a *authSeen) get(path string) (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.auth[path]
	return v, ok
}

// redirectServers starts an API and another origin (another port of the
// same host). The API redirects /away to the other origin, /here to its own
// /ok, /loop to itself, /ping to /pong and back, /n/K to /n/K+1 without end.
func redirectServers(t *testing.T) (api, other *httptest.Server, apiSeen, otherSeen *authSeen) {
	t.Helper()
	apiSeen, otherSeen = &authSeen{}, &authSeen{}
	other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherSeen.saw(r)
		fmt.Fprint(w, `{"stolen": true}`)
	}))
	t.Cleanup(other.Close)
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiSeen.saw(r)
		switch p := r.URL.Path; {
		case p == "/away":
			http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
		case p == "/here":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case p == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case p == "/ping":
			http.Redirect(w, r, "/pong", http.StatusTemporaryRedirect)
		case p == "/pong":
			http.Redirect(w, r, "/ping", http.StatusTemporaryRedirect)
		case strings.HasPrefix(p, "/n/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/n/"))
			http.Redirect(w, r, fmt.Sprintf("/n/%d", n+1), http.StatusFound)
		default:
			fmt.Fprint(w, `{"message": "ok"}`)
		}
	}))
	t.Cleanup(api.Close)
	return api, other, apiSeen, otherSeen
}

// TestCallAPIRedirects: an API's redirect is not followed unless asked;
// asked, only within the origin; the bearer token never reaches another
// origin (another port of the same host included), and a call that ends on
// a 3xx is an error naming its Location and the way out.
func TestCallAPIRedirects(t *testing.T) {
	api, other, apiSeen, otherSeen := redirectServers(t)
	const token = "tok-EFFs3EeT0SZbF2J14LvM93vVDTaA"
	for _, tt := range []struct {
		name      string
		path      string
		follow    bool
		wantExs   int
		wantErr   bool
		wantCause string
		wantFix   string
	}{
		{name: "not followed by default", path: "/away", wantExs: 1, wantErr: true,
			wantCause: `redirecting to "` + other.URL + `/landing"`, wantFix: "--follow"},
		{name: "same origin not followed by default", path: "/here", wantExs: 1, wantErr: true,
			wantCause: "redirecting to", wantFix: "--follow"},
		{name: "follow: another port refused", path: "/away", follow: true, wantExs: 1, wantErr: true,
			wantCause: "another origin", wantFix: "--url"},
		{name: "follow: same origin", path: "/here", follow: true, wantExs: 2},
		{name: "follow: self loop", path: "/loop", follow: true, wantExs: 1, wantErr: true, wantCause: "redirect loop"},
		{name: "follow: two-step loop", path: "/ping", follow: true, wantExs: 2, wantErr: true, wantCause: "redirect loop"},
		{name: "follow: endless", path: "/n/0", follow: true, wantExs: 11, wantErr: true, wantCause: "after 10 redirects"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, exs, err := steps.CallAPI(context.Background(), api.Client(), steps.APIParams{
				URL: api.URL + tt.path, AccessToken: token, FollowRedirects: tt.follow,
			})
			if _, hit := otherSeen.get("/landing"); hit {
				t.Fatalf("the other origin was called")
			}
			if len(exs) != tt.wantExs {
				t.Errorf("%d exchanges, want %d", len(exs), tt.wantExs)
			}
			if !tt.wantErr {
				if err != nil || resp.Status != 200 {
					t.Fatalf("status %d, err %v; want 200", resp.Status, err)
				}
				if a, _ := apiSeen.get("/ok"); a != "Bearer "+token {
					t.Errorf("same-origin redirect: Authorization %q at /ok, want the bearer token", a)
				}
				return
			}
			if err == nil {
				t.Fatalf("status %d and no error: a 3xx at the end must fail", resp.Status)
			}
			if resp.Status < 300 || resp.Status > 399 {
				t.Errorf("status %d, want the 3xx", resp.Status)
			}
			hints := steps.HintsOf(err)
			if len(hints) == 0 || !strings.Contains(hints[0].Cause, tt.wantCause) || !strings.Contains(hints[0].Fix, tt.wantFix) {
				t.Errorf("hints %+v, want cause with %q and fix with %q", hints, tt.wantCause, tt.wantFix)
			}
		})
	}
}
