package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// UserinfoParams are the inputs of a userinfo request and of checking a
// signed answer (OpenID Connect Core §5.3, §5.3.2).
type UserinfoParams struct {
	URL         string // the provider's userinfo_endpoint
	AccessToken string
	JWKSURL     string // the provider's jwks_uri, for a signed answer
	Issuer      string // the issuer from discovery
	Subject     string // the ID token's sub; "" where the client holds no ID token (the platform's userinfo, reference §4.5)
	// SignedAlg is the userinfo_signed_response_alg the client registered
	// ("" for a plain JSON answer): a signed answer must use it.
	SignedAlg string
}

// Userinfo is a userinfo answer: its claims and, for a signed answer, the
// checks made on it.
type Userinfo struct {
	Claims map[string]any `json:"claims"`
	Signed bool           `json:"signed"`
	Raw    string         `json:"-"` // the JWT of a signed answer
	Checks []Check        `json:"checks,omitempty"`
}

// ErrUserinfoRefused means a check of a userinfo answer failed.
var ErrUserinfoRefused = errors.New("userinfo refused")

// FetchUserinfo GETs the userinfo endpoint with the access token as a
// Bearer token (RFC 6750 §2.1): a provider's (CIS2 directly, reference
// §6.5) or the platform's, which proxies CIS2's answer for combined tokens
// and refuses others as *OAuthError (reference §4.5). A JSON answer's sub must equal the ID
// token's (OpenID Connect Core §5.3.2). A signed answer (application/jwt)
// is verified line by line: the algorithm is the registered one, the kid is
// in the provider's JWKS, the signature, iss, and sub. aud is not required:
// CIS2's signed userinfo carries none today (reference §6.5). See
// https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse.
func FetchUserinfo(ctx context.Context, hc *http.Client, p UserinfoParams) (Userinfo, []Exchange, error) {
	const prefix = "steps: userinfo"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return Userinfo{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	req.Header.Set("Authorization", "Bearer "+p.AccessToken)
	exs, doErr := send(hc, req, "Userinfo", "OpenID Connect Core §5.3", nil)
	if doErr != nil {
		return Userinfo{}, exs, fmt.Errorf("%s: %w", prefix, TransportError(doErr, p.URL))
	}
	ex := exs[len(exs)-1]
	if ex.Status != http.StatusOK {
		if oe := ParseOAuthError(ex.Status, ex.RespBody); oe != nil {
			// The platform's refusals (reference §4.5) are OAuth errors
			// that Diagnose explains.
			oe.Endpoint = p.URL
			return Userinfo{}, exs, fmt.Errorf("%s: %w", prefix, oe)
		}
		return Userinfo{}, exs, fmt.Errorf("%s: %w", prefix, statusError(ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody, ex.URL))
	}
	ctype, _, _ := mime.ParseMediaType(ex.RespHeader.Get("Content-Type"))
	if ctype != "application/jwt" {
		var ui Userinfo
		if err := json.Unmarshal(ex.RespBody, &ui.Claims); err != nil || ui.Claims == nil {
			return ui, exs, fmt.Errorf("%s: %w", prefix, ErrNotJSON)
		}
		if p.Subject != "" {
			ui.Checks = []Check{subjectCheck(ui.Claims, p.Subject)}
		}
		if p.SignedAlg != "" {
			ui.Checks = append(ui.Checks, Check{Name: "signed", Detail: "a plain JSON answer, but the client registered userinfo_signed_response_alg " + p.SignedAlg})
		}
		return ui, exs, checksError(prefix, ui.Checks)
	}
	ui, jexs := verifySignedUserinfo(ctx, hc, strings.TrimSpace(string(ex.RespBody)), p)
	return ui, append(exs, jexs...), checksError(prefix, ui.Checks)
}

// verifySignedUserinfo checks a signed userinfo JWT, one Check per rule.
func verifySignedUserinfo(ctx context.Context, hc *http.Client, raw string, p UserinfoParams) (Userinfo, []Exchange) {
	ui := Userinfo{Signed: true, Raw: raw}
	header, claims, err := decodeJWT(raw)
	if err != nil {
		ui.Checks = []Check{{Name: "format", Detail: err.Error()}}
		return ui, nil
	}
	ui.Claims = claims
	var exs []Exchange
	set, jerr := fetchJWKS(ctx, hc, p.JWKSURL, &exs)
	alg, _ := header["alg"].(string)
	kid, _ := header["kid"].(string)
	want := p.SignedAlg
	if want == "" {
		want = "RS256"
	}
	ui.Checks = append(ui.Checks, Check{Name: "alg", OK: alg == want, Detail: fmt.Sprintf("%s (registered %s; never none)", orNone(alg), want)})
	keys := set.Key(kid)
	kc := Check{Name: "kid", OK: jerr == nil && len(keys) == 1, Detail: fmt.Sprintf("%s in the provider's JWKS (%s)", orNone(kid), kidList(set))}
	if jerr != nil {
		kc.Detail = "JWKS: " + jerr.Error()
	}
	sc := Check{Name: "signature", Detail: "not checked: no key"}
	if kc.OK {
		if err := verifySignature(raw, &keys[0]); err != nil {
			sc.Detail = err.Error()
		} else {
			sc.OK, sc.Detail = true, "verified with kid "+kid
		}
	}
	iss := claimString(claims["iss"])
	ui.Checks = append(ui.Checks, kc, sc,
		Check{Name: "iss", OK: iss == p.Issuer, Detail: fmt.Sprintf("%s (want %s)", orNone(iss), p.Issuer)},
		subjectCheck(claims, p.Subject),
		Check{Name: "aud", OK: true, Detail: orNone(strings.Join(audience(claims["aud"]), " ")) + " (not required: CIS2's signed userinfo has no aud today)"})
	return ui, exs
}

// subjectCheck is OpenID Connect Core §5.3.2: "The sub Claim in the
// UserInfo Response MUST be verified to exactly match the sub Claim in the
// ID Token".
func subjectCheck(claims map[string]any, want string) Check {
	got := claimString(claims["sub"])
	return Check{Name: "sub", OK: got != "" && got == want, Detail: fmt.Sprintf("%s (the ID token's: %s)", orNone(got), orNone(want))}
}

// checksError is ErrUserinfoRefused naming the failed checks, or nil.
func checksError(prefix string, checks []Check) error {
	var failed []string
	for _, c := range checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w: %s failed", prefix, ErrUserinfoRefused, strings.Join(failed, ", "))
}
