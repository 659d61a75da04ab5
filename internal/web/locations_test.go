package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestLocations: the owner adds a location in another time zone and edits
// one; a bad zone is shown next to its field and changes nothing; other
// roles may not.
func TestLocations(t *testing.T) {
	s := testsrv.Start(t, store.SQLite)
	owner := s.SignIn(t, testsrv.Owner)
	if r := post(t, owner, s.URL+"/admin/locations", url.Values{"name": {"El Paso"}, "city": {"El Paso"}, "state": {"TX"}, "time_zone": {"America/Denver"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add: %s", r)
	}
	locs, err := s.DB.Locations(ctx, s.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ep int64
	for _, l := range locs {
		if l.Name == "El Paso" {
			ep = l.ID
			if got := app.LocationZone(s.Org, &l).String(); got != "America/Denver" {
				t.Errorf("El Paso keeps time in %s", got)
			}
		}
	}
	if ep == 0 {
		t.Fatal("the new location is not stored")
	}
	r := post(t, owner, s.URL+"/admin/locations/"+id(ep), url.Values{"name": {"El Paso West"}, "time_zone": {"Mars/Olympus"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="l`+id(ep)+`-time_zone-error"`) {
		t.Errorf("bad zone: %s", r)
	}
	if r := get(t, owner, s.URL+"/admin/locations"); !strings.Contains(r.body, "El Paso") || strings.Contains(r.body, "El Paso West") {
		t.Errorf("the refused change was saved")
	}
	if r := post(t, owner, s.URL+"/admin/locations/"+id(ep), url.Values{"name": {"El Paso West"}, "time_zone": {"America/Denver"}, "phone": {"915-555-0100"}}); r.status != http.StatusSeeOther {
		t.Errorf("edit: %s", r)
	}
	if r := get(t, owner, s.URL+"/admin/locations"); !strings.Contains(r.body, "El Paso West") || !strings.Contains(r.body, "915-555-0100") {
		t.Errorf("the change is not shown")
	}
	for _, who := range []string{testsrv.FrontDesk, testsrv.TherapistA} {
		c := s.SignIn(t, who)
		if r := get(t, c, s.URL+"/admin/locations"); r.status != http.StatusForbidden {
			t.Errorf("%s opens locations: %d", who, r.status)
		}
		if r := post(t, c, s.URL+"/admin/locations/"+id(ep), url.Values{"name": {"Taken"}, "time_zone": {"UTC"}}); r.status != http.StatusForbidden {
			t.Errorf("%s edits a location: %d", who, r.status)
		}
	}
}
