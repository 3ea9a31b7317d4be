package doctor

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/nhsauth/nhsauth/steps"
)

// verify discovers the token's issuer and runs the checks of OpenID
// Connect Core §3.1.3.7 against its JWKS (steps.VerifyIDToken), one line
// each in the order signature and kid, alg, iss, aud, exp, nbf, iat. A
// local issuer (a loopback URL) is verified only against the local
// platform the command was pointed at (--env local).
func (d *Decoded) verify(ctx context.Context, raw, iss string, o DecodeOptions) {
	u, err := url.Parse(iss)
	switch {
	case iss == "":
		d.NotVerified = "the token has no iss claim, so there is no issuer to ask for its keys"
		return
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		d.NotVerified = "the issuer " + iss + " is not a URL, so it cannot be discovered"
		return
	case loopback(u.Hostname()) && o.LocalBase == "":
		d.NotVerified = "the issuer " + iss + " is a local platform: pass --env local, with that platform running (nhsauth mock), to verify it"
		return
	case loopback(u.Hostname()) && !knownIssuer(iss, o.LocalBase):
		d.NotVerified = "the issuer " + iss + " is not the local platform at " + o.LocalBase + ": start the platform that issued it (or set NHSAUTH_LOCAL_URL to it) to verify it"
		return
	case u.Scheme == "http" && !loopback(u.Hostname()):
		d.NotVerified = "the issuer " + iss + " is plain http on a remote host: its keys would not be trustworthy"
		return
	case !o.Verify && !knownIssuer(iss, o.LocalBase):
		d.NotVerified = "the issuer " + iss + " is not a known NHS or local one: pass --verify to discover it and check the signature"
		return
	}
	prov, _, err := steps.Discover(ctx, o.HTTP, iss+steps.WellKnownSuffix)
	if err != nil {
		d.Verified = true
		d.Checks = clean([]Check{failed("discovery", err, o.Timeout, "The issuer's discovery document could not be read, so its keys are unknown.", "Check that the issuer is reachable from here (proxy settings: nhsauth doctor).")})
		return
	}
	t, _, verr := steps.VerifyIDToken(ctx, o.HTTP, steps.IDTokenParams{Raw: raw, JWKSURL: prov.JWKSURL, Issuer: prov.Issuer, ClientID: o.Audience, Nonce: d.nonce(), Now: o.Now})
	hints := steps.HintsOf(verr)
	byName := map[string]steps.Check{}
	for _, c := range t.Checks {
		byName[c.Name] = c
	}
	var out []Check
	for _, name := range []string{"signature", "kid", "alg", "iss", "aud", "exp", "nbf", "iat"} {
		switch {
		case name == "nbf":
			out = append(out, nbfCheck(d, o.Now))
		case name == "aud" && o.Audience == "":
			aud := d.claim("aud")
			out = append(out, Check{Name: "aud", Status: Info, Detail: orAbsent(aud) + " (not compared: pass --audience with your client id to check it)"})
		default:
			c, ok := byName[name]
			if !ok {
				continue
			}
			out = append(out, fromStep(c, hints))
		}
	}
	d.Verified = true
	d.Checks = clean(out)
}

// fromStep turns one of steps' checks into a line, with the hint that
// explains its failure (steps.VerifyIDToken gives one per failed check, in
// check order; the cause names the claim).
func fromStep(c steps.Check, hints []steps.Hint) Check {
	out := Check{Name: c.Name, Status: Pass, Detail: c.Detail}
	if c.OK {
		return out
	}
	out.Status = Fail
	for _, h := range hints {
		if mentions(h, c.Name) {
			out.Cause, out.Fix = h.Cause, h.Fix
			break
		}
	}
	return out
}

// mentions reports whether a hint of steps' ID token checks is about check
// name (their causes name the claim or what it guards).
func mentions(h steps.Hint, name string) bool {
	words := map[string][]string{
		"alg": {"unsigned", "HMAC", "allow-list"}, "kid": {"JWKS does not hold"}, "signature": {"signature does not verify"},
		"iss": {"is not the issuer discovery named"}, "aud": {"issued to another client"}, "exp": {"expired at", "no exp claim"}, "iat": {"from now", "no iat claim"},
	}
	for _, w := range words[name] {
		if contains(h.Cause, w) {
			return true
		}
	}
	return false
}

// nbfCheck: a token must not be accepted before its nbf (RFC 7519 §4.1.5),
// with steps.DefaultLeeway.
func nbfCheck(d *Decoded, now time.Time) Check {
	for _, c := range d.Token.Claims {
		if c.Name != "nbf" {
			continue
		}
		if c.Time.IsZero() {
			return Check{Name: "nbf", Status: Fail, Detail: c.Value + " is not a NumericDate", Cause: "nbf must be seconds since the epoch (RFC 7519 §2).", Fix: "Refuse the token; ask its issuer."}
		}
		if c.Time.After(now.Add(steps.DefaultLeeway)) {
			return Check{Name: "nbf", Status: Fail, Detail: fmt.Sprintf("not valid before %s, in %s", c.Time.Format(time.RFC3339), c.Time.Sub(now).Round(time.Second)),
				Cause: "The token is not valid yet; if it was just issued, this machine's clock is behind the issuer's.", Fix: "Synchronise this machine's clock (NTP), or wait until nbf."}
		}
		return Check{Name: "nbf", Status: Pass, Detail: "valid since " + c.Time.Format(time.RFC3339)}
	}
	return Check{Name: "nbf", Status: Info, Detail: "absent (not required)"}
}

// claim is a claim's value as text, "" when absent.
func (d *Decoded) claim(name string) string {
	for _, c := range d.Token.Claims {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// nonce is the token's own nonce: decode has no login to compare it with,
// so the nonce check is not shown.
func (d *Decoded) nonce() string { return d.claim("nonce") }
