package steps_test

import (
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

func TestMaskUserinfo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://user:s3cret-passw0rd@127.0.0.1:8400/oauth2/token", "http://user:s3cr…@127.0.0.1:8400/oauth2/token"},
		{"NHSAUTH_LOCAL_URL=https://me:pw@host does not answer", "NHSAUTH_LOCAL_URL=https://me:…@host does not answer"},
		{`the request to "http://a:longpassword@h/x?y=1" failed`, `the request to "http://a:long…@h/x?y=1" failed`},
		{"two: http://a:bbbbbbbbbb@h and https://c:dddddddddd@i/", "two: http://a:bbbb…@h and https://c:dddd…@i/"},
		{"no password: http://user@host/ and http://host/a@b", "no password: http://user@host/ and http://host/a@b"},
		{"no URL at all: user:pass@host", "no URL at all: user:pass@host"},
	}
	for _, tt := range tests {
		if got := steps.MaskUserinfo(tt.in); got != tt.want {
			t.Errorf("MaskUserinfo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	const u = "http://user:s3cret-passw0rd@h/"
	var none *steps.Redactor
	if got := none.String(u); got != "http://user:s3cr…@h/" {
		t.Errorf("a nil Redactor shows %q", got)
	}
	if got := (&steps.Redactor{}).String(u); got != "http://user:s3cr…@h/" {
		t.Errorf("a Redactor shows %q", got)
	}
	if got := (&steps.Redactor{Reveal: true}).String(u); got != u {
		t.Errorf("Reveal shows %q, want the URL whole", got)
	}
}
