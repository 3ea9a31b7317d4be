package mock

// Placeholders owned by the client-credentials work; replaced as it lands.

import (
	"net/http"
	"time"
)

type jtiCache struct{}

func newJTICache(now func() time.Time) *jtiCache { return &jtiCache{} }

type appKeys struct{}

func newAppKeys(opts Options) *appKeys { return &appKeys{} }

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request)            {}
func (s *Server) handleHelloWorld(w http.ResponseWriter, r *http.Request)       {}
func (s *Server) handleHelloApplication(w http.ResponseWriter, r *http.Request) {}
func (s *Server) handleHelloUser(w http.ResponseWriter, r *http.Request)        {}
func (s *Server) handlePatient(w http.ResponseWriter, r *http.Request)          {}
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request)             {}
