package doctor

import (
	"os"
	"strings"
)

// networkVars are the settings Go's HTTP client and TLS read from the
// environment (net/http.ProxyFromEnvironment, crypto/x509 on Unix), which
// decide how nhsauth reaches the platform.
var networkVars = []string{"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"}

// networkInfo lists the proxy and CA settings in use, as information: a
// proxy that intercepts TLS needs its CA in SSL_CERT_FILE.
func networkInfo(getenv func(string) string) []Check {
	if getenv == nil {
		getenv = os.Getenv
	}
	var proxy, ca []string
	for _, name := range networkVars {
		v := getenv(name)
		if v == "" {
			v = getenv(strings.ToLower(name))
		}
		if v == "" {
			continue
		}
		if strings.HasPrefix(name, "SSL_") {
			ca = append(ca, name+"="+v)
		} else {
			proxy = append(proxy, name+"="+redactUserinfo(v))
		}
	}
	out := []Check{{Name: "proxy", Status: Info, Detail: "none set (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): direct connections"}}
	if len(proxy) > 0 {
		out[0].Detail = strings.Join(proxy, ", ") + ": requests go through it; a proxy that inspects TLS needs its CA in SSL_CERT_FILE"
	}
	caLine := Check{Name: "CA certificates", Status: Info, Detail: "the system trust store (SSL_CERT_FILE and SSL_CERT_DIR not set)"}
	if len(ca) > 0 {
		caLine.Detail = strings.Join(ca, ", ") + ": these CA certificates are trusted instead of the system's"
	}
	return append(out, caLine)
}

// redactUserinfo hides a password in a proxy URL (http://user:pass@host).
func redactUserinfo(v string) string {
	at := strings.LastIndex(v, "@")
	scheme := strings.Index(v, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return v
	}
	creds := v[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return v[:scheme+3] + creds[:i] + ":****" + v[at:]
	}
	return v
}
