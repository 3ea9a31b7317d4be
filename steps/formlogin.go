package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// LoginFormID is the HTML id of the Keycloak login form on NHS's mock realms
// (reference §5.2).
const LoginFormID = "kc-form-login"

// maxLoginHops bounds the redirects followed inside the realm before the
// login page, or after it before the redirect back.
const maxLoginHops = 10

// Test users of the mock realms, for hints (reference §5.3, §5.4).
const (
	cis2TestUsers     = "656005750104, 656005750105, 656005750106, 656005750107, 656005750108 (AAL3); 656005750109, 656005750111, 656005750112 (AAL2); 656005750110 (AAL1)"
	nhsLoginTestUsers = "9912003071 (P9), 9912003072 (P5), 9912003073 (P0)"
)

// CIS2TestUsers and NHSLoginTestUsers name the mock realms' test users, for
// help texts (reference §5.3, §5.4).
const (
	CIS2TestUsers     = cis2TestUsers
	NHSLoginTestUsers = nhsLoginTestUsers
)

// ErrLoginRefused means the realm showed its login page again instead of
// redirecting back: the user is not one of its test users.
var ErrLoginRefused = errors.New("the realm did not accept the user")

// FormLoginParams are the inputs of a login by form.
type FormLoginParams struct {
	AuthURL       string // the authorise URL, as the browser would open it
	Username      string // a CIS2 user UID or an NHS login NHS number
	ExpectedState string // "" means the state parameter of AuthURL
	// Jar keeps the browser's cookies, the realm's session among them; nil
	// means a fresh jar. A journey that keeps it can sign in again by
	// redirects alone (single sign-on) and end the realm session later.
	Jar http.CookieJar
}

// FormLogin signs in without a browser, as NHS's own test harness does
// (reference §5.2): it opens the authorise URL with a fresh cookie jar,
// finds the form with id kc-form-login, posts username (and password equal
// to it, which the tutorial realm wants and the others ignore) to the form's
// action, and reads the code from the redirect to redirect_uri, which it
// does not follow. The callback's state is checked as CheckCallback does.
// See https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest.
func FormLogin(ctx context.Context, hc *http.Client, p FormLoginParams) (Callback, []Exchange, error) {
	const prefix = "steps: login form"
	au, err := url.Parse(p.AuthURL)
	if err != nil || au.Host == "" {
		return Callback{}, nil, fmt.Errorf("%s: the authorise URL %q is not an absolute URL", prefix, p.AuthURL)
	}
	if p.Username == "" {
		return Callback{}, nil, WithHint(errors.New(prefix+": no user to sign in as"),
			"Logging in by form needs a test user.",
			"Pass --user with a test user: CIS2 "+cis2TestUsers+"; NHS login "+nhsLoginTestUsers+".")
	}
	redirectURI := au.Query().Get("redirect_uri")
	expected := p.ExpectedState
	if expected == "" {
		expected = au.Query().Get("state")
	}

	rc, rec := Recorder(hc, "Authorise request", "OpenID Connect Core §3.1.2.1")
	rc.Jar = p.Jar
	if rc.Jar == nil {
		rc.Jar, _ = cookiejar.New(nil) // never fails with nil options
	}
	rc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	// Open the authorise URL and follow the realm's own redirects to its
	// login page; stop at a redirect back to the client.
	page, cb, done, err := fetchUntilCallback(ctx, rc, http.MethodGet, p.AuthURL, "", redirectURI)
	if err != nil {
		return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, err)
	}
	if !done {
		form, ok := findLoginForm(page.body, page.url)
		if oe := pageOAuthError(page); !ok && oe != nil {
			return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, oe)
		}
		if rf := realmFailure(page); !ok && rf != nil {
			return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, rf)
		}
		if !ok {
			return Callback{}, rec.Exchanges(), WithHint(fmt.Errorf("%s: no form with id %s on %s (HTTP %d)", prefix, LoginFormID, page.url, page.status),
				"The authorise URL did not lead to the realm's login page"+pageError(page.body)+".",
				"Check the authorise URL's client_id and redirect_uri; open it in a browser to see the page.")
		}
		form.values.Set("username", p.Username)
		form.values.Set("password", p.Username)
		rec.SetTitle("Login form", "NHS mock authorisation service: Keycloak login form")
		page, cb, done, err = fetchUntilCallback(ctx, rc, http.MethodPost, form.action, form.values.Encode(), redirectURI)
		if err != nil {
			return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, err)
		}
		if oe := pageOAuthError(page); !done && oe != nil {
			// The API platform answers its callback's failures to the
			// browser (reference §4.2), the assurance refusal among them.
			return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, oe)
		}
		if rf := realmFailure(page); !done && rf != nil {
			return Callback{}, rec.Exchanges(), fmt.Errorf("%s: %w", prefix, rf)
		}
		if !done {
			users := cis2TestUsers
			if strings.Contains(strings.ToLower(au.Path), "nhs-login") {
				users = nhsLoginTestUsers
			}
			return Callback{}, rec.Exchanges(), WithHint(fmt.Errorf("%s: %w: %s%s", prefix, ErrLoginRefused, p.Username, pageError(page.body)),
				"User "+p.Username+" is not a test user of this realm, so the login page came back instead of a redirect.",
				"Sign in as one of its test users: "+users+".")
		}
	}
	if err := CheckCallback(cb, expected); err != nil {
		return cb, rec.Exchanges(), err
	}
	return cb, rec.Exchanges(), nil
}

// pageOAuthError reads a page that is an OAuth error body (the API
// platform's JSON errors on its authorise and callback), or nil.
func pageOAuthError(page fetched) *OAuthError {
	if page.status < 400 {
		return nil
	}
	oe := ParseOAuthError(page.status, page.body)
	if oe != nil {
		oe.Endpoint, oe.Grant = page.url, GrantAuthorizationCode
	}
	return oe
}

// realmFailure reads a page the sign-in ended on with a 5xx status as the
// identity provider's failure, with the start of its body, or nil.
func realmFailure(page fetched) error {
	if page.status < 500 {
		return nil
	}
	return idpFailure(page.url, &HTTPError{Status: page.status, Snippet: snippet(page.body)})
}

// idpFailure reports a 5xx reply of the identity provider (RFC 9110 §15.6):
// its failure, not the request's, with the start of its body.
func idpFailure(rawURL string, he *HTTPError) error {
	host := hostOf(rawURL)
	return WithHint(fmt.Errorf("%s failed: %w", host, he),
		fmt.Sprintf("The identity provider failed on its side: %s answered HTTP %d %s; your request is probably not the cause.", host, he.Status, http.StatusText(he.Status)),
		serverFailedFix)
}

// fetched is a page the login walked to.
type fetched struct {
	url    string
	status int
	body   []byte
}

// fetchUntilCallback sends one request and follows redirects within the
// realm until a page arrives (done false) or a redirect to redirectURI, or
// one carrying code or error, does (done true).
func fetchUntilCallback(ctx context.Context, hc *http.Client, method, target, form, redirectURI string) (fetched, Callback, bool, error) {
	for hop := 0; hop <= maxLoginHops; hop++ {
		var body *strings.Reader
		if method == http.MethodPost {
			body = strings.NewReader(form)
		} else {
			body = strings.NewReader("")
		}
		req, err := http.NewRequestWithContext(ctx, method, target, body)
		if err != nil {
			return fetched{}, Callback{}, false, err
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		resp, err := hc.Do(req)
		if err != nil {
			return fetched{}, Callback{}, false, TransportError(err, target)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			return fetched{url: target, status: resp.StatusCode, body: buf.Bytes()}, Callback{}, false, nil
		}
		loc, err := resp.Location()
		if err != nil {
			return fetched{}, Callback{}, false, fmt.Errorf("HTTP %d from %s without a usable Location: %w", resp.StatusCode, target, err)
		}
		if isCallbackURL(loc, redirectURI) {
			return fetched{}, callbackFrom(loc), true, nil
		}
		method, target, form = http.MethodGet, loc.String(), ""
	}
	return fetched{}, Callback{}, false, fmt.Errorf("more than %d redirects inside the realm", maxLoginHops)
}

// isCallbackURL reports whether a redirect goes back to the client: to
// redirect_uri (scheme, host and path compared), or, when that is unknown,
// to anything carrying code or error.
func isCallbackURL(loc *url.URL, redirectURI string) bool {
	if ru, err := url.Parse(redirectURI); err == nil && redirectURI != "" {
		return strings.EqualFold(loc.Scheme, ru.Scheme) && strings.EqualFold(loc.Host, ru.Host) &&
			strings.TrimSuffix(loc.Path, "/") == strings.TrimSuffix(ru.Path, "/")
	}
	q := loc.Query()
	return q.Get("code") != "" || q.Get("error") != ""
}

// loginForm is the login form as a browser would submit it.
type loginForm struct {
	action string
	values url.Values
}

// findLoginForm finds the form with id kc-form-login: its action, resolved
// against the page's URL, and its hidden inputs.
func findLoginForm(body []byte, pageURL string) (loginForm, bool) {
	return findForm(body, pageURL, LoginFormID)
}

// findForm finds the form with this id: its action, resolved against the
// page's URL, and its hidden inputs.
func findForm(body []byte, pageURL, id string) (loginForm, bool) {
	doc := parseHTML(body)
	formNode := findNode(doc, func(n *htmlNode) bool { return n.tag == "form" && attr(n, "id") == id })
	if formNode == nil {
		return loginForm{}, false
	}
	base, _ := url.Parse(pageURL)
	action := attr(formNode, "action")
	target := base
	if action != "" {
		if au, err := base.Parse(action); err == nil {
			target = au
		}
	}
	f := loginForm{action: target.String(), values: url.Values{}}
	walk(formNode, func(n *htmlNode) {
		if n.tag == "input" && strings.EqualFold(attr(n, "type"), "hidden") && attr(n, "name") != "" {
			f.values.Add(attr(n, "name"), attr(n, "value"))
		}
	})
	return f, true
}

// pageError finds the message a Keycloak-shaped page shows for a refused
// login or a bad request, as ` ("…")`.
func pageError(body []byte) string {
	doc := parseHTML(body)
	n := findNode(doc, func(n *htmlNode) bool {
		id, class := attr(n, "id"), attr(n, "class")
		return (id == "input-error" || id == "kc-error-message" || strings.Contains(class, "alert-error") ||
			strings.Contains(class, "kc-feedback-text") || strings.Contains(class, "error")) && textOf(n) != ""
	})
	if n == nil {
		return ""
	}
	return fmt.Sprintf(" (%q)", truncate(textOf(n), 160))
}

// textOf is the text inside an element, blanks collapsed.
func textOf(n *htmlNode) string {
	var b strings.Builder
	walk(n, func(n *htmlNode) {
		if n.tag == "" {
			b.WriteString(n.text + " ")
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// findNode returns the first element under n (n included) that match
// accepts, depth first.
func findNode(n *htmlNode, match func(*htmlNode) bool) *htmlNode {
	if n.tag != "" && match(n) {
		return n
	}
	for _, c := range n.children {
		if f := findNode(c, match); f != nil {
			return f
		}
	}
	return nil
}

// walk calls fn on n and every node under it.
func walk(n *htmlNode, fn func(*htmlNode)) {
	fn(n)
	for _, c := range n.children {
		walk(c, fn)
	}
}

// attr returns an element's attribute value.
func attr(n *htmlNode, key string) string {
	for _, a := range n.attrs {
		if a.key == key {
			return a.val
		}
	}
	return ""
}
