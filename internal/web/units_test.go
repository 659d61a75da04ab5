package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestUnitsPage: the calculator page counts units as `fascia units` does,
// for every role, and marks bad minutes next to their row.
func TestUnitsPage(t *testing.T) {
	s := testsrv.Start(t, store.SQLite)
	for _, who := range []string{testsrv.Owner, testsrv.Biller, testsrv.FrontDesk, testsrv.TherapistA} {
		c := s.SignIn(t, who)
		r := get(t, c, s.URL+"/codes/units?rule=cms&code=97140&minutes=33&code=97124&minutes=7")
		if r.status != http.StatusOK || !strings.Contains(r.body, "3 units") || !strings.Contains(r.body, "40 timed minutes → 3 units: 2 × 97140, 1 × 97124") {
			t.Errorf("%s: %d %.300s", who, r.status, r.body)
		}
	}
	c := s.SignIn(t, testsrv.Biller)
	if r := get(t, c, s.URL+"/codes/units?rule=ama&code=97140&minutes=10&code=97124&minutes=10&code=97112&minutes=10"); !strings.Contains(r.body, "3 units") {
		t.Errorf("ama: %.300s", r.body)
	}
	r := get(t, c, s.URL+"/codes/units?code=97140&minutes=-4")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="minutes-0-error"`) {
		t.Errorf("negative minutes: %d", r.status)
	}
	if r := get(t, c, s.URL+"/codes/units?code=99999&minutes=10"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "not a procedure code") {
		t.Errorf("unknown code: %d", r.status)
	}
}
