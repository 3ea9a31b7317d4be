package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"time"
)

// CacheKey says whose token a cached token is: one per environment (its
// name and API base URL, since two local platforms are two platforms), API
// key, flow and signed-in user.
type CacheKey struct {
	Env     string `json:"env"`
	APIBase string `json:"api_base"`
	APIKey  string `json:"api_key"`
	Flow    string `json:"flow"`
	User    string `json:"user,omitempty"`
}

// entry is the keyring entry of k: a digest, so that the entry's name
// says nothing and has a bounded length.
func (k CacheKey) entry() string {
	sum := sha256.Sum256([]byte(k.Env + "\x00" + k.APIBase + "\x00" + k.APIKey + "\x00" + k.Flow + "\x00" + k.User))
	return "token/" + hex.EncodeToString(sum[:16])
}

// CachedToken is a platform token kept between commands, with what is
// needed to reuse it (RFC 6749 §5.1: expires_in) or refresh it (§6).
type CachedToken struct {
	Key           CacheKey  `json:"key"`
	AccessToken   string    `json:"access_token"`
	TokenType     string    `json:"token_type,omitempty"`
	Scope         string    `json:"scope,omitempty"`
	Expiry        time.Time `json:"expiry"`
	RefreshToken  string    `json:"refresh_token,omitempty"`
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
}

// Fresh reports whether t can still be used at now with margin to spare.
func (t CachedToken) Fresh(now time.Time, margin time.Duration) bool {
	return t.AccessToken != "" && now.Add(margin).Before(t.Expiry)
}

// Refreshable reports whether t's refresh token may still work at now:
// there is one, and its window (refresh_token_expires_in) has not passed.
func (t CachedToken) Refreshable(now time.Time) bool {
	return t.RefreshToken != "" && (t.RefreshExpiry.IsZero() || now.Before(t.RefreshExpiry))
}

// tokensFile is tokens.json: the keys of the cached tokens, no secret, so
// that logout can find them (a keyring cannot be listed).
type tokensFile struct {
	Tokens []CacheKey `json:"tokens"`
}

func (s *Store) tokensPath() string { return filepath.Join(s.Dir, "tokens.json") }

// CachedKeys lists the keys of the cached tokens.
func (s *Store) CachedKeys() ([]CacheKey, error) {
	var f tokensFile
	err := readJSON(s.tokensPath(), &f)
	return f.Tokens, err
}

// Token returns the token cached under k; ok is false when there is none
// (or it cannot be read, which is as good as none).
func (s *Store) Token(k CacheKey) (t CachedToken, ok bool, err error) {
	v, err := s.Secret(k.entry())
	if err != nil || v == "" {
		return CachedToken{}, false, err
	}
	if json.Unmarshal([]byte(v), &t) != nil || t.Key != k {
		return CachedToken{}, false, nil
	}
	return t, true, nil
}

// SaveToken caches t under t.Key.
func (s *Store) SaveToken(t CachedToken) error {
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := s.SetSecret(t.Key.entry(), string(b)); err != nil {
		return err
	}
	keys, err := s.CachedKeys()
	if err != nil {
		return err
	}
	if slices.Contains(keys, t.Key) {
		return nil
	}
	return writeJSON(s.tokensPath(), tokensFile{Tokens: append(keys, t.Key)})
}

// ForgetTokens deletes every cached token whose key match accepts and
// returns the tokens it forgot.
func (s *Store) ForgetTokens(match func(CacheKey) bool) ([]CachedToken, error) {
	keys, err := s.CachedKeys()
	if err != nil {
		return nil, err
	}
	var gone []CachedToken
	kept := []CacheKey{}
	for _, k := range keys {
		if !match(k) {
			kept = append(kept, k)
			continue
		}
		t, _, err := s.Token(k)
		if err != nil {
			return gone, err
		}
		if err := s.DeleteSecret(k.entry()); err != nil {
			return gone, err
		}
		t.Key = k
		gone = append(gone, t)
	}
	if len(gone) == 0 {
		return nil, nil
	}
	return gone, writeJSON(s.tokensPath(), tokensFile{Tokens: kept})
}
