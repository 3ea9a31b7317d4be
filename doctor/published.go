package doctor

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/url"
	"strings"

	"github.com/nhsauth/nhsauth/keystore"
	"github.com/nhsauth/nhsauth/steps"
)

// publishedJWKSCheck fetches the app's published JWKS (its
// jwks-resource-url, reference §2.4) as the platform would: over TLS
// (plain http only on a loopback host, as the local platform's --jwks-url
// allows), a JSON JWKS holding the kid with the private key's modulus. Its
// cache headers are noted, since the platform caches a JWKS for an hour.
func publishedJWKSCheck(ctx context.Context, s Setup, key *rsa.PrivateKey) Check {
	const name = "published JWKS"
	u, err := url.Parse(s.JWKSURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Check{Name: name, Status: Fail, Detail: s.JWKSURL + " is not an http(s) URL",
			Cause: "The platform fetches the JWKS from the app's jwks-resource-url, a public HTTPS URL.", Fix: "Pass --jwks-url https://…/<kid>.json."}
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return Check{Name: name, Status: Fail, Detail: s.JWKSURL + " is plain http",
			Cause: "The platform fetches a JWKS over HTTPS only; plain http is for a loopback address on the local platform.",
			Fix:   "Publish the JWKS at an https:// URL (for example raw.githubusercontent.com or NHS's identity-service-jwks) and register that."}
	}
	resp, exs, err := steps.CallAPI(ctx, s.Journey.HTTP, steps.APIParams{URL: s.JWKSURL, Header: map[string][]string{"Accept": {"application/json"}}})
	if statusOf(exs) == 0 || err != nil {
		c := failed(name, err, s.Timeout, "", "")
		c.Cause = "The JWKS URL does not answer with the document: the platform would answer \"The JWKS endpoint, for your client_assertion can't be reached\" (reference §2.6 row 20)."
		c.Fix = "Check the URL, that it is public and served over HTTPS, and that it answers the JWKS with 200; then register it as the app's jwks-resource-url."
		return c
	}
	var set keystore.JWKS
	if json.Unmarshal(resp.Body, &set) != nil || set.Keys == nil {
		return Check{Name: name, Status: Fail, Detail: s.JWKSURL + " did not answer a JSON JWKS ({\"keys\": [...]})",
			Cause: "The platform reads the registered URL as a JWKS document; this one is not.",
			Fix:   "Serve the JWKS file (nhsauth generate-keys writes <kid>.json) as it is, with Content-Type application/json."}
	}
	cache := cacheNote(resp.Header.Get("Cache-Control"), resp.Header.Get("Expires"))
	if key == nil {
		return Check{Name: name, Status: Info, Detail: "reachable, a JWKS with kids " + kidsOf(set) + "; not compared: the private key is not usable" + cache}
	}
	_, kid := keyFile(s.Journey)
	c := compareJWKS(set, kid, key, "the published JWKS")
	c.Name = name
	c.Detail = s.JWKSURL + ": " + c.Detail + cache
	return c
}

// cacheNote says what the JWKS's cache headers ask for, beside the
// platform's own one-hour cache (reference §2.4).
func cacheNote(cc, expires string) string {
	switch {
	case cc != "":
		return "; Cache-Control: " + cc + " (the platform caches a JWKS for up to 1 hour whatever it says, so a new key can take that long)"
	case expires != "":
		return "; Expires: " + expires + " (the platform caches a JWKS for up to 1 hour, so a new key can take that long)"
	}
	return "; no cache headers (the platform caches a JWKS for up to 1 hour, so a new key can take that long)"
}

func kidsOf(set keystore.JWKS) string {
	kids := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return "[" + strings.Join(kids, " ") + "]"
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
