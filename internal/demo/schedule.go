package demo

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

func init() {
	Register(Seeder{Name: "scheduling", Order: 60, Seed: seedSchedule})
}

// The demo's service menu: what a medical massage clinic in Texas offers,
// with the procedure lines a session usually bills (timed codes of 15
// minutes: a 60-minute session is four units).
var demoServices = []schedule.Service{
	{Name: "Medical massage, 60 minutes", Description: "Treatment under your physician's prescription: assessment, hands-on work on the problem areas, home care.",
		Minutes: 60, BufferAfter: 15, PriceCents: 12000, NeedsPrescription: true, Online: true, Active: true,
		Procedures: []schedule.ProcedureLine{{Code: "97140", Units: 2}, {Code: "97124", Units: 2}}},
	{Name: "Medical massage, 30 minutes", Description: "A focused follow-up on one area, under your prescription.",
		Minutes: 30, BufferAfter: 15, PriceCents: 6500, NeedsPrescription: true, Online: true, Active: true,
		Procedures: []schedule.ProcedureLine{{Code: "97140", Units: 2}}},
	{Name: "Manual lymphatic drainage, 60 minutes", Description: "Gentle lymphatic work for swelling after surgery or with lymphedema, by a certified lymphedema therapist.",
		Minutes: 60, BufferAfter: 15, PriceCents: 13000, NeedsPrescription: true, Online: true, Active: true,
		Procedures: []schedule.ProcedureLine{{Code: "97140", Units: 4}}},
	{Name: "Relaxation massage, 60 minutes", Description: "Swedish massage to unwind. No prescription needed.",
		Minutes: 60, BufferAfter: 15, PriceCents: 9500, Online: true, Active: true},
	{Name: "Relaxation massage, 90 minutes", Description: "A longer Swedish massage, with time for feet and scalp.",
		Minutes: 90, BufferAfter: 15, PriceCents: 13500, Online: true, Active: true},
	{Name: "Hot and cold therapy add-on, 15 minutes", Description: "Hot packs or ice before or after treatment; booked by the clinic.",
		Minutes: 15, PriceCents: 2000, Online: false, Active: true, Procedures: []schedule.ProcedureLine{{Code: "97010", Units: 1}}},
}

// Weekly hours: (email, location index, weekdays, start, end) in the
// locations' time, with lunch breaks as two ranges.
var demoHours = []struct {
	email    string
	loc      int
	days     []time.Weekday
	from, to string
}{
	{"maria.lopez@demo.test", 0, []time.Weekday{1, 2, 3, 4, 5}, "09:00", "12:30"},
	{"maria.lopez@demo.test", 0, []time.Weekday{1, 2, 3, 4, 5}, "13:30", "17:00"},
	{"james.chen@demo.test", 1, []time.Weekday{2, 3, 4, 5}, "10:00", "18:00"},
	{"james.chen@demo.test", 1, []time.Weekday{6}, "09:00", "14:00"},
	{"aisha.patel@demo.test", 0, []time.Weekday{1, 3, 5}, "08:00", "16:00"},
	{"aisha.patel@demo.test", 1, []time.Weekday{2, 4}, "12:00", "19:00"},
	{"owner@demo.test", 0, []time.Weekday{2, 4}, "09:00", "13:00"},
}

var demoBios = map[string][2]string{
	"owner@demo.test":       {"LMT, NCBTMB board certified", "Dana founded Riverside in 2014 after ten years in a physical therapy practice. She treats chronic neck and back pain and still takes Tuesday and Thursday mornings."},
	"maria.lopez@demo.test": {"LMT, certified in neuromuscular therapy", "Maria works with office workers and athletes on neck, shoulder and low back pain, and with clients recovering from car accidents. Se habla español."},
	"james.chen@demo.test":  {"LMT, certified in myofascial release", "James treats runners and cyclists, plantar fasciitis and IT band pain, and clients after sports injuries. He runs the Round Rock studio."},
	"aisha.patel@demo.test": {"LMT, CLT (certified lymphedema therapist)", "Aisha specialises in manual lymphatic drainage after surgery and for lymphedema, and in gentle work for clients in cancer recovery."},
}

func seedSchedule(ctx context.Context, env *SeedEnv) error {
	// The menu and settings go in one transaction straight to the store: a
	// demo (and every test server) starts faster than through ~40 audited
	// use cases, and the demo's audit trail starts with the clinic's use.
	db, org := env.App.DB, env.Org.ID
	svcs := make([]schedule.Service, len(demoServices))
	pkgs := []schedule.Package{
		{Name: "Ten relaxation massages (60 minutes)", Sessions: 10, PriceCents: 85000, ValidDays: 365, Active: true},
		{Name: "Wellness membership: two massages a month", Sessions: 2, PriceCents: 17900, ValidDays: 31, Active: true},
	}
	rooms := map[int64][]schedule.Room{}
	zone := app.LocationZone(env.Org, &env.Locations[0])
	today := env.Today.In(zone)
	day0 := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for i, sv := range demoServices {
			sv.OrgID = org
			if i == 2 { // lymphatic drainage: the certified lymphedema therapist only
				sv.Performers = []int64{env.Users["aisha.patel@demo.test"].ID}
			}
			if err := db.CreateService(ctx, tx, &sv); err != nil {
				return err
			}
			svcs[i] = sv
		}
		pkgs[0].ServiceID = svcs[3].ID
		for i := range pkgs {
			pkgs[i].OrgID = org
			if err := db.CreatePackage(ctx, tx, &pkgs[i]); err != nil {
				return err
			}
		}
		for li, names := range [][]string{{"Room 1", "Room 2", "Room 3 (hydrotherapy)"}, {"Room A", "Room B"}} {
			for _, n := range names {
				r := schedule.Room{OrgID: org, LocationID: env.Locations[li].ID, Name: n, Active: true}
				if err := db.CreateRoom(ctx, tx, &r); err != nil {
					return err
				}
				rooms[r.LocationID] = append(rooms[r.LocationID], r)
			}
		}
		byKey := map[[2]int64][]schedule.Hours{}
		var keys [][2]int64
		for _, h := range demoHours {
			u := env.Users[h.email]
			from, _ := schedule.ParseClock(h.from)
			to, _ := schedule.ParseClock(h.to)
			k := [2]int64{u.ID, env.Locations[h.loc].ID}
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			for _, d := range h.days {
				byKey[k] = append(byKey[k], schedule.Hours{TherapistID: u.ID, LocationID: k[1], Weekday: d, Start: from, End: to})
			}
		}
		for _, k := range keys {
			if err := db.SetWeeklyHours(ctx, tx, org, k[0], k[1], byKey[k]); err != nil {
				return err
			}
		}
		for _, s := range Staff {
			if b, ok := demoBios[s.Email]; ok {
				p := store.TherapistProfile{OrgID: org, UserID: env.Users[s.Email].ID, Credentials: b[0], Bio: b[1], Public: true}
				if err := db.SaveProfile(ctx, tx, &p); err != nil {
					return err
				}
			}
		}
		pol := schedule.DefaultPolicy
		pol.LateCancelFeeCents, pol.NoShowFeeCents = 4000, 6000
		if err := db.SaveSchedulePolicy(ctx, tx, org, pol); err != nil {
			return err
		}
		if err := seedTestimonials(ctx, env, tx); err != nil {
			return err
		}
		// Maria is away one day next week.
		off := day0.AddDate(0, 0, 8)
		return db.AddTimeOff(ctx, tx, org, &schedule.TimeOff{TherapistID: env.Users["maria.lopez@demo.test"].ID, Start: off, End: off.AddDate(0, 0, 1), Reason: "Continuing education course"})
	})
	if err != nil {
		return err
	}
	if err := seedAppointments(ctx, env, svcs, rooms, pkgs, day0); err != nil {
		return err
	}
	if err := seedSeries(ctx, env, svcs[0], day0); err != nil {
		return err
	}
	return seedWaitlist(ctx, env, svcs, day0)
}

// seedSeries books the first signed plan of care's frequency from next
// Monday with Maria at Downtown, as the front desk would: the dates that
// clash with the demo's bookings are left out, as the conflict report says.
func seedSeries(ctx context.Context, env *SeedEnv, medical schedule.Service, day0 time.Time) error {
	for _, c := range env.Clients {
		if c.PreferredLocationID != env.Locations[0].ID {
			continue
		}
		plans, err := env.App.DB.Plans(ctx, env.Org.ID, c.ID)
		if err != nil {
			return err
		}
		for _, p := range plans {
			if p.Status != "signed" || p.PerWeek < 1 || p.Weeks < 1 {
				continue
			}
			first := day0.AddDate(0, 0, 1)
			for first.Weekday() != time.Monday {
				first = first.AddDate(0, 0, 1)
			}
			_, err := env.App.BookSeries(ctx, env.Owner, app.SeriesRequest{
				BookRequest: app.BookRequest{ClientID: c.ID, TherapistID: env.Users["maria.lopez@demo.test"].ID, LocationID: env.Locations[0].ID, ServiceID: medical.ID, PlanID: p.ID},
				Recurrence:  schedule.Recurrence{First: first.Format(clinic.DateLayout), Weekdays: schedule.DefaultWeekdays(p.PerWeek), Minute: 16 * 60, Weeks: min(p.Weeks, 6)},
			})
			return err
		}
	}
	return nil
}

func seedTestimonials(ctx context.Context, env *SeedEnv, tx *sql.Tx) error {
	consent := env.Today.AddDate(0, -2, 0)
	ts := []store.Testimonial{
		{DisplayName: "Linda R., Austin", Body: "After my car accident I could not turn my head to drive. Six weeks with Maria and I'm back on the highway without pain.", Published: true},
		{DisplayName: "Tom K., Round Rock", Body: "James figured out my plantar fasciitis when nothing else worked. I ran the Austin half marathon in February.", Published: true},
		{DisplayName: "Grace W.", Body: "Aisha's lymphatic drainage after my surgery brought the swelling down faster than my surgeon expected. Kind, careful and on time.", Published: true},
		{DisplayName: "Anonymous", Body: "Great front desk, easy parking.", Published: false},
	}
	for i := range ts {
		ts[i].OrgID, ts[i].ConsentAt, ts[i].CreatedBy = env.Org.ID, consent.AddDate(0, 0, i*9), env.Owner.User.ID
		if err := env.App.DB.AddTestimonial(ctx, tx, &ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// seedAppointments fills two weeks around today at about two thirds of
// each therapist's hours: past ones completed (a no-show, a late
// cancellation), today's partly checked in, future ones booked. They are
// written through the store, as the app refuses bookings in the past.
func seedAppointments(ctx context.Context, env *SeedEnv, svcs []schedule.Service, rooms map[int64][]schedule.Room, pkgs []schedule.Package, day0 time.Time) error {
	db := env.App.DB
	rng := rand.New(rand.NewPCG(7, 11))
	now := env.Today
	// Two clients hold packages and book against them.
	var pkgClients []int64
	for i, ci := range []int{3, 11} {
		if ci >= len(env.Clients) {
			break
		}
		c := env.Clients[ci]
		cp := &schedule.ClientPackage{OrgID: env.Org.ID, ClientID: c.ID, PackageID: pkgs[i].ID, PurchasedOn: day0.AddDate(0, 0, -20).Format(clinic.DateLayout)}
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return db.SellPackage(ctx, tx, cp) }); err != nil {
			return err
		}
		pkgClients = append(pkgClients, cp.ID)
	}
	hours, err := db.WeeklyHours(ctx, env.Org.ID, 0)
	if err != nil {
		return err
	}
	// One transaction for the lot (a demo starts in a second); clients and
	// rooms already taken at a time are skipped here, so no claim conflicts.
	type span struct{ from, to time.Time }
	taken := map[string][]span{}
	free := func(key string, from, to time.Time) bool {
		for _, sp := range taken[key] {
			if sp.from.Before(to) && from.Before(sp.to) {
				return false
			}
		}
		return true
	}
	// Clients are booked where they usually go, as most are; the app lets
	// a therapist see a client booked at their location from elsewhere.
	byLocation := map[int64][]clinic.Client{}
	for _, c := range env.Clients {
		byLocation[c.PreferredLocationID] = append(byLocation[c.PreferredLocationID], c)
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for d := -7; d <= 7; d++ {
			day := day0.AddDate(0, 0, d)
			for _, h := range hours {
				if h.Weekday != day.Weekday() {
					continue
				}
				t := time.Date(day.Year(), day.Month(), day.Day(), 0, h.Start, 0, 0, day.Location())
				end := time.Date(day.Year(), day.Month(), day.Day(), 0, h.End, 0, 0, day.Location())
				for t.Before(end) {
					si := rng.IntN(len(svcs) - 1) // not the add-on
					sv := svcs[si]
					if !sv.PerformedBy(h.TherapistID) {
						sv = svcs[0]
					}
					sessionEnd := t.Add(time.Duration(sv.Minutes) * time.Minute)
					if sessionEnd.After(end) {
						break
					}
					if rng.IntN(3) == 0 { // a session's time in three stays open to book
						t = t.Add(75 * time.Minute)
						continue
					}
					occEnd := sessionEnd.Add(time.Duration(sv.BufferAfter) * time.Minute)
					local := byLocation[h.LocationID]
					if len(local) == 0 {
						break
					}
					c := local[rng.IntN(len(local))]
					pkg := int64(0)
					if si == 3 && len(pkgClients) > 0 && rng.IntN(2) == 0 && env.Clients[3].PreferredLocationID == h.LocationID {
						c, pkg = env.Clients[3], pkgClients[0]
					}
					rs := rooms[h.LocationID]
					room := rs[rng.IntN(len(rs))].ID
					ck, rk, tk := "c"+itoa64(c.ID), "r"+itoa64(room), "t"+itoa64(h.TherapistID)
					if !free(ck, t, sessionEnd) || !free(rk, t, occEnd) || !free(tk, t, occEnd) {
						t = t.Add(15 * time.Minute)
						continue
					}
					taken[ck] = append(taken[ck], span{t, sessionEnd})
					taken[rk] = append(taken[rk], span{t, occEnd})
					taken[tk] = append(taken[tk], span{t, occEnd})
					appt := &schedule.Appointment{OrgID: env.Org.ID, LocationID: h.LocationID, TherapistID: h.TherapistID, ClientID: c.ID, ServiceID: sv.ID,
						RoomID: room, PackageID: pkg, Start: t.UTC(), End: sessionEnd.UTC(), BufferBefore: sv.BufferBefore, BufferAfter: sv.BufferAfter,
						Source: []string{schedule.SourceStaff, schedule.SourceStaff, schedule.SourceOnline}[rng.IntN(3)], CreatedBy: env.Users["frontdesk@demo.test"].ID}
					if err := db.BookAppointment(ctx, tx, appt); err != nil {
						return err
					}
					st := ""
					switch {
					case appt.End.Before(now):
						st = schedule.Completed
						if rng.IntN(25) == 0 {
							st = schedule.NoShow
						} else if rng.IntN(30) == 0 {
							st = schedule.LateCancelled
						}
					case appt.Start.Before(now):
						st = schedule.CheckedIn
					case rng.IntN(30) == 0:
						st = schedule.Cancelled
					}
					if st != "" {
						ch := store.StatusChange{Status: st, At: appt.Start.Add(-10 * time.Minute)}
						switch st {
						case schedule.NoShow:
							ch.FeeCents, ch.At = 6000, appt.Start.Add(20*time.Minute)
						case schedule.Cancelled:
							ch.Reason, ch.At = "Client is travelling", now.Add(-24*time.Hour)
						case schedule.LateCancelled:
							ch.Reason, ch.FeeCents, ch.At = "Called two hours before: sick child", 4000, appt.Start.Add(-2*time.Hour)
						}
						if _, err := db.SetAppointmentStatus(ctx, tx, env.Org.ID, appt.ID, 1, ch); err != nil {
							return err
						}
					}
					t = occEnd.Add(time.Duration(rng.IntN(2)*15) * time.Minute)
				}
			}
		}
		return nil
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// seedWaitlist puts two clients on the waitlist.
func seedWaitlist(ctx context.Context, env *SeedEnv, svcs []schedule.Service, day0 time.Time) error {
	// Two clients wait for a time to open up.
	for i, ci := range []int{5, 17} {
		if ci >= len(env.Clients) {
			break
		}
		w := &store.WaitlistEntry{ClientID: env.Clients[ci].ID, ServiceID: svcs[i*3].ID, LocationID: env.Locations[i].ID,
			EarliestOn: day0.Format(clinic.DateLayout), LatestOn: day0.AddDate(0, 0, 14).Format(clinic.DateLayout), Note: "Prefers mornings"}
		if err := env.App.AddToWaitlist(ctx, env.Owner, w); err != nil {
			return err
		}
	}
	return nil
}
