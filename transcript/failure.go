package transcript

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// Failure is an error worded for the person reading it, with its
// diagnoses: what the CLI prints after "nhsauth CMD:" and what the
// wizard's diagnosis box shows, identically.
type Failure struct {
	Text  string
	Hints []steps.Hint
}

// Fail words err for people (Wording) and masks it with red: the one way
// every command and the wizard show a failure.
func Fail(err error, red *steps.Redactor, timeout time.Duration) Failure {
	msg, hints := Wording(err, timeout)
	return Failure{Text: red.String(msg), Hints: maskHints(hints, red)}
}

// maskHints masks and neutralises each hint.
func maskHints(hints []steps.Hint, red *steps.Redactor) []steps.Hint {
	out := make([]steps.Hint, 0, len(hints))
	for _, h := range hints {
		out = append(out, steps.Hint{Cause: red.String(Text(h.Cause)), Fix: red.String(Text(h.Fix))})
	}
	return out
}

// Wording turns an error from the steps or the network into one plain
// clause, with its hints, control characters neutralised (an OAuth error's
// error_description is the server's text) but not masked: the steps attach
// their own diagnoses; a bare network error gets steps.TransportError's,
// and an OAuth error Diagnose does not know a generic one.
func Wording(err error, timeout time.Duration) (string, []steps.Hint) {
	msg, hints := wording(err, timeout)
	out := make([]steps.Hint, 0, len(hints))
	for _, h := range hints {
		out = append(out, steps.Hint{Cause: Text(h.Cause), Fix: Text(h.Fix)})
	}
	return Text(msg), out
}

func wording(err error, timeout time.Duration) (string, []steps.Hint) {
	hints := steps.HintsOf(err)
	var (
		oe *steps.OAuthError
		he *steps.HTTPError
	)
	switch {
	case errors.As(err, &oe) && oe.Status >= 500:
		// An error body on a 5xx is the server failing, not a refusal of
		// what was sent.
		if len(hints) == 0 {
			hints = []steps.Hint{{Cause: fmt.Sprintf("The server failed on its side (HTTP %d): it or a gateway in front of it is down or overloaded; your request is probably not the cause.", oe.Status),
				Fix: "Retry in a minute. On --env local, look at the local platform's output; elsewhere check the NHS API platform status page, and quote the message_id if you ask NHS support."}}
		}
		return "the server failed: " + oe.Error(), hints
	case errors.As(err, &oe):
		if len(hints) == 0 {
			hints = []steps.Hint{{Cause: "The platform's error_description says what it did not accept.", Fix: "Fix that input and try again; quote the message_id if you ask NHS support."}}
		}
		return "the platform refused the request: " + oe.Error(), hints
	case errors.As(err, &he):
		return "the server answered " + he.Error(), hints
	case errors.Is(err, steps.ErrNotJSON):
		return stripPrefixes(err.Error()), hints
	case isTransport(err):
		if len(hints) == 0 {
			hints = steps.HintsOf(steps.TransportError(err, failedURL(err)))
		}
		return TransportWording(err, timeout), hints
	}
	return stripPrefixes(err.Error()), hints
}

// failedURL is the URL a network error names, or "".
func failedURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.URL
	}
	return ""
}

// isTransport reports whether err is a network failure rather than a reply.
func isTransport(err error) bool {
	var (
		ue *url.Error
		ne net.Error
	)
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// TransportWording says in plain words why a request got no reply.
func TransportWording(err error, timeout time.Duration) string {
	host := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
	}
	at := ""
	if host != "" {
		at = " at " + host
	}
	var (
		ne  net.Error
		dns *net.DNSError
	)
	switch {
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		if timeout > 0 {
			return fmt.Sprintf("no reply%s within %s", at, timeout)
		}
		return "no reply" + at + " in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening" + at + " (connection refused)"
	case errors.As(err, &dns):
		return fmt.Sprintf("the host name %q cannot be resolved", dns.Name)
	case UntrustedCertificate(err):
		return "the TLS certificate" + at + " is not trusted (by the system trust store, or $SSL_CERT_FILE when set)"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	if ue != nil {
		if host == "" {
			return fmt.Sprintf("the request to %q failed: %v", ue.URL, ue.Err)
		}
		return fmt.Sprintf("the request to %s failed: %v", host, ue.Err)
	}
	return stripPrefixes(err.Error())
}

// UntrustedCertificate reports whether err is a TLS server certificate the
// client does not trust (RFC 8446 §4.4.2.4: "bad_certificate" on the
// client's side): an unknown authority, a wrong host name or a failed
// verification.
func UntrustedCertificate(err error) bool {
	var (
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host509 x509.HostnameError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host509)
}

// stripPrefixes drops the package prefixes ("steps: ", "flows: ",
// "keystore: ") that tell a developer where an error came from but mean
// nothing to the person reading it.
func stripPrefixes(s string) string {
	// The key step's labels first: "key: x.pem: …" reads as if the file
	// were called "key".
	for _, p := range []string{"flows: key: ", "steps: check key: ", "steps: ", "flows: ", "keystore: ", "mock: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// StripPrefixes is stripPrefixes for messages built outside this package
// (a command's own errors), control characters neutralised.
func StripPrefixes(s string) string { return Text(stripPrefixes(s)) }
