package mock

import (
	"net/http"
	"strings"
	"time"
)

// armedTTL is how long armed faults wait for their journey's request.
const armedTTL = 10 * time.Minute

// armedLimit bounds the journeys with armed faults at once.
const armedLimit = 1000

// handleArmFaults is POST /_mock/faults (nhsauth's own): it arms faults for
// the hops of one journey that the client does not send itself, such as a
// browser's visit to the authorise or login page. The form names the
// journey by the state its requests carry (state=…) and the faults
// (fault=name[,name…]); the first request whose query has that state gets
// them, once, and they are gone. Armed faults never touch another journey.
//
//	curl -d state=abc -d fault=slow-idp http://127.0.0.1:8400/_mock/faults
func (s *Server) handleArmFaults(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "Request body is not valid application/x-www-form-urlencoded"))
		return
	}
	state := r.PostForm.Get("state")
	fs := faultSet{}
	bad := parseFaults(strings.Join(r.PostForm["fault"], ","), fs)
	switch {
	case state == "":
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "state is missing: name the journey by the state its requests carry"))
		return
	case bad != "":
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "unknown fault "+quote(bad)+" (known: "+strings.Join(Faults(), ", ")+")"))
		return
	case len(fs) == 0:
		writeError(w, perr(http.StatusBadRequest, "invalid_request", "fault is missing: name at least one of "+strings.Join(Faults(), ", ")))
		return
	}
	if s.armed.put(state, fs, s.now().Add(armedTTL)) != nil {
		writeError(w, s.storeFull("armed faults"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
