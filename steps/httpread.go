package steps

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
)

// ReadTokenReply reads a recorded token endpoint reply (RFC 6749 §5.1 and
// §5.2) and says precisely what is wrong with one that is not a token:
//
//   - no response at all: the transport error, with a hint (TransportError);
//   - an RFC 6749 §5.2 error body, at any status: *OAuthError, with the
//     endpoint and grant filled in so Diagnose can be specific;
//   - another non-2xx reply: *HTTPError (also ErrNotJSON when the body is
//     HTML or not JSON), with a hint by status;
//   - a 2xx reply that is empty, HTML, truncated or otherwise not JSON:
//     ErrNotJSON with a hint;
//   - JSON without an access_token: an error with a hint.
//
// Callers wrap the error with their own prefix (steps: token endpoint: %w).
// Every token step in this package (client credentials, token exchange,
// code exchange, refresh) can share it.
func ReadTokenReply(ex Exchange) (Token, error) {
	if ex.Status == 0 {
		err := ex.Err
		if err == nil {
			err = errors.New("no response")
		}
		return Token{}, TransportError(err, ex.URL)
	}
	body := ex.RespBody
	ctype := ex.RespHeader.Get("Content-Type")
	if oe := ParseOAuthError(ex.Status, body); oe != nil && (ex.Status >= 300 || !hasAccessToken(body)) {
		oe.Endpoint = ex.URL
		oe.Grant = formValue(ex.ReqBody, "grant_type")
		return Token{}, oe
	}
	if ex.Status < 200 || ex.Status > 299 {
		return Token{}, statusError(ex.Status, ctype, body, ex.URL)
	}
	if err := notJSON(ex, "token endpoint"); err != nil {
		return Token{}, err
	}
	var tok Token
	if err := json.Unmarshal(body, &tok); err != nil {
		return Token{}, WithHint(fmt.Errorf("%w: %v", ErrNotJSON, err),
			"The reply is JSON, but its fields have unexpected types for a token response (RFC 6749 §5.1).",
			"Check that the URL is a token endpoint; the response body shows what came back.")
	}
	_ = json.Unmarshal(body, &tok.Raw)
	if tok.AccessToken == "" {
		return tok, WithHint(errors.New("the reply has no access_token"),
			"The endpoint answered 2xx with JSON that is not a token response (RFC 6749 §5.1 requires access_token).",
			"Check that the URL is the token endpoint ("+hostOf(ex.URL)+"/oauth2/token on the NHS platform).")
	}
	return tok, nil
}

// hasAccessToken reports whether a JSON body carries an access_token.
func hasAccessToken(body []byte) bool {
	var v struct {
		AccessToken string `json:"access_token"`
	}
	return json.Unmarshal(body, &v) == nil && v.AccessToken != ""
}

// notJSON explains a 2xx body that cannot be read as JSON: empty, HTML, cut
// at the recording limit, or cut short by the connection. It returns nil for
// valid JSON.
func notJSON(ex Exchange, what string) error {
	body := bytes.TrimSpace(ex.RespBody)
	switch {
	case ex.Truncated:
		return WithHint(fmt.Errorf("%w: the body exceeded 10 MB and was cut", ErrNotJSON),
			"The "+what+" sent more than 10 MB, which no token response needs.",
			"Check the URL: it probably points at something other than the "+what+".")
	case len(body) == 0:
		return WithHint(fmt.Errorf("%w: the body is empty (HTTP %d)", ErrNotJSON, ex.Status),
			"The "+what+" answered with an empty body where JSON was expected.",
			"Check the URL and the method; a proxy in between may also drop bodies.")
	case isHTML(ex.RespHeader.Get("Content-Type"), body):
		return WithHint(fmt.Errorf("%w: an HTML page%s (HTTP %d)", ErrNotJSON, htmlTitle(body), ex.Status),
			"An HTML page came back instead of JSON: usually a wrong URL (a web site rather than the API), a proxy's or Wi-Fi portal's login page, or a gateway error page.",
			"Check --env and --url, and open the URL in a browser to see the page.")
	case !json.Valid(body):
		err := fmt.Errorf("%w: %s", ErrNotJSON, jsonProblem(body))
		if ex.Err != nil {
			err = fmt.Errorf("%w (the connection failed while reading: %v)", err, ex.Err)
		}
		if ex.Err != nil {
			return WithHint(err,
				"The reply stopped arriving before it was complete: the time limit ran out mid-body, or the connection dropped.",
				"Retry, or allow more time with --timeout; if it keeps happening, check proxies between you and "+hostOf(ex.URL)+".")
		}
		if looksCutShort(body) {
			return WithHint(err,
				"The JSON reply was cut short: the connection dropped mid-body, or a proxy truncated it.",
				"Retry; if it keeps happening, check proxies between you and "+hostOf(ex.URL)+".")
		}
		return WithHint(err,
			"The reply is neither JSON nor HTML.",
			"Check the URL; the response body shows what came back.")
	}
	return nil
}

// serverFailedFix is what to do when a server fails on its side (5xx).
const serverFailedFix = "Retry in a minute. On --env local, look at the local platform's output; elsewhere check the NHS API platform status page."

// statusError describes a non-2xx reply that is not an OAuth error body.
func statusError(status int, ctype string, body []byte, rawURL string) error {
	he := &HTTPError{Status: status, ContentType: ctype, Snippet: snippet(body)}
	var err error = he
	html := isHTML(ctype, bytes.TrimSpace(body))
	if html || (len(bytes.TrimSpace(body)) > 0 && !json.Valid(body)) {
		err = fmt.Errorf("%w: %w", he, ErrNotJSON)
	}
	host := hostOf(rawURL)
	switch {
	case status >= 500:
		return WithHint(err,
			fmt.Sprintf("%s failed on its side (HTTP %d %s): the server or a gateway in front of it is down or overloaded; your request is probably not the cause.", host, status, http.StatusText(status)),
			serverFailedFix)
	case html:
		return WithHint(err,
			fmt.Sprintf("An HTML page came back with HTTP %d instead of a JSON error: usually a wrong URL, or a proxy or firewall answering for %s.", status, host),
			"Check --env and --url, and open the URL in a browser to see the page.")
	case status == http.StatusNotFound:
		return WithHint(err,
			"Nothing is at this path on "+host+".",
			"Check the URL: the token endpoint is {base}/oauth2/token (or /oauth2-mock/token).")
	case status == http.StatusMethodNotAllowed:
		return WithHint(err,
			"The endpoint refuses this HTTP method (a token endpoint takes POST only).",
			"Send the request as a POST.")
	}
	return err
}

// TransportError explains a request that got no response, keeping err in
// the chain: nothing listening (connection refused), a timeout, a name that
// does not resolve, an untrusted certificate, a dropped connection. A
// cancelled context is returned as it is: the user asked for it.
func TransportError(err error, rawURL string) error {
	host := hostOf(rawURL)
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		uaErr   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, syscall.ECONNREFUSED):
		return WithHint(err,
			"Nothing answers at "+host+": no server is listening there.",
			"Is the local platform running (nhsauth mock)? Otherwise check --env and --url.")
	case errors.As(err, &dnsErr):
		return WithHint(err,
			"The host name "+dnsErr.Name+" could not be resolved.",
			"Check your network connection and VPN (the NHS hosts are on the public internet), and the spelling of --env or --url.")
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return WithHint(err,
			"No answer from "+host+" within the time limit.",
			"Check that the host is reachable from this network (proxy, VPN, firewall), or allow more time with --timeout (default 30s).")
	case errors.As(err, &certErr) || errors.As(err, &uaErr) || errors.As(err, &hostErr):
		return WithHint(err,
			"The TLS certificate of "+host+" is not trusted here: often a corporate proxy that inspects HTTPS.",
			"Add the proxy's CA certificate to the system trust store (or point SSL_CERT_FILE at it); never turn verification off.")
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return WithHint(err,
			"The connection to "+host+" closed before a reply arrived.",
			"Retry; if it persists, check the scheme (http:// against an https:// port or the reverse) and any proxy in between.")
	}
	return err
}

// isHTML reports whether a body is an HTML page, by Content-Type or by its
// first bytes (some proxies send HTML labelled as JSON).
func isHTML(ctype string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(ctype); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	lower := bytes.ToLower(body[:min(len(body), 64)])
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html"))
}

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// htmlTitle returns ` ("<title>")` when the page has a title.
func htmlTitle(body []byte) string {
	m := titleRE().FindSubmatch(body)
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(string(m[1])), " ")
	if t == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", truncate(t, 80))
}

// looksCutShort reports whether a body starts as JSON but ends early.
func looksCutShort(body []byte) bool {
	if len(body) == 0 || (body[0] != '{' && body[0] != '[') {
		return false
	}
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	return err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && int(se.Offset) >= len(body)) || strings.Contains(err.Error(), "unexpected end"))
}

// jsonProblem describes why body is not JSON.
func jsonProblem(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		if looksCutShort(body) {
			return "truncated JSON (it ends before the document closes)"
		}
		return err.Error()
	}
	return "unexpected content"
}

// snippet is the start of a body on one line, for error messages.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	return truncate(s, 200)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// hostOf is the scheme and host of a URL, for messages.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	return u.Scheme + "://" + u.Host
}

// formValue reads one parameter of a form-encoded body.
func formValue(body []byte, name string) string {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return v.Get(name)
}
