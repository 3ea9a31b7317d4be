package mock

import (
	"net/http"
	"net/url"
	"sort"
)

// cis2Title is the local CIS2's name on its pages.
const cis2Title = "NHS CIS2 Authentication (local imitation)"

// ACRNote says, in the one place the product keeps it, how the local CIS2
// treats acr_values: real CIS2's behaviour for a user who cannot meet them
// is unconfirmed (reference §6.3, §11), so the imitation chose.
const ACRNote = "Real CIS2's behaviour when a user cannot meet acr_values is unconfirmed. This imitation chooses: a user whose " +
	"level is below every requested AALn_ value is refused, and the app gets error=access_denied with its state and no code."

// renderCIS2Login shows the local CIS2's sign-in page: the realms' login
// form (kc-form-login, field username, reference §5.2) and the CIS2 test
// users (§5.3).
func (s *Server) renderCIS2Login(w http.ResponseWriter, r *http.Request, tab, username, errMsg string) {
	req, _ := s.cis2.logins.get(tab)
	page := loginPage{
		Title:         cis2Title,
		Realm:         "NHSIdentity/Healthcare",
		Action:        s.cis2Issuer(r) + "/login?" + url.Values{"tab_id": {tab}}.Encode(),
		UsernameLabel: "User UID",
		Username:      username,
		Error:         errMsg,
		Tag:           "ForgeRock AM realm /NHSIdentity/Healthcare",
		About: []string{
			"This is nhsauth's local imitation of CIS2 Authentication itself (am.nhsint.auth-ptl.cis2.spineservices.nhs.uk), not of NHS's Keycloak mock. It runs on your machine, knows only the test users below, and asks for no smartcard or password.",
			"The app asked for acr_values " + orNone(req.ACRValues) + ". " + ACRNote,
		},
		Note: "Each user's level is their authentication assurance level: AAL3_ANY admits the AAL3 users only; AAL2_OR_AAL3_ANY admits AAL2 and AAL3.",
	}
	for _, u := range cis2Users {
		pu := pageUser{ID: u.ID, Who: u.GivenName + " " + u.FamilyName, Assurance: u.assurance(),
			Role: u.RoleCode + " " + roleTitle(u.RoleName), Unconfirmed: !u.RoleConfirmed}
		page.Users = append(page.Users, pu)
	}
	renderHTML(w, http.StatusOK, loginTemplate, page)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// renderCIS2Message shows the local CIS2's one-message page.
func (s *Server) renderCIS2Message(w http.ResponseWriter, status int, msg string) {
	renderHTML(w, status, messageTemplate, map[string]string{"Title": cis2Title, "Heading": "CIS2 Authentication", "Message": msg})
}

// handleConnectionManagerPage is GET /_mock/connection-manager: the
// registered clients, for a person (reference §6.4: CIS2's Connection
// Manager is a web tool), with their latest back-channel logouts.
func (s *Server) handleConnectionManagerPage(w http.ResponseWriter, r *http.Request) {
	var clients []cis2Client
	s.cis2.clients.each(func(_ string, c cis2Client) { clients = append(clients, c) })
	sort.Slice(clients, func(i, j int) bool { return clients[i].ClientIDIssuedAt > clients[j].ClientIDIssuedAt })
	renderHTML(w, http.StatusOK, connectionManagerTemplate, map[string]any{
		"Title": "Connection Manager (local)", "Issuer": s.cis2Issuer(r),
		"Register": s.baseURL(r) + ConnectionManagerPath + "/clients", "Clients": clients, "ACRNote": ACRNote,
	})
}

var connectionManagerTemplate = lazyTemplate("cm", pageHead+`<main>
<section class="about" aria-label="About this page">
<p>CIS2's Connection Manager registers clients of CIS2 Authentication in the path-to-live environments. This local one takes RFC 7591 client metadata: <code>POST {{.Register}}</code>.</p>
<p>Issuer: <code>{{.Issuer}}</code></p>
<p>{{.ACRNote}}</p>
</section>
<section class="card">
<h1>Registered clients</h1>
{{if not .Clients}}<p>No client is registered yet.</p>{{end}}
<table>
<thead><tr><th scope="col">client_id</th><th scope="col">Authentication</th><th scope="col">Redirect URIs</th><th scope="col">Signed userinfo</th><th scope="col">Back-channel logouts</th></tr></thead>
<tbody>
{{range .Clients}}<tr>
<td><code>{{.ClientID}}</code>{{if .ClientName}}<span class="muted">{{.ClientName}}</span>{{end}}</td>
<td>{{.TokenEndpointAuthMethod}}{{if .JWKSURI}}<span class="muted">jwks_uri {{.JWKSURI}}</span>{{end}}</td>
<td>{{range .RedirectURIs}}<code>{{.}}</code><br>{{end}}</td>
<td>{{if .UserinfoSignedResponseAlg}}{{.UserinfoSignedResponseAlg}}{{else}}no{{end}}</td>
<td>{{if .BackchannelLogoutURI}}<code>{{.BackchannelLogoutURI}}</code>{{range .Deliveries}}<span class="muted">{{.At.Format "15:04:05"}} sid {{.SID}}: {{if .Delivered}}delivered ({{.Status}}){{else}}not delivered{{if .Status}} ({{.Status}}){{end}}{{if .Error}}: {{.Error}}{{end}}{{end}}</span>{{end}}{{else}}none registered{{end}}</td>
</tr>
{{end}}</tbody>
</table>
</section>
</main>
</body>
</html>
`)
