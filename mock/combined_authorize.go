package mock

import (
	"net/http"
	"net/url"
)

// combinedAuthorize is GET {base}/oauth2-mock/authorize and
// {base}/oauth2/authorize (reference §4.1). Checks in the platform's order,
// first failure wins: client_id missing, unknown (401 JSON); redirect_uri
// missing, not the registered callback (400 JSON); then, redirected to the
// callback, state missing, response_type missing, not code. Success stores
// the request under a new state of the platform's own and sends the browser
// to the identity provider pick chooses (on /oauth2-mock scope=nhs-login
// selects NHS login, anything else CIS2; /oauth2 the local CIS2).
func (s *Server) combinedAuthorize(pick func(url.Values) identityProvider) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.handleCombinedAuthorize(w, r, pick) }
}

func (s *Server) handleCombinedAuthorize(w http.ResponseWriter, r *http.Request, pick func(url.Values) identityProvider) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	clientID, redirectURI, state := q.Get("client_id"), q.Get("redirect_uri"), q.Get("state")
	switch {
	case clientID == "":
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_id is missing"))
		return
	case clientID != s.opts.APIKey:
		writeError(w, perr(http.StatusUnauthorized, "invalid_request", "client_id is invalid"))
		return
	case redirectURI == "":
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "redirect_uri is missing"))
		return
	case redirectURI != s.opts.CallbackURL:
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "redirect_uri is invalid"))
		return
	}
	fail := func(params ...[2]string) { redirectWith(w, r, redirectURI, params) }
	switch rt := q.Get("response_type"); {
	case state == "":
		fail([2]string{"error", "invalid_request"}, [2]string{"error_description", "state is missing"})
		return
	case rt == "":
		fail([2]string{"error", "invalid_request"}, [2]string{"error_description", "response_type is missing"}, [2]string{"state", state})
		return
	case rt != "code":
		fail([2]string{"error", "unsupported_response_type"}, [2]string{"error_description", "response_type is invalid"}, [2]string{"state", state})
		return
	}
	own := opaqueToken()
	req := combinedRequest{ClientID: clientID, RedirectURI: redirectURI, State: state, IdP: pick(q)}
	if _, ok := req.IdP.(cis2IdP); ok {
		req.Verifier = randomHex(32)
	}
	if s.combined.pending.put(own, req, s.now().Add(pendingAuthTTL)) != nil {
		writeError(w, s.storeFull("pending authorisation"))
		return
	}
	http.Redirect(w, r, s.idpAuthorizeURL(r, req.IdP, req, own, q.Get("acr_values")), http.StatusFound)
}
