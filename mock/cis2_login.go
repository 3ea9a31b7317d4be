package mock

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// cis2AuthRequest is an authorise request to the local CIS2 that passed its
// checks and waits for the user to sign in.
type cis2AuthRequest struct {
	ClientID    string
	RedirectURI string
	State       string
	Nonce       string
	Scope       string
	ACRValues   string
	Challenge   string // PKCE S256 code_challenge
}

// cis2Code is an authorization code of the local CIS2.
type cis2Code struct {
	cis2AuthRequest
	SID string
}

// cis2Session is a signed-in user at the local CIS2: what ends at
// endSession.
type cis2Session struct {
	Secret   string // the browser's session cookie proves it (cis2_session.go)
	UserID   string
	ClientID string
	ACR      string
	AMR      []string
	AuthTime time.Time
}

// cis2Access is an access token the local CIS2 issued.
type cis2Access struct {
	ClientID string
	SID      string
	Scope    string
}

// handleCIS2Authorize serves {issuer}/authorize (OpenID Connect Core
// §3.1.2.1; RFC 7636). The client and redirect_uri are checked first and
// fail on a page (there is nowhere safe to redirect); later faults are
// redirected with error=. The redirect_uri must be one the client
// registered, exactly.
func (s *Server) handleCIS2Authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderCIS2Message(w, http.StatusBadRequest, "Invalid request")
		return
	}
	p := r.Form
	c, ok := s.cis2.clients.get(p.Get("client_id"))
	if !ok {
		s.renderCIS2Message(w, http.StatusBadRequest, "Invalid client: the client_id is not registered in the Connection Manager.")
		return
	}
	redirectURI := p.Get("redirect_uri")
	if !s.cis2RedirectAllowed(r, c, redirectURI) {
		s.renderCIS2Message(w, http.StatusBadRequest, "The redirection URI provided does not match a pre-registered value.")
		return
	}
	req := cis2AuthRequest{
		ClientID: c.ClientID, RedirectURI: redirectURI, State: p.Get("state"), Nonce: p.Get("nonce"),
		Scope: p.Get("scope"), ACRValues: strings.Join(strings.Fields(p.Get("acr_values")), " "), Challenge: p.Get("code_challenge"),
	}
	if e, d := checkCIS2Authorize(p, req); e != "" {
		redirectWith(w, r, redirectURI, [][2]string{{"error", e}, {"error_description", d}, {"state", req.State}})
		return
	}
	tab := randomHex(16)
	if s.cis2.logins.put(tab, req, s.now().Add(loginTabTTL)) != nil {
		s.renderCIS2Message(w, http.StatusServiceUnavailable, "Too many sign-ins in progress: try again shortly.")
		return
	}
	s.renderCIS2Login(w, r, tab, "", "")
}

// checkCIS2Authorize is the authorise request's redirected rules: response
// type code (only the authorization code flow, reference §6.1), scope with
// openid, PKCE with S256 only, no over-long values, no prompt=none
// (no single sign-on is kept).
func checkCIS2Authorize(p url.Values, req cis2AuthRequest) (code, desc string) {
	for _, name := range []string{"state", "nonce", "scope", "acr_values", "code_challenge"} {
		if len(p.Get(name)) > maxAuthParam {
			return "invalid_request", "Invalid parameter: " + name
		}
	}
	method := p.Get("code_challenge_method")
	switch {
	case p.Get("response_type") != "code":
		return "unsupported_response_type", "Response type is not supported: " + clip(p.Get("response_type"))
	case !slices.Contains(strings.Fields(req.Scope), "openid"):
		return "invalid_scope", "The scope openid is required"
	case req.Challenge == "":
		return "invalid_request", "code_challenge is required (PKCE, RFC 7636)"
	case method != "S256":
		return "invalid_request", "code_challenge_method must be S256"
	case !pkceValue().MatchString(req.Challenge):
		return "invalid_request", "Invalid code_challenge"
	case slices.Contains(strings.Fields(p.Get("prompt")), "none"):
		return "login_required", "The user is not signed in"
	}
	return "", ""
}

// cis2RedirectAllowed: a registered redirect URI, exactly; for the
// platform's own client, this platform's /oauth2/callback.
func (s *Server) cis2RedirectAllowed(r *http.Request, c cis2Client, uri string) bool {
	if c.platform {
		return uri == s.platformCallback(r, cis2IdP{s})
	}
	return slices.Contains(c.RedirectURIs, uri)
}

// handleCIS2Login takes the login form (the same form as the mock realms,
// reference §5.2). A known test user (§5.3) whose level meets acr_values
// signs in and is redirected with code and state; a user below every
// requested level is refused with error=access_denied (see acrAdmits).
func (s *Server) handleCIS2Login(w http.ResponseWriter, r *http.Request) {
	tab := r.URL.Query().Get("tab_id")
	req, ok := s.cis2.logins.get(tab)
	if !ok {
		s.renderCIS2Message(w, http.StatusBadRequest, "Your sign-in timed out. Start again from your application.")
		return
	}
	if r.Method != http.MethodPost {
		s.renderCIS2Login(w, r, tab, "", "")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderCIS2Login(w, r, tab, "", "Unknown user.")
		return
	}
	username := lastNonEmpty(r.PostForm["username"])
	user, ok := findUser(cis2Users, username)
	if !ok {
		s.renderCIS2Login(w, r, tab, username, "Unknown user: give a test user's UID.")
		return
	}
	if _, ok := s.cis2.logins.take(tab); !ok {
		s.renderCIS2Message(w, http.StatusBadRequest, "Your sign-in timed out. Start again from your application.")
		return
	}
	acr, amr, ok := acrAdmits(req.ACRValues, user.AAL)
	if !ok {
		desc := fmt.Sprintf("User %s authenticates at AAL%d, below every requested acr_values (%s)", user.ID, user.AAL, req.ACRValues)
		redirectWith(w, r, req.RedirectURI, [][2]string{{"error", "access_denied"}, {"error_description", desc}, {"state", req.State}})
		return
	}
	now := s.now()
	sid := uuid.NewString()
	code := uuid.NewString()
	secret := randomHex(16)
	if s.cis2.sessions.put(sid, cis2Session{Secret: secret, UserID: user.ID, ClientID: req.ClientID, ACR: acr, AMR: amr, AuthTime: now}, now.Add(realmSSOTTL)) != nil ||
		s.cis2.codes.put(code, cis2Code{cis2AuthRequest: req, SID: sid}, now.Add(codeTTL)) != nil {
		s.cis2.sessions.del(sid)
		s.renderCIS2Message(w, http.StatusServiceUnavailable, "Too many sessions: try again shortly.")
		return
	}
	s.setCIS2Cookie(w, r, sid+"."+secret, int(realmSSOTTL.Seconds()))
	redirectWith(w, r, req.RedirectURI, [][2]string{{"code", code}, {"state", req.State}})
}

// acrLevel reads the level an acr value asks for: AAL3_ANY → 3,
// AAL2_OR_AAL3_ANY → 2 (its lowest). ok is false for a value without one.
var acrLevel = lazyRegexp(`^AAL([123])_`)

// acrAdmits decides a sign-in at level aal against acr_values (reference
// §6.3). What real CIS2 does for a user who cannot meet them is unconfirmed;
// this imitation chooses: values without an AALn_ prefix are ignored; when
// any value remains and the user's level is below every one of them, the
// sign-in is refused (error=access_denied). Otherwise acr is the first
// value the user meets (AAL<n>_ANY when none was asked) and amr follows its
// method (N3_SMARTCARD, TOTP or PASSWORD by level when it names none).
func acrAdmits(values string, aal int) (acr string, amr []string, ok bool) {
	def, defAMR := testUser{AAL: aal}.acrAMR()
	asked := false
	for _, v := range strings.Fields(values) {
		m := acrLevel().FindStringSubmatch(v)
		if m == nil {
			continue
		}
		asked = true
		if need, _ := strconv.Atoi(m[1]); aal >= need {
			method := strings.TrimPrefix(v, m[0])
			if method == "ANY" || method == "USERPASS" || strings.HasPrefix(method, "OR_") {
				return v, defAMR, true
			}
			return v, []string{method}, true
		}
	}
	if asked {
		return "", nil, false
	}
	return def, defAMR, true
}
