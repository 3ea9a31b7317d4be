package main

// What cobra leaves to nhsauth: usage errors worded as one sentence that
// names the flag and its fix, the nearest flag for a typo, the --help text
// with examples, and the checks of --header values.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"
)

// cmdHelp is what a command's --help says besides its flags.
type cmdHelp struct {
	name     string   // "get-token"
	short    string   // the line in nhsauth --help's list of commands
	summary  string   // one line: what the command does
	usage    string   // the synopsis after "nhsauth ": "get-token --private-key PEM [flags]"
	details  string   // optional paragraphs after the synopsis
	examples []string // 2–4 command lines, each with an optional "# comment"
}

// usageError is a command-line mistake: the command exits 2 and says how to
// get help.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef builds a usageError. Every argument it quotes with %q is text the
// user typed, echoed back: it is shortened to maxEcho characters.
func usagef(format string, args ...any) error {
	args = append([]any(nil), args...)
	for i, quoted := range quotedArgs(format) {
		if i >= len(args) {
			break
		}
		if s, ok := args[i].(string); ok && quoted {
			args[i] = echo(s)
		}
	}
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// maxEcho is how much of a value the user typed an error quotes back:
// enough to recognise it, never a screenful (a 100,000-character --kid
// was once echoed whole).
const maxEcho = 80

// echo shortens user text quoted back in an error to maxEcho characters,
// marking the cut with "…".
func echo(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	return string([]rune(s)[:maxEcho]) + "…"
}

// quotedArgs reports, for each argument format consumes, whether it is
// printed with %q.
func quotedArgs(format string) []bool {
	var q []bool
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] != '%' {
			q = append(q, format[i] == 'q')
		}
	}
	return q
}

// explainFlagError words pflag's errors as the help does and says what
// was expected: an unknown flag (with the nearest known one), a flag
// without its value, or a value of the wrong kind. pflag reports each as a
// typed error, so nothing is parsed back out of its text.
func explainFlagError(fs *pflag.FlagSet, err error) error {
	var notExist *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		if near := nearestFlag(fs, name); near != "" {
			return usagef("unknown flag --%s: did you mean --%s?", echo(name), near)
		}
		return usagef("unknown flag --%s", echo(name))
	case errors.As(err, &needsValue) && needsValue.GetFlag() != nil:
		f := needsValue.GetFlag()
		name, _ := pflag.UnquoteUsage(f)
		return usagef("--%s needs a value (%s) after it", f.Name, name)
	case errors.As(err, &invalid) && invalid.GetFlag() != nil:
		f := invalid.GetFlag()
		if f.Value.Type() == "bool" {
			return echoWords(fmt.Sprintf("invalid boolean value %s for --%s: use true or false", strconv.Quote(invalid.GetValue()), f.Name))
		}
		return usagef("--%s %q is not a valid %s", f.Name, invalid.GetValue(), valueKind(f))
	}
	return echoWords(err.Error())
}

// echoWords is a usage error of msg with each word echoed at most maxEcho
// characters long.
func echoWords(msg string) error {
	words := strings.Split(msg, " ")
	for i, w := range words {
		words[i] = echo(w)
	}
	return usagef("%s", strings.Join(words, " "))
}

// valueKind says in words what a flag's value must be.
func valueKind(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "duration":
		return "duration such as 30s, 1m30s or 5m"
	case "int", "int64", "uint", "uint64":
		return "whole number"
	case "bool":
		return "true or false"
	}
	if kind, _ := pflag.UnquoteUsage(f); kind != "" {
		return kind
	}
	return "value"
}

// checkSwallowedFlag catches a flag given without its value and followed by
// another flag ("--private-key --json"): pflag would take "--json" as the
// key's file name. Values that merely start with a dash (--url -x) are left
// alone unless they name one of the command's flags.
func checkSwallowedFlag(fs *pflag.FlagSet, args []string) error {
	for i := 0; i+1 < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		name, ok := flagName(a)
		if !ok || strings.Contains(a, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) {
			continue
		}
		next, isFlag := flagName(args[i+1])
		if isFlag {
			next, _, _ = strings.Cut(next, "=")
		}
		if isFlag && (fs.Lookup(next) != nil || next == "h" || next == "help") {
			kind, _ := pflag.UnquoteUsage(f)
			return usagef("--%s needs a value (%s) before %s", f.Name, kind, echo(args[i+1]))
		}
		i++ // skip the value
	}
	return nil
}

// longDashes rewrites "-name" and "-name=value" to two dashes when name is
// one of fs's long flags, as Go's flag package (nhsauth's parser before
// cobra) accepted them; pflag would read them as a run of shorthands.
func longDashes(fs *pflag.FlagSet, args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if len(name) > 1 && fs.Lookup(name) != nil {
				out[i] = "-" + a
			}
		}
	}
	return out
}

// flagName returns the name of a "-name" or "--name[=value]" argument.
func flagName(arg string) (string, bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	if name == "" || name[0] == '-' {
		return "", false
	}
	return name, true
}

func isBoolFlag(f *pflag.Flag) bool { return f.Value.Type() == "bool" }

// nearestFlag returns the flag of fs closest to name (a typo such as
// --private_key or --apikey), or "" when none is close.
func nearestFlag(fs *pflag.FlagSet, name string) string {
	norm := func(s string) string { return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s)) }
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	return nearest(name, names, norm)
}

// nearest returns the candidate closest to typed (compared through norm),
// or "" when none is within a third of its length: the "did you mean" of
// flags, commands and flow names.
func nearest(typed string, candidates []string, norm func(string) string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(norm(typed), norm(c))
		if d < bestDist || (d == bestDist && best == "") {
			if d <= len(c)/3 || d == 0 {
				best, bestDist = c, d
			}
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// noArgs refuses positional arguments to a command that takes none.
func noArgs(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// usageFail prints a usage error as one sentence with the way to help, and
// returns exitUsage.
func usageFail(env *cliEnv, name string, err error) int {
	msg := strings.TrimSuffix(err.Error(), ".")
	if strings.HasSuffix(msg, "?") { // "did you mean --x?"
		fmt.Fprintf(env.stderr, "nhsauth %s: %s Run 'nhsauth %s --help' for its flags and examples.\n", name, msg, name)
		return exitUsage
	}
	fmt.Fprintf(env.stderr, "nhsauth %s: %s; run 'nhsauth %s --help' for its flags and examples.\n", name, msg, name)
	return exitUsage
}

// printHelp writes a command's --help: summary, usage, details, every flag
// with its default, and examples.
func printHelp(w io.Writer, fs *pflag.FlagSet, h *cmdHelp) {
	fmt.Fprintf(w, "nhsauth %s: %s\n\nUsage:\n  nhsauth %s\n", h.name, h.summary, h.usage)
	if h.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(h.details, "\n"))
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		left := "  --" + f.Name
		if !isBoolFlag(f) && name != "" {
			left += " " + name
		}
		if def := f.DefValue; !isZeroDefault(def) {
			usage += fmt.Sprintf(" (default %s)", shownDefault(f))
		}
		const col = 26
		lines := wrapWords(usage, helpWidth-col)
		if len(left) >= col-1 {
			fmt.Fprintln(w, left)
		} else {
			fmt.Fprintf(w, "%-*s%s\n", col, left, lines[0])
			lines = lines[1:]
		}
		for _, l := range lines {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", col), l)
		}
	})
	fmt.Fprintf(w, "  %-*s%s\n", 24, "-h, --help", "show this help")
	if len(h.examples) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, ex := range h.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
}

// helpWidth is the width --help wraps flag descriptions to.
const helpWidth = 80

// wrapWords breaks s into lines of at most width characters, at spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}

// shownDefault is a flag's default as --help shows it: durations the way
// people write them (5m, not 5m0s).
func shownDefault(f *pflag.Flag) string {
	if f.Value.Type() == "duration" {
		if d, err := time.ParseDuration(f.DefValue); err == nil {
			return shortDuration(d)
		}
	}
	return f.DefValue
}

// shortDuration formats d without zero units: 30s, 5m, 1h30m, 1m30s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func isZeroDefault(def string) bool {
	switch def {
	case "", "false", "0", "0s", "[]":
		return true
	}
	return false
}

// parseHeaders turns "Name: value" strings into a header, splitting on the
// first colon and trimming both sides, as mock-authentication.py does. A
// value without a colon, with an empty or invalid name, or with a line
// break anywhere is a usage error.
func parseHeaders(list []string) (http.Header, error) {
	h := http.Header{}
	for _, raw := range list {
		name, value, ok := strings.Cut(raw, ":")
		if !ok {
			return nil, usagef("--header %q has no colon: write it as \"Name: value\"", raw)
		}
		if strings.ContainsAny(raw, "\r\n") {
			return nil, usagef("--header %q holds a line break: give one line per --header", raw)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if name == "" || strings.ContainsAny(name, " \t\"(),/;<=>?@[\\]{}") {
			return nil, usagef("--header %q has no valid header name before the colon: write it as \"Name: value\"", raw)
		}
		if err := checkHeaderValue("--header", value); err != nil {
			return nil, err
		}
		switch http.CanonicalHeaderKey(name) {
		case "Content-Length", "Transfer-Encoding", "Trailer":
			// Go's transport writes these from the body itself and drops
			// them from the header: the transcript would show a header
			// that never went over the wire.
			return nil, usagef("--header %q cannot be set: %s is computed from the request body", raw, http.CanonicalHeaderKey(name))
		}
		h.Add(name, value)
	}
	return h, nil
}

// warnReplacedHeaders warns on w about a --header the API call replaces:
// Authorization carries the access token as a bearer header (RFC 6750
// §2.1), so the user's value is not sent.
func warnReplacedHeaders(w io.Writer, h http.Header) {
	if _, ok := h["Authorization"]; ok {
		fmt.Fprintln(w, "warning: --header Authorization is not sent: the API call sends Authorization: Bearer with the access token instead.")
	}
}

// checkHeaderValue refuses, up front, a value for an HTTP header that a
// flag names: a CR or LF would end the header early and a control
// character is not allowed in a field value (RFC 9110 §5.5), so the
// request could not be sent as written once a token was already fetched.
func checkHeaderValue(flag, value string) error {
	if strings.ContainsAny(value, "\r\n") {
		return usagef("%s %q holds a line break: an HTTP header value is one line", flag, value)
	}
	if strings.ContainsFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		return usagef("%s %q holds a control character, which an HTTP header value cannot carry", flag, value)
	}
	return nil
}

// checkEnvName checks an --env value against the environments a command
// accepts.
func checkEnvName(name string, allowed []string) error {
	for _, a := range allowed {
		if name == a {
			return nil
		}
	}
	return usagef("unknown environment %q: use one of %s", name, strings.Join(allowed, ", "))
}
