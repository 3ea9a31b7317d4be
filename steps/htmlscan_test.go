package steps

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// keycloakLogin is shaped like the NHS mock realms' login page (Keycloak)
// and the local platform's.
const keycloakLogin = `<!DOCTYPE html>
<html lang="en"><head><title>Sign in to Mock CIS2</title>
<script>var x = "<form id='kc-form-login' action='/evil'>"; if (a < b && c > d) {}</script>
<style>form#kc-form-login{color:red}</style></head>
<body class="login-pf">
<!-- <form id="kc-form-login" action="/commented"> -->
<div id="kc-content"><div id="kc-content-wrapper">
<span id="input-error" class="kc-feedback-text" aria-live="polite">Invalid username &amp; password.</span>
<FORM ID="kc-form-login" onsubmit="login.disabled = true; return true;" Action="/realms/Cis2-mock-tutorial/login-actions/authenticate?session_code=abc&amp;execution=e1&amp;client_id=c&tab_id=t" method=post>
<div class="form-group"><label for=username>Username</label>
<input tabindex="1" id="username" class="pf-c-form-control" name="username" value="" type="text" autofocus></div>
<input type="HIDDEN" name='credentialId' value='cred&#39;1'>
<input type=hidden name=rememberMe value=on>
<input type="hidden" name="dup" value="first" value="second">
<input type="hidden" value="no name">
<form id="inner" action="/inner"><input type="hidden" name="inner" value="kept"></form>
<input type="hidden" name="after" value="outside">
<input tabindex="4" class="pf-c-button" name="login" id="kc-login" type="submit" value="Sign In"/>
</FORM>
<input type="hidden" name="later" value="not in the form">
</div></div></body></html>`

func TestFindFormKeycloakPage(t *testing.T) {
	f, ok := findLoginForm([]byte(keycloakLogin), "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-tutorial/protocol/openid-connect/auth?x=1")
	if !ok {
		t.Fatal("the login form was not found")
	}
	want := "https://identity.ptl.api.platform.nhs.uk/realms/Cis2-mock-tutorial/login-actions/authenticate?session_code=abc&execution=e1&client_id=c&tab_id=t"
	if f.action != want {
		t.Errorf("action = %q, want %q", f.action, want)
	}
	// The inner form's start tag is ignored and its end tag ends the login
	// form (HTML §13.2.6.4.7), so "after" and the later inputs are outside.
	wantValues := url.Values{"credentialId": {"cred'1"}, "rememberMe": {"on"}, "dup": {"first"}, "inner": {"kept"}}
	if !reflect.DeepEqual(f.values, wantValues) {
		t.Errorf("hidden inputs = %v, want %v", f.values, wantValues)
	}
	if got := pageError([]byte(keycloakLogin)); got != ` ("Invalid username & password.")` {
		t.Errorf("pageError = %q", got)
	}
}

func TestFindFormCases(t *testing.T) {
	const page = "http://127.0.0.1:8471/realms/r/auth"
	for _, tc := range []struct {
		name, html string
		ok         bool
		action     string
		values     url.Values
	}{
		{"no action posts to the page", `<form id="f"><input type="hidden" name="a" value="1"></form>`, true, page, url.Values{"a": {"1"}}},
		{"absolute action", `<form action="https://other.example/x?y=1&amp;z=2" id=f></form>`, true, "https://other.example/x?y=1&z=2", url.Values{}},
		{"relative path", `<form id='f' action='login?s=1'></form>`, true, "http://127.0.0.1:8471/realms/r/login?s=1", url.Values{}},
		{"another id only", `<form id="g"><input type=hidden name=a value=1></form>`, false, "", nil},
		{"form only in a comment", `<!-- <form id="f"> --><p>x</p>`, false, "", nil},
		{"form only in a script", `<script>document.write('<form id="f">')</script>`, false, "", nil},
		{"form only in a textarea", `<textarea><form id="f"></textarea>`, false, "", nil},
		{"empty comments do not hide what follows", `<!--><!---><form id="f"><input type="hidden" name="a" value="&lt;b&gt;"></form>`, true, page, url.Values{"a": {"<b>"}}},
		{"--!> ends a comment", `<!-- x --!><form id="f"></form>`, true, page, url.Values{}},
		{"unclosed form runs to the end", `<div><form id="f"><p><input type="hidden" name="a" value="1">`, true, page, url.Values{"a": {"1"}}},
		{"a form's end tag leaves inner elements open", `<form id="f"><div><span></form><input type="hidden" name="b" value="2">`, true, page, url.Values{"b": {"2"}}},
		{"other end tags close inner elements", `<form id="f"><div><span></div><input type="hidden" name="b" value="2"></form>`, true, page, url.Values{"b": {"2"}}},
		{"a form after a closed form", `<form id="g"></form><form id="f"><input type="hidden" name="a" value="1"></form>`, true, page, url.Values{"a": {"1"}}},
		{"stray end tags are ignored", `</div></form><form id="f"></span></p><input type="hidden" name="a" value="1"></form>`, true, page, url.Values{"a": {"1"}}},
		{"text lookalikes are text", `a < b <3 </ 9> <form id="f"><input type="hidden" name="a" value=x></form>`, true, page, url.Values{"a": {"x"}}},
		{"attribute references as HTML decodes them", `<form id="f" action="/cb?a=1&copy=2&amp;b=&lt;&ltx&notit;&amp"><input type="hidden" name="v" value="&#65;&copy&hellip;&hellip"></form>`,
			true, "http://127.0.0.1:8471/cb?a=1&copy=2&b=<&ltx&notit;&", url.Values{"v": {"A©…&hellip"}}},
		{"</head> does not close what follows", `<head><form id='f'></head><input type="hidden" name="a" value="1">`, true, page, url.Values{"a": {"1"}}},
		{"> inside a quoted value", `<form id="f" action="/a>b"><input type="hidden" name="a" value="1>2"></form>`, true, "http://127.0.0.1:8471/a%3Eb", url.Values{"a": {"1>2"}}},
		{"a tag cut by the end is dropped", `<form id="f"><input type="hidden" name="a" value="1`, true, page, url.Values{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := findForm([]byte(tc.html), page, "f")
			if ok != tc.ok {
				t.Fatalf("found = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if f.action != tc.action || !reflect.DeepEqual(f.values, tc.values) {
				t.Errorf("form = %q %v, want %q %v", f.action, f.values, tc.action, tc.values)
			}
		})
	}
}

func TestPageTexts(t *testing.T) {
	for _, tc := range []struct{ name, html, pageError, pageMessage string }{
		{"keycloak error message", `<div id="kc-content"><p id="kc-error-message" class="instruction">You are   logged out.<br>Services told: <b>app&#x20;one</b></p></div>`,
			` ("You are logged out. Services told: app one")`, "You are logged out. Services told: app one"},
		{"alert class", `<div class="alert alert-error"><span class="pficon"></span><span>Invalid &quot;user&quot;</span></div>`, ` ("Invalid \"user\"")`, ""},
		{"empty error elements are skipped", `<span class="error"></span><div class="kc-feedback-text"> Bad request </div>`, ` ("Bad request")`, ""},
		{"p ends at a div", `<p id="kc-error-message">Logged out<div>not in the message</div>`, ` ("Logged out")`, "Logged out"},
		{"list items end each other", `<ul id="kc-error-message"><li>one<li>two</ul><p>after`, ` ("one two")`, "one two"},
		{"p inside a table cell stays open", `<div id="input-error"><table><tr><td><p>a<div>b</div></td></tr></table>c</div>`, ` ("a b c")`, ""},
		{"script text counts, comments do not", `<p id="kc-error-message">x<!-- hidden --><script>y<z</script></p>`, ` ("x y<z")`, "x y<z"},
		{"an a start tag ends an open a", `<a class="error">one<a>two</a>`, ` ("one")`, ""},
		{"NUL in text is dropped", "<p id=\"kc-error-message\">a\x00b</p>", ` ("ab")`, "ab"},
		{"---> ends a comment", `<p id="kc-error-message">a<!-- x --->b<!-- -- -->c</p>`, ` ("a b c")`, "a b c"},
		{"a table cell outside a table is ignored", `<a id="input-error"><td><a>x</a>`, "", ""},
		{"</> splits text as a comment does", `<p id="kc-error-message">a</>b</p>`, ` ("a b")`, "a b"},
		{"no message", `<html><body><h1>Hello</h1></body></html>`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pageError([]byte(tc.html)); got != tc.pageError {
				t.Errorf("pageError = %q, want %q", got, tc.pageError)
			}
			if got := pageMessage([]byte(tc.html)); got != tc.pageMessage {
				t.Errorf("pageMessage = %q, want %q", got, tc.pageMessage)
			}
		})
	}
}

func TestParseHTMLDeepNestingIsBounded(t *testing.T) {
	deep := strings.Repeat("<div><span>", 50000) + "x" + strings.Repeat("</span></div>", 50000) + `<p id="kc-error-message">done</p>`
	doc := parseHTML([]byte(deep))
	if d := depth(doc); d > maxHTMLDepth+1 {
		t.Errorf("depth %d, over the bound %d", d, maxHTMLDepth)
	}
	if got := pageMessage([]byte(deep)); got != "done" {
		t.Errorf("pageMessage = %q after deep nesting", got)
	}
}

func depth(n *htmlNode) int {
	d := 0
	for _, c := range n.children {
		d = max(d, depth(c))
	}
	return d + 1
}

func countNodes(n *htmlNode) int {
	c := 1
	for _, k := range n.children {
		c += countNodes(k)
	}
	return c
}

// FuzzParseHTML feeds hostile pages to the scanner and the helpers that read
// its tree: they never panic, the tree has at most one node per input byte,
// its depth stays bounded, and names are lower case.
func FuzzParseHTML(f *testing.F) {
	for _, seed := range []string{keycloakLogin, "", "<", "</", "<!--", "<a b='", "<textarea>&lt;", "<plaintext><form>",
		"<form id=f><form id=g></form></form>", "<p><div></p></div>", "<script></scrip", "<tr><td><td><tr>", "&amp;&#0;&#x110000;"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := parseHTML(b)
		if n := countNodes(doc); n > len(b)+1 {
			t.Fatalf("%d nodes from %d bytes", n, len(b))
		}
		if d := depth(doc); d > maxHTMLDepth+1 {
			t.Fatalf("depth %d over the bound", d)
		}
		walk(doc, func(n *htmlNode) {
			if strings.ToLower(n.tag) != n.tag && strings.ContainsAny(n.tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				t.Fatalf("tag %q not lower case", n.tag)
			}
			for _, a := range n.attrs {
				if strings.ContainsAny(a.key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
					t.Fatalf("attribute %q not lower case", a.key)
				}
			}
		})
		_, _ = findForm(b, "http://127.0.0.1/x", LoginFormID)
		_ = pageError(b)
		_ = pageMessage(b)
	})
}
