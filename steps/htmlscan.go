package steps

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// This file reads the HTML pages a sign-in walks through (the realm's login
// and logout-confirm pages, error pages) just far enough for the login
// helpers: elements with their attributes, and text. It follows the HTML
// Living Standard's tokenizer (§13.2.5) for tags, attributes, comments and
// raw-text elements, and a small part of its tree construction (§13.2.6):
// void elements, end tags closing up to their open element, implied ends of
// p, li, option and table cells, and no form, a or button inside its kind.
// It replaces golang.org/x/net/html, whose package initialisation built
// tables that every command paid for at start-up. Entities are decoded by
// the standard library's html.UnescapeString, whose table is built on
// first use.

// maxHTMLDepth bounds the open elements, so hostile nesting costs linear
// work: deeper elements are added to the deepest open one, not opened.
const maxHTMLDepth = 256

// htmlNode is an element (tag set) or a text (tag empty) of a page.
type htmlNode struct {
	tag      string     // lower-case element name; "" for text
	attrs    []htmlAttr // in document order, names lower-case, values unescaped
	text     string     // a text's characters, entities decoded
	children []*htmlNode
}

// htmlAttr is one attribute of an element.
type htmlAttr struct{ key, val string }

// The element kinds below are switches, not maps, so that nothing is built
// at start-up.

// isVoidElement reports an element that has no end tag and no content.
func isVoidElement(tag string) bool {
	switch tag {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
		"param", "source", "track", "wbr":
		return true
	}
	return false
}

// rawTextKind reports an element whose content is text up to its end tag,
// and whether entities in it are decoded (RCDATA: textarea and title).
func rawTextKind(tag string) (raw, decode bool) {
	switch tag {
	case "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext":
		return true, false
	case "textarea", "title":
		return true, true
	}
	return false, false
}

// closesP reports a start tag that ends an open p element.
func closesP(tag string) bool {
	switch tag {
	case "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure",
		"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu", "nav",
		"ol", "p", "pre", "section", "table", "ul":
		return true
	}
	return false
}

// endedBy reports whether the start tag next ends the current element cur
// (a list item, a definition, an option, a table row or cell).
func endedBy(cur, next string) bool {
	switch cur {
	case "li", "option", "tr":
		return next == cur
	case "dt", "dd":
		return next == "dt" || next == "dd"
	case "td", "th":
		return next == "td" || next == "th" || next == "tr"
	}
	return false
}

// isTablePart reports the elements that belong only inside a table.
func isTablePart(tag string) bool {
	switch tag {
	case "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr":
		return true
	}
	return false
}

// isSpecialElement reports the open elements of the standard's "special"
// category that an end tag of an ordinary (inline) element does not close.
func isSpecialElement(tag string) bool {
	switch tag {
	case "address", "applet", "article", "aside", "blockquote", "body", "button", "caption", "center",
		"colgroup", "dd", "details", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
		"footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
		"html", "li", "listing", "main", "marquee", "menu", "nav", "object", "ol", "p", "pre", "search",
		"section", "select", "summary", "table", "tbody", "td", "template", "tfoot", "th", "thead",
		"tr", "ul":
		return true
	}
	return false
}

// isScopeBoundary reports the open elements an end tag does not reach past
// (the standard's "has an element in scope", button scope included).
func isScopeBoundary(tag string) bool {
	switch tag {
	case "applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th":
		return true
	}
	return false
}

// parseHTML reads a page into a tree under a root element with an empty
// tag name. It never fails: like a browser, it makes the best of any input.
func parseHTML(b []byte) *htmlNode {
	t := htmlTree{root: &htmlNode{}}
	t.open = []*htmlNode{t.root}
	for i := 0; i < len(b); {
		if b[i] != '<' || !startsMarkup(b, i) {
			i = t.text(b, i)
			continue
		}
		switch c := b[i+1]; {
		case c == '!' && bytes.HasPrefix(b[i+2:], []byte("--")):
			i, t.joinable = skipComment(b, i+4), nil
		case c == '!' || c == '?':
			i, t.joinable = skipPast(b, i+2, '>'), nil
		case c == '/':
			i = t.endTag(b, i+2)
		default:
			i = t.startTag(b, i+1)
		}
	}
	return t.root
}

// htmlTree is a tree being built and its open elements, root first.
type htmlTree struct {
	root *htmlNode
	open []*htmlNode
	// joinable is the text node that more text joins, as in the DOM: any
	// markup but a comment between them is ignored or ends it.
	joinable *htmlNode
}

func (t *htmlTree) current() *htmlNode { return t.open[len(t.open)-1] }

// text adds the text from i to the next markup and returns where it ends.
func (t *htmlTree) text(b []byte, i int) int {
	j := i + 1
	for j < len(b) && (b[j] != '<' || !startsMarkup(b, j)) {
		j++
	}
	t.addText(strings.ReplaceAll(html.UnescapeString(string(b[i:j])), "\x00", "")) // NUL is dropped in a body
	return j
}

func (t *htmlTree) addText(s string) {
	if s == "" {
		return
	}
	cur := t.current()
	if n := len(cur.children); n > 0 && cur.children[n-1] == t.joinable {
		t.joinable.text += s
		return
	}
	t.joinable = &htmlNode{text: s}
	cur.children = append(cur.children, t.joinable)
}

// startTag reads the start tag whose name begins at i, adds its element and
// returns where the tag (and, for a raw-text element, its content) ends.
func (t *htmlTree) startTag(b []byte, i int) int {
	name, i := tagName(b, i)
	attrs, i, closed := tagAttrs(b, i)
	if !closed {
		return i // a tag the input ends inside is dropped (§13.2.5.8)
	}
	if name == "form" && t.hasOpen("form") {
		return i // a form inside a form is ignored, its content kept
	}
	if isTablePart(name) && !t.hasOpen("table") {
		return i // so is a table's part outside a table
	}
	if closesP(name) {
		if k := t.closeIndex("p"); k > 0 {
			t.open = t.open[:k]
		}
	}
	for endedBy(t.current().tag, name) {
		t.open = t.open[:len(t.open)-1]
	}
	if name == "a" || name == "nobr" || name == "button" { // these do not nest
		if k := t.closeIndex(name); k > 0 {
			t.open = t.open[:k]
		}
	}
	n := &htmlNode{tag: name, attrs: attrs}
	cur := t.current()
	cur.children = append(cur.children, n)
	if raw, decode := rawTextKind(name); raw {
		return t.rawText(n, b, i, decode)
	}
	if !isVoidElement(name) && len(t.open) < maxHTMLDepth {
		t.open = append(t.open, n)
	}
	return i
}

// rawText reads a raw-text element's content from i up to its end tag
// (plaintext: to the end) and returns where the end tag ends.
func (t *htmlTree) rawText(n *htmlNode, b []byte, i int, decode bool) int {
	end := len(b)
	if n.tag != "plaintext" {
		end = rawTextEnd(b, i, n.tag)
	}
	s := strings.ReplaceAll(string(b[i:end]), "\x00", "\uFFFD")
	if decode {
		s = html.UnescapeString(s)
	}
	if s != "" {
		n.children = append(n.children, &htmlNode{text: s})
	}
	if end == len(b) {
		return end
	}
	_, j, _ := tagAttrs(b, end+2+len(n.tag))
	return j
}

// endTag reads the end tag whose name begins at i: it closes the innermost
// open element of that name and those inside it (a form's closes the form
// alone), or nothing when none is open. "</>" is ignored; "</" and no letter starts a comment.
func (t *htmlTree) endTag(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	if b[i] == '>' {
		t.joinable = nil // "</>" reads as an empty comment, as in x/net/html
		return i + 1
	}
	if !isASCIILetter(b[i]) {
		t.joinable = nil // a comment
		return skipPast(b, i, '>')
	}
	name, i := tagName(b, i)
	_, i, closed := tagAttrs(b, i)
	if !closed {
		return i
	}
	k := t.closeIndex(name)
	switch {
	case k <= 0, name == "html", name == "head", name == "body":
		// The document's own elements stay open to the end: HTML moves
		// what follows them back inside (§13.2.6.4.4, §13.2.6.4.22).
	case name == "form": // only the form leaves the open elements (§13.2.6.4.7)
		t.open = slices.Delete(t.open, k, k+1)
	default:
		t.open = t.open[:k]
	}
	return i
}

// hasOpen reports whether an element named tag is open.
func (t *htmlTree) hasOpen(tag string) bool {
	for _, n := range t.open[1:] {
		if n.tag == tag {
			return true
		}
	}
	return false
}

// closeIndex is the position in the open elements of the one an end tag
// named tag closes, or -1 when it closes none: the innermost of that name,
// not past a scope boundary (a form's end tag passes them) nor, for an
// ordinary element, past a special one.
func (t *htmlTree) closeIndex(tag string) int {
	special := isSpecialElement(tag)
	for k := len(t.open) - 1; k > 0; k-- {
		n := t.open[k].tag
		switch {
		case n == tag:
			return k
		case tag == "form":
		case isScopeBoundary(n), !special && isSpecialElement(n):
			return -1
		}
	}
	return -1
}

// startsMarkup reports whether the '<' at i starts a tag, an end tag, a
// comment or a declaration; otherwise it is text.
func startsMarkup(b []byte, i int) bool {
	if i+1 >= len(b) {
		return false
	}
	c := b[i+1]
	return isASCIILetter(c) || c == '!' || c == '?' || c == '/' && i+2 < len(b) // "</" at the end is text
}

// tagName reads a tag name from i, lower-cased, up to a blank, '/' or '>'.
func tagName(b []byte, i int) (string, int) {
	j := i
	for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '/' && b[j] != '>' {
		j++
	}
	return asciiLower(b[i:j]), j
}

// tagAttrs reads a tag's attributes from i to its '>' and returns them, the
// position after the '>' and whether there was one before the input ended.
func tagAttrs(b []byte, i int) ([]htmlAttr, int, bool) {
	var attrs []htmlAttr
	var seen map[string]bool
	for i < len(b) {
		for i < len(b) && (isHTMLSpace(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) {
			break
		}
		if b[i] == '>' {
			return attrs, i + 1, true
		}
		j := i + 1 // an attribute name may start with '='
		for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '/' && b[j] != '>' && b[j] != '=' {
			j++
		}
		a := htmlAttr{key: asciiLower(b[i:j])}
		i = j
		for i < len(b) && isHTMLSpace(b[i]) {
			i++
		}
		if i < len(b) && b[i] == '=' {
			a.val, i = attrValue(b, i+1)
		}
		if !seen[a.key] { // a repeated attribute is dropped
			attrs = append(attrs, a)
			seen = remember(seen, a.key)
		}
	}
	return attrs, len(b), false
}

// attrValue reads an attribute value from i: quoted, or up to a blank or
// '>'; entities decoded.
func attrValue(b []byte, i int) (string, int) {
	for i < len(b) && isHTMLSpace(b[i]) {
		i++
	}
	if i >= len(b) {
		return "", i
	}
	if q := b[i]; q == '"' || q == '\'' {
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return unescapeAttr(b[i+1:]), len(b)
		}
		return unescapeAttr(b[i+1 : i+1+j]), i + 2 + j
	}
	j := i
	for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '>' {
		j++
	}
	return unescapeAttr(b[i:j]), j
}

// remember adds key to the attribute names seen in a tag.
func remember(seen map[string]bool, key string) map[string]bool {
	if seen == nil {
		seen = map[string]bool{}
	}
	seen[key] = true
	return seen
}

// unescapeAttr decodes an attribute value's character references as HTML
// does in attributes (§13.2.5.72): a named reference counts only when it is
// a whole name, and one without ';' followed by '=' stays text, so that
// "?a=1&copy=2" keeps its "&copy". html.UnescapeString decodes as in text,
// so the '&' of every reference that must stay is escaped first.
func unescapeAttr(b []byte) string {
	s := string(b)
	if !strings.Contains(s, "&") {
		return s
	}
	var out strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			out.WriteString(s)
			return html.UnescapeString(out.String())
		}
		out.WriteString(s[:i+1])
		s = s[i+1:]
		n := 0
		for n < len(s) && isASCIIAlnum(s[n]) {
			n++
		}
		if n > 0 && !wholeReference(s[:n], s[n:]) {
			out.WriteString("amp;")
		}
	}
}

// wholeReference reports whether "&"+name, followed by rest, is a named
// character reference that HTML decodes in an attribute.
func wholeReference(name, rest string) bool {
	if strings.HasPrefix(rest, ";") {
		ref := "&" + name + ";"
		d := html.UnescapeString(ref)
		return d != ref && utf8.RuneCountInString(d) <= 2 // a whole name decodes to one or two characters
	}
	if strings.HasPrefix(rest, "=") {
		return false
	}
	d := html.UnescapeString("&" + name)
	return d != "&"+name && d == html.UnescapeString("&"+name+";")
}

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || '0' <= c && c <= '9' }

// rawTextEnd is where the end tag of a raw-text element named tag starts at
// or after i ("</tag" then a blank, '/' or '>'), or the end of input.
func rawTextEnd(b []byte, i int, tag string) int {
	for {
		k := bytes.Index(b[i:], []byte("</"))
		if k < 0 {
			return len(b)
		}
		at := i + k
		rest := b[at+2:]
		if len(rest) > len(tag) && strings.EqualFold(string(rest[:len(tag)]), tag) {
			if c := rest[len(tag)]; isHTMLSpace(c) || c == '/' || c == '>' {
				return at
			}
		}
		i = at + 2
	}
}

// skipComment skips a comment whose text starts at i: up to "-->" (or
// "--!>"), with "<!-->" and "<!--->" empty comments; the end of input ends it.
func skipComment(b []byte, i int) int {
	rest := b[min(i, len(b)):]
	if bytes.HasPrefix(rest, []byte(">")) {
		return i + 1
	}
	if bytes.HasPrefix(rest, []byte("->")) {
		return i + 2
	}
	for k := 0; ; {
		d := bytes.Index(rest[k:], []byte("--"))
		if d < 0 {
			return len(b)
		}
		k += d + 2
		if bytes.HasPrefix(rest[k:], []byte(">")) {
			return i + k + 1
		}
		if bytes.HasPrefix(rest[k:], []byte("!>")) {
			return i + k + 2
		}
		k-- // "--->": the second dash may start the end
	}
}

// skipPast returns the position after the next c at or after i, or the end.
func skipPast(b []byte, i int, c byte) int {
	if i >= len(b) {
		return len(b)
	}
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k + 1
	}
	return len(b)
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// asciiLower lower-cases ASCII letters only, as HTML does for names.
func asciiLower(b []byte) string {
	out := []byte(string(b))
	for k, c := range out {
		if 'A' <= c && c <= 'Z' {
			out[k] = c + 'a' - 'A'
		}
	}
	return string(out)
}
