package mock

import (
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Fuzz targets of the platform's own JWT parsing (the client assertion and
// the subject token). In go test they run only these seeds; explore with
//
//	go test -run '^$' -fuzz FuzzClientAssertion -fuzztime 30s ./mock/
//	go test -run '^$' -fuzz FuzzSubjectToken -fuzztime 30s ./mock/

// fuzzSeeds are a few hand-made tokens at the edges of the parsers.
func fuzzSeeds() []string {
	return []string{
		"",
		"a.b.c",
		"..",
		rawJWT(`{"alg":"RS512","typ":"JWT","kid":"test-1"}`,
			`{"iss":"nhsauth-local-api-key","sub":"nhsauth-local-api-key","jti":"j","exp":1772366640,"aud":"http://example.com/oauth2/token"}`, "c2ln"),
		rawJWT(`{"alg":"RS256","typ":"JWT","kid":"k"}`, `{"exp":1e400,"iss":"x","aud":[["y"]],"authentication_assurance_level":3}`, ""),
		rawJWT(`[1]`, `{}`, ""),
		rawJWT(`{"alg":"RS512","kid":7,"typ":["JWT"]}`, `{"exp":"1","jti":{},"iss":null}`, "AA=="),
	}
}

// rowErrors are every platform error the client-assertion checks may give
// (reference §2.6 rows 4–23).
var rowErrors = map[*platformError]bool{
	row4AssertionType: true, row5NoAssertion: true, row6Malformed: true, row7Alg: true, row8Expired: true,
	row9NoKID: true, row10Typ: true, row11NoExp: true, row12ExpType: true, row13IssSub: true, row14NoJTI: true,
	row15JTIType: true, row16JTIReused: true, row17ExpTooFar: true, row18UnknownKey: true, row19NoJWKS: true,
	row20Unreachable: true, row21Aud: true, row22KIDUnknown: true, row23Signature: true,
}

// FuzzClientAssertion: any client_assertion decodes or is row 6, and then
// meets a row of §2.6 (or passes) without panicking.
func FuzzClientAssertion(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: func() time.Time { return ccClock }})
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &ccKey(f).PublicKey, KeyID: ccKID}}}
	f.Fuzz(func(t *testing.T, raw string) {
		ca, err := decodeAssertion(raw)
		if err != nil {
			return
		}
		if ca.header == nil || ca.claims == nil {
			t.Fatalf("decoded %q without header or claims", raw)
		}
		if _, e := srv.checkAssertionClaims(ca); e != nil {
			if !rowErrors[e] {
				t.Fatalf("claims of %q: unexpected error %v", raw, e)
			}
			return
		}
		v := &verification{ca: ca, set: set, tokenURL: "http://example.com/oauth2/token", now: srv.now}
		for _, step := range verifyOrder {
			if e := step(v); e != nil && !rowErrors[e] {
				t.Fatalf("verification of %q: unexpected error %v", raw, e)
			}
		}
	})
}

// FuzzSubjectToken: any subject_token decodes or is malformed, and its
// header, claims and assurance are checked without panicking.
func FuzzSubjectToken(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	srv := New(Options{KeysDir: f.TempDir(), Now: func() time.Time { return ccClock }})
	f.Fuzz(func(t *testing.T, raw string) {
		st, ok := decodeSubjectJWT(raw)
		if !ok {
			return
		}
		if e := srv.checkSubjectHeaderAndClaims(st); e != nil && (e.Status != 400 && e.Status != 401) {
			t.Fatalf("%q: unexpected error %v", raw, e)
		}
		for _, p := range []string{patternCIS2, patternNHSLogin} {
			scopes, _ := assuranceScopes(p, st.claims, DefaultScopes)
			if len(scopes) > len(DefaultScopes) {
				t.Fatalf("%q kept %d scopes", raw, len(scopes))
			}
		}
	})
}
