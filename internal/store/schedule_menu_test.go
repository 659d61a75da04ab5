package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// menuUser adds a member of staff to an organisation.
func menuUser(t *testing.T, db *store.DB, orgID int64, name string, role clinic.Role, locs ...int64) *clinic.User {
	t.Helper()
	u := &clinic.User{OrgID: orgID, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Name: name, Role: role, LocationIDs: locs}
	if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateUser(context.Background(), tx, u, "hash") }); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if errs.Code(err) != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

func TestMenuServices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		outsider := menuUser(t, db, f.otherOrg.ID, "Olga Other", clinic.RoleTherapist, f.otherOrgLoc.ID)

		medical := &schedule.Service{OrgID: f.org.ID, Name: "Medical massage, 60 minutes", Description: "For a condition your doctor prescribed massage for.",
			Minutes: 60, BufferBefore: 5, BufferAfter: 15, PriceCents: 11000,
			Procedures: []schedule.ProcedureLine{{Code: "97140", Units: 2}, {Code: "97124", Units: 2}},
			Performers: []int64{f.therapist.ID}, NeedsPrescription: true, Online: true, Active: true}
		relax := &schedule.Service{OrgID: f.org.ID, Name: "Aromatherapy, 30 minutes", Minutes: 30, PriceCents: 5500, Online: true, Active: true}
		for _, s := range []*schedule.Service{medical, relax} {
			if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateService(ctx, tx, s) }); err != nil || s.ID == 0 {
				t.Fatalf("create %s: %v", s.Name, err)
			}
		}

		// Read back as written; an empty performer list means every therapist.
		got, err := db.Service(ctx, f.org.ID, medical.ID)
		if err != nil || !reflect.DeepEqual(got, medical) {
			t.Fatalf("read back\n got %+v, %v\nwant %+v", got, err, medical)
		}
		got, err = db.Service(ctx, f.org.ID, relax.ID)
		if err != nil || len(got.Performers) != 0 || len(got.Procedures) != 0 || !got.PerformedBy(f.therapist.ID) || got.Name != relax.Name {
			t.Fatalf("service without performers read back %+v, %v", got, err)
		}

		// The menu keeps the order services were added in, not the alphabet.
		names := func(activeOnly bool) string {
			ss, err := db.Services(ctx, f.org.ID, activeOnly)
			if err != nil {
				t.Fatal(err)
			}
			var n []string
			for _, s := range ss {
				n = append(n, s.Name)
			}
			return strings.Join(n, ", ")
		}
		if got := names(false); got != "Medical massage, 60 minutes, Aromatherapy, 30 minutes" {
			t.Errorf("menu = %q", got)
		}

		// Taken off the menu, it is gone from the active list only.
		medical.Active, medical.PriceCents = false, 12000
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdateService(ctx, tx, medical) }); err != nil {
			t.Fatal(err)
		}
		if got := names(true); got != "Aromatherapy, 30 minutes" {
			t.Errorf("active menu = %q", got)
		}
		if got, _ := db.Service(ctx, f.org.ID, medical.ID); got.PriceCents != 12000 || got.Active {
			t.Errorf("after update: %+v", got)
		}

		// Another organisation neither sees nor changes them.
		if _, err := db.Service(ctx, f.otherOrg.ID, medical.ID); errs.Code(err) != errs.NotFound || strings.Contains(errs.Message(err), "Medical") {
			t.Errorf("other organisation read a service: %v", err)
		}
		if ss, err := db.Services(ctx, f.otherOrg.ID, false); err != nil || len(ss) != 0 {
			t.Errorf("other organisation's menu = %v, %v", ss, err)
		}
		hijack := *relax
		hijack.OrgID, hijack.Name = f.otherOrg.ID, "Hijacked"
		wantCode(t, "update from another organisation", tx(t, db, func(tx *sql.Tx) error { return db.UpdateService(ctx, tx, &hijack) }), errs.NotFound)
		if got, _ := db.Service(ctx, f.org.ID, relax.ID); got.Name != relax.Name {
			t.Errorf("another organisation renamed the service to %q", got.Name)
		}

		// A performer must be one of the organisation's therapists.
		bad := &schedule.Service{OrgID: f.org.ID, Name: "Sports massage", Minutes: 60, Performers: []int64{outsider.ID}, Active: true}
		err = tx(t, db, func(tx *sql.Tx) error { return db.CreateService(ctx, tx, bad) })
		if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["performers"] == "" {
			t.Errorf("another organisation's therapist as performer: %v", err)
		}
		// Bad input is refused with the field named, never stored.
		for name, s := range map[string]*schedule.Service{
			"minutes":     {OrgID: f.org.ID, Name: "No length"},
			"name":        {OrgID: f.org.ID, Name: "Bad \x00 name", Minutes: 30},
			"description": {OrgID: f.org.ID, Name: "Long", Minutes: 30, Description: strings.Repeat("é", 4001)},
		} {
			err := tx(t, db, func(tx *sql.Tx) error { return db.CreateService(ctx, tx, s) })
			if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[name] == "" {
				t.Errorf("bad %s: %v", name, err)
			}
		}
		if got := names(false); strings.Count(got, ",") != 3 {
			t.Errorf("refused services were stored: %q", got)
		}
	})
}

// menuAppointment inserts an appointment row drawing on a client package,
// as the calendar would have.
func menuAppointment(t *testing.T, db *store.DB, f fixture, clientID, serviceID, packageID int64, start time.Time, status string) {
	t.Helper()
	_, err := db.ExecForTest(context.Background(), `INSERT INTO appointments (org_id, location_id, therapist_id, client_id, service_id, starts_at, ends_at, status,
		client_package_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0)`,
		f.org.ID, f.locA.ID, f.therapist.ID, clientID, serviceID, start.UnixMilli(), start.Add(time.Hour).UnixMilli(), status, packageID)
	if err != nil {
		t.Fatal(err)
	}
}

func TestMenuPackages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		stranger := &clinic.Client{OrgID: f.otherOrg.ID, FirstName: "Sam", LastName: "Stranger", DOB: "1960-01-01", Sex: clinic.SexMale, PreferredLocationID: f.otherOrgLoc.ID}
		create(t, db, stranger)

		svc := &schedule.Service{OrgID: f.org.ID, Name: "Medical massage", Minutes: 60, Active: true}
		otherSvc := &schedule.Service{OrgID: f.otherOrg.ID, Name: "Theirs", Minutes: 60, Active: true}
		for _, s := range []*schedule.Service{svc, otherSvc} {
			if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateService(ctx, tx, s) }); err != nil {
				t.Fatal(err)
			}
		}
		ten := &schedule.Package{OrgID: f.org.ID, Name: "10 medical massages", ServiceID: svc.ID, Sessions: 10, PriceCents: 99000, ValidDays: 365, Active: true}
		five := &schedule.Package{OrgID: f.org.ID, Name: "5 of anything", Sessions: 5, PriceCents: 45000, ValidDays: 90, Active: true}
		for _, p := range []*schedule.Package{ten, five} {
			if err := tx(t, db, func(tx *sql.Tx) error { return db.CreatePackage(ctx, tx, p) }); err != nil {
				t.Fatal(err)
			}
		}
		ps, err := db.Packages(ctx, f.org.ID)
		if err != nil || len(ps) != 2 || !reflect.DeepEqual(ps[0], *ten) || !reflect.DeepEqual(ps[1], *five) {
			t.Fatalf("packages = %+v, %v", ps, err)
		}
		if ps, _ := db.Packages(ctx, f.otherOrg.ID); len(ps) != 0 {
			t.Errorf("other organisation sees packages %+v", ps)
		}
		foreign := &schedule.Package{OrgID: f.org.ID, Name: "Theirs", ServiceID: otherSvc.ID, Sessions: 3, ValidDays: 30, Active: true}
		err = tx(t, db, func(tx *sql.Tx) error { return db.CreatePackage(ctx, tx, foreign) })
		if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["service_id"] == "" {
			t.Errorf("package of another organisation's service: %v", err)
		}

		// Selling copies the terms: a later change of the package is not a
		// change of what Ann bought.
		sell := func(cp *schedule.ClientPackage) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SellPackage(ctx, tx, cp) })
		}
		older := &schedule.ClientPackage{OrgID: f.org.ID, ClientID: ann.ID, PackageID: five.ID, PurchasedOn: "2025-12-01"}
		bought := &schedule.ClientPackage{OrgID: f.org.ID, ClientID: ann.ID, PackageID: ten.ID, PurchasedOn: "2026-03-01"}
		for _, cp := range []*schedule.ClientPackage{older, bought} {
			if err := sell(cp); err != nil {
				t.Fatal(err)
			}
		}
		if bought.Name != ten.Name || bought.Sessions != 10 || bought.ServiceID != svc.ID || bought.ExpiresOn != "2027-03-01" {
			t.Errorf("sold %+v", bought)
		}
		if older.ExpiresOn != "2026-03-01" || older.ServiceID != 0 {
			t.Errorf("90 days from 2025-12-01: %+v", older)
		}
		ten.Sessions, ten.Active = 12, false
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdatePackage(ctx, tx, ten) }); err != nil {
			t.Fatal(err)
		}

		// Ann has used 5 (kept, checked in, no-show, late-cancelled, and a
		// past one nobody marked), has 2 coming, and a cancellation in time
		// gives the session back: 3 left of 10.
		for _, a := range []struct {
			at     time.Time
			status string
		}{
			{now.Add(-30 * 24 * time.Hour), schedule.Completed},
			{now.Add(-20 * 24 * time.Hour), schedule.NoShow},
			{now.Add(-10 * 24 * time.Hour), schedule.LateCancelled},
			{now.Add(-9 * 24 * time.Hour), schedule.Cancelled},
			{now.Add(-2 * 24 * time.Hour), schedule.Booked},
			{now.Add(-30 * time.Minute), schedule.CheckedIn},
			{now, schedule.Booked},
			{now.Add(7 * 24 * time.Hour), schedule.Booked},
			{now.Add(8 * 24 * time.Hour), schedule.Cancelled},
		} {
			menuAppointment(t, db, f, ann.ID, svc.ID, bought.ID, a.at, a.status)
		}
		menuAppointment(t, db, f, ann.ID, svc.ID, older.ID, now.Add(24*time.Hour), schedule.Booked)

		cp, err := db.ClientPackage(ctx, f.org.ID, bought.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Sessions != 10 || cp.Used != 5 || cp.Booked != 2 || cp.Remaining() != 3 || cp.Name != "10 medical massages" || cp.PurchasedOn != "2026-03-01" {
			t.Errorf("client package = %+v (remaining %d)", cp, cp.Remaining())
		}
		list, err := db.ClientPackages(ctx, f.org.ID, ann.ID)
		if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], *cp) || list[1].ID != older.ID || list[1].Used != 0 || list[1].Booked != 1 {
			t.Fatalf("client packages (newest first) = %+v, %v", list, err)
		}

		// Another organisation sees none of it.
		wantCode(t, "other organisation reads a client package", func() error { _, err := db.ClientPackage(ctx, f.otherOrg.ID, bought.ID); return err }(), errs.NotFound)
		if l, err := db.ClientPackages(ctx, f.otherOrg.ID, ann.ID); err != nil || len(l) != 0 {
			t.Errorf("other organisation lists %+v, %v", l, err)
		}
		wantCode(t, "selling to another organisation's client", sell(&schedule.ClientPackage{OrgID: f.org.ID, ClientID: stranger.ID, PackageID: five.ID, PurchasedOn: "2026-03-10"}), errs.NotFound)
		wantCode(t, "selling another organisation's package", sell(&schedule.ClientPackage{OrgID: f.otherOrg.ID, ClientID: stranger.ID, PackageID: five.ID, PurchasedOn: "2026-03-10"}), errs.Invalid)
		wantCode(t, "selling a package no longer sold", sell(&schedule.ClientPackage{OrgID: f.org.ID, ClientID: ann.ID, PackageID: ten.ID, PurchasedOn: "2026-03-10"}), errs.Invalid)
		wantCode(t, "selling without a date", sell(&schedule.ClientPackage{OrgID: f.org.ID, ClientID: ann.ID, PackageID: five.ID, PurchasedOn: "10/03/2026"}), errs.Invalid)
		if l, _ := db.ClientPackages(ctx, f.org.ID, ann.ID); len(l) != 2 {
			t.Errorf("refused sales were stored: %d packages", len(l))
		}
	})
}

func TestMenuRooms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		add := func(r *schedule.Room) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.CreateRoom(ctx, tx, r) })
		}
		r2 := &schedule.Room{OrgID: f.org.ID, LocationID: f.locA.ID, Name: "Room 2", Active: true}
		r1 := &schedule.Room{OrgID: f.org.ID, LocationID: f.locA.ID, Name: "Room 1", Active: true}
		north := &schedule.Room{OrgID: f.org.ID, LocationID: f.locB.ID, Name: "Table A", Active: true}
		for _, r := range []*schedule.Room{r2, r1, north} {
			if err := add(r); err != nil {
				t.Fatal(err)
			}
		}
		rooms, err := db.Rooms(ctx, f.org.ID, f.locA.ID)
		if err != nil || !reflect.DeepEqual(rooms, []schedule.Room{*r1, *r2}) {
			t.Fatalf("downtown rooms = %+v, %v", rooms, err)
		}
		if all, _ := db.Rooms(ctx, f.org.ID, 0); len(all) != 3 {
			t.Errorf("all rooms = %+v", all)
		}

		// Renamed and out of use; the room stays where it is.
		r1.Name, r1.Active, r1.LocationID = "Quiet room", false, f.locB.ID
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdateRoom(ctx, tx, r1) }); err != nil {
			t.Fatal(err)
		}
		if r1.LocationID != f.locA.ID {
			t.Errorf("room moved to location %d", r1.LocationID)
		}
		if rooms, _ := db.Rooms(ctx, f.org.ID, f.locA.ID); rooms[0].Name != "Quiet room" || rooms[0].Active {
			t.Errorf("after update: %+v", rooms)
		}

		err = add(&schedule.Room{OrgID: f.org.ID, LocationID: f.otherOrgLoc.ID, Name: "Theirs", Active: true})
		if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["location_id"] == "" {
			t.Errorf("room at another organisation's location: %v", err)
		}
		hijack := *r2
		hijack.OrgID = f.otherOrg.ID
		wantCode(t, "update from another organisation", tx(t, db, func(tx *sql.Tx) error { return db.UpdateRoom(ctx, tx, &hijack) }), errs.NotFound)
		if rooms, _ := db.Rooms(ctx, f.otherOrg.ID, 0); len(rooms) != 0 {
			t.Errorf("other organisation sees rooms %+v", rooms)
		}
		if rooms, _ := db.Rooms(ctx, f.otherOrg.ID, f.locA.ID); len(rooms) != 0 {
			t.Errorf("other organisation sees rooms by location %+v", rooms)
		}
	})
}

func TestMenuWeeklyHours(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		tess := f.therapist.ID
		mx := menuUser(t, db, f.org.ID, "Max", clinic.RoleTherapist, f.locA.ID)
		desk := menuUser(t, db, f.org.ID, "Dee Desk", clinic.RoleFrontDesk, f.locA.ID)
		outsider := menuUser(t, db, f.otherOrg.ID, "Olga Other", clinic.RoleTherapist, f.otherOrgLoc.ID)
		set := func(orgID, therapist, loc int64, hs []schedule.Hours) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SetWeeklyHours(ctx, tx, orgID, therapist, loc, hs) })
		}
		week := func(loc int64) string {
			hs, err := db.WeeklyHours(ctx, f.org.ID, loc)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, h := range hs {
				who := "Tess"
				if h.TherapistID == mx.ID {
					who = "Max"
				}
				if h.LocationID == f.locB.ID {
					who += "@North"
				}
				s = append(s, who+" "+h.Weekday.String()[:3]+" "+schedule.Clock(h.Start)+"-"+schedule.Clock(h.End))
			}
			return strings.Join(s, ", ")
		}

		// A split Monday (touching spans are fine) and a long Tuesday.
		tessHours := []schedule.Hours{
			{Weekday: time.Tuesday, Start: 8 * 60, End: 18 * 60},
			{Weekday: time.Monday, Start: 13 * 60, End: 17 * 60},
			{Weekday: time.Monday, Start: 9 * 60, End: 13 * 60},
		}
		if err := set(f.org.ID, tess, f.locA.ID, tessHours); err != nil {
			t.Fatal(err)
		}
		if tessHours[0].ID == 0 || tessHours[0].TherapistID != tess || tessHours[0].LocationID != f.locA.ID {
			t.Errorf("hours not filled in: %+v", tessHours[0])
		}
		if err := set(f.org.ID, mx.ID, f.locA.ID, []schedule.Hours{{Weekday: time.Sunday, Start: 600, End: 900}}); err != nil {
			t.Fatal(err)
		}
		if err := set(f.org.ID, tess, f.locB.ID, []schedule.Hours{{Weekday: time.Friday, Start: 600, End: 960}}); err != nil {
			t.Fatal(err)
		}
		want := "Tess Mon 09:00-13:00, Tess Mon 13:00-17:00, Tess Tue 08:00-18:00"
		if mx.ID < tess {
			want = "Max Sun 10:00-15:00, " + want
		} else {
			want += ", Max Sun 10:00-15:00"
		}
		if got := week(f.locA.ID); got != want {
			t.Errorf("downtown week = %q, want %q", got, want)
		}
		if got := week(0); !strings.Contains(got, "Tess@North Fri 10:00-16:00") || strings.Count(got, ",") != 4 {
			t.Errorf("whole week = %q", got)
		}

		// Overlapping Monday spans are refused with the times named, and the
		// hours stay as they were.
		err := set(f.org.ID, tess, f.locA.ID, []schedule.Hours{{Weekday: time.Monday, Start: 540, End: 720}, {Weekday: time.Monday, Start: 660, End: 840}, {Weekday: time.Wednesday, Start: 540, End: 720}})
		if errs.Code(err) != errs.Invalid || !strings.Contains(errs.Message(err), "Monday") || !strings.Contains(errs.Message(err), "11:00") {
			t.Errorf("overlapping hours: %v", err)
		}
		if got := week(f.locA.ID); got != want {
			t.Errorf("after refused overlap = %q", got)
		}
		// The same span on different days, or at different locations, is no overlap.
		if err := set(f.org.ID, mx.ID, f.locA.ID, []schedule.Hours{{Weekday: time.Monday, Start: 540, End: 720}, {Weekday: time.Tuesday, Start: 540, End: 720}}); err != nil {
			t.Errorf("same hours on two days: %v", err)
		}

		// Replacing: Max's Sunday is gone.
		if got := week(f.locA.ID); strings.Contains(got, "Max Sun") || !strings.Contains(got, "Max Tue 09:00-12:00") {
			t.Errorf("after replacing = %q", got)
		}
		if err := set(f.org.ID, mx.ID, f.locA.ID, nil); err != nil || strings.Contains(week(0), "Max") {
			t.Errorf("clearing hours: %v, %q", err, week(0))
		}

		// Only the organisation's therapists, at its locations.
		wantCode(t, "hours for another organisation's therapist", set(f.org.ID, outsider.ID, f.locA.ID, nil), errs.Invalid)
		wantCode(t, "hours for the front desk", set(f.org.ID, desk.ID, f.locA.ID, nil), errs.Invalid)
		wantCode(t, "hours at another organisation's location", set(f.org.ID, tess, f.otherOrgLoc.ID, nil), errs.Invalid)
		wantCode(t, "another organisation setting our therapist's hours", set(f.otherOrg.ID, tess, f.otherOrgLoc.ID, nil), errs.Invalid)
		wantCode(t, "hours ending before they start", set(f.org.ID, tess, f.locA.ID, []schedule.Hours{{Weekday: time.Monday, Start: 600, End: 540}}), errs.Invalid)
		if hs, _ := db.WeeklyHours(ctx, f.otherOrg.ID, 0); len(hs) != 0 {
			t.Errorf("other organisation sees hours %+v", hs)
		}
		if got := week(f.locA.ID); !strings.HasPrefix(got, "Tess Mon 09:00-13:00") {
			t.Errorf("refused changes touched Tess's hours: %q", got)
		}
	})
}

func TestMenuHoursExceptionsAndTimeOff(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		tess := f.therapist.ID
		add := func(orgID int64, e *schedule.Exception) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.AddException(ctx, tx, orgID, e) })
		}
		dayOff := &schedule.Exception{TherapistID: tess, LocationID: f.locA.ID, Date: "2026-03-09", Reason: "Conference"}
		morning := &schedule.Exception{TherapistID: tess, LocationID: f.locA.ID, Date: "2026-03-12", Start: 480, End: 720}
		evening := &schedule.Exception{TherapistID: tess, LocationID: f.locA.ID, Date: "2026-03-12", Start: 1020, End: 1200}
		north := &schedule.Exception{TherapistID: tess, LocationID: f.locB.ID, Date: "2026-03-15", Start: 600, End: 660}
		for _, e := range []*schedule.Exception{evening, dayOff, morning, north} {
			if err := add(f.org.ID, e); err != nil || e.ID == 0 {
				t.Fatalf("add %+v: %v", e, err)
			}
		}
		err := add(f.org.ID, &schedule.Exception{TherapistID: tess, LocationID: f.locA.ID, Date: "2026-03-12", Start: 690, End: 780})
		if errs.Code(err) != errs.Invalid || !strings.Contains(errs.Message(err), "08:00") {
			t.Errorf("overlapping exception: %v", err)
		}
		wantCode(t, "exception at another organisation's location", add(f.org.ID, &schedule.Exception{TherapistID: tess, LocationID: f.otherOrgLoc.ID, Date: "2026-03-12"}), errs.Invalid)
		wantCode(t, "exception for our therapist from another organisation", add(f.otherOrg.ID, &schedule.Exception{TherapistID: tess, LocationID: f.otherOrgLoc.ID, Date: "2026-03-12"}), errs.Invalid)
		wantCode(t, "exception without a date", add(f.org.ID, &schedule.Exception{TherapistID: tess, LocationID: f.locA.ID, Date: "12.3.2026"}), errs.Invalid)

		// Both ends of the range are included.
		es, err := db.Exceptions(ctx, f.org.ID, f.locA.ID, "2026-03-09", "2026-03-12")
		if err != nil || !reflect.DeepEqual(es, []schedule.Exception{*dayOff, *morning, *evening}) {
			t.Fatalf("exceptions = %+v, %v", es, err)
		}
		if es, _ := db.Exceptions(ctx, f.org.ID, 0, "2026-03-10", "2026-03-31"); len(es) != 3 || es[2].ID != north.ID {
			t.Errorf("exceptions everywhere from the 10th = %+v", es)
		}
		if es, _ := db.Exceptions(ctx, f.otherOrg.ID, 0, "2000-01-01", "2100-01-01"); len(es) != 0 {
			t.Errorf("other organisation sees exceptions %+v", es)
		}
		if _, err := db.Exceptions(ctx, f.org.ID, 0, "2026-03-01", "soon"); errs.Code(err) != errs.Invalid {
			t.Errorf("bad date range: %v", err)
		}
		del := func(orgID, id int64) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.DeleteException(ctx, tx, orgID, id) })
		}
		wantCode(t, "another organisation deletes an exception", del(f.otherOrg.ID, dayOff.ID), errs.NotFound)
		if err := del(f.org.ID, dayOff.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "deleting twice", del(f.org.ID, dayOff.ID), errs.NotFound)
		if es, _ := db.Exceptions(ctx, f.org.ID, f.locA.ID, "2026-03-01", "2026-03-31"); len(es) != 2 {
			t.Errorf("after delete: %+v", es)
		}

		// Time off overlapping [from, to): touching at either end is not overlap.
		at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
		addOff := func(orgID int64, o *schedule.TimeOff) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.AddTimeOff(ctx, tx, orgID, o) })
		}
		holiday := &schedule.TimeOff{TherapistID: tess, Start: at(20, 0), End: at(27, 0), Reason: "Holiday"}
		dentist := &schedule.TimeOff{TherapistID: tess, Start: at(3, 14), End: at(3, 16)}
		for _, o := range []*schedule.TimeOff{holiday, dentist} {
			if err := addOff(f.org.ID, o); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, "time off ending before it starts", addOff(f.org.ID, &schedule.TimeOff{TherapistID: tess, Start: at(5, 10), End: at(5, 9)}), errs.Invalid)
		wantCode(t, "time off for our therapist from another organisation", addOff(f.otherOrg.ID, &schedule.TimeOff{TherapistID: tess, Start: at(5, 9), End: at(5, 10)}), errs.Invalid)
		for _, c := range []struct {
			from, to time.Time
			want     []schedule.TimeOff
		}{
			{at(1, 0), at(31, 0), []schedule.TimeOff{*dentist, *holiday}},
			{at(3, 16), at(20, 0), nil},
			{at(3, 15), at(3, 15).Add(time.Minute), []schedule.TimeOff{*dentist}},
			{at(26, 23), at(28, 0), []schedule.TimeOff{*holiday}},
		} {
			got, err := db.TimeOffBetween(ctx, f.org.ID, c.from, c.to)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("time off %v–%v = %+v, %v; want %+v", c.from, c.to, got, err, c.want)
			}
		}
		if got, _ := db.TimeOffBetween(ctx, f.otherOrg.ID, at(1, 0), at(31, 0)); len(got) != 0 {
			t.Errorf("other organisation sees time off %+v", got)
		}
		delOff := func(orgID, id int64) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.DeleteTimeOff(ctx, tx, orgID, id) })
		}
		wantCode(t, "another organisation deletes time off", delOff(f.otherOrg.ID, holiday.ID), errs.NotFound)
		if err := delOff(f.org.ID, holiday.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.TimeOffBetween(ctx, f.org.ID, at(1, 0), at(31, 0)); !reflect.DeepEqual(got, []schedule.TimeOff{*dentist}) {
			t.Errorf("after delete: %+v", got)
		}
	})
}

func TestMenuProfilesAndFeeds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := setup(t, db)
		owner := menuUser(t, db, f.org.ID, "Alma Owner", clinic.RoleOwner)
		menuUser(t, db, f.org.ID, "Dee Desk", clinic.RoleFrontDesk, f.locA.ID)
		gone := menuUser(t, db, f.org.ID, "Gus Gone", clinic.RoleTherapist, f.locA.ID)
		outsider := menuUser(t, db, f.otherOrg.ID, "Olga Other", clinic.RoleTherapist, f.otherOrgLoc.ID)
		gone.Active = false
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdateUser(ctx, tx, gone) }); err != nil {
			t.Fatal(err)
		}

		// Before anyone writes a bio, the active therapists and owners are
		// listed by name, public, with empty profiles.
		ps, err := db.Profiles(ctx, f.org.ID)
		want := []store.TherapistProfile{{UserID: owner.ID, OrgID: f.org.ID, Name: "Alma Owner", Public: true}, {UserID: f.therapist.ID, OrgID: f.org.ID, Name: "Tess", Public: true}}
		if err != nil || !reflect.DeepEqual(ps, want) {
			t.Fatalf("profiles = %+v, %v", ps, err)
		}

		save := func(p *store.TherapistProfile) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SaveProfile(ctx, tx, p) })
		}
		feed := func(orgID, userID int64, hash string) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SetFeedToken(ctx, tx, orgID, userID, hash) })
		}
		// The feed token first: saving the bio afterwards keeps it.
		if err := feed(f.org.ID, f.therapist.ID, "hash-of-tess-token"); err != nil {
			t.Fatal(err)
		}
		tess := &store.TherapistProfile{UserID: f.therapist.ID, OrgID: f.org.ID, Bio: "Ten years of medical massage.", Credentials: "LMT, NCBTMB"}
		if err := save(tess); err != nil {
			t.Fatal(err)
		}
		ps, _ = db.Profiles(ctx, f.org.ID)
		if got := ps[1]; got.Bio != tess.Bio || got.Credentials != "LMT, NCBTMB" || got.Public || !got.UpdatedAt.Equal(clock) || got.Name != "Tess" {
			t.Errorf("saved profile reads %+v", got)
		}
		if o, u, err := db.FeedOwner(ctx, "hash-of-tess-token"); err != nil || o != f.org.ID || u != f.therapist.ID {
			t.Errorf("feed after saving the bio: %d %d %v", o, u, err)
		}
		// A new token replaces the old one and keeps the bio.
		if err := feed(f.org.ID, f.therapist.ID, "hash-of-new-token"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "old feed token", func() error { _, _, err := db.FeedOwner(ctx, "hash-of-tess-token"); return err }(), errs.NotFound)
		if ps, _ := db.Profiles(ctx, f.org.ID); ps[1].Bio != tess.Bio {
			t.Errorf("new token lost the bio: %+v", ps[1])
		}
		for _, h := range []string{"", "unknown", "bad\x00"} {
			wantCode(t, "feed token "+h, func() error { _, _, err := db.FeedOwner(ctx, h); return err }(), errs.NotFound)
		}
		// Someone who no longer works here has no feed.
		if err := feed(f.org.ID, gone.ID, "hash-of-gus-token"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "inactive user's feed", func() error { _, _, err := db.FeedOwner(ctx, "hash-of-gus-token"); return err }(), errs.NotFound)

		// Another organisation can neither write our therapists' profiles nor
		// their feeds, nor see them.
		wantCode(t, "profile of another organisation's user", save(&store.TherapistProfile{UserID: outsider.ID, OrgID: f.org.ID, Bio: "x"}), errs.Invalid)
		wantCode(t, "our therapist's profile from another organisation", save(&store.TherapistProfile{UserID: f.therapist.ID, OrgID: f.otherOrg.ID, Bio: "Hijacked"}), errs.Invalid)
		wantCode(t, "our therapist's feed from another organisation", feed(f.otherOrg.ID, f.therapist.ID, "attacker"), errs.Invalid)
		if ps, _ := db.Profiles(ctx, f.otherOrg.ID); len(ps) != 1 || ps[0].UserID != outsider.ID {
			t.Errorf("other organisation's profiles = %+v", ps)
		}
		if ps, _ := db.Profiles(ctx, f.org.ID); ps[1].Bio != tess.Bio {
			t.Errorf("bio changed by another organisation: %+v", ps[1])
		}
		long := &store.TherapistProfile{UserID: owner.ID, OrgID: f.org.ID, Bio: strings.Repeat("ü", store.MaxBio+1)}
		if err := save(long); errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["bio"] == "" {
			t.Errorf("too long a bio: %v", err)
		}
		long.Bio = strings.Repeat("ü", store.MaxBio)
		if err := save(long); err != nil {
			t.Errorf("a bio of %d characters: %v", store.MaxBio, err)
		}
	})
}

func TestMenuTestimonials(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		stranger := &clinic.Client{OrgID: f.otherOrg.ID, FirstName: "Sam", LastName: "Stranger", DOB: "1960-01-01", Sex: clinic.SexMale, PreferredLocationID: f.otherOrgLoc.ID}
		create(t, db, stranger)
		add := func(tm *store.Testimonial) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.AddTestimonial(ctx, tx, tm) })
		}
		consent := time.Date(2026, 3, 9, 18, 30, 0, 0, time.UTC)
		first := &store.Testimonial{OrgID: f.org.ID, ClientID: ann.ID, DisplayName: "Ann S.", Body: "I sleep through the night again.", ConsentAt: consent, Published: true, CreatedBy: f.therapist.ID}
		if err := add(first); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		second := &store.Testimonial{OrgID: f.org.ID, DisplayName: "A runner", Body: strings.Repeat("é", store.MaxTestimonial), ConsentAt: consent, Published: false}
		if err := add(second); err != nil {
			t.Fatalf("a testimonial of %d characters: %v", store.MaxTestimonial, err)
		}

		for name, tm := range map[string]*store.Testimonial{
			"consent_at":   {OrgID: f.org.ID, DisplayName: "Bob", Body: "Great."},
			"body":         {OrgID: f.org.ID, DisplayName: "Bob", Body: strings.Repeat("x", store.MaxTestimonial+1), ConsentAt: consent},
			"display_name": {OrgID: f.org.ID, DisplayName: strings.Repeat("B", store.MaxTestimonialDisplayName+1), Body: "Great.", ConsentAt: consent},
			"client_id":    {OrgID: f.org.ID, ClientID: stranger.ID, DisplayName: "Sam", Body: "Great.", ConsentAt: consent},
		} {
			if err := add(tm); errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[name] == "" {
				t.Errorf("bad %s: %v", name, err)
			}
		}

		all, err := db.Testimonials(ctx, f.org.ID, false)
		if err != nil || !reflect.DeepEqual(all, []store.Testimonial{*second, *first}) {
			t.Fatalf("testimonials = %+v, %v", all, err)
		}
		if all[1].ConsentAt != consent || all[1].ClientID != ann.ID {
			t.Errorf("consent or client lost: %+v", all[1])
		}
		published := func(orgID int64) []store.Testimonial {
			ts, err := db.Testimonials(ctx, orgID, true)
			if err != nil {
				t.Fatal(err)
			}
			return ts
		}
		if ts := published(f.org.ID); len(ts) != 1 || ts[0].ID != first.ID {
			t.Errorf("published = %+v", ts)
		}
		set := func(orgID, id int64, on bool) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SetTestimonialPublished(ctx, tx, orgID, id, on) })
		}
		if err := set(f.org.ID, first.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := set(f.org.ID, second.ID, true); err != nil {
			t.Fatal(err)
		}
		if ts := published(f.org.ID); len(ts) != 1 || ts[0].ID != second.ID {
			t.Errorf("after switching = %+v", ts)
		}
		wantCode(t, "another organisation publishes ours", set(f.otherOrg.ID, first.ID, true), errs.NotFound)
		if ts := published(f.org.ID); len(ts) != 1 {
			t.Errorf("another organisation published a testimonial: %+v", ts)
		}
		if ts, _ := db.Testimonials(ctx, f.otherOrg.ID, false); len(ts) != 0 {
			t.Errorf("other organisation sees testimonials %+v", ts)
		}
	})
}

func TestMenuSchedulePolicy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		if p, err := db.SchedulePolicy(ctx, f.org.ID); err != nil || p != schedule.DefaultPolicy {
			t.Fatalf("policy before saving = %+v, %v", p, err)
		}
		save := func(orgID int64, p schedule.Policy) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SaveSchedulePolicy(ctx, tx, orgID, p) })
		}
		mine := schedule.Policy{ReminderHours: 48, CancelWindowHours: 24, LateCancelFeeCents: 2500, NoShowFeeCents: 5000, OnlineBooking: false, HorizonDays: 30, MinNoticeHours: 12, SlotStep: 30}
		if err := save(f.org.ID, mine); err != nil {
			t.Fatal(err)
		}
		if p, err := db.SchedulePolicy(ctx, f.org.ID); err != nil || p != mine {
			t.Errorf("saved policy reads %+v, %v", p, err)
		}
		mine.OnlineBooking, mine.NoShowFeeCents = true, 0
		if err := save(f.org.ID, mine); err != nil {
			t.Fatal(err)
		}
		if p, _ := db.SchedulePolicy(ctx, f.org.ID); p != mine {
			t.Errorf("saved twice reads %+v", p)
		}
		if p, _ := db.SchedulePolicy(ctx, f.otherOrg.ID); p != schedule.DefaultPolicy {
			t.Errorf("other organisation's policy = %+v", p)
		}
		bad := mine
		bad.SlotStep = 7
		wantCode(t, "slot step off the grid", save(f.org.ID, bad), errs.Invalid)
		if p, _ := db.SchedulePolicy(ctx, f.org.ID); p != mine {
			t.Errorf("refused policy was stored: %+v", p)
		}
	})
}

func TestMenuSMTPSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := setup(t, db)
		if s, err := db.SMTPSettings(ctx, f.org.ID); err != nil || s != (store.SMTPSettings{Port: 587, TLS: "starttls"}) {
			t.Fatalf("settings before saving = %+v, %v", s, err)
		}
		save := func(orgID int64, s store.SMTPSettings) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SaveSMTPSettings(ctx, tx, orgID, s) })
		}
		s := store.SMTPSettings{Host: "smtp.example.com", Port: 465, TLS: "tls", Username: "front@example.com", Password: "s3cret pass", From: "front@example.com", FromName: "Main Street Massage"}
		if err := save(f.org.ID, s); err != nil {
			t.Fatal(err)
		}
		s.UpdatedAt = clock
		if got, err := db.SMTPSettings(ctx, f.org.ID); err != nil || got != s {
			t.Fatalf("saved settings read %+v, %v", got, err)
		}

		// The form never shows the password, so saving it empty keeps it.
		clock = clock.Add(time.Hour)
		form := s
		form.Password, form.Port, form.TLS = "", 587, "starttls"
		if err := save(f.org.ID, form); err != nil {
			t.Fatal(err)
		}
		got, _ := db.SMTPSettings(ctx, f.org.ID)
		if got.Password != "s3cret pass" || got.Port != 587 || got.TLS != "starttls" || !got.UpdatedAt.Equal(clock) {
			t.Errorf("after saving without a password: %+v", got)
		}
		form.Password = "new pass"
		if err := save(f.org.ID, form); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SMTPSettings(ctx, f.org.ID); got.Password != "new pass" {
			t.Errorf("new password not stored: %+v", got)
		}
		if got, _ := db.SMTPSettings(ctx, f.otherOrg.ID); got.Host != "" || got.Password != "" {
			t.Errorf("other organisation's settings = %+v", got)
		}

		// A line break would start a new mail header or SMTP command.
		for field, bad := range map[string]store.SMTPSettings{
			"from_name": {Host: "smtp.example.com", Port: 587, TLS: "starttls", From: "a@example.com", FromName: "Clinic\r\nBcc: victim@example.com"},
			"username":  {Host: "smtp.example.com", Port: 587, TLS: "starttls", From: "a@example.com", Username: "a\r\nRSET"},
			"port":      {Host: "smtp.example.com", Port: 0, TLS: "starttls", From: "a@example.com"},
			"tls_mode":  {Host: "smtp.example.com", Port: 25, TLS: "ssl3", From: "a@example.com"},
			"from_addr": {Host: "smtp.example.com", Port: 587, TLS: "starttls"},
		} {
			if err := save(f.org.ID, bad); errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[field] == "" {
				t.Errorf("bad %s: %v", field, err)
			}
		}
		if got, _ := db.SMTPSettings(ctx, f.org.ID); got.Host != "smtp.example.com" || got.FromName != "Main Street Massage" {
			t.Errorf("refused settings were stored: %+v", got)
		}
	})
}
