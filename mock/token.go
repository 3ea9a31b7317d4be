package mock

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Grant and token types of the platform's token endpoint (reference §2.1,
// §3.1, §3.5).
const (
	grantClientCredentials = "client_credentials"
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantRefreshToken      = "refresh_token"
	tokenTypeIDToken       = "urn:ietf:params:oauth:token-type:id_token"
)

// maxFormBytes caps a token request's body.
const maxFormBytes = 1 << 20

// Errors of the token endpoint before a route is chosen (reference §2.6 rows
// 1–3, §3.4 first row).
var (
	row1ContentType     = perr(http.StatusUnsupportedMediaType, "invalid_request", "Content-Type header must be application/x-www-form-urlencoded")
	row2NoGrantType     = perr(http.StatusBadRequest, "invalid_request", "grant_type is missing")
	row3GrantType       = perr(http.StatusBadRequest, "unsupported_grant_type", "grant_type is invalid")
	subjectTokenTypeErr = perr(http.StatusBadRequest, "invalid_request", "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'")
	// Not in the reference: nhsauth's own answers to bodies it cannot read.
	bodyTooLarge  = perr(http.StatusRequestEntityTooLarge, "invalid_request", "Request body is too large")
	bodyMalformed = perr(http.StatusBadRequest, "invalid_request", "Request body is not valid application/x-www-form-urlencoded")
)

// handleToken is POST {base}/token for base /oauth2 and /oauth2-mock
// (reference §2.1, §2.6, §3.6). A request whose subject_token_type is the
// id_token URN takes the token-exchange route whatever its grant_type; every
// other request is routed by grant_type.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	// The media type is compared (reference §2.7); a malformed parameter
	// such as a bare "charset" does not hide it, as Go's own form parser
	// reads such a body too.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); (err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter)) ||
		mt != "application/x-www-form-urlencoded" {
		writeError(w, row1ContentType)
		return
	}
	form, e := readForm(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	if name, ok := repeatedParam(form); ok {
		writeError(w, repeatedParamError(name))
		return
	}
	basePath := strings.TrimSuffix(r.URL.Path, "/token")
	tokenURL := s.baseURL(r) + basePath + "/token"

	if form.Get("subject_token_type") == tokenTypeIDToken {
		s.tokenExchange(w, r, form, basePath, tokenURL)
		return
	}
	switch form.Get("grant_type") {
	case "":
		writeError(w, row2NoGrantType)
	case grantTokenExchange:
		writeError(w, subjectTokenTypeErr)
	case grantClientCredentials:
		s.clientCredentials(w, r, form, tokenURL)
	case grantRefreshToken:
		s.refreshToken(w, r, form, basePath)
	case grantAuthorizationCode:
		s.authorizationCode(w, form, basePath)
	default: // password, anything else
		writeError(w, row3GrantType)
	}
}

// readForm parses a form-encoded body of at most maxFormBytes. Only the body
// counts (Apigee's request.formparam), not the query string. The caller has
// checked the media type, so the body is parsed whatever its parameters.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *platformError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, bodyTooLarge
		}
		return nil, bodyMalformed
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, bodyMalformed
	}
	return form, nil
}
