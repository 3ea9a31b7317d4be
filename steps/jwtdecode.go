package steps

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// decodeJWT decodes a compact JWT's header and claims without verifying
// anything. Numbers stay json.Number, so large ones print exactly.
func decodeJWT(raw string) (header, claims map[string]any, err error) {
	parts := strings.Split(strings.TrimSpace(raw), ".")
	if len(parts) != 3 {
		return nil, nil, fmt.Errorf("%d parts, not 3", len(parts))
	}
	dec := func(part, what string) (map[string]any, error) {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
		if err != nil {
			return nil, fmt.Errorf("%s is not base64url: %w", what, err)
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			return nil, fmt.Errorf("%s is not a JSON object: %w", what, err)
		}
		return m, nil
	}
	if header, err = dec(parts[0], "header"); err != nil {
		return nil, nil, err
	}
	if claims, err = dec(parts[1], "claims"); err != nil {
		return nil, nil, err
	}
	return header, claims, nil
}

// numericClaim reads a NumericDate (RFC 7519 §2): a JSON number, or a
// numeric string as some issuers send.
func numericClaim(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		if f, err := n.Float64(); err == nil {
			return int64(f), true
		}
	case float64:
		return int64(n), true
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

// claimString renders a claim value as text.
func claimString(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	case json.Number:
		return s.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// audience reads aud, a string or an array of strings (RFC 7519 §4.1.3).
func audience(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, 0, len(a))
		for _, x := range a {
			out = append(out, claimString(x))
		}
		return out
	}
	return nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kidList(set jose.JSONWebKeySet) string {
	kids := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		kids = append(kids, orNone(k.KeyID))
	}
	if len(kids) == 0 {
		return "none"
	}
	return strings.Join(kids, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
