package tui

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/nhsauth/nhsauth/transcript"
)

// OSC 8 hyperlinks (the de-facto standard of
// https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feaf): a
// URL on screen is a link to the whole URL even where the screen wraps it
// over several lines, since every piece carries the same id. main turns
// them on only where the terminal can take them (Config.Hyperlinks).

// urlPattern finds the URLs in a text.
var urlPattern = regexp.MustCompile(`https?://[^\s()<>"']+`)

// hyperlink makes text a link to url; pieces of one URL share an id, so a
// terminal highlights them together.
func hyperlink(url, text string) string {
	url = transcript.Line(url)
	h := fnv.New32a()
	h.Write([]byte(url))
	id := fmt.Sprintf("id=nhsauth-%x", h.Sum32())
	return ansi.SetHyperlink(url, id) + text + ansi.ResetHyperlink()
}

// linkURLs makes every URL of source that shows in wrapped (source laid
// out over lines, perhaps with a URL broken between them) a link, piece by
// piece; it returns wrapped unchanged when links are off.
func (c *common) linkURLs(source, wrapped string) string {
	if !c.links {
		return wrapped
	}
	urls := urlPattern.FindAllString(ansi.Strip(source), -1)
	if len(urls) == 0 {
		return wrapped
	}
	// Longest first: a URL that another contains must not claim its text.
	sort.SliceStable(urls, func(a, b int) bool { return len(urls[a]) > len(urls[b]) })
	lines := strings.Split(wrapped, "\n")
	for i, l := range lines {
		lines[i] = linkLine(l, urls)
	}
	return strings.Join(lines, "\n")
}

// linkLine links the first URL of urls shown whole on line l or, when none
// is, the first piece of one.
func linkLine(l string, urls []string) string {
	for _, u := range urls {
		if i := strings.Index(l, u); i >= 0 {
			return l[:i] + hyperlink(u, u) + l[i+len(u):]
		}
	}
	for _, u := range urls {
		if from, to, ok := urlPiece(l, u); ok {
			return l[:from] + hyperlink(u, l[from:to]) + l[to:]
		}
	}
	return l
}

// urlPiece finds in line the start of the URL u at the end of the line,
// or a further piece of u at the start of the line (after indentation), and
// returns its byte range.
func urlPiece(line, u string) (from, to int, ok bool) {
	const minPiece = 8
	if len(u) > minPiece {
		if i := strings.Index(line, u[:minPiece]); i >= 0 && strings.HasPrefix(u, strings.TrimRight(line[i:], " ")) {
			return i, i + len(strings.TrimRight(line[i:], " ")), true
		}
	}
	trimmed := strings.TrimLeft(line, " ")
	start := len(line) - len(trimmed)
	end := strings.IndexAny(trimmed, " )")
	if end < 0 {
		end = len(trimmed)
	}
	if piece := trimmed[:end]; len(piece) >= minPiece && strings.Contains(u, piece) {
		return start, start + end, true
	}
	return 0, 0, false
}
