package mock

import (
	"net/http"
	"path/filepath"
)

// infoName identifies an nhsauth local platform in GET /_mock/info, so a
// client can tell it from anything else listening on the port.
const infoName = "nhsauth local platform"

// realmPaths are the Keycloak-shaped realms' paths (reference §5.1, the NHS
// pattern Cis2-mock-{env} with env "local").
var realmPaths = []string{"/realms/" + RealmCIS2, "/realms/" + RealmNHSLogin}

// info is the body of GET /_mock/info. It never holds the API secret.
type info struct {
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	BaseURL   string   `json:"base_url"`
	APIKey    string   `json:"api_key"`
	KeySource string   `json:"key_source"`
	Realms    []string `json:"realms"`
	// CallbackURL is the app's registered callback URL (reference §4).
	CallbackURL string `json:"callback_url"`
	// Faults are the break-it faults it plays (fault.go), so a client can
	// tell a platform that would ignore X-Nhsauth-Fault.
	Faults []string `json:"faults"`
}

// handleInfo is GET /_mock/info: the platform's identity and the local app's
// registration (nhsauth's own, DESIGN.md "The local platform").
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, info{
		Name:      infoName,
		Version:   s.opts.Version,
		BaseURL:   s.baseURL(r),
		APIKey:    s.opts.APIKey,
		KeySource: s.infoKeySource(),
		Realms:    realmPaths,

		CallbackURL: s.opts.CallbackURL,
		Faults:      Faults(),
	})
}

// infoKeySource is KeySource with the keys folder made absolute, so a client
// in another working folder can tell whether its key is in it.
func (s *Server) infoKeySource() string {
	if s.opts.JWKSURL == "" {
		if abs, err := filepath.Abs(s.opts.KeysDir); err == nil {
			return "keys folder " + abs
		}
	}
	return s.KeySource()
}
