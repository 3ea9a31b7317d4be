package main

// decode's text and --json renderings of a doctor.Decoded.

import (
	"fmt"
	"io"
	"time"

	"github.com/nhsauth/nhsauth/doctor"
	"github.com/nhsauth/nhsauth/transcript"
)

// printDecoded writes the token decoded (header, claims, masked
// signature), then its checks. Everything in d is neutralised already.
func printDecoded(w io.Writer, d doctor.Decoded) {
	fmt.Fprintf(w, "%s (nothing below is trusted until verified)\n", transcript.Capitalise(doctor.KindName(d.Kind)))
	now := time.Now()
	for _, part := range []struct {
		title  string
		claims []transcript.Claim
	}{{"Header", d.Token.Header}, {"Claims", d.Token.Claims}} {
		fmt.Fprintf(w, "\n%s\n", part.title)
		for _, c := range part.claims {
			fmt.Fprintf(w, "  %-16s %s\n", c.Name, claimText(c, now))
		}
	}
	fmt.Fprintf(w, "\nSignature: %s (masked)\n", d.Signature)
	if len(d.Rules) > 0 {
		fmt.Fprintln(w, "\nThe platform's rules for a client assertion (reference §2.2, §2.3), in the order it checks them")
		writeChecks(w, d.Rules)
		if d.Refusal != "" {
			fmt.Fprintf(w, "\nThe platform would refuse it, answering the first failure: %s\n", d.Refusal)
		} else {
			fmt.Fprintln(w, "\nThe platform would accept its form; the signature is checked against your registered JWKS (nhsauth doctor).")
		}
	}
	if d.Verified {
		fmt.Fprintf(w, "\nVerification against the issuer %s\n", d.Issuer)
		writeChecks(w, d.Checks)
	} else if d.NotVerified != "" {
		fmt.Fprintf(w, "\nNot verified: %s.\n", d.NotVerified)
	}
}

// writeChecks writes one line per check, a failure's cause and fix (or a
// pass's note) beneath it.
func writeChecks(w io.Writer, checks []doctor.Check) {
	for _, c := range checks {
		fmt.Fprintf(w, "%s %s: %s\n", c.Status.Symbol(), c.Name, c.Detail)
		if c.Status == doctor.Fail {
			fmt.Fprintf(w, "    cause: %s\n    fix:   %s\n", c.Cause, c.Fix)
		} else if c.Fix != "" {
			fmt.Fprintf(w, "    note:  %s\n", c.Fix)
		}
	}
}

// claimText is a claim's value, its time for a NumericDate, and what it
// means.
func claimText(c transcript.Claim, now time.Time) string {
	v := c.Value
	if !c.Time.IsZero() {
		v += " (" + c.Time.Format("2006-01-02 15:04:05 UTC")
		if c.Name == "exp" {
			if c.Time.After(now) {
				v += ", in " + c.Time.Sub(now).Round(time.Second).String()
			} else {
				v += ", expired"
			}
		}
		v += ")"
	}
	if c.Explain != "" {
		v += " · " + c.Explain
	}
	return v
}

// decodeDoc is decode's --json document (docs/json.md).
type decodeDoc struct {
	Schema      string         `json:"schema"`
	Kind        string         `json:"kind"`
	Header      []claimDoc     `json:"header"`
	Claims      []claimDoc     `json:"claims"`
	Signature   string         `json:"signature"`
	Issuer      string         `json:"issuer"`
	Verified    bool           `json:"verified"`
	NotVerified string         `json:"not_verified"`
	Checks      []doctor.Check `json:"checks"`
	Rules       []doctor.Check `json:"assertion_rules"`
	Refusal     string         `json:"refusal"`
}

// claimDoc is one header parameter or claim.
type claimDoc struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Time    string `json:"time"`
	Explain string `json:"explain"`
}

func decodeJSON(d doctor.Decoded) decodeDoc {
	claims := func(cs []transcript.Claim) []claimDoc {
		out := make([]claimDoc, 0, len(cs))
		for _, c := range cs {
			cd := claimDoc{Name: c.Name, Value: c.Value, Explain: c.Explain}
			if !c.Time.IsZero() {
				cd.Time = c.Time.Format(time.RFC3339)
			}
			out = append(out, cd)
		}
		return out
	}
	orEmpty := func(cs []doctor.Check) []doctor.Check {
		if cs == nil {
			return []doctor.Check{}
		}
		return cs
	}
	return decodeDoc{Schema: "nhsauth/decode@1", Kind: d.Kind, Header: claims(d.Token.Header), Claims: claims(d.Token.Claims),
		Signature: d.Signature, Issuer: d.Issuer, Verified: d.Verified, NotVerified: d.NotVerified,
		Checks: orEmpty(d.Checks), Rules: orEmpty(d.Rules), Refusal: d.Refusal}
}
