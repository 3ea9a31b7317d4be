package transcript_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

func TestPresentParts(t *testing.T) {
	ex := steps.Exchange{
		Title: "Token request", Method: "POST", Proto: "HTTP/1.1",
		URL:       "http://user:s3cret-passw0rd@h/token?code=abcdefghijkl&state=xyz",
		ReqHeader: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "B": {"2"}, "A": {"1"}},
		ReqBody:   []byte("grant_type=client_credentials&client_secret=0123456789abcdef&note=a%1Bb"),
		Status:    201, RespHeader: http.Header{"Content-Type": {"application/octet-stream"}},
		RespBody: []byte{0xff, 0xfe, 0x1b},
	}
	p := transcript.Present(ex, &steps.Redactor{})
	if p.Proto != "HTTP/1.1" || p.StatusText() != "201 Created" {
		t.Errorf("proto %q, status %q", p.Proto, p.StatusText())
	}
	if p.URL != "http://user:s3cr…@h/token?code=abcd…&state=xyz" {
		t.Errorf("URL = %q", p.URL)
	}
	if len(p.ReqHeaders) != 3 || p.ReqHeaders[0].Name != "A" || p.ReqHeaders[1].Name != "B" {
		t.Errorf("headers not in name order: %+v", p.ReqHeaders)
	}
	want := []transcript.Field{{"grant_type", "client_credentials"}, {"client_secret", "0123…"}, {"note", `a\x1bb`}}
	if p.ReqBody.Kind != transcript.BodyForm || len(p.ReqBody.Fields) != 3 {
		t.Fatalf("request body = %+v, want a form of 3 fields", p.ReqBody)
	}
	for i, f := range want {
		if p.ReqBody.Fields[i] != f {
			t.Errorf("field %d = %+v, want %+v", i, p.ReqBody.Fields[i], f)
		}
	}
	if p.RespBody.Kind != transcript.BodyBinary || p.RespBody.Text != "[3 bytes of binary data]" {
		t.Errorf("binary body = %+v", p.RespBody)
	}
	if !strings.Contains(p.Curl, "--data-urlencode 'client_secret=0123…'") || strings.Contains(p.Curl, "s3cret") {
		t.Errorf("curl = %s", p.Curl)
	}
}

func TestPresentToken(t *testing.T) {
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	raw := seg(`{"kid":"local-1","alg":"RS512"}`) + "." +
		seg(`{"iss":"k","sub":"k","aud":"http://h/oauth2/token","name":"\u001b[2J","exp":`+
			"1893553445"+`}`) + ".sig"
	tok := transcript.PresentToken(raw, nil, &steps.Redactor{})
	if tok.Err != "" || !tok.Assertion || !tok.Exp.Equal(exp) {
		t.Fatalf("token = %+v", tok)
	}
	if tok.Header[0].Name != "kid" || tok.Header[1].Name != "alg" || !strings.Contains(tok.Header[1].Explain, "RS512 only") {
		t.Errorf("header not in the order sent, or not explained as an assertion's: %+v", tok.Header)
	}
	if tok.Claims[3].Name != "name" || tok.Claims[3].Value != `\x1b[2J` {
		t.Errorf("claim not neutralised: %+v", tok.Claims[3])
	}
	if tok.Shown != steps.Mask(raw) || transcript.PresentToken(raw, nil, &steps.Redactor{Reveal: true}).Shown != raw {
		t.Errorf("Shown = %q: want masked, or whole when revealed", tok.Shown)
	}
	if o := transcript.PresentToken("opaque-token-value", nil, nil); !strings.Contains(o.Err, "opaque") {
		t.Errorf("opaque token: %+v", o)
	}
}
