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

// Member is one member of a JWT's header or claims set, in the order the
// issuer wrote it; Value is its JSON text.
type Member struct {
	Name  string
	Value json.RawMessage
}

// DecodedJWT is a compact JWS (RFC 7515 §7.1) split and decoded, nothing
// verified: the header and the claims in the order they were sent.
type DecodedJWT struct {
	Header, Claims []Member
}

// DecodeJWT decodes a compact JWT's header and claims (RFC 7519 §7.2 steps
// 1–7, without the signature) keeping their member order, for display and
// for the checks that read them. It verifies nothing.
func DecodeJWT(raw string) (DecodedJWT, error) {
	parts := strings.Split(strings.TrimSpace(raw), ".")
	if len(parts) != 3 {
		return DecodedJWT{}, fmt.Errorf("%d parts, not 3", len(parts))
	}
	var (
		d   DecodedJWT
		err error
	)
	if d.Header, err = decodeSegment(parts[0], "header"); err != nil {
		return DecodedJWT{}, err
	}
	if d.Claims, err = decodeSegment(parts[1], "claims"); err != nil {
		return DecodedJWT{}, err
	}
	return d, nil
}

// decodeSegment reads one base64url JSON object, keeping member order.
func decodeSegment(seg, what string) ([]Member, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, fmt.Errorf("%s is not base64url: %w", what, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("%s is not a JSON object", what)
	}
	var out []Member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s is not a JSON object: %w", what, err)
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s is not a JSON object: %w", what, err)
		}
		out = append(out, Member{Name: name, Value: v})
	}
	return out, nil
}

// decodeJWT is DecodeJWT as maps, for the checks that look claims up by
// name. Numbers stay json.Number, so large ones print exactly.
func decodeJWT(raw string) (header, claims map[string]any, err error) {
	d, err := DecodeJWT(raw)
	if err != nil {
		return nil, nil, err
	}
	return members(d.Header), members(d.Claims), nil
}

// members turns decoded members into a map; a repeated name keeps its last
// value, as encoding/json does.
func members(ms []Member) map[string]any {
	m := make(map[string]any, len(ms))
	for _, x := range ms {
		d := json.NewDecoder(bytes.NewReader(x.Value))
		d.UseNumber()
		var v any
		_ = d.Decode(&v) // Value came from a decoder: it is valid JSON
		m[x.Name] = v
	}
	return m
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
