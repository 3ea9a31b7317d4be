package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDecodeScreen: d opens the decoder; a pasted client assertion signed
// with HS256 is decoded, masked, and flagged with the platform's exact
// error; keys type into the field (q does not quit) and esc closes it.
func TestDecodeScreen(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("d")
	if !h.m.decode.open || !strings.Contains(h.screen(), "Decode a token") {
		t.Fatalf("d did not open the decoder:\n%s", h.screen())
	}
	claims := fmt.Sprintf(`{"iss":"app-key","sub":"app-key","aud":"https://int.api.service.nhs.uk/oauth2/token","jti":"j-1","exp":%d}`, fixedNow.Add(time.Minute).Unix())
	tok := fakeJWT(`{"alg":"HS256","typ":"JWT","kid":"int-1"}`, claims)
	h.typeText(tok)
	if strings.Contains(h.screen(), tok[:40]) {
		t.Errorf("the pasted token is shown in the field:\n%s", h.screen())
	}
	h.keys("enter")
	if !strings.Contains(h.screen(), "A client assertion") {
		t.Errorf("the decoder shows no result:\n%s", h.screen())
	}
	res := h.m.decode.result // the whole result, beyond the screen's fold
	for _, want := range []string{"app-key", "The platform's rules", "✗ alg", "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'", "Signature: c2ln… (masked)"} {
		if !strings.Contains(strings.Join(strings.Fields(res), " "), want) {
			t.Errorf("no %q in the decoder's result:\n%s", want, res)
		}
	}
	if strings.Contains(res, "✗ exp") || strings.Contains(res, tok) {
		t.Errorf("exp flagged, or the token shown whole:\n%s", res)
	}
	h.typeText("q")
	if h.quit || !h.m.decode.open {
		t.Fatal("q quit or closed the decoder instead of typing")
	}
	h.keys("esc")
	if h.m.decode.open || h.m.state != stateReady {
		t.Fatalf("esc: decoder open %v, state %s", h.m.decode.open, h.m.state)
	}
}

// TestDecodeScreenNotJWT: text that is no JWT says so.
func TestDecodeScreenNotJWT(t *testing.T) {
	h := stepScreen(t, fakeOpts{})
	h.keys("d")
	h.typeText("hello")
	h.keys("enter")
	if scr := h.m.decode.result; !strings.Contains(scr, "not a JWT") {
		t.Errorf("no error on the decoder:\n%s", scr)
	}
}
