package steps_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/nhsauth/nhsauth/steps"
)

// arEcho answers with the request's method, headers and body as seen.
type arSeen struct {
	method string
	header http.Header
	body   string
}

func arEchoServer(t *testing.T, status int, reply string) (*httptest.Server, chan arSeen) {
	t.Helper()
	seen := make(chan arSeen, 4)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- arSeen{r.Method, r.Header.Clone(), string(b)}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(ts.Close)
	return ts, seen
}

func TestCallAPIHeaders(t *testing.T) {
	ts, seen := arEchoServer(t, 200, `{"message": "Hello Application!"}`)
	url := ts.URL + "/hello-world/hello/application"

	resp, exs, err := steps.CallAPI(context.Background(), ts.Client(), steps.APIParams{
		URL: url, AccessToken: "EFFs3EeT0SZbF2J14LvM93vVDTaA",
		Header: http.Header{"Nhse-Product-Id": {"P.XWA-VFF"}},
	})
	if err != nil {
		t.Fatalf("CallAPI: %v", err)
	}
	got := <-seen
	if got.method != http.MethodGet {
		t.Errorf("method = %s, want GET by default", got.method)
	}
	if a := got.header.Get("Authorization"); a != "Bearer EFFs3EeT0SZbF2J14LvM93vVDTaA" {
		t.Errorf("Authorization = %q", a)
	}
	if p := got.header.Get("NHSE-Product-ID"); p != "P.XWA-VFF" {
		t.Errorf("NHSE-Product-ID = %q, want the given header", p)
	}
	first, err := uuid.Parse(got.header.Get("X-Request-ID"))
	if err != nil || first.Version() != 4 {
		t.Errorf("X-Request-ID = %q, want a UUID v4", got.header.Get("X-Request-ID"))
	}
	if resp.Status != 200 || string(resp.Body) != `{"message": "Hello Application!"}` {
		t.Errorf("response = %+v", resp)
	}
	if len(exs) != 1 || exs[0].Title != "API call" {
		t.Errorf("exchanges = %+v", exs)
	}

	// A second call gets a fresh X-Request-ID.
	if _, _, err := steps.CallAPI(context.Background(), ts.Client(), steps.APIParams{URL: url, AccessToken: "t"}); err != nil {
		t.Fatal(err)
	}
	if second := (<-seen).header.Get("X-Request-ID"); second == first.String() {
		t.Error("X-Request-ID reused across calls")
	}

	// A given X-Request-ID is kept (a retry), and no token means no Authorization.
	if _, _, err := steps.CallAPI(context.Background(), ts.Client(), steps.APIParams{
		Method: "post", URL: url, Body: []byte(`{"a":1}`),
		Header: http.Header{"X-Request-ID": {"60E0B220-8136-4CA5-AE46-1D97EF59D068"}},
	}); err != nil {
		t.Fatal(err)
	}
	got = <-seen
	if got.method != http.MethodPost || got.body != `{"a":1}` {
		t.Errorf("got %s %q, want POST with the body", got.method, got.body)
	}
	if ids := got.header.Values("X-Request-ID"); len(ids) != 1 || ids[0] != "60E0B220-8136-4CA5-AE46-1D97EF59D068" {
		t.Errorf("X-Request-ID = %v, want the given one only", ids)
	}
	if _, ok := got.header["Authorization"]; ok {
		t.Error("Authorization sent without a token")
	}
}

func TestCallAPIStatuses(t *testing.T) {
	tests := []struct {
		status   int
		token    string
		wantHint string
	}{
		{401, "tok", "pattern or level"},
		{401, "", "none were sent"},
		{403, "tok", "not subscribed"},
		{404, "tok", "wrong path"},
		{429, "tok", "same X-Request-ID"},
		{503, "tok", "failed on its side"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			ts, _ := arEchoServer(t, tt.status, `{"message":"Invalid access token"}`)
			resp, exs, err := steps.CallAPI(context.Background(), ts.Client(), steps.APIParams{URL: ts.URL + "/x", AccessToken: tt.token})
			var he *steps.HTTPError
			if !errors.As(err, &he) || he.Status != tt.status {
				t.Fatalf("err = %v, want an HTTPError %d", err, tt.status)
			}
			if resp.Status != tt.status || !strings.Contains(string(resp.Body), "Invalid access token") || len(exs) != 1 {
				t.Errorf("response = %+v, exchanges %d: want the full reply with the error", resp, len(exs))
			}
			if hints := hintText(err); !strings.Contains(hints, tt.wantHint) {
				t.Errorf("hints = %q, want %q", hints, tt.wantHint)
			}
		})
	}
}

func TestCallAPITransportError(t *testing.T) {
	ts, _ := arEchoServer(t, 200, "{}")
	url := ts.URL
	ts.Close()
	resp, exs, err := steps.CallAPI(context.Background(), http.DefaultClient, steps.APIParams{URL: url + "/x"})
	if err == nil || resp.Status != 0 {
		t.Fatalf("err = %v, resp = %+v: want a transport error", err, resp)
	}
	if !strings.Contains(hintText(err), "Nothing answers") {
		t.Errorf("hints = %q", hintText(err))
	}
	if len(exs) != 1 || exs[0].Err == nil {
		t.Errorf("exchanges = %+v", exs)
	}
}

// TestCallAPIHostHeader: a Host in the headers is the request's host on the
// wire, and the exchange shows that same value once.
func TestCallAPIHostHeader(t *testing.T) {
	hosts := make(chan string, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts <- r.Host
	}))
	defer ts.Close()
	_, exs, err := steps.CallAPI(context.Background(), ts.Client(), steps.APIParams{
		URL: ts.URL + "/x", Header: http.Header{"host": {"api.example"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-hosts; got != "api.example" {
		t.Errorf("Host on the wire %q, want api.example", got)
	}
	if got := exs[0].ReqHeader.Values("Host"); len(got) != 1 || got[0] != "api.example" {
		t.Errorf("exchange shows Host %q, want [api.example]", got)
	}
}
