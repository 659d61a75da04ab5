package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/fascia-health/fascia/internal/auth"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /documents/{id}", s.signedIn(s.documentDownload))
	})
}

// documentDownload sends a scanned document back as a download, with the
// type sniffed from its bytes when it was uploaded: a browser never
// renders it inside Fascia's pages, whatever the file holds.
func (s *Server) documentDownload(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	d, data, err := s.App.Document(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(data)
}
