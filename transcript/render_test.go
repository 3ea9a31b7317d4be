package transcript_test

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nhsauth/nhsauth/steps"
	"github.com/nhsauth/nhsauth/transcript"
)

const (
	arAssertion = "eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJhcGkifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	arAccess    = "EFFs3EeT0SZbF2J14LvM93vVDTaA"
	arSecretID  = "sekrit-value-0123456789" // registered with the Redactor only
)

// arTokenExchange is a recorded token request: the assertion and the access
// token are NOT registered with the Redactor, so only masking by name can
// hide them.
func arTokenExchange() steps.Exchange {
	return steps.Exchange{
		Title:  "Token request",
		Method: "POST",
		URL:    "http://127.0.0.1:8400/oauth2/token",
		ReqHeader: http.Header{
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"Authorization": {"Bearer " + arAccess},
			"X-Echo":        {arSecretID},
		},
		ReqBody:    []byte("grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + arAssertion),
		Status:     200,
		RespHeader: http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"session=abcdefghijklmnop; Path=/"}},
		RespBody:   []byte(`{"access_token":"` + arAccess + `","expires_in":"599","token_type":"Bearer","note":"` + arSecretID + `"}`),
		Took:       12 * time.Millisecond,
	}
}

// text is the plain transcript of one exchange.
func text(ex steps.Exchange, red *steps.Redactor) string {
	return transcript.ExchangeText(transcript.Present(ex, red))
}

func TestExchangeTextMasks(t *testing.T) {
	red := &steps.Redactor{}
	red.Add(arSecretID)
	out := text(arTokenExchange(), red)

	for _, want := range []string{
		"POST http://127.0.0.1:8400/oauth2/token\n",
		"Content-Type: application/x-www-form-urlencoded\n",
		"\ngrant_type=client_credentials\nclient_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\nclient_assertion=eyJh…\n",
		"Authorization: Bearer EFFs…\n",
		"← 200 OK (12 ms)\n",
		"Set-Cookie: session=abcd…; Path=/\n",
		"  \"access_token\": \"EFFs…\",\n", // pretty-printed and masked by name
		"  \"expires_in\": \"599\",\n",
		"X-Echo: sekr…\n", // masked by value
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{arAccess, arAssertion, arSecretID, "abcdefghijklmnop"} {
		if strings.Contains(out, secret) {
			t.Errorf("output shows the secret %q:\n%s", secret, out)
		}
	}
	if strings.Index(out, "POST") > strings.Index(out, "← 200") {
		t.Error("response before request")
	}

	red.Reveal = true
	out = text(arTokenExchange(), red)
	for _, secret := range []string{arAccess, arAssertion, arSecretID} {
		if !strings.Contains(out, secret) {
			t.Errorf("Reveal hides %q:\n%s", secret, out)
		}
	}
}

func TestExchangeTextShapes(t *testing.T) {
	tests := []struct {
		name string
		ex   steps.Exchange
		want []string
	}{
		{
			name: "synthetic",
			ex:   steps.Exchange{Title: "Client assertion", Synthetic: true, Note: "A JWT signed with RS512.", ReqBody: []byte(`{"header":{"alg":"RS512"}}`)},
			want: []string{"A JWT signed with RS512.\n\n{\n  \"header\": {\n    \"alg\": \"RS512\"\n  }\n}"},
		},
		{
			name: "transport error",
			ex:   steps.Exchange{Method: "GET", URL: "http://127.0.0.1:1/x", Err: errString("connection refused")},
			want: []string{"GET http://127.0.0.1:1/x\n", "✗ no response: connection refused"},
		},
		{
			name: "truncated body",
			ex:   steps.Exchange{Method: "GET", URL: "http://h/x", Status: 200, RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(`{"a":"bbbb`), Truncated: true},
			want: []string{"{\"a\":\"bbbb\n" + steps.TruncationMark},
		},
		{
			name: "secret headers by name",
			ex: steps.Exchange{Method: "GET", URL: "http://h/x", ReqHeader: http.Header{
				"Apikey": {"nhsauth-local-api-key"}, "Cookie": {"KC_SESSION=0123456789abcdef"}, "Accept": {"application/json"},
			}, Status: 204},
			want: []string{"Apikey: nhsa…\n", "Cookie: KC_SESSION=0123…\n", "Accept: application/json\n", "← 204 No Content"},
		},
		{
			name: "secret JSON names in a request body",
			ex: steps.Exchange{Method: "POST", URL: "http://h/x", ReqHeader: http.Header{"Content-Type": {"application/json"}},
				ReqBody: []byte(`{"nested":{"refresh_token":"rt-0123456789"},"id_token":"eyJhbGciOi.x.y","kept":"visible-value"}`), Status: 200},
			want: []string{`"refresh_token": "rt-0…"`, `"id_token": "eyJh…"`, `"kept": "visible-value"`},
		},
		{
			name: "secret query parameter",
			ex:   steps.Exchange{Method: "GET", URL: "http://127.0.0.1:5000/callback?code=abcdefghijkl&state=xyz", Status: 200},
			want: []string{"GET http://127.0.0.1:5000/callback?code=abcd…&state=xyz\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := text(tt.ex, nil)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestCurl(t *testing.T) {
	red := &steps.Redactor{}
	red.Add(arSecretID)
	got := transcript.Present(arTokenExchange(), red).Curl
	want := "curl -sS -X POST 'http://127.0.0.1:8400/oauth2/token'" +
		" -H 'Authorization: Bearer EFFs…' -H 'Content-Type: application/x-www-form-urlencoded' -H 'X-Echo: sekr…'" +
		" --data-urlencode 'grant_type=client_credentials'" +
		" --data-urlencode 'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer'" +
		" --data-urlencode 'client_assertion=eyJh…'"
	if got != want {
		t.Errorf("Curl =\n%s\nwant\n%s", got, want)
	}
	red.Reveal = true
	if got := transcript.Present(arTokenExchange(), red).Curl; !strings.Contains(got, "client_assertion="+arAssertion+"'") || !strings.Contains(got, "Bearer "+arAccess) {
		t.Errorf("Curl with Reveal = %s", got)
	}
	if transcript.Present(steps.Exchange{Synthetic: true, Note: "x"}, red).Curl != "" {
		t.Error("a synthetic exchange has a curl command")
	}
}

// TestCurlQuoting runs the command's arguments through a real shell and
// checks that each arrives intact.
func TestCurlQuoting(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	ex := steps.Exchange{
		Method:    "POST",
		URL:       "http://h/it's?a=1&b=2",
		ReqHeader: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Note": {`it's "quoted" $HOME`}},
		ReqBody:   []byte("name=O%27Brien+%26+sons&empty="),
	}
	cmd := transcript.Present(ex, &steps.Redactor{Reveal: true}).Curl
	if !strings.HasPrefix(cmd, "curl ") {
		t.Fatalf("Curl = %s", cmd)
	}
	out, err := exec.Command(sh, "-c", "printf '%s\\n' "+strings.TrimPrefix(cmd, "curl ")).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	want := strings.Join([]string{
		"-sS", "-X", "POST", "http://h/it's?a=1&b=2",
		"-H", "Content-Type: application/x-www-form-urlencoded",
		"-H", `X-Note: it's "quoted" $HOME`,
		"--data-urlencode", "name=O'Brien & sons",
		"--data-urlencode", "empty=",
	}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("the shell saw\n%s\nwant\n%s", out, want)
	}
}

func TestPrettyJSON(t *testing.T) {
	if got, ok := transcript.PrettyJSON([]byte(` {"a":[1,2],"b":{}} `)); !ok || string(got) != "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}" {
		t.Errorf("PrettyJSON = %q, %v", got, ok)
	}
	for _, in := range []string{"", "<html>", `{"a":`} {
		if got, ok := transcript.PrettyJSON([]byte(in)); ok || string(got) != in {
			t.Errorf("PrettyJSON(%q) = %q, %v; want it unchanged and false", in, got, ok)
		}
	}
}
