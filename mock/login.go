package mock

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// pkceValue is the syntax of a PKCE code_verifier and of a plain or S256
// code_challenge: 43 to 128 unreserved characters (RFC 7636 §4.1, §4.2).
var pkceValue = lazyRegexp(`^[A-Za-z0-9\-._~]{43,128}$`)

// maxAuthParam caps each authorise parameter the realm keeps until the
// login and the code exchange (redirect_uri, state, nonce, scope), so the
// pending logins and codes stay small however many there are. Keycloak's
// own cap on extra request parameters is 2000 characters.
const maxAuthParam = 2048

// handleAuthorize serves the realm's authorization endpoint
// (/protocol/openid-connect/auth; RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID
// Connect Core §3.1.2.1). Keycloak's order: the client and the redirect URI
// are checked first and fail on an error page, since there is nowhere safe
// to redirect; later faults are redirected to the client with error=.
// The mock clients accept any absolute http(s) redirect URI (reference §5.5);
// other schemes, such as javascript:, data: or file:, are refused.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request, d *realmDef) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, d, "Invalid Request")
		return
	}
	p := r.Form
	clientID := p.Get("client_id")
	switch {
	case clientID == "":
		s.renderError(w, http.StatusBadRequest, d, "Missing parameter: client_id")
		return
	case !d.knowsClient(clientID):
		s.renderError(w, http.StatusBadRequest, d, "Client not found.")
		return
	}
	for _, name := range []string{"redirect_uri", "state", "nonce", "scope"} {
		if len(p.Get(name)) > maxAuthParam {
			s.renderError(w, http.StatusBadRequest, d, "Invalid parameter: "+name)
			return
		}
	}
	redirectURI := p.Get("redirect_uri")
	if u, ok := httpURL(redirectURI); !ok || u.Fragment != "" || !s.redirectRegistered(r, d, clientID, redirectURI) {
		s.renderError(w, http.StatusBadRequest, d, "Invalid parameter: redirect_uri")
		return
	}
	req := authRequest{
		Realm:       d.Name,
		ClientID:    clientID,
		RedirectURI: redirectURI,
		State:       p.Get("state"),
		Nonce:       p.Get("nonce"),
		Scope:       p.Get("scope"),
		Challenge:   p.Get("code_challenge"),
		Method:      p.Get("code_challenge_method"),
	}
	fail := func(code, desc string) {
		redirectWith(w, r, redirectURI, [][2]string{{"error", code}, {"error_description", desc}, {"state", req.State}})
	}
	switch rt := p.Get("response_type"); {
	case rt == "":
		fail("invalid_request", "Missing parameter: response_type")
		return
	case rt != "code":
		fail("unsupported_response_type", "Unsupported response_type")
		return
	}
	if req.Challenge != "" && req.Method == "" {
		req.Method = "plain" // RFC 7636 §4.3: "defaults to "plain" if not present"
	}
	switch {
	case req.Method != "" && req.Method != "S256" && req.Method != "plain":
		fail("invalid_request", "Invalid parameter: code_challenge_method")
		return
	case req.Method != "" && req.Challenge == "":
		fail("invalid_request", "Missing parameter: code_challenge")
		return
	case req.Challenge != "" && !pkceValue().MatchString(req.Challenge):
		fail("invalid_request", "Invalid parameter: code_challenge")
		return
	}
	// A browser already signed in here goes straight back (realm_sso.go).
	if s.signInBySession(w, r, d, req, p) {
		return
	}
	if slices.Contains(strings.Fields(p.Get("prompt")), "none") {
		redirectWith(w, r, redirectURI, [][2]string{{"error", "login_required"}, {"state", req.State}})
		return
	}
	tab := randomHex(16)
	if err := s.oidc.logins.put(tab, req, s.now().Add(loginTabTTL)); err != nil {
		s.renderRealmBusy(w, d, "pending login")
		return
	}
	s.renderLogin(w, r, d, tab, "", "")
}

// loginAction is the URL the login form posts to, like Keycloak's
// login-actions: the pending request travels as tab_id, so no cookie is
// needed and several logins may run side by side.
func (s *Server) loginAction(r *http.Request, d *realmDef, clientID, tab string) string {
	q := url.Values{"client_id": {clientID}, "tab_id": {tab}}
	return s.issuer(r, d) + "/login-actions/authenticate?" + q.Encode()
}

// handleLoginAction takes the login form (reference §5.2): a known
// username signs in and is redirected to the client with code, state and
// session_state; an unknown one gets the page again with an error. A
// password field, where one is sent, is ignored: the mock users have none.
func (s *Server) handleLoginAction(w http.ResponseWriter, r *http.Request, d *realmDef) {
	tab := r.URL.Query().Get("tab_id")
	req, ok := s.oidc.logins.get(tab)
	if !ok || req.Realm != d.Name {
		s.renderError(w, http.StatusBadRequest, d, "Your login attempt timed out. Login will start from the beginning.")
		return
	}
	if r.Method != http.MethodPost {
		s.renderLogin(w, r, d, tab, "", "")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, r, d, tab, "", "Invalid username or password.")
		return
	}
	username := lastNonEmpty(r.PostForm["username"])
	user, ok := findUser(d.Users, username)
	if !ok {
		s.renderLogin(w, r, d, tab, username, "Invalid username or password.")
		return
	}
	code, sid, busy := s.openSession(d, req, user)
	if busy == "" {
		s.setSessionCookie(w, r, d, sid)
	}
	if busy != "" {
		s.renderRealmBusy(w, d, busy) // the pending login stays: the user may submit again
		return
	}
	if _, ok := s.oidc.logins.take(tab); !ok { // a concurrent submit won
		s.oidc.codes.del(code)
		s.oidc.sessions.del(sid)
		s.renderError(w, http.StatusBadRequest, d, "Your login attempt timed out. Login will start from the beginning.")
		return
	}
	redirectWith(w, r, req.RedirectURI, [][2]string{{"state", req.State}, {"session_state", sid}, {"code", code}})
}

// openSession starts a realm session for user and issues the code that
// answers req. When a store is full it stores nothing and names that store.
func (s *Server) openSession(d *realmDef, req authRequest, user testUser) (code, sid, busy string) {
	now := s.now()
	sid = uuid.NewString()
	if s.oidc.sessions.put(sid, realmSession{Realm: d.Name, UserID: user.ID, ClientID: req.ClientID, Clients: []string{req.ClientID}, AuthTime: now, Secret: randomHex(16)}, now.Add(realmSSOTTL)) != nil {
		return "", "", "realm session"
	}
	code = uuid.NewString() + "." + sid + "." + uuid.NewString()
	if s.oidc.codes.put(code, authCode{authRequest: req, SID: sid}, now.Add(codeTTL)) != nil {
		s.oidc.sessions.del(sid)
		return "", "", "code"
	}
	return code, sid, ""
}

// lastNonEmpty picks the last non-blank value: a one-click user button
// follows the typed field, and the click is what the user meant.
func lastNonEmpty(vs []string) string {
	for i := len(vs) - 1; i >= 0; i-- {
		if v := strings.TrimSpace(vs[i]); v != "" {
			return v
		}
	}
	return ""
}

// redirectWith answers 302 to target with params added to its query,
// keeping any query it already has (RFC 6749 §4.1.2: "retaining" the
// redirection URI's query component). Empty values are left out.
func redirectWith(w http.ResponseWriter, r *http.Request, target string, params [][2]string) {
	u, err := url.Parse(target)
	if err != nil {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest) // checked before: impossible
		return
	}
	var add []string
	for _, kv := range params {
		if kv[1] != "" {
			add = append(add, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
		}
	}
	q := strings.Join(add, "&")
	if u.RawQuery != "" && q != "" {
		q = u.RawQuery + "&" + q
	} else if u.RawQuery != "" {
		q = u.RawQuery
	}
	u.RawQuery = q
	u.Fragment, u.RawFragment = "", ""
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}
