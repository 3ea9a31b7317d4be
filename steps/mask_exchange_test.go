package steps_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

func TestMaskExchange(t *testing.T) {
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

	m := steps.MaskExchange(ex, red)
	all := m.URL + m.Note + string(m.ReqBody) + string(m.RespBody)
	for _, vs := range m.ReqHeader {
		all += strings.Join(vs, " ")
	}
	for _, s := range []string{assertion, token, secret, "abcdefghijkl"} {
		if strings.Contains(all, s) {
			t.Errorf("%q is not masked in %q", s, all)
		}
	}
	if got := m.ReqHeader.Get("Authorization"); got != "Bearer G4Oj…" {
		t.Errorf("Authorization = %q, want the scheme kept and the token masked", got)
	}
	masked, err := url.ParseQuery(string(m.ReqBody))
	if err != nil || masked.Get("client_assertion") != "eyJh…" || masked.Get("grant_type") != "client_credentials" {
		t.Errorf("form body = %q (%v): want still a form, only the assertion masked", m.ReqBody, err)
	}
	if !strings.Contains(m.URL, "state=xyz") {
		t.Errorf("URL lost its public parameters: %q", m.URL)
	}
	if !strings.Contains(string(m.RespBody), `"expires_in": "599"`) {
		t.Errorf("JSON body lost its layout or public fields: %s", m.RespBody)
	}
	// The original is untouched.
	if ex.ReqHeader.Get("Authorization") != "Bearer "+token || !bytes.Contains(ex.RespBody, []byte(token)) {
		t.Error("MaskExchange changed its argument")
	}

	red.Reveal = true
	if r := steps.MaskExchange(ex, red); r.ReqHeader.Get("Authorization") != "Bearer "+token || !bytes.Equal(r.RespBody, ex.RespBody) {
		t.Error("Reveal did not show the exchange as it was")
	}
}
