package app_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestClientBookedAtYourLocation: a client of another location becomes
// visible to a therapist once booked at the therapist's location (so the
// session can be documented), and stops being so when that appointment is
// cancelled.
func TestClientBookedAtYourLocation(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.9"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.RoundRock.ID}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var c *clinic.Client
		for i := range cs {
			if booked, err := s.DB.ClientBookedAt(ctx, s.Org.ID, cs[i].ID, []int64{s.Downtown.ID}); err == nil && !booked {
				c = &cs[i]
				break
			}
		}
		if c == nil {
			t.Fatal("every Round Rock client is booked at Downtown")
		}
		if _, err := s.App.Client(ctx, maria, c.ID); errs.Code(err) != errs.Forbidden {
			t.Fatalf("before any booking: %v, want forbidden", err)
		}

		start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
		x := &schedule.Appointment{OrgID: s.Org.ID, LocationID: s.Downtown.ID, TherapistID: maria.User.ID, ClientID: c.ID,
			Start: start, End: start.Add(time.Hour), Status: schedule.Booked, Source: schedule.SourceStaff}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			sv := &schedule.Service{OrgID: s.Org.ID, Name: "Access test", Minutes: 60, PriceCents: 9000, Active: true}
			if err := s.DB.CreateService(ctx, tx, sv); err != nil {
				return err
			}
			x.ServiceID = sv.ID
			return s.DB.BookAppointment(ctx, tx, x)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Client(ctx, maria, c.ID); err != nil {
			t.Errorf("booked at Downtown: %v", err)
		}
		if _, err := s.App.StartSession(ctx, maria, c.ID, x.ID, 0); err != nil && errs.Code(err) == errs.Forbidden {
			t.Errorf("the session of the appointment: %v", err)
		}
		// Another location's therapist still may not.
		james, _ := signIn(t, s, testsrv.TherapistB, addr)
		dts, _ := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.Downtown.ID}, Limit: 100})
		for _, dt := range dts {
			booked, err := s.DB.ClientBookedAt(ctx, s.Org.ID, dt.ID, james.User.LocationIDs)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Client(ctx, james, dt.ID); booked != (err == nil) || !booked && errs.Code(err) != errs.Forbidden {
				t.Errorf("Round Rock therapist reads Downtown client %d (booked at Round Rock: %v): %v", dt.ID, booked, err)
			}
		}

		if _, err := s.App.SetAppointmentStatus(ctx, owner, x.ID, app.StatusRequest{Version: x.Version, Status: schedule.Cancelled, Reason: "Client moved away", WaiveFee: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Client(ctx, maria, c.ID); errs.Code(err) != errs.Forbidden {
			t.Errorf("after the cancellation: %v, want forbidden", err)
		}
	})
}
