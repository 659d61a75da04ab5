package web_test

// The calendar's routes (calendar.go) in the security route tables, who
// may open each, hostile input to its forms, and markup in what people
// type into them.

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /calendar", path: "/calendar", access: session},
		route{pattern: "GET /calendar/new", path: "/calendar/new?location={calloc}", access: session},
		route{pattern: "POST /appointments", path: "/appointments", access: session, body: func(f *fixture) string {
			x := calFixtureOf(f)
			return url.Values{"client_id": {id(f.client.ID)}, "location_id": {id(f.s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "service_id": {id(x.service)},
				"date": {x.start.AddDate(0, 0, 1).Format("2006-01-02")}, "time": {"10:00"}}.Encode()
		}},
		route{pattern: "GET /appointments/{id}", path: "/appointments/{calappt}", access: session},
		route{pattern: "POST /appointments/{id}/move", path: "/appointments/{calappt}/move", access: session, body: func(f *fixture) string {
			a := calFixtureOf(f).appt(f)
			return url.Values{"version": {id(a.Version)}, "date": {a.Start.In(calZone(f)).Format("2006-01-02")}, "time": {"11:00"}}.Encode()
		}},
		route{pattern: "POST /appointments/{id}/status", path: "/appointments/{calappt}/status", access: session, body: func(f *fixture) string {
			return url.Values{"version": {id(calFixtureOf(f).appt(f).Version)}, "status": {"cancelled"}, "reason": {"forged"}}.Encode()
		}},
		route{pattern: "GET /calendar/series", path: "/calendar/series?client={client}", access: session},
		route{pattern: "POST /calendar/series", path: "/calendar/series", access: session, body: func(f *fixture) string {
			x := calFixtureOf(f)
			return url.Values{"client_id": {id(f.client.ID)}, "location_id": {id(f.s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "service_id": {id(x.service)},
				"first": {x.start.AddDate(0, 0, 7).Format("2006-01-02")}, "time": {"10:00"}, "weekdays": {"1"}, "weeks": {"2"}, "action": {"book"}}.Encode()
		}},
		route{pattern: "GET /waitlist", path: "/waitlist", access: session},
		route{pattern: "POST /waitlist", path: "/waitlist", access: session, body: func(f *fixture) string {
			x := calFixtureOf(f)
			return url.Values{"client_id": {id(f.client.ID)}, "location_id": {id(f.s.Downtown.ID)}, "service_id": {id(x.service)},
				"earliest_on": {x.start.Format("2006-01-02")}, "latest_on": {x.start.AddDate(0, 0, 7).Format("2006-01-02")}}.Encode()
		}},
		route{pattern: "POST /waitlist/{id}/remove", path: "/waitlist/{calwait}/remove", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /clients/{id}/packages", path: "/clients/{client}/packages", access: session, body: func(f *fixture) string {
			return url.Values{"package_id": {id(calFixtureOf(f).pkg)}}.Encode()
		}},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := calFixtureOf(f)
		return []string{"{calappt}", id(x.appt(f).ID), "{calwait}", id(x.wait), "{calloc}", id(f.s.Downtown.ID)}
	})
}

// calFixture holds, per route-table fixture, an appointment of the fixture
// client with Maria at Downtown ten weeks ahead, a waitlist entry and a
// package of the menu, made straight in the store so that making them
// writes nothing to the audit trail.
type calFixture struct {
	once    sync.Once
	service int64
	pkg     int64
	apptID  int64
	wait    int64
	start   time.Time
}

var calFixtures sync.Map // *fixture → *calFixture

func calZone(f *fixture) *time.Location { return app.LocationZone(f.s.Org, &f.s.Downtown) }

func calFixtureOf(f *fixture) *calFixture {
	v, _ := calFixtures.LoadOrStore(f, &calFixture{})
	x := v.(*calFixture)
	x.once.Do(func() {
		s, org := f.s, f.s.Org.ID
		sv := &schedule.Service{OrgID: org, Name: "Route table massage", Minutes: 60, BufferAfter: 10, PriceCents: 9000, Active: true}
		p := &schedule.Package{OrgID: org, Name: "Route table package", Sessions: 3, PriceCents: 20000, ValidDays: 90, Active: true}
		d := time.Now().In(calZone(f)).AddDate(0, 0, 70)
		for d.Weekday() != time.Wednesday {
			d = d.AddDate(0, 0, 1)
		}
		x.start = time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, calZone(f))
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			if err := s.DB.CreateService(ctx, tx, sv); err != nil {
				return err
			}
			if err := s.DB.CreatePackage(ctx, tx, p); err != nil {
				return err
			}
			a := &schedule.Appointment{OrgID: org, LocationID: s.Downtown.ID, TherapistID: f.userID, ClientID: f.client.ID, ServiceID: sv.ID,
				Start: x.start.UTC(), End: x.start.Add(time.Hour).UTC(), BufferAfter: 10, Status: schedule.Booked, Source: schedule.SourceStaff}
			if err := s.DB.BookAppointment(ctx, tx, a); err != nil {
				return err
			}
			w := &store.WaitlistEntry{OrgID: org, ClientID: f.client.ID, ServiceID: sv.ID, LocationID: s.Downtown.ID,
				EarliestOn: x.start.Format("2006-01-02"), LatestOn: x.start.AddDate(0, 0, 14).Format("2006-01-02")}
			if err := s.DB.AddToWaitlist(ctx, tx, w); err != nil {
				return err
			}
			x.apptID, x.wait = a.ID, w.ID
			return nil
		})
		if err != nil {
			panic(fmt.Sprintf("calendar fixture: %v", err))
		}
		x.service, x.pkg = sv.ID, p.ID
	})
	return x
}

// appt is the fixture's appointment as stored now (its version moves when
// a request gets through).
func (x *calFixture) appt(f *fixture) *schedule.Appointment {
	a, err := f.s.DB.Appointment(ctx, f.s.Org.ID, x.apptID)
	if err != nil {
		panic(err)
	}
	return a
}

// calState is what the calendar's forms could change, to check that a
// refused request changed nothing.
func calState(t *testing.T, f *fixture) string {
	t.Helper()
	s := f.s
	var b strings.Builder
	a := calFixtureOf(f).appt(f)
	fmt.Fprintf(&b, "appointment %d %s %s %d %d\n", a.Version, a.Status, a.Start.UTC(), a.TherapistID, a.RoomID)
	list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: s.Org.ID, ClientID: f.client.ID, From: time.Now().Add(-24 * time.Hour), To: time.Now().AddDate(0, 6, 0), Cancelled: true})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "client appointments %d\n", len(list))
	ws, err := s.DB.Waitlist(ctx, store.WaitlistFilter{OrgID: s.Org.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		fmt.Fprintf(&b, "waiting %d %s\n", w.ID, w.Status)
	}
	ps, err := s.DB.ClientPackages(ctx, s.Org.ID, f.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "packages %d\n", len(ps))
	return b.String()
}

// TestSecurityCalendarRoles: who may open each calendar route. Billing
// reads the calendar and changes nothing; a therapist of another location
// neither sees nor changes Downtown's; the front desk does everything.
func TestSecurityCalendarRoles(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		f := newFixture(t, s, s.Token(t, testsrv.Owner))
		var calRoutes []route
		for _, r := range pageRoutes {
			if (strings.HasPrefix(r.path, "/calendar") || strings.HasPrefix(r.path, "/appointments") || strings.HasPrefix(r.path, "/waitlist") || r.pattern == "POST /clients/{id}/packages") &&
				r.pattern != "POST /appointments/{id}/session" { // the notes' route: its own tests
				calRoutes = append(calRoutes, r)
			}
		}
		if len(calRoutes) != 12 {
			t.Fatalf("found %d calendar routes in the table, want 12", len(calRoutes))
		}
		f.url(calRoutes[0]) // makes every area's fixtures, before the state is taken
		before := calState(t, f)
		// Billing: every read, no change (403).
		bc := s.SignIn(t, testsrv.Biller)
		for _, r := range calRoutes {
			res := do(t, bc, r.method(), f.url(r), f.bodyOf(r))
			want := http.StatusOK
			if r.changesState() || r.pattern == "GET /calendar/new" || r.pattern == "GET /calendar/series" {
				want = http.StatusForbidden
			}
			if res.status != want {
				t.Errorf("biller %s: %d, want %d", r.pattern, res.status, want)
			}
		}
		// James works at Round Rock: Downtown's appointment is not found, its calendar and waitlist refused.
		jc := s.SignIn(t, testsrv.TherapistB)
		for _, c := range []struct {
			method, path string
			body         string
			want         int
		}{
			{"GET", "/calendar?location=" + id(s.Downtown.ID), "", http.StatusForbidden},
			{"GET", "/calendar/new?location=" + id(s.Downtown.ID), "", http.StatusForbidden},
			{"GET", "/waitlist?location=" + id(s.Downtown.ID), "", http.StatusForbidden},
			{"GET", "/appointments/{calappt}", "", http.StatusNotFound},
			{"POST", "/appointments/{calappt}/move", "move", http.StatusNotFound},
			{"POST", "/appointments/{calappt}/status", "status", http.StatusNotFound},
			{"POST", "/waitlist/{calwait}/remove", "", http.StatusNotFound},
			{"POST", "/clients/{client}/packages", "package", http.StatusForbidden},
			{"POST", "/appointments", "book", http.StatusForbidden},
			{"POST", "/waitlist", "wait", http.StatusForbidden},
		} {
			var body string
			for _, r := range calRoutes {
				if (c.body == "move" && r.pattern == "POST /appointments/{id}/move") || (c.body == "status" && r.pattern == "POST /appointments/{id}/status") ||
					(c.body == "package" && r.pattern == "POST /clients/{id}/packages") || (c.body == "book" && r.pattern == "POST /appointments") ||
					(c.body == "wait" && r.pattern == "POST /waitlist") {
					body = f.bodyOf(r)
				}
			}
			res := do(t, jc, c.method, f.url(route{path: c.path}), body)
			if res.status != c.want || strings.Contains(res.body, f.client.LastName) {
				t.Errorf("Round Rock therapist %s %s: %d, want %d without the client's name", c.method, c.path, res.status, c.want)
			}
		}
		// Another organisation's owner.
		oc := s.SignIn(t, testsrv.OtherOwner)
		for _, r := range calRoutes {
			if !strings.Contains(r.path, "{calappt}") && !strings.Contains(r.path, "{calwait}") && !strings.Contains(r.path, "{client}") {
				continue
			}
			res := do(t, oc, r.method(), f.url(r), f.bodyOf(r))
			want := http.StatusNotFound
			if r.pattern == "GET /calendar/series" { // the form, with "choose one of your clinic's clients"
				want = http.StatusOK
			}
			if res.status != want || strings.Contains(res.body, f.client.LastName) {
				t.Errorf("other organisation %s: %d, want %d without the client's name", r.pattern, res.status, want)
			}
		}
		if after := calState(t, f); after != before {
			t.Errorf("refused requests changed the calendar:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		// The front desk: every route answers as it would for its work.
		fc := s.SignIn(t, testsrv.FrontDesk)
		for _, r := range calRoutes {
			res := do(t, fc, r.method(), f.url(r), f.bodyOf(r))
			if res.status != http.StatusOK && res.status != http.StatusSeeOther {
				t.Errorf("front desk %s: %s", r.pattern, res)
			}
		}
		if after := calState(t, f); after == before {
			t.Errorf("the front desk's requests changed nothing")
		}
	})
}

// TestSecurityCalendarBadInput: hostile input to every calendar form is a
// 4xx that books nothing; what people type shows as text.
func TestSecurityCalendarBadInput(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng, "alert(1)")
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		fd := s.SignIn(t, testsrv.FrontDesk)
		big := strings.Repeat("x", 100<<10)
		huge := "99999999999999999999"
		valid := url.Values{"client_id": {id(e.other.ID)}, "location_id": {id(s.Downtown.ID)}, "therapist_id": {id(e.maria)}, "service_id": {id(e.svc.ID)},
			"date": {e.day}, "time": {"13:00"}}
		hostile := map[string][]string{
			"client_id":         {"abc", "-1", "0", huge, id(s.OtherClient.ID)},
			"location_id":       {id(s.OtherLoc.ID)},
			"therapist_id":      {"abc", "-1", huge, id(userID(t, s, testsrv.FrontDesk)), id(e.james)},
			"service_id":        {"abc", "-1", huge},
			"room_id":           {"abc", "-1", huge},
			"client_package_id": {"abc", "-1", huge},
			"date":              {"", "abc", "2026-13-45", "\x00", big, "1999-01-01"},
			"time":              {"", "25:00", "9", "09:61", "\xff", big, "09:02"},
			"minutes":           {"abc", "-60", "0", "3", "481", huge, "1e3"},
			"note":              {"a\x00b", "\xff\xfe", big},
		}
		for field, values := range hostile {
			for _, v := range values {
				form := planCloneValues(valid)
				form.Set(field, v)
				if r := post(t, fd, s.URL+"/appointments", form); r.status < 400 || r.status > 499 {
					t.Errorf("POST /appointments with %s=%.20q: %d, want 4xx", field, v, r.status)
				}
			}
		}
		if got := e.holding(t, e.other); len(got) != 0 {
			t.Errorf("hostile bookings stored %d appointments", len(got))
		}
		if r := do(t, fd, http.MethodPost, s.URL+"/appointments", "%zz=%%&&=;", "Content-Type", "application/x-www-form-urlencoded"); r.status < 400 || r.status > 499 {
			t.Errorf("a malformed booking body: %d, want 4xx", r.status)
		}
		base := s.URL + "/appointments/" + id(a.ID)
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/move", url.Values{"date": {e.day}, "time": {"10:00"}}},
			{"/move", url.Values{"version": {"abc"}, "time": {"10:00"}, "date": {e.day}}},
			{"/move", url.Values{"version": {huge}, "time": {"10:00"}, "date": {e.day}}},
			{"/move", url.Values{"version": {id(a.Version)}, "date": {"abc"}, "time": {"10:00"}}},
			{"/move", url.Values{"version": {id(a.Version)}, "date": {e.day}, "time": {"06:00"}}},
			{"/move", url.Values{"version": {id(a.Version)}, "minutes": {"-5"}}},
			{"/move", url.Values{"version": {id(a.Version)}, "therapist_id": {"abc"}}},
			{"/move", url.Values{"version": {id(a.Version)}, "therapist_id": {id(e.james)}}},
			{"/move", url.Values{"version": {id(a.Version)}, "room_id": {"-3"}}},
			{"/move", url.Values{"version": {id(a.Version)}, "room_id": {huge}}},
			{"/status", url.Values{"status": {"checked_in"}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {"bogus"}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {""}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {"no_show"}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {"cancelled"}, "reason": {""}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {"cancelled"}, "reason": {"a\x00b"}}},
			{"/status", url.Values{"version": {id(a.Version)}, "status": {"cancelled"}, "reason": {big}}},
		} {
			if r := post(t, fd, base+c.path, c.form); r.status < 400 || r.status > 499 {
				t.Errorf("POST %s with %v: %d, want 4xx", c.path, c.form, r.status)
			}
		}
		if got := e.stored(t, a.ID); got.Version != a.Version {
			t.Errorf("hostile input changed the appointment")
		}
		for _, p := range []string{"/appointments/abc", "/appointments/-1", "/appointments/" + huge, "/appointments/99999999"} {
			if r := get(t, fd, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		for _, p := range []string{"/calendar?day=2026-13-45", "/calendar?day=abc", "/calendar?day=" + big[:200], "/calendar?location=" + id(s.OtherLoc.ID)} {
			if r := get(t, fd, s.URL+p); r.status < 400 || r.status > 499 {
				t.Errorf("GET %.60s: %d, want 4xx", p, r.status)
			}
		}
		for _, p := range []string{"/calendar?location=abc", "/calendar?view=bogus&by=bogus&therapist=abc&room=-1", "/calendar?show=t" + huge, "/calendar/new?start=bogus&location=abc"} {
			if r := get(t, fd, s.URL+p); r.status != http.StatusOK {
				t.Errorf("GET %s: %d, want the default view", p, r.status)
			}
		}
		series := url.Values{"client_id": {id(e.client.ID)}, "location_id": {id(s.Downtown.ID)}, "therapist_id": {id(e.maria)}, "service_id": {id(e.svc.ID)},
			"first": {e.day}, "time": {"09:00"}, "weekdays": {"1"}, "weeks": {"2"}, "action": {"book"}}
		for field, values := range map[string][]string{
			"weekdays": {"7", "-1", "abc"}, "weeks": {"0", "53", "abc", huge}, "time": {"", "24:00", "9", "09:02"},
			"first": {"", "abc", "2026-02-30"}, "count": {"-1", "abc", huge}, "client_id": {"abc", id(s.OtherClient.ID)}, "minutes": {"7", "abc"},
		} {
			for _, v := range values {
				form := planCloneValues(series)
				form.Set(field, v)
				if r := post(t, fd, s.URL+"/calendar/series", form); r.status < 400 || r.status > 499 {
					t.Errorf("POST /calendar/series with %s=%.20q: %d, want 4xx", field, v, r.status)
				}
			}
		}
		wait := url.Values{"client_id": {id(e.other.ID)}, "location_id": {id(s.Downtown.ID)}, "service_id": {id(e.svc.ID)}, "earliest_on": {e.day}, "latest_on": {e.day}}
		for field, values := range map[string][]string{
			"client_id": {"", "abc", huge}, "service_id": {"abc", huge}, "therapist_id": {"abc", huge, id(e.james)}, "location_id": {id(s.OtherLoc.ID)},
			"earliest_on": {"", "abc"}, "latest_on": {"2000-01-01", "abc"}, "note": {"a\x00b", big},
		} {
			for _, v := range values {
				form := planCloneValues(wait)
				form.Set(field, v)
				if r := post(t, fd, s.URL+"/waitlist", form); r.status < 400 || r.status > 499 {
					t.Errorf("POST /waitlist with %s=%.20q: %d, want 4xx", field, v, r.status)
				}
			}
		}
		for _, v := range []string{"", "abc", "-1", huge} {
			if r := post(t, fd, s.URL+"/clients/"+id(e.client.ID)+"/packages", url.Values{"package_id": {v}}); r.status < 400 || r.status > 499 {
				t.Errorf("selling package %q: %d, want 4xx", v, r.status)
			}
		}
		for _, p := range []string{"/waitlist/abc/remove", "/waitlist/99999999/remove"} {
			if r := post(t, fd, s.URL+p, nil); r.status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", p, r.status)
			}
		}

		// Markup in a note, a cancellation reason and a waitlist note shows as text.
		m := strings.Join(markup, " ")
		form := planCloneValues(valid)
		form.Set("note", m)
		r := post(t, fd, s.URL+"/appointments", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("booking with markup in the note: %s", r)
		}
		page := get(t, fd, s.URL+r.header.Get("Location")).body
		wantEscaped(t, "the appointment page", page)
		booked := e.holding(t, e.other)[0]
		post(t, fd, s.URL+"/appointments/"+id(booked.ID)+"/status", url.Values{"version": {id(booked.Version)}, "status": {"cancelled"}, "reason": {m}})
		wantEscaped(t, "the cancelled appointment", get(t, fd, s.URL+"/appointments/"+id(booked.ID)).body)
		wait.Set("note", m)
		if r := post(t, fd, s.URL+"/waitlist", wait); r.status != http.StatusSeeOther {
			t.Fatalf("waitlist with markup: %s", r)
		}
		wantEscaped(t, "the waitlist", get(t, fd, s.URL+"/waitlist").body)
		form.Set("note", m)
		form.Set("time", "")
		wantEscaped(t, "the refused booking form", post(t, fd, s.URL+"/appointments", form).body)
	})
}
