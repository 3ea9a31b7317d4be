package mock

// Placeholders owned by the separate-authentication work; replaced as it lands.

import "net/http"

func (s *Server) handleMockCredentials(w http.ResponseWriter, r *http.Request) {}
func (s *Server) handleRealm(w http.ResponseWriter, r *http.Request)           {}
