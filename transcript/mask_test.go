package transcript_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

// TestPresentJSONMasks checks the --json form: masked, wire form kept.
func TestPresentJSONMasks(t *testing.T) {
	const (
		assertion = "eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJrIn0.c2lnbmF0dXJl"
		token     = "G4OjrgC8g8C4XWYzk624gVlnyF3r"
		secret    = "nhsauth-local-api-secret"
	)
	form := url.Values{"grant_type": {"client_credentials"}, "client_assertion": {assertion}}
	ex := steps.Exchange{
		Title:      "Token request",
		Method:     "POST",
		URL:        "https://example.org/cb?code=abcdefghijkl&state=xyz",
		ReqHeader:  http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Bearer " + token}, "X-Note": {"uses " + secret}},
		ReqBody:    []byte(form.Encode()),
		Status:     200,
		RespHeader: http.Header{"Content-Type": {"application/json"}},
		RespBody:   []byte(`{"access_token": "` + token + `", "expires_in": "599"}`),
		Note:       "built with " + secret,
	}
	red := &steps.Redactor{}
	red.Add(secret)

	m := transcript.Present(ex, red).JSON()
	all := m.URL + m.Note + m.RequestBody + m.ResponseBody
	for _, v := range m.RequestHeaders {
		all += v + " "
	}
	for _, s := range []string{assertion, token, secret, "abcdefghijkl"} {
		if strings.Contains(all, s) {
			t.Errorf("%q is not masked in %q", s, all)
		}
	}
	if got := m.RequestHeaders["Authorization"]; got != "Bearer G4Oj…" {
		t.Errorf("Authorization = %q, want the scheme kept and the token masked", got)
	}
	masked, err := url.ParseQuery(m.RequestBody)
	if err != nil || masked.Get("client_assertion") != "eyJh…" || masked.Get("grant_type") != "client_credentials" {
		t.Errorf("form body = %q (%v): want still a form, only the assertion masked", m.RequestBody, err)
	}
	if !strings.Contains(m.URL, "state=xyz") {
		t.Errorf("URL lost its public parameters: %q", m.URL)
	}
	if !strings.Contains(m.ResponseBody, `"expires_in": "599"`) {
		t.Errorf("JSON body lost its layout or public fields: %s", m.ResponseBody)
	}
	// The original is untouched.
	if ex.ReqHeader.Get("Authorization") != "Bearer "+token || !bytes.Contains(ex.RespBody, []byte(token)) {
		t.Error("Present changed its argument")
	}

	red.Reveal = true
	if r := transcript.Present(ex, red).JSON(); r.RequestHeaders["Authorization"] != "Bearer "+token || !bytes.Equal([]byte(r.ResponseBody), ex.RespBody) {
		t.Error("Reveal did not show the exchange as it was")
	}
}
