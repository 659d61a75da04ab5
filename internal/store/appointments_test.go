package store_test

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

type apptFixture struct {
	fixture
	other   *clinic.User // a second therapist at locA
	svc     *schedule.Service
	room    *schedule.Room
	clients []*clinic.Client
}

func setupAppts(t *testing.T, db *store.DB) apptFixture {
	t.Helper()
	ctx := context.Background()
	f := apptFixture{fixture: setup(t, db)}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		f.other = &clinic.User{OrgID: f.org.ID, Email: "o@example.com", Name: "Omar", Role: clinic.RoleTherapist, LocationIDs: []int64{f.locA.ID}}
		if err := db.CreateUser(ctx, tx, f.other, "hash"); err != nil {
			return err
		}
		f.svc = &schedule.Service{OrgID: f.org.ID, Name: "Medical massage", Minutes: 60, BufferAfter: 15, Active: true}
		if err := db.CreateService(ctx, tx, f.svc); err != nil {
			return err
		}
		f.room = &schedule.Room{OrgID: f.org.ID, LocationID: f.locA.ID, Name: "Room 1", Active: true}
		return db.CreateRoom(ctx, tx, f.room)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Ada", "Bea", "Cy"} {
		c := newClient(f.fixture, n, "Client", "1980-01-01")
		create(t, db, c)
		f.clients = append(f.clients, c)
	}
	return f
}

var t0 = time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC) // a Monday, 09:00 in Chicago

func (f apptFixture) appt(therapist *clinic.User, client *clinic.Client, start time.Time, minutes int) *schedule.Appointment {
	return &schedule.Appointment{OrgID: f.org.ID, LocationID: f.locA.ID, TherapistID: therapist.ID, ClientID: client.ID, ServiceID: f.svc.ID,
		Start: start, End: start.Add(time.Duration(minutes) * time.Minute), BufferAfter: f.svc.BufferAfter}
}

func book(db *store.DB, a *schedule.Appointment) error {
	return db.Tx(context.Background(), func(tx *sql.Tx) error { return db.BookAppointment(context.Background(), tx, a) })
}

func TestAppointmentsNeverDoubleBook(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupAppts(t, db)
		first := f.appt(f.therapist, f.clients[0], t0, 60)
		first.RoomID = f.room.ID
		if err := book(db, first); err != nil {
			t.Fatalf("first booking: %v", err)
		}
		cases := []struct {
			name  string
			a     *schedule.Appointment
			field string // which resource is said to be taken
		}{
			{"same therapist, overlapping", f.appt(f.therapist, f.clients[1], t0.Add(30*time.Minute), 60), "therapist_id"},
			{"same therapist, inside the buffer after", f.appt(f.therapist, f.clients[1], t0.Add(65*time.Minute), 30), "therapist_id"},
			{"same client, another therapist", f.appt(f.other, f.clients[0], t0.Add(15*time.Minute), 30), "client_id"},
			{"same room, another therapist and client", func() *schedule.Appointment {
				a := f.appt(f.other, f.clients[2], t0.Add(45*time.Minute), 30)
				a.RoomID = f.room.ID
				return a
			}(), "room_id"},
		}
		for _, c := range cases {
			err := book(db, c.a)
			if !errs.Is(err, errs.Conflict) || errs.FieldsOf(err)[c.field] == "" || !strings.Contains(errs.Message(err), "already booked") {
				t.Errorf("%s: got %v (fields %v); want a Conflict naming %s", c.name, err, errs.FieldsOf(err), c.field)
			}
		}
		// Right after the buffer is free; so is another therapist at the same time.
		if err := book(db, f.appt(f.therapist, f.clients[1], t0.Add(75*time.Minute), 30)); err != nil {
			t.Errorf("after the buffer: %v", err)
		}
		if err := book(db, f.appt(f.other, f.clients[2], t0, 60)); err != nil {
			t.Errorf("another therapist at the same time: %v", err)
		}
		list, err := db.Appointments(ctx, store.AppointmentFilter{OrgID: f.org.ID, From: t0.Add(-time.Hour), To: t0.Add(5 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("%d appointments; want 3 (nothing of the refused ones)", len(list))
		}
		if list[0].ClientName != "Ada Client" || list[0].TherapistName != "Tess" || list[0].ServiceName != "Medical massage" || list[0].RoomName != "Room 1" {
			t.Errorf("names: %+v", list[0])
		}
		// The calendar's lighter rows: the same appointments in the same
		// order, with what a calendar draws.
		cal, err := db.CalendarAppointments(ctx, store.AppointmentFilter{OrgID: f.org.ID, From: t0.Add(-time.Hour), To: t0.Add(5 * time.Hour)})
		if err != nil || len(cal) != len(list) {
			t.Fatalf("calendar rows: %d, %v", len(cal), err)
		}
		for i, x := range list {
			c := cal[i]
			if c.ID != x.ID || c.LocationID != x.LocationID || c.TherapistID != x.TherapistID || c.RoomID != x.RoomID || c.ClientID != x.ClientID ||
				c.ServiceID != x.ServiceID || !c.Start.Equal(x.Start) || !c.End.Equal(x.End) || c.BufferBefore != x.BufferBefore || c.BufferAfter != x.BufferAfter ||
				c.Status != x.Status || c.PlanID != x.PlanID || c.Note != x.Note || c.FeeCents != x.FeeCents || c.Version != x.Version || c.ClientName != x.ClientName {
				t.Errorf("calendar row %d: %+v\nwant the fields of %+v", i, c, x)
			}
		}
	})
}

func TestCancelAndMoveReleaseTheSlot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupAppts(t, db)
		a := f.appt(f.therapist, f.clients[0], t0, 60)
		if err := book(db, a); err != nil {
			t.Fatal(err)
		}
		// Moving to 11:00 frees 09:00 for someone else, and holds 11:00.
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			_, _, err := db.MoveAppointment(ctx, tx, f.org.ID, a.ID, a.Version, store.AppointmentChange{Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour), TherapistID: f.therapist.ID})
			return err
		})
		if err != nil {
			t.Fatalf("move: %v", err)
		}
		if err := book(db, f.appt(f.therapist, f.clients[1], t0, 60)); err != nil {
			t.Errorf("the old time after the move: %v", err)
		}
		if err := book(db, f.appt(f.therapist, f.clients[2], t0.Add(2*time.Hour), 60)); !errs.Is(err, errs.Conflict) {
			t.Errorf("the new time after the move: %v; want Conflict", err)
		}
		// A stale version is refused and changes nothing.
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := db.SetAppointmentStatus(ctx, tx, f.org.ID, a.ID, 1, store.StatusChange{Status: schedule.Cancelled, Reason: "ill", At: t0})
			return err
		})
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("stale version: %v; want Conflict", err)
		}
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := db.SetAppointmentStatus(ctx, tx, f.org.ID, a.ID, 2, store.StatusChange{Status: schedule.LateCancelled, Reason: "ill", FeeCents: 4000, At: t0})
			return err
		})
		if err != nil {
			t.Fatalf("cancel: %v", err)
		}
		if err := book(db, f.appt(f.therapist, f.clients[2], t0.Add(2*time.Hour), 60)); err != nil {
			t.Errorf("the cancelled time: %v", err)
		}
		got, err := db.Appointment(ctx, f.org.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != schedule.LateCancelled || got.FeeCents != 4000 || got.CancelReason != "ill" || got.CancelledAt.IsZero() {
			t.Errorf("cancelled appointment: %+v", got)
		}
		// Another organisation sees nothing of it.
		if _, err := db.Appointment(ctx, f.otherOrg.ID, a.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("other org: %v", err)
		}
	})
}

func TestBookingRefusesWhatDoesNotFit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := setupAppts(t, db)
		bad := []struct {
			name  string
			edit  func(a *schedule.Appointment)
			field string
		}{
			{"off the five-minute grid", func(a *schedule.Appointment) { a.Start = a.Start.Add(7 * time.Minute) }, "start"},
			{"ends before it starts", func(a *schedule.Appointment) { a.End = a.Start.Add(-time.Hour) }, "end"},
			{"another org's client", func(a *schedule.Appointment) { a.ClientID = 999999 }, "client_id"},
			{"a therapist of another location", func(a *schedule.Appointment) { a.LocationID = f.locB.ID }, "therapist_id"},
			{"a room of another location", func(a *schedule.Appointment) { a.RoomID = 424242 }, "room_id"},
			{"a service that is not the org's", func(a *schedule.Appointment) { a.ServiceID = 777777 }, "service_id"},
		}
		for _, c := range bad {
			a := f.appt(f.therapist, f.clients[0], t0, 60)
			c.edit(a)
			err := book(db, a)
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[c.field] == "" {
				t.Errorf("%s: %v (fields %v); want Invalid on %s", c.name, err, errs.FieldsOf(err), c.field)
			}
		}
		n, err := db.ClaimCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d claims left behind by refused bookings", n)
		}
	})
}

// TestConcurrentBookingsOfOneSlot races 200 transactions for one slot on
// the store: exactly one wins, on both engines.
func TestConcurrentBookingsOfOneSlot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := setupAppts(t, db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts := 0, 0
		gate := make(chan struct{})
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-gate
				err := book(db, f.appt(f.therapist, f.clients[i%3], t0.Add(time.Duration(i%4)*15*time.Minute), 60))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errs.Is(err, errs.Conflict):
					conflicts++
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}(i)
		}
		close(gate)
		wg.Wait()
		if ok != 1 || conflicts != 199 {
			t.Fatalf("%d booked, %d conflicts; want 1 and 199", ok, conflicts)
		}
	})
}

func TestPruneClaimsKeepsTheFuture(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupAppts(t, db)
		past, future := f.appt(f.therapist, f.clients[0], t0, 60), f.appt(f.therapist, f.clients[1], t0.Add(48*time.Hour), 60)
		for _, a := range []*schedule.Appointment{past, future} {
			if err := book(db, a); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := db.ClaimCount(ctx)
		n, err := db.PruneClaims(ctx, t0.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		after, _ := db.ClaimCount(ctx)
		if n == 0 || after != before-n || after == 0 {
			t.Fatalf("pruned %d of %d, %d left", n, before, after)
		}
		if err := book(db, f.appt(f.therapist, f.clients[2], t0.Add(48*time.Hour), 30)); !errs.Is(err, errs.Conflict) {
			t.Errorf("future slot after pruning: %v; want Conflict", err)
		}
	})
}

// TestBusyOfSeveralTherapists reads the taken time of several therapists
// at once: each gets exactly their own appointments, buffers included.
func TestBusyOfSeveralTherapists(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setupAppts(t, db)
		a := f.appt(f.therapist, f.clients[0], t0, 60)
		b := f.appt(f.other, f.clients[1], t0.Add(2*time.Hour), 30)
		for _, x := range []*schedule.Appointment{a, b} {
			if err := book(db, x); err != nil {
				t.Fatal(err)
			}
		}
		busy, err := db.Busy(ctx, f.org.ID, []int64{f.therapist.ID, f.other.ID, 999, 998, 997, 996, 995}, t0.Add(-time.Hour), t0.Add(6*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][]schedule.Interval{
			f.therapist.ID: {{Start: t0, End: t0.Add(75 * time.Minute)}},
			f.other.ID:     {{Start: t0.Add(2 * time.Hour), End: t0.Add(2*time.Hour + 45*time.Minute)}},
		}
		if len(busy) != 2 {
			t.Fatalf("busy %v; want two therapists", busy)
		}
		for id, ivs := range want {
			if len(busy[id]) != 1 || !busy[id][0].Start.Equal(ivs[0].Start) || !busy[id][0].End.Equal(ivs[0].End) {
				t.Errorf("therapist %d busy %v; want %v", id, busy[id], ivs)
			}
		}
	})
}
