package mock

// Page templates and patterns are built on first use, not at package
// initialisation: every nhsauth command links this package, and `nhsauth
// version` should not pay for parsing the login pages it never serves.

import (
	"html/template"
	"regexp"
	"sync"
)

// lazyTemplate returns the page template name, parsed from text the first
// time it is called; a template that does not parse panics then, as
// template.Must would have at start-up (TestLazyPagesAndPatternsBuild
// calls every one).
func lazyTemplate(name, text string) func() *template.Template {
	return sync.OnceValue(func() *template.Template {
		return template.Must(template.New(name).Parse(text))
	})
}

// lazyRegexp returns expr compiled the first time it is called.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
