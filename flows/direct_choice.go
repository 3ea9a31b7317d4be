package flows

import (
	"fmt"
	"slices"
	"strings"
)

// setChoice sets *dst to v when it is one of choices, else refuses it
// naming the input.
func setChoice(dst *string, v, name string, choices ...string) error {
	v = strings.TrimSpace(v)
	if !slices.Contains(choices, v) {
		return fmt.Errorf("flows: %s %q: use %s", name, v, strings.Join(slices.DeleteFunc(slices.Clone(choices), func(c string) bool { return c == "" }), " or "))
	}
	*dst = v
	return nil
}
