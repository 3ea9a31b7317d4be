package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// BackchannelLogoutEvent is the member a logout token's events claim must
// hold (OpenID Connect Back-Channel Logout 1.0 §2.4).
const BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// ErrLogoutRefused means a logout token failed a check.
var ErrLogoutRefused = errors.New("logout token refused")

// LogoutExpect is what a relying party knows to validate a logout token:
// the provider's issuer and JWKS, its own client id, the session it holds,
// and a clock.
type LogoutExpect struct {
	Issuer   string
	JWKSURL  string
	ClientID string
	SID      string // the session of this login ("" skips the session match)
	HTTP     *http.Client
	Now      func() time.Time
	Leeway   time.Duration // 0 means DefaultLeeway
}

// ValidateLogoutToken validates a logout token as Back-Channel Logout 1.0
// §2.6 asks, each rule its own Check: a JWT whose alg is an RSA one (never
// none), the kid in the provider's JWKS and the signature, iss, aud
// holding the client id, iat present, exp not past, events holding the
// back-channel logout member as a JSON object, sid or sub present, no
// nonce, a jti not seen before (seen reports and remembers it), typ
// logout+jwt when present (§2.4, recommended), and the sid naming this
// login's session. See
// https://openid.net/specs/openid-connect-backchannel-1_0.html#Validation.
func ValidateLogoutToken(ctx context.Context, raw string, e LogoutExpect, seen func(jti string) bool) ([]Check, []Exchange, error) {
	header, claims, err := decodeJWT(raw)
	if err != nil {
		return []Check{{Name: "format", Detail: err.Error()}}, nil, fmt.Errorf("steps: logout token: %w: %w", ErrLogoutRefused, err)
	}
	now, leeway := time.Now(), e.Leeway
	if e.Now != nil {
		now = e.Now()
	}
	if leeway <= 0 {
		leeway = DefaultLeeway
	}
	var exs []Exchange
	set, jerr := fetchJWKS(ctx, e.HTTP, e.JWKSURL, &exs)
	alg, _ := header["alg"].(string)
	kid, _ := header["kid"].(string)
	algOK := hasString(AllowedIDTokenAlgs, alg)
	keys := set.Key(kid)
	kc := Check{Name: "kid", OK: jerr == nil && len(keys) == 1, Detail: fmt.Sprintf("%s in the provider's JWKS (%s)", orNone(kid), kidList(set))}
	if jerr != nil {
		kc.Detail = "JWKS: " + jerr.Error()
	}
	sc := Check{Name: "signature", Detail: "not checked"}
	if algOK && kc.OK {
		if err := verifySignature(raw, &keys[0]); err != nil {
			sc.Detail = err.Error()
		} else {
			sc.OK, sc.Detail = true, "verified with kid "+kid
		}
	}
	checks := []Check{
		{Name: "alg", OK: algOK, Detail: orNone(alg) + " (an RSA signature; never none, never HMAC)"},
		kc, sc,
		{Name: "iss", OK: claimString(claims["iss"]) == e.Issuer, Detail: fmt.Sprintf("%s (want %s)", orNone(claimString(claims["iss"])), e.Issuer)},
		{Name: "aud", OK: hasString(audience(claims["aud"]), e.ClientID), Detail: fmt.Sprintf("%v (want %s)", audience(claims["aud"]), e.ClientID)},
	}
	checks = append(checks, logoutClaimChecks(header, claims, e, now, leeway, seen)...)
	var failed []string
	for _, c := range checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	if len(failed) > 0 {
		return checks, exs, fmt.Errorf("steps: logout token: %w: %v failed", ErrLogoutRefused, failed)
	}
	return checks, exs, nil
}

// logoutClaimChecks are §2.6 rules 3 to 6 past the signature, one Check each.
func logoutClaimChecks(header, claims map[string]any, e LogoutExpect, now time.Time, leeway time.Duration, seen func(string) bool) []Check {
	iat, iatOK := numericClaim(claims["iat"])
	exp, expOK := numericClaim(claims["exp"])
	events, _ := claims["events"].(map[string]any)
	_, evOK := events[BackchannelLogoutEvent].(map[string]any)
	sid, sub := claimString(claims["sid"]), claimString(claims["sub"])
	_, hasNonce := claims["nonce"]
	jti := claimString(claims["jti"])
	typ, hasTyp := header["typ"].(string)
	fresh := jti != "" && (seen == nil || !seen(jti))
	out := []Check{
		{Name: "iat", OK: iatOK && time.Unix(iat, 0).Before(now.Add(leeway)), Detail: fmt.Sprintf("%s (present, not in the future)", orNone(claimString(claims["iat"])))},
		{Name: "exp", OK: expOK && now.Before(time.Unix(exp, 0).Add(leeway)), Detail: fmt.Sprintf("%s (not past, leeway %s)", orNone(claimString(claims["exp"])), leeway)},
		{Name: "events", OK: evOK, Detail: "holds " + BackchannelLogoutEvent + " as a JSON object"},
		{Name: "sid or sub", OK: sid != "" || sub != "", Detail: fmt.Sprintf("sid %s, sub %s", orNone(sid), orNone(sub))},
		{Name: "no nonce", OK: !hasNonce, Detail: "a logout token must not carry a nonce (so it cannot pass as an ID token)"},
		{Name: "jti", OK: fresh, Detail: orNone(jti) + " (present, not seen before)"},
		{Name: "typ", OK: !hasTyp || typ == "logout+jwt", Detail: orNone(typ) + " (logout+jwt when present, §2.4)"},
	}
	if e.SID != "" {
		out = append(out, Check{Name: "session", OK: sid == e.SID, Detail: fmt.Sprintf("sid %s is this login's session (%s)", orNone(sid), e.SID)})
	}
	return out
}

// LogoutResult is one back-channel logout the receiver took: the POST as an
// Exchange (with the answer it gave), the token, and its checks.
type LogoutResult struct {
	Exchange Exchange
	Token    string
	Checks   []Check
	More     []Exchange // the JWKS fetch
	Err      error
}

// LogoutReceiver is a relying party's back-channel logout endpoint on a
// loopback port (Back-Channel Logout 1.0 §2.5, §2.8): it validates each
// logout token and answers 200 with Cache-Control: no-store, or 400 with
// an error body.
type LogoutReceiver struct {
	ln   net.Listener
	srv  *http.Server
	path string

	mu      sync.Mutex
	expect  LogoutExpect
	jtis    map[string]bool
	results chan LogoutResult
}

// ListenLogout starts a back-channel logout receiver on addr
// (127.0.0.1:0 for a free port) at path.
func ListenLogout(addr, path string) (*LogoutReceiver, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("steps: logout receiver: %w", err)
	}
	r := &LogoutReceiver{ln: ln, path: path, jtis: map[string]bool{}, results: make(chan LogoutResult, 8)}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go r.srv.Serve(ln)
	return r, nil
}

// URI is the receiver's backchannel_logout_uri.
func (r *LogoutReceiver) URI() string { return "http://" + r.ln.Addr().String() + r.path }

// Expect sets what the next logout tokens are validated against.
func (r *LogoutReceiver) Expect(e LogoutExpect) {
	r.mu.Lock()
	r.expect = e
	r.mu.Unlock()
}

// Wait returns the next logout the receiver took, or ctx's error.
func (r *LogoutReceiver) Wait(ctx context.Context) (LogoutResult, error) {
	select {
	case res := <-r.results:
		return res, nil
	case <-ctx.Done():
		return LogoutResult{}, ctx.Err()
	}
}

// Close stops the receiver.
func (r *LogoutReceiver) Close() error { return r.srv.Close() }

// seen remembers a jti and reports whether it was seen before.
func (r *LogoutReceiver) seen(jti string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.jtis[jti] {
		return true
	}
	r.jtis[jti] = true
	return false
}

// ServeHTTP takes one back-channel logout POST (§2.5: form-encoded
// logout_token) and answers as §2.8 says.
func (r *LogoutReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != r.path || req.Method != http.MethodPost {
		http.NotFound(w, req)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(req.Body, MaxBody))
	ex := Exchange{Title: "Back-channel logout (received)", Spec: "OpenID Connect Back-Channel Logout 1.0 §2.5", Method: req.Method,
		URL: r.URI(), Proto: req.Proto, ReqHeader: req.Header.Clone(), ReqBody: body, Start: time.Now()}
	form, _ := url.ParseQuery(string(body))
	tok := form.Get("logout_token")
	r.mu.Lock()
	e := r.expect
	r.mu.Unlock()
	var res LogoutResult
	if tok == "" {
		res.Err = fmt.Errorf("steps: logout: %w: no logout_token in the body", ErrLogoutRefused)
		res.Checks = []Check{{Name: "logout_token", Detail: "missing from the form body"}}
	} else {
		res.Checks, res.More, res.Err = ValidateLogoutToken(req.Context(), tok, e, r.seen)
	}
	res.Token = tok
	w.Header().Set("Cache-Control", "no-store")
	if res.Err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_request","error_description":"logout token refused"}`)
		ex.Status = http.StatusBadRequest
	} else {
		w.WriteHeader(http.StatusOK)
		ex.Status = http.StatusOK
	}
	ex.RespHeader = w.Header().Clone()
	res.Exchange = ex
	select {
	case r.results <- res:
	default: // nobody waits for so many: drop the record, the answer stands
	}
}

// endSessionByHint asks the provider to end the session of an ID token
// (RP-Initiated Logout 1.0 §2: GET end_session_endpoint?id_token_hint=…;
// reference §6.5). See https://openid.net/specs/openid-connect-rpinitiated-1_0.html.
func endSessionByHint(ctx context.Context, hc *http.Client, endpoint, idTokenHint string) ([]Exchange, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("steps: end session: %w", err)
	}
	q := u.Query()
	q.Set("id_token_hint", idTokenHint)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("steps: end session: %w", err)
	}
	exs, err := send(hc, req, "End session", "OpenID Connect RP-Initiated Logout 1.0 §2", nil)
	if err != nil {
		return exs, fmt.Errorf("steps: end session: %w", TransportError(err, endpoint))
	}
	if st := exs[len(exs)-1].Status; st < 200 || st > 399 {
		ex := exs[len(exs)-1]
		return exs, fmt.Errorf("steps: end session: %w", statusError(st, ex.RespHeader.Get("Content-Type"), ex.RespBody, ex.URL))
	}
	return exs, nil
}
