package steps

import (
	"errors"
	"fmt"
)

// Hint is a plain-language diagnosis of a failure: what most likely caused
// it and what to do about it.
type Hint struct {
	Cause string `json:"cause"`
	Fix   string `json:"fix"`
}

func (h Hint) String() string { return fmt.Sprintf("%s %s", h.Cause, h.Fix) }

// HintError attaches hints to an error without hiding it.
type HintError struct {
	Err   error
	Hints []Hint
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// WithHint wraps err with one more hint. It returns nil for a nil err.
func WithHint(err error, cause, fix string) error {
	if err == nil {
		return nil
	}
	return &HintError{Err: err, Hints: []Hint{{Cause: cause, Fix: fix}}}
}

// HintsOf gathers every hint attached anywhere in err's chain, then adds the
// diagnoses Diagnose knows for the OAuth error inside it, without repeats.
func HintsOf(err error) []Hint {
	var out []Hint
	seen := map[Hint]bool{}
	add := func(hs ...Hint) {
		for _, h := range hs {
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if he, ok := e.(*HintError); ok {
			add(he.Hints...)
		}
	}
	var oe *OAuthError
	if errors.As(err, &oe) {
		add(Diagnose(oe)...)
	}
	return out
}
