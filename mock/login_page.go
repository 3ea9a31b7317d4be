package mock

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
)

// loginPage is what the login template shows.
type loginPage struct {
	Title         string
	Realm         string
	NHSRealm      string // the NHS mock realm this one imitates, Cis2-mock-int
	Action        string
	UsernameLabel string
	Username      string
	Error         string
	Note          string
	Users         []pageUser
	// Tag and About replace the realm's header tag and its opening
	// paragraphs when set (the local CIS2's page says what it imitates).
	Tag   string
	About []string
}

// pageUser is one row of the test users beside the form.
type pageUser struct {
	ID          string
	Who         string
	Role        string
	Unconfirmed bool // the reference leaves this user's role unconfirmed
	Assurance   string
}

// renderLogin shows the realm's login page (reference §5.2): a form with id
// kc-form-login and a username field, posted to the form's action, as on
// NHS's mock; beside it, the realm's test users as one-click buttons. Each
// button is its own small form posting the same action, so it works without
// JavaScript, and kc-form-login stays the page's first form (NHS's harness
// takes the first form).
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, d *realmDef, tab, username, errMsg string) {
	req, _ := s.oidc.logins.get(tab)
	page := loginPage{
		Title:         d.Title,
		Realm:         d.Name,
		NHSRealm:      strings.TrimSuffix(d.Name, "-local") + "-int",
		Action:        s.loginAction(r, d, req.ClientID, tab),
		UsernameLabel: d.UsernameLabel,
		Username:      username,
		Error:         errMsg,
		Note:          realmNote[d.Pattern],
	}
	for _, u := range d.Users {
		pu := pageUser{ID: u.ID, Who: u.GivenName + " " + u.FamilyName, Assurance: u.assurance()}
		if u.ProofingLevel != "" {
			pu.Role = "Patient"
		} else {
			pu.Role = u.RoleCode + " " + roleTitle(u.RoleName)
			pu.Unconfirmed = !u.RoleConfirmed
		}
		page.Users = append(page.Users, pu)
	}
	renderHTML(w, http.StatusOK, loginTemplate, page)
}

// realmNote tells a learner what each user's level means at the token
// exchange (reference §3.2).
var realmNote = map[string]string{
	patternCIS2: "Every user can sign in. At the token exchange the platform keeps only the app's product scopes " +
		"at the user's level (urn:nhsd:apim:user-nhs-cis2:aal3:…), so with products that need AAL3 the AAL2 and AAL1 " +
		"users get 401 unauthorized_client.",
	patternNHSLogin: "Every user can sign in. At the token exchange the platform keeps only the app's product scopes " +
		"at the user's proofing level (urn:nhsd:apim:user-nhs-login:P9:…), so with products for P9 and P5 the P0 " +
		"user gets 401 unauthorized_client.",
}

// roleTitle is the last part of a role_name: "General Medical Practitioner".
func roleTitle(roleName string) string {
	if i := strings.LastIndex(roleName, `:"`); i >= 0 {
		roleName = roleName[i+1:]
	}
	return strings.Trim(roleName, `"`)
}

// renderError shows Keycloak's error page ("We are sorry...").
func (s *Server) renderError(w http.ResponseWriter, status int, d *realmDef, msg string) {
	s.renderMessage(w, status, d, "We are sorry...", msg)
}

// renderMessage shows a page with one heading and one message.
func (s *Server) renderMessage(w http.ResponseWriter, status int, d *realmDef, heading, msg string) {
	renderHTML(w, status, messageTemplate, map[string]string{"Title": d.Title, "Heading": heading, "Message": msg})
}

// renderHTML executes t into a buffer first, so a template failure cannot
// leave half a page behind a 200.
func renderHTML(w http.ResponseWriter, status int, t func() *template.Template, data any) {
	var buf bytes.Buffer
	if err := t().Execute(&buf, data); err != nil {
		http.Error(w, "mock: page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageStyle lays the pages out for any width without JavaScript: on a
// narrow screen the cards stack and each test user's table row becomes a
// small block with its button beside it.
const pageStyle = `
*{box-sizing:border-box}
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#f0f4f5;color:#212b32;line-height:1.45;font-size:16px}
header{background:#005eb8;color:#fff}
.bar{max-width:1080px;margin:0 auto;padding:12px 24px;display:flex;flex-wrap:wrap;column-gap:16px;row-gap:2px;align-items:baseline}
.bar strong{font-size:1.15em}
.bar .tag{font-size:.85em;opacity:.9}
main{max-width:1080px;margin:0 auto;padding:24px}
.about{background:#fff;border-left:6px solid #005eb8;padding:12px 16px;margin:0 0 24px}
.about p{margin:0 0 6px}
.about p:last-child{margin:0}
.cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.card{background:#fff;border:1px solid #d8dde0;border-radius:4px;padding:20px 24px;min-width:0}
.login{flex:1 1 260px}
.users{flex:3 1 540px}
h1,h2{margin:0 0 12px;font-size:1.35em;line-height:1.25}
label{display:block;font-weight:bold;margin-bottom:4px}
input[type=text]{width:100%;padding:8px;font-size:1em;border:2px solid #4c6272;border-radius:0}
input[type=text]:focus{outline:3px solid #ffeb3b;outline-offset:0}
button{background:#007f3b;color:#fff;border:0;border-radius:4px;padding:8px 14px;font-size:1em;cursor:pointer;font-family:inherit}
button:focus,button:hover{background:#00662f}
button:focus{outline:3px solid #ffeb3b}
#kc-login{margin-top:12px;width:100%}
.alert{background:#fde8e8;border-left:6px solid #d5281b;padding:8px 12px;margin-bottom:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px;border-bottom:1px solid #d8dde0;vertical-align:middle}
th{font-size:.9em;color:#4c6272}
td form{margin:0}
td button{padding:5px 12px;font-size:.9em;white-space:nowrap}
code{font-family:Consolas,Menlo,monospace;font-size:1em;white-space:nowrap}
.muted{display:block;color:#4c6272;font-size:.9em}
.hint{color:#4c6272;font-size:.9em;margin:12px 0 0}
@media (max-width:640px){
.bar{padding:10px 16px}
main{padding:16px}
.about{margin-bottom:16px}
.cols{gap:16px}
.card{padding:16px}
.users thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.users table,.users tbody,.users td{display:block}
.users tr{display:grid;grid-template-columns:1fr auto;column-gap:12px;padding:10px 0;border-bottom:1px solid #d8dde0}
.users td{border:0;padding:1px 0;grid-column:1}
.users td.act{grid-column:2;grid-row:1 / span 3;align-self:center}
.users td.aal::before{content:"Assurance: ";color:#4c6272}
}
`

var loginTemplate = lazyTemplate("login", `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to {{.Title}}</title>
<style>`+pageStyle+`</style>
</head>
<body>
<header><div class="bar"><strong>{{.Title}}</strong><span class="tag">{{if .Tag}}{{.Tag}}{{else}}realm {{.Realm}}{{end}} · nhsauth local platform</span></div></header>
<main>
<section class="about" aria-label="About this page">
{{if .About}}{{range .About}}<p>{{.}}</p>
{{end}}{{else}}<p>This is <strong>nhsauth's local imitation</strong> of the NHS mock sign-in page (the realm <code>{{.NHSRealm}}</code> at identity.ptl.api.platform.nhs.uk). It runs on your machine, knows only the test users below, and asks for no password.</p>
<p>Pick a test user to sign in as, or type their {{.UsernameLabel}}. You are then sent back to the app with a code, as on the NHS mock.</p>
{{end}}</section>
<div class="cols">
<section class="card login">
<h1>Sign in to your account</h1>
{{if .Error}}<div class="alert" id="input-error" role="alert">{{.Error}}</div>{{end}}
<form id="kc-form-login" action="{{.Action}}" method="post">
<label for="username">{{.UsernameLabel}}</label>
<input type="text" id="username" name="username" value="{{.Username}}" autofocus autocomplete="off" spellcheck="false" inputmode="numeric">
<button type="submit" id="kc-login" name="login">Sign In</button>
</form>
<p class="hint">No password is needed: a test user's {{.UsernameLabel}} is enough.</p>
</section>
<section class="card users">
<h2>Test users</h2>
<table>
<thead><tr><th scope="col">{{.UsernameLabel}}</th><th scope="col">User and role</th><th scope="col">Assurance</th><th scope="col">Sign in</th></tr></thead>
<tbody>
{{range .Users}}<tr>
<td><code>{{.ID}}</code></td><td class="who">{{.Who}}<span class="muted">{{.Role}}{{if .Unconfirmed}} (role unconfirmed, assumed){{end}}</span></td><td class="aal">{{.Assurance}}</td>
<td class="act"><form method="post" action="{{$.Action}}"><input type="hidden" name="username" value="{{.ID}}"><button type="submit" aria-label="Sign in as {{.ID}}">Sign in</button></form></td>
</tr>
{{end}}</tbody>
</table>
<p class="hint">{{.Note}}</p>
</section>
</div>
</main>
</body>
</html>
`)

// pageHead opens a page of the local platform that is not a login page:
// its title and the bar naming nhsauth's local platform.
const pageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + pageStyle + `</style>
</head>
<body>
<header><div class="bar"><strong>{{.Title}}</strong><span class="tag">nhsauth local platform</span></div></header>
`

// cardPageTop and cardPageEnd wrap a page of one card: the message page
// and the logout confirm page.
const (
	cardPageTop = pageHead + `<main>
<section class="card">
`
	cardPageEnd = `</section>
</main>
</body>
</html>
`
)

var messageTemplate = lazyTemplate("message", cardPageTop+`<h1>{{.Heading}}</h1>
<p id="kc-error-message">{{.Message}}</p>
`+cardPageEnd)
