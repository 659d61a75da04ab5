package web

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /admin/locations", s.signedIn(s.locationsPage))
		m.HandleFunc("POST /admin/locations", s.signedIn(s.locationSave))
		m.HandleFunc("POST /admin/locations/{id}", s.signedIn(s.locationSave))
	})
}

// LocationsPage is the data of locations.html: the organisation's
// locations with their addresses and time zones, each editable, and a form
// to add one.
type LocationsPage struct {
	FormPage
	Locations []clinic.Location
	New       clinic.Location
	EditID    int64 // the location whose form shows Error and Fields
	Zones     []string
	OrgZone   string
}

// commonZones are offered as suggestions; any IANA name is accepted.
var commonZones = []string{"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "America/Toronto", "America/Vancouver", "Europe/London", "Australia/Sydney"}

func (s *Server) locationsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := &LocationsPage{FormPage: FormPage{Page: Page{Title: "Locations", Actor: a, Nav: "settings"}}}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	s.renderLocations(w, r, a, http.StatusOK, p)
}

func (s *Server) renderLocations(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p *LocationsPage) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	locs, err := s.App.Locations(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Locations, p.Zones, p.OrgZone = locs, commonZones, a.Org.TimeZone
	s.render(w, r, status, "locations", p)
}

func (s *Server) locationSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var id int64
	if r.PathValue("id") != "" {
		n, err := pathNumber(r, "id", "location")
		if err != nil {
			s.fail(w, r, a, err)
			return
		}
		id = n
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	f := r.PostForm
	l := clinic.Location{ID: id, Name: f.Get("name"), Address1: f.Get("address1"), City: f.Get("city"), State: f.Get("state"), Zip: f.Get("zip"),
		Phone: f.Get("phone"), TimeZone: f.Get("time_zone")}
	if err := s.App.SaveLocation(r.Context(), a, &l); err != nil {
		if st := errs.HTTPStatus(err); st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound {
			s.fail(w, r, a, err)
			return
		}
		p := &LocationsPage{FormPage: FormPage{Page: Page{Title: "Locations", Actor: a, Nav: "settings"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)}, EditID: id}
		if id == 0 {
			p.New = l
		}
		s.renderLocations(w, r, a, http.StatusUnprocessableEntity, p)
		return
	}
	http.Redirect(w, r, "/admin/locations?saved=1", http.StatusSeeOther)
}
