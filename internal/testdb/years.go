package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// Years is a busy clinic's calendar for benchmarks: one location in
// America/Chicago with 20 therapists working Monday to Friday 08:00–18:00,
// each with up to eight 60-minute appointments (15 minutes' turnover) every
// working day for the years asked and four weeks ahead (with a quarter of
// the times left open), and a service ten of them perform.
type Years struct {
	Org          *clinic.Organisation
	Location     clinic.Location
	Owner        *clinic.User
	Therapists   []int64
	Service      int64 // every therapist
	Service10    int64 // the first ten therapists only
	Monday       time.Time
	Appointments int
	Zone         *time.Location
}

// OwnerPassword is the password of Years' owner.
const OwnerPassword = "benchmark owner password"

// ClinicYears builds Years in db; now is the clinic's present.
func ClinicYears(tb testing.TB, db *store.DB, years int, now time.Time) *Years {
	tb.Helper()
	ctx := context.Background()
	y := &Years{Zone: clinic.Zone("America/Chicago")}
	hash, err := auth.HashPassword(OwnerPassword)
	if err != nil {
		tb.Fatal(err)
	}
	var clients []int64
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		y.Org = &clinic.Organisation{Name: "Busy Clinic", Slug: "busy", TimeZone: "America/Chicago"}
		if err := db.CreateOrg(ctx, tx, y.Org); err != nil {
			return err
		}
		y.Location = clinic.Location{OrgID: y.Org.ID, Name: "Main", TimeZone: "America/Chicago"}
		if err := db.CreateLocation(ctx, tx, &y.Location); err != nil {
			return err
		}
		y.Owner = &clinic.User{OrgID: y.Org.ID, Email: "owner@busy.test", Name: "Owner", Role: clinic.RoleOwner, LocationIDs: []int64{y.Location.ID}}
		if err := db.CreateUser(ctx, tx, y.Owner, hash); err != nil {
			return err
		}
		for i := 0; i < 20; i++ {
			u := &clinic.User{OrgID: y.Org.ID, Email: fmt.Sprintf("t%02d@busy.test", i), Name: fmt.Sprintf("Therapist %02d", i), Role: clinic.RoleTherapist, LocationIDs: []int64{y.Location.ID}}
			if err := db.CreateUser(ctx, tx, u, hash); err != nil {
				return err
			}
			y.Therapists = append(y.Therapists, u.ID)
			var hs []schedule.Hours
			for d := time.Monday; d <= time.Friday; d++ {
				hs = append(hs, schedule.Hours{TherapistID: u.ID, LocationID: y.Location.ID, Weekday: d, Start: 8 * 60, End: 18 * 60})
			}
			if err := db.SetWeeklyHours(ctx, tx, y.Org.ID, u.ID, y.Location.ID, hs); err != nil {
				return err
			}
		}
		all := &schedule.Service{OrgID: y.Org.ID, Name: "Medical massage", Minutes: 60, BufferAfter: 15, Active: true, Online: true}
		if err := db.CreateService(ctx, tx, all); err != nil {
			return err
		}
		ten := &schedule.Service{OrgID: y.Org.ID, Name: "Lymphatic drainage", Minutes: 60, BufferAfter: 15, Active: true, Online: true, Performers: y.Therapists[:10]}
		if err := db.CreateService(ctx, tx, ten); err != nil {
			return err
		}
		y.Service, y.Service10 = all.ID, ten.ID
		for i := 0; i < 2000; i++ {
			c := &clinic.Client{OrgID: y.Org.ID, FirstName: fmt.Sprintf("First%04d", i), LastName: fmt.Sprintf("Last%04d", i), DOB: "1970-01-01", PreferredLocationID: y.Location.ID}
			if err := db.CreateClient(ctx, tx, c); err != nil {
				return err
			}
			clients = append(clients, c.ID)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	local := now.In(y.Zone)
	y.Monday = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, y.Zone)
	for y.Monday.Weekday() != time.Monday {
		y.Monday = y.Monday.AddDate(0, 0, 1)
	}
	first := y.Monday.AddDate(-years, 0, 0)
	var as []schedule.Appointment
	for day, n := first, 0; day.Before(y.Monday.AddDate(0, 0, 28)); day, n = day.AddDate(0, 0, 1), n+1 {
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		for ti, t := range y.Therapists {
			for k := 0; k < 8; k++ {
				if (ti+k+n)%4 == 0 {
					continue // a quarter of the times stay open
				}
				// At one time on one day every therapist has another client.
				c := clients[(ti*8+k+160*(n%12))%len(clients)]
				st := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, y.Zone).Add(time.Duration(k) * 75 * time.Minute)
				status := schedule.Completed
				if st.After(now) {
					status = schedule.Booked
				}
				as = append(as, schedule.Appointment{OrgID: y.Org.ID, LocationID: y.Location.ID, TherapistID: t, ClientID: c, ServiceID: y.Service,
					Start: st.UTC(), End: st.Add(time.Hour).UTC(), BufferAfter: 15, Status: status, Source: schedule.SourceStaff})
			}
		}
	}
	if err := db.BulkAppointmentsForBench(ctx, as, now); err != nil {
		tb.Fatal(err)
	}
	if err := db.AnalyzeForBench(ctx); err != nil {
		tb.Fatal(err)
	}
	y.Appointments = len(as)
	return y
}
