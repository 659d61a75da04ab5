package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

type apptJSON struct {
	ID          int64    `json:"id"`
	ClientID    int64    `json:"client_id"`
	TherapistID int64    `json:"therapist_id"`
	LocationID  int64    `json:"location_id"`
	ServiceID   int64    `json:"service_id"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Status      string   `json:"status"`
	Source      string   `json:"source"`
	FeeCents    int64    `json:"fee_cents"`
	Version     int64    `json:"version"`
	Warnings    []string `json:"warnings"`
}

// TestAPIAppointmentsContract is the contract of issue #5: POST books (201)
// or refuses a double-booking (409) with a clear message; GET lists by
// range and therapist.
func TestAPIAppointmentsContract(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := testsrv.Start(t, eng)
		tok := s.Token(t, testsrv.FrontDesk)
		maria := userID(t, s, testsrv.TherapistA)
		zone := app.LocationZone(s.Org, &s.Downtown)
		svcs, err := s.DB.Services(ctx, s.Org.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		var relax, medical int64
		for _, sv := range svcs {
			switch sv.Name {
			case "Relaxation massage, 60 minutes":
				relax = sv.ID
			case "Medical massage, 60 minutes":
				medical = sv.ID
			}
		}
		clients, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{Limit: 5, LocationIDs: []int64{s.Downtown.ID}})
		if err != nil || len(clients) < 2 {
			t.Fatalf("clients: %v", err)
		}
		d := time.Now().In(zone).AddDate(0, 0, 28)
		for d.Weekday() != time.Tuesday {
			d = d.AddDate(0, 0, 1)
		}
		at := func(h, m int) string {
			return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, zone).Format(time.RFC3339)
		}
		body := func(client, service int64, start string) string {
			return fmt.Sprintf(`{"client_id":%d,"therapist_id":%d,"location_id":%d,"service_id":%d,"start":%q}`, client, maria, s.Downtown.ID, service, start)
		}

		r := callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(clients[0].ID, relax, at(10, 0)))
		if r.status != http.StatusCreated {
			t.Fatalf("book: %s", r)
		}
		a := decodeAs[apptJSON](t, r)
		if a.ID == 0 || a.Status != "booked" || a.Source != "api" || a.TherapistID != maria || a.Warnings == nil {
			t.Errorf("booked: %+v", a)
		}
		if st, _ := time.Parse(time.RFC3339, a.Start); st.In(zone).Hour() != 10 {
			t.Errorf("start %s is not 10:00 in %s", a.Start, zone)
		}
		if r.header.Get("Location") != fmt.Sprintf("/api/v1/appointments/%d", a.ID) {
			t.Errorf("Location %q", r.header.Get("Location"))
		}

		// The same time for another client: 409 naming the therapist.
		r = callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(clients[1].ID, relax, at(10, 30)))
		ce := wantError(t, "double-booking", r, http.StatusConflict, "conflict")
		if !strings.Contains(ce.Error.Message, "already booked") || ce.Error.Fields["therapist_id"] == "" {
			t.Errorf("409 says %+v", ce.Error)
		}
		// Bad times: 422 with the field.
		for _, c := range []struct{ name, start, says string }{
			{"outside hours", at(7, 0), "outside the therapist's hours"},
			{"in the past", time.Now().Add(-48 * time.Hour).Truncate(time.Hour).Format(time.RFC3339), "past"},
			{"not RFC 3339", "next tuesday at ten", "RFC 3339"},
			{"off the grid", at(14, 3), "five-minute"},
		} {
			r := callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(clients[1].ID, relax, c.start))
			e := wantError(t, c.name, r, http.StatusUnprocessableEntity, "invalid")
			if !strings.Contains(e.Error.Message+fmt.Sprint(e.Error.Fields), c.says) {
				t.Errorf("%s: %+v", c.name, e.Error)
			}
		}
		// Another organisation's client is not ours to book.
		r = callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(s.OtherClient.ID, relax, at(15, 0)))
		if r.status != http.StatusUnprocessableEntity && r.status != http.StatusNotFound {
			t.Errorf("other org's client: %s", r)
		}
		// Medical massage without a prescription on file books with a warning.
		fresh := clinic.Client{FirstName: "Walk", LastName: "In", DOB: "1990-01-01", PreferredLocationID: s.Downtown.ID}
		if err := s.App.CreateClient(ctx, ownerActor(t, s), &fresh); err != nil {
			t.Fatal(err)
		}
		r = callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(fresh.ID, medical, at(15, 0)))
		if r.status != http.StatusCreated {
			t.Fatalf("medical: %s", r)
		}
		if w := decodeAs[apptJSON](t, r).Warnings; len(w) == 0 || !strings.Contains(w[0], "prescription") {
			t.Errorf("warnings %q", w)
		}

		// Listing: the day's appointments of Maria, in order.
		from, to := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone), time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, zone)
		q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "therapist_id": {fmt.Sprint(maria)}}
		r = callS(t, s, tok, http.MethodGet, "/api/v1/appointments?"+q.Encode(), "")
		list := decodeAs[struct {
			Appointments []apptJSON `json:"appointments"`
		}](t, r).Appointments
		if r.status != http.StatusOK || len(list) != 2 || list[0].ID != a.ID || list[1].ServiceID != medical {
			t.Errorf("list: %s", r)
		}
		for _, bad := range []string{"from=yesterday&to=" + url.QueryEscape(to.Format(time.RFC3339)), "from=" + url.QueryEscape(from.Format(time.RFC3339)), "therapist_id=x&from=a&to=b"} {
			wantError(t, "list "+bad, callS(t, s, tok, http.MethodGet, "/api/v1/appointments?"+bad, ""), http.StatusUnprocessableEntity, "invalid")
		}

		// Move with the version read; a stale version is a 409.
		r = callS(t, s, tok, http.MethodPost, fmt.Sprintf("/api/v1/appointments/%d/move", a.ID), fmt.Sprintf(`{"version":%d,"start":%q}`, a.Version, at(11, 30)))
		moved := decodeAs[apptJSON](t, r)
		if r.status != http.StatusOK || moved.Version != a.Version+1 {
			t.Fatalf("move: %s", r)
		}
		wantError(t, "stale move", callS(t, s, tok, http.MethodPost, fmt.Sprintf("/api/v1/appointments/%d/move", a.ID), fmt.Sprintf(`{"version":%d,"start":%q}`, a.Version, at(9, 0))), http.StatusConflict, "conflict")
		// The old time is free again.
		if r := callS(t, s, tok, http.MethodPost, "/api/v1/appointments", body(clients[1].ID, relax, at(10, 0))); r.status != http.StatusCreated {
			t.Errorf("the old time after the move: %s", r)
		}
		// Cancel with a reason, weeks ahead: no fee.
		r = callS(t, s, tok, http.MethodPost, fmt.Sprintf("/api/v1/appointments/%d/status", a.ID), fmt.Sprintf(`{"version":%d,"status":"cancelled","reason":"Client is ill"}`, moved.Version))
		if c := decodeAs[apptJSON](t, r); r.status != http.StatusOK || c.Status != "cancelled" || c.FeeCents != 0 {
			t.Errorf("cancel: %s", r)
		}

		// The biller reads but does not book; another organisation sees nothing.
		bt := s.Token(t, testsrv.Biller)
		wantError(t, "biller books", callS(t, s, bt, http.MethodPost, "/api/v1/appointments", body(clients[1].ID, relax, at(16, 0))), http.StatusForbidden, "forbidden")
		if r := callS(t, s, bt, http.MethodGet, fmt.Sprintf("/api/v1/appointments/%d", a.ID), ""); r.status != http.StatusOK {
			t.Errorf("biller reads: %s", r)
		}
		ot := s.Token(t, testsrv.OtherOwner)
		wantError(t, "other org reads", callS(t, s, ot, http.MethodGet, fmt.Sprintf("/api/v1/appointments/%d", a.ID), ""), http.StatusNotFound, "not_found")
	})
}

func userID(t *testing.T, s *testsrv.Server, email string) int64 {
	t.Helper()
	c, err := s.DB.CredentialsByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return c.UserID
}

// FuzzBookAppointmentBody posts arbitrary bytes to POST /api/v1/appointments:
// the answer is never a server error, and nothing is booked in the past.
func FuzzBookAppointmentBody(f *testing.F) {
	s := testsrv.Start(f, store.SQLite)
	tok := s.Token(f, testsrv.FrontDesk)
	for _, b := range []string{
		fmt.Sprintf(`{"client_id":1,"therapist_id":2,"location_id":%d,"service_id":4,"start":"2030-03-04T10:00:00-06:00"}`, s.Downtown.ID),
		`{"client_id":1,"therapist_id":2,"location_id":1,"service_id":4,"start":"2030-03-04T10:00:00Z","minutes":-5,"room_id":99,"client_package_id":7}`,
		`{"client_id":-1,"therapist_id":9223372036854775807,"location_id":0,"service_id":0,"start":"0001-01-01T00:00:00Z"}`,
		`{"start":"9999-12-31T23:59:59+14:00","minutes":2147483647}`,
		`{"start":"2030-03-04T10:00:00-06:00","note":"\u0000\ud800"}`,
		`{"client_id":"1"}`, `[`, ``, "\xff",
	} {
		f.Add([]byte(b))
	}
	c := s.Client()
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/appointments", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("POST %q: %d %s", body, res.StatusCode, b)
		}
	})
}
