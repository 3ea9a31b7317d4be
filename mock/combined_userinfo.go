package mock

import "net/http"

// userinfoOnlyCombined is §4.5 row 3's answer.
var userinfoOnlyCombined = perr(http.StatusBadRequest, "invalid_request", "The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation")

// handlePlatformUserinfo is GET {base}/userinfo (reference §4.5): without a
// live platform token 401; a token from CIS2 combined authentication
// (refreshed ones too) is answered by the identity provider's userinfo,
// called with the stored IdP access token and returned unchanged; any other
// token gets 400.
func (s *Server) handlePlatformUserinfo(w http.ResponseWriter, r *http.Request) {
	g, ok := s.bearerGrant(r)
	if !ok {
		writeError(w, userinfoUnauthorized)
		return
	}
	if !g.Combined || g.Pattern != patternCIS2 {
		writeError(w, userinfoOnlyCombined)
		return
	}
	rec := s.serveInternal(r, http.MethodGet, g.IdPUserinfo, "", g.IdPAccess)
	for _, h := range []string{"Content-Type", "Cache-Control", "WWW-Authenticate"} {
		if v := rec.Header().Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
