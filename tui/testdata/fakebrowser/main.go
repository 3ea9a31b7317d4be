// Command fakebrowser stands in for $BROWSER in the wizard's end-to-end
// tests: given an authorise URL, it signs in on the local platform's login
// form as a test user ($FAKEBROWSER_USER, default the CIS2 AAL3 user
// 656005750104) and follows the redirect to the wizard's loopback listener,
// as a person in a browser would.
package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
)

var formAction = regexp.MustCompile(`(?s)<form[^>]*id="kc-form-login"[^>]*action="([^"]*)"|<form[^>]*action="([^"]*)"[^>]*id="kc-form-login"`)

func main() {
	if err := run(os.Args[len(os.Args)-1]); err != nil {
		if p := os.Getenv("FAKEBROWSER_LOG"); p != "" {
			_ = os.WriteFile(p, []byte(err.Error()+"\n"), 0o600)
		}
		fmt.Fprintln(os.Stderr, "fakebrowser:", err)
		os.Exit(1)
	}
}

func run(authURL string) error {
	user := os.Getenv("FAKEBROWSER_USER")
	if user == "" {
		user = "656005750104"
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, body, err := follow(c, http.MethodGet, authURL, nil)
	if err != nil {
		return err
	}
	m := formAction.FindStringSubmatch(body)
	if m == nil {
		return fmt.Errorf("no kc-form-login form at %s", page)
	}
	action := html.UnescapeString(m[1] + m[2])
	base, _ := url.Parse(page)
	target, err := base.Parse(action)
	if err != nil {
		return err
	}
	_, _, err = follow(c, http.MethodPost, target.String(), url.Values{"username": {user}})
	return err
}

// follow makes a request and follows redirects by GET, returning the last
// URL and its body.
func follow(c *http.Client, method, u string, form url.Values) (string, string, error) {
	for range 10 {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, u, body)
		if err != nil {
			return "", "", err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			return "", "", err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || loc == "" {
			if resp.StatusCode >= 400 {
				return u, string(b), fmt.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
			}
			return u, string(b), nil
		}
		next, err := resp.Request.URL.Parse(loc)
		if err != nil {
			return "", "", err
		}
		method, u, form = http.MethodGet, next.String(), nil
	}
	return "", "", fmt.Errorf("too many redirects from %s", u)
}
