package web

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/auth"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /account/calendar-feed", s.signedIn(s.feedPage))
		m.HandleFunc("POST /account/calendar-feed", s.signedIn(s.feedRotate))
	})
}

// FeedPage is the data of account_feed.html: the user's own calendar feed
// for a phone, whose secret address is shown once when it is made.
type FeedPage struct {
	Page
	URL string // the new address, shown once
}

func (s *Server) feedPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := s.App.RequireFeed(r.Context(), a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "account_feed", FeedPage{Page: Page{Title: "Calendar feed", Actor: a, Nav: "account"}})
}

func (s *Server) feedRotate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	tok, err := s.App.RotateFeed(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "account_feed", FeedPage{Page: Page{Title: "Calendar feed", Actor: a, Nav: "account"}, URL: s.App.BaseURL + "/feed/" + tok + ".ics"})
}
