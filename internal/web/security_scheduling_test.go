package web_test

// The owner's scheduling settings in the security route tables, and the
// checks of who may use them: only owners (schedule.manage); the front
// desk, therapists and billers get 403 on every page and change nothing;
// another organisation's owner gets 404 for this one's records.

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// schedRoutes are the scheduling settings' routes, every one the owner's only.
var schedRoutes = []route{
	{pattern: "GET /admin/scheduling", path: "/admin/scheduling", access: session},
	{pattern: "GET /admin/scheduling/services", path: "/admin/scheduling/services", access: session},
	{pattern: "GET /admin/scheduling/services/new", path: "/admin/scheduling/services/new", access: session},
	{pattern: "POST /admin/scheduling/services", path: "/admin/scheduling/services", access: session, body: func(f *fixture) string {
		return schedServiceForm("Crossite Forgery Massage", "60", "95").Encode()
	}},
	{pattern: "GET /admin/scheduling/services/{id}", path: "/admin/scheduling/services/{service}", access: session},
	{pattern: "POST /admin/scheduling/services/{id}", path: "/admin/scheduling/services/{service}", access: session, body: func(f *fixture) string {
		return schedServiceForm("Hijacked service", "30", "1").Encode()
	}},
	{pattern: "GET /admin/scheduling/packages", path: "/admin/scheduling/packages", access: session},
	{pattern: "POST /admin/scheduling/packages", path: "/admin/scheduling/packages", access: session, body: func(f *fixture) string {
		return formBody("name", "Crossite package", "service_id", "0", "sessions", "10", "price", "1", "valid_days", "365", "active", "1")
	}},
	{pattern: "POST /admin/scheduling/packages/{id}/sale", path: "/admin/scheduling/packages/{package}/sale", access: session, body: func(f *fixture) string {
		return formBody("on_sale", "0")
	}},
	{pattern: "GET /admin/scheduling/rooms", path: "/admin/scheduling/rooms", access: session},
	{pattern: "POST /admin/scheduling/rooms", path: "/admin/scheduling/rooms", access: session, body: func(f *fixture) string {
		return formBody("location_id", id(f.s.Downtown.ID), "name", "Crossite room")
	}},
	{pattern: "POST /admin/scheduling/rooms/{id}", path: "/admin/scheduling/rooms/{room}", access: session, body: func(f *fixture) string {
		return formBody("name", "Hijacked room")
	}},
	{pattern: "GET /admin/scheduling/hours", path: "/admin/scheduling/hours", access: session},
	{pattern: "POST /admin/scheduling/hours", path: "/admin/scheduling/hours", access: session, body: func(f *fixture) string {
		return formBody("location_id", id(f.s.Downtown.ID), "therapist_id", id(f.userID), "d1s0", "05:00", "d1e0", "06:00")
	}},
	{pattern: "GET /admin/scheduling/time-off", path: "/admin/scheduling/time-off", access: session},
	{pattern: "POST /admin/scheduling/time-off", path: "/admin/scheduling/time-off", access: session, body: func(f *fixture) string {
		d := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		return formBody("therapist_id", id(f.userID), "start_date", d, "end_date", d, "reason", "Crossite")
	}},
	{pattern: "POST /admin/scheduling/time-off/{id}/delete", path: "/admin/scheduling/time-off/{timeoff}/delete", access: session, body: func(f *fixture) string { return "" }},
	{pattern: "POST /admin/scheduling/exceptions", path: "/admin/scheduling/exceptions", access: session, body: func(f *fixture) string {
		d := time.Now().AddDate(0, 1, 1).Format(time.DateOnly)
		return formBody("therapist_id", id(f.userID), "location_id", id(f.s.Downtown.ID), "date", d, "off", "1")
	}},
	{pattern: "POST /admin/scheduling/exceptions/{id}/delete", path: "/admin/scheduling/exceptions/{exception}/delete", access: session, body: func(f *fixture) string { return "" }},
	{pattern: "GET /admin/scheduling/public", path: "/admin/scheduling/public", access: session},
	{pattern: "POST /admin/scheduling/profiles/{id}", path: "/admin/scheduling/profiles/{user}", access: session, body: func(f *fixture) string {
		return formBody("credentials", "Hijacked", "bio", "Hijacked bio", "public", "1")
	}},
	{pattern: "POST /admin/scheduling/testimonials", path: "/admin/scheduling/testimonials", access: session, body: func(f *fixture) string {
		return formBody("display_name", "Crossite", "body", "Forged praise", "consent_on", time.Now().AddDate(0, 0, -1).Format(time.DateOnly), "published", "1")
	}},
	{pattern: "POST /admin/scheduling/testimonials/{id}/publish", path: "/admin/scheduling/testimonials/{testimonial}/publish", access: session, body: func(f *fixture) string {
		return formBody("published", "1")
	}},
	{pattern: "GET /admin/scheduling/policy", path: "/admin/scheduling/policy", access: session},
	{pattern: "POST /admin/scheduling/policy", path: "/admin/scheduling/policy", access: session, body: func(f *fixture) string {
		return formBody("reminder_hours", "0", "cancel_window_hours", "0", "late_cancel_fee", "1000", "no_show_fee", "1000", "horizon_days", "1", "min_notice_hours", "0", "slot_step", "5")
	}},
	{pattern: "GET /admin/scheduling/email", path: "/admin/scheduling/email", access: session},
	{pattern: "POST /admin/scheduling/email", path: "/admin/scheduling/email", access: session, body: func(f *fixture) string {
		return formBody("host", "smtp.evil.example", "port", "587", "tls", "starttls", "username", "eve", "password", "stolen", "from", "eve@evil.example")
	}},
	{pattern: "POST /admin/scheduling/email/test", path: "/admin/scheduling/email/test", access: session, body: func(f *fixture) string { return "" }},
	{pattern: "GET /admin/scheduling/jobs", path: "/admin/scheduling/jobs", access: session},
	{pattern: "POST /admin/scheduling/jobs/{id}/retry", path: "/admin/scheduling/jobs/{job}/retry", access: session, body: func(f *fixture) string { return "" }},
}

func init() {
	pageRoutes = append(pageRoutes, schedRoutes...)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := schedFixtureOf(f)
		return []string{"{service}", id(x.service), "{package}", id(x.pkg), "{room}", id(x.room), "{timeoff}", id(x.timeOff),
			"{exception}", id(x.exception), "{testimonial}", id(x.testimonial), "{job}", id(x.job)}
	})
}

// schedServiceForm is the service form with the fields a test varies.
func schedServiceForm(name, minutes, price string) url.Values {
	return url.Values{"name": {name}, "minutes": {minutes}, "buffer_before": {"0"}, "buffer_after": {"15"}, "price": {price},
		"proc0_code": {"97140"}, "proc0_units": {"2"}, "online": {"1"}, "active": {"1"}}
}

// schedFixture holds, per route-table fixture, one record of each kind the
// scheduling routes name, made straight in the store: making them writes
// nothing to the audit trail.
type schedFixture struct {
	once                                                     sync.Once
	service, pkg, room, timeOff, exception, testimonial, job int64
}

var schedFixtures sync.Map // *fixture → *schedFixture

func schedFixtureOf(f *fixture) *schedFixture {
	v, _ := schedFixtures.LoadOrStore(f, &schedFixture{})
	x := v.(*schedFixture)
	x.once.Do(func() { x.make(f.s, f.userID) })
	return x
}

func (x *schedFixture) make(s *testsrv.Server, therapist int64) {
	org := s.Org.ID
	owner, err := s.DB.CredentialsByEmail(ctx, testsrv.Owner)
	if err != nil {
		panic(err)
	}
	day := time.Now().AddDate(0, 2, 0)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		sv := &schedule.Service{OrgID: org, Name: "Fixture massage", Minutes: 60, PriceCents: 9000, Active: true, Online: true}
		if err := s.DB.CreateService(ctx, tx, sv); err != nil {
			return err
		}
		pk := &schedule.Package{OrgID: org, Name: "Fixture package", Sessions: 5, PriceCents: 40000, ValidDays: 180, Active: true}
		if err := s.DB.CreatePackage(ctx, tx, pk); err != nil {
			return err
		}
		rm := &schedule.Room{OrgID: org, LocationID: s.Downtown.ID, Name: "Fixture room", Active: true}
		if err := s.DB.CreateRoom(ctx, tx, rm); err != nil {
			return err
		}
		to := &schedule.TimeOff{TherapistID: therapist, Start: day, End: day.Add(4 * time.Hour), Reason: "Fixture"}
		if err := s.DB.AddTimeOff(ctx, tx, org, to); err != nil {
			return err
		}
		ex := &schedule.Exception{TherapistID: therapist, LocationID: s.Downtown.ID, Date: day.AddDate(0, 0, 1).Format(time.DateOnly), Start: 600, End: 720}
		if err := s.DB.AddException(ctx, tx, org, ex); err != nil {
			return err
		}
		tm := &store.Testimonial{OrgID: org, DisplayName: "Fixture F.", Body: "Fixture praise", ConsentAt: time.Now().Add(-time.Hour), CreatedBy: owner.UserID}
		if err := s.DB.AddTestimonial(ctx, tx, tm); err != nil {
			return err
		}
		x.service, x.pkg, x.room, x.timeOff, x.exception, x.testimonial = sv.ID, pk.ID, rm.ID, to.ID, ex.ID, tm.ID
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("scheduling fixture: %v", err))
	}
	x.job = schedDeadJob(s, org)
}

// schedDeadJob makes a job of org that gave up: enqueued with one attempt,
// claimed and failed.
func schedDeadJob(s *testsrv.Server, org int64) int64 {
	kind := "test.fixture"
	j := &store.Job{OrgID: org, Kind: kind, MaxAttempts: 1, RunAt: time.Now().Add(-time.Minute)}
	if _, err := s.DB.EnqueueJob(ctx, nil, j); err != nil {
		panic(err)
	}
	claimed, err := s.DB.ClaimJob(ctx, "fixture-worker", time.Minute, []string{kind})
	if err != nil {
		panic(err)
	}
	if err := s.DB.FailJob(ctx, claimed.ID, "fixture-worker", "the fixture's server said no", time.Now()); err != nil {
		panic(err)
	}
	return claimed.ID
}

// schedState is everything the scheduling settings can change, to check
// that refused requests changed none of it.
func schedState(t *testing.T, s *testsrv.Server) string {
	t.Helper()
	var b strings.Builder
	org := s.Org.ID
	svcs, err := s.DB.Services(ctx, org, false)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "services %+v\n", svcs)
	pkgs, _ := s.DB.Packages(ctx, org)
	fmt.Fprintf(&b, "packages %+v\n", pkgs)
	rooms, _ := s.DB.Rooms(ctx, org, 0)
	fmt.Fprintf(&b, "rooms %+v\n", rooms)
	hours, _ := s.DB.WeeklyHours(ctx, org, 0)
	fmt.Fprintf(&b, "hours %+v\n", hours)
	offs, _ := s.DB.TimeOffBetween(ctx, org, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	fmt.Fprintf(&b, "time off %+v\n", offs)
	exs, _ := s.DB.Exceptions(ctx, org, 0, "2000-01-01", "2100-01-01")
	fmt.Fprintf(&b, "exceptions %+v\n", exs)
	profs, _ := s.DB.Profiles(ctx, org)
	for _, p := range profs {
		fmt.Fprintf(&b, "profile %d %q %q %v\n", p.UserID, p.Bio, p.Credentials, p.Public)
	}
	tms, _ := s.DB.Testimonials(ctx, org, false)
	for _, tm := range tms {
		fmt.Fprintf(&b, "testimonial %d %q %v\n", tm.ID, tm.Body, tm.Published)
	}
	pol, _ := s.DB.SchedulePolicy(ctx, org)
	fmt.Fprintf(&b, "policy %+v\n", pol)
	smtp, _ := s.DB.SMTPSettings(ctx, org)
	smtp.UpdatedAt = time.Time{}
	fmt.Fprintf(&b, "smtp %+v\n", smtp)
	jobs, _ := s.DB.Jobs(ctx, store.JobFilter{OrgID: org, Limit: 1000})
	for _, j := range jobs {
		fmt.Fprintf(&b, "job %d %s %d\n", j.ID, j.Status, j.Attempts)
	}
	return b.String()
}

// TestSecuritySchedulingOwnerOnly: every scheduling settings route refuses
// the front desk, therapists and billers with 403 and an auth.denied entry,
// and changes nothing; the owner opens every page.
func TestSecuritySchedulingOwnerOnly(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		f := newFixture(t, s, s.Token(t, testsrv.Owner))
		f.url(schedRoutes[0]) // makes every area's fixtures, before the snapshot
		before := schedState(t, s)
		for _, who := range []string{testsrv.FrontDesk, testsrv.TherapistA, testsrv.TherapistB, testsrv.Biller} {
			c := s.SignIn(t, who)
			uid := userID(t, s, who)
			for _, r := range schedRoutes {
				what := who + " " + r.method() + " " + r.path
				n := auditCount(t, s, s.Org.ID, uid, audit.Denied)
				res := do(t, c, r.method(), f.url(r), f.bodyOf(r))
				if res.status != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", what, res.status)
				}
				if got := auditCount(t, s, s.Org.ID, uid, audit.Denied); got != n+1 {
					t.Errorf("%s: auth.denied entries %d → %d, want one more", what, n, got)
				}
			}
		}
		if after := schedState(t, s); after != before {
			t.Errorf("refused requests changed the scheduling settings:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		oc := s.SignIn(t, testsrv.Owner)
		for _, r := range schedRoutes {
			if r.method() != http.MethodGet {
				continue
			}
			if res := get(t, oc, f.url(r)); res.status != http.StatusOK {
				t.Errorf("owner GET %s: %s", r.path, res)
			}
		}
		// The menu shows Scheduling to the owner only.
		if !strings.Contains(get(t, oc, s.URL+"/clients").body, `href="/admin/scheduling"`) {
			t.Errorf("the owner's menu has no Scheduling link")
		}
		if strings.Contains(get(t, s.SignIn(t, testsrv.FrontDesk), s.URL+"/clients").body, `href="/admin/scheduling"`) {
			t.Errorf("the front desk's menu links to the scheduling settings")
		}
	})
}

// TestSecuritySchedulingOtherOrganisation: another organisation's owner
// reaches none of this organisation's scheduling records by number.
func TestSecuritySchedulingOtherOrganisation(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		f := newFixture(t, s, s.Token(t, testsrv.Owner))
		x := schedFixtureOf(f)
		f.url(schedRoutes[0])
		before := schedState(t, s)
		oc := s.SignIn(t, testsrv.OtherOwner)
		if r := get(t, oc, s.URL+"/admin/scheduling/services/"+id(x.service)); r.status != http.StatusNotFound || strings.Contains(r.body, "Fixture massage") {
			t.Errorf("other org GET a service: %d", r.status)
		}
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/admin/scheduling/services/" + id(x.service), schedServiceForm("Stolen service", "60", "1")},
			{"/admin/scheduling/packages/" + id(x.pkg) + "/sale", url.Values{"on_sale": {"0"}}},
			{"/admin/scheduling/rooms/" + id(x.room), url.Values{"name": {"Stolen room"}, "active": {"1"}}},
			{"/admin/scheduling/time-off/" + id(x.timeOff) + "/delete", nil},
			{"/admin/scheduling/exceptions/" + id(x.exception) + "/delete", nil},
			{"/admin/scheduling/profiles/" + id(f.userID), url.Values{"bio": {"Stolen bio"}}},
			{"/admin/scheduling/testimonials/" + id(x.testimonial) + "/publish", url.Values{"published": {"1"}}},
			{"/admin/scheduling/jobs/" + id(x.job) + "/retry", nil},
		} {
			if r := post(t, oc, s.URL+c.path, c.form); r.status != http.StatusNotFound {
				t.Errorf("other org POST %s: %d, want 404", c.path, r.status)
			}
		}
		// Hours for this organisation's therapist, a location of theirs.
		r := post(t, oc, s.URL+"/admin/scheduling/hours", url.Values{"location_id": {id(s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "d1s0": {"09:00"}, "d1e0": {"10:00"}})
		if r.status < 400 || r.status > 499 {
			t.Errorf("other org sets this organisation's hours: %d", r.status)
		}
		if after := schedState(t, s); after != before {
			t.Errorf("another organisation changed the scheduling settings:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		// Their own pages show none of this organisation's records.
		for _, p := range []string{"/admin/scheduling/services", "/admin/scheduling/packages", "/admin/scheduling/rooms", "/admin/scheduling/time-off", "/admin/scheduling/public", "/admin/scheduling/jobs"} {
			r := get(t, oc, s.URL+p)
			for _, sec := range []string{"Fixture massage", "Fixture package", "Fixture room", "Fixture praise", "test.fixture", "Maria Lopez"} {
				if strings.Contains(r.body, sec) {
					t.Errorf("other org GET %s shows %q", p, sec)
				}
			}
		}
	})
}

// TestSecuritySchedulingMarkupAndBadInput: what the owner types shows as
// text; hostile input to every form is a 4xx that changes nothing.
func TestSecuritySchedulingMarkupAndBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		f := newFixture(t, s, s.Token(t, testsrv.Owner))
		x := schedFixtureOf(f)
		f.url(schedRoutes[0])
		oc := s.SignIn(t, testsrv.Owner)
		m := strings.Join(markup, " ")
		soon := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)

		for _, c := range []struct {
			path string
			form url.Values
			page string
		}{
			{"/admin/scheduling/services", schedServiceForm(markup[0]+markup[1], "60", "90"), "/admin/scheduling/services"},
			{"/admin/scheduling/packages", url.Values{"name": {markup[0]}, "sessions": {"3"}, "price": {"10"}, "valid_days": {"30"}, "active": {"1"}}, "/admin/scheduling/packages"},
			{"/admin/scheduling/rooms", url.Values{"location_id": {id(s.Downtown.ID)}, "name": {markup[0]}}, "/admin/scheduling/rooms"},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {id(f.userID)}, "start_date": {soon}, "end_date": {soon}, "reason": {markup[0]}}, "/admin/scheduling/time-off"},
			{"/admin/scheduling/profiles/" + id(f.userID), url.Values{"bio": {m}, "credentials": {markup[0]}, "public": {"1"}}, "/admin/scheduling/public"},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {markup[1]}, "body": {m}, "consent_on": {"2025-01-02"}}, "/admin/scheduling/public"},
		} {
			if r := post(t, oc, s.URL+c.path, c.form); r.status != http.StatusSeeOther {
				t.Fatalf("POST %s with markup: %s", c.path, r)
			}
			wantEscaped(t, c.page, get(t, oc, s.URL+c.page).body)
		}
		// Markup sent back with an error is shown as text too.
		bad := schedServiceForm(markup[0], "7", "90")
		r := post(t, oc, s.URL+"/admin/scheduling/services", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("service with markup and a bad length: %d", r.status)
		}
		wantEscaped(t, "the service form sent back", r.body)

		before := schedState(t, s)
		big := strings.Repeat("x", 70<<10)
		huge := "99999999999999999999"
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/admin/scheduling/services", schedServiceForm("", "60", "90")},
			{"/admin/scheduling/services", schedServiceForm("Bad", huge, "90")},
			{"/admin/scheduling/services", schedServiceForm("Bad", "60", huge)},
			{"/admin/scheduling/services", schedServiceForm("Bad\x00", "60", "90")},
			{"/admin/scheduling/services", schedServiceForm("Bad\xff\xfe", "60", "90")},
			{"/admin/scheduling/services", schedServiceForm(big, "60", "90")},
			{"/admin/scheduling/services", func() url.Values { v := schedServiceForm("Bad", "60", "90"); v.Set("performers", "abc"); return v }()},
			{"/admin/scheduling/services", func() url.Values { v := schedServiceForm("Bad", "60", "90"); v.Set("performers", "99999999"); return v }()},
			{"/admin/scheduling/services", func() url.Values {
				v := schedServiceForm("Bad", "60", "90")
				v.Set("performers", id(userID(t, s, testsrv.FrontDesk)))
				return v
			}()},
			{"/admin/scheduling/services", func() url.Values { v := schedServiceForm("Bad", "60", "90"); v.Set("proc0_units", "NaN"); return v }()},
			{"/admin/scheduling/services", func() url.Values { v := schedServiceForm("Bad", "60", "90"); v.Set("proc0_units", "9"); return v }()},
			{"/admin/scheduling/services/" + id(x.service), schedServiceForm("Bad", "61", "90")},
			{"/admin/scheduling/services/abc", schedServiceForm("Bad", "60", "90")},
			{"/admin/scheduling/services/99999999", schedServiceForm("Bad", "60", "90")},
			{"/admin/scheduling/packages", url.Values{"name": {"P"}, "sessions": {"0"}, "price": {"1"}, "valid_days": {"30"}}},
			{"/admin/scheduling/packages", url.Values{"name": {"P"}, "sessions": {"3"}, "price": {"1"}, "valid_days": {huge}}},
			{"/admin/scheduling/packages", url.Values{"name": {"P"}, "sessions": {"3"}, "price": {"1"}, "valid_days": {"30"}, "service_id": {"99999999"}}},
			{"/admin/scheduling/packages", url.Values{"name": {"P"}, "sessions": {"3"}, "price": {"1"}, "valid_days": {"30"}, "service_id": {"-4"}}},
			{"/admin/scheduling/packages/" + id(x.pkg) + "/sale", url.Values{"on_sale": {"maybe"}}},
			{"/admin/scheduling/packages/99999999/sale", url.Values{"on_sale": {"1"}}},
			{"/admin/scheduling/rooms", url.Values{"location_id": {id(s.OtherLoc.ID)}, "name": {"Elsewhere"}}},
			{"/admin/scheduling/rooms", url.Values{"location_id": {"abc"}, "name": {"R"}}},
			{"/admin/scheduling/rooms", url.Values{"location_id": {id(s.Downtown.ID)}, "name": {""}}},
			{"/admin/scheduling/rooms/" + id(x.room), url.Values{"name": {"\x00"}}},
			{"/admin/scheduling/rooms/99999999", url.Values{"name": {"R"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {id(s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "d1s0": {"25:00"}, "d1e0": {"26:00"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {id(s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "d1s0": {"09:03"}, "d1e0": {"10:00"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {id(s.Downtown.ID)}, "therapist_id": {id(f.userID)}, "d1s0": {"12:00"}, "d1e0": {"09:00"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {id(s.Downtown.ID)}, "therapist_id": {id(userID(t, s, testsrv.FrontDesk))}, "d1s0": {"09:00"}, "d1e0": {"10:00"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {id(s.OtherLoc.ID)}, "therapist_id": {id(f.userID)}, "d1s0": {"09:00"}, "d1e0": {"10:00"}}},
			{"/admin/scheduling/hours", url.Values{"location_id": {"abc"}, "therapist_id": {huge}}},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {id(f.userID)}, "start_date": {"2031-01-07"}, "end_date": {"2031-01-06"}}},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {id(f.userID)}, "start_date": {"tomorrow"}, "end_date": {"2031-01-06"}}},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {id(f.userID)}, "start_date": {"2031-01-06"}, "start_time": {"9am"}, "end_date": {"2031-01-06"}}},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {""}, "start_date": {"2031-01-06"}, "end_date": {"2031-01-06"}}},
			{"/admin/scheduling/time-off", url.Values{"therapist_id": {id(f.userID)}, "start_date": {"2031-01-06"}, "end_date": {"2031-01-06"}, "reason": {big}}},
			{"/admin/scheduling/time-off/99999999/delete", nil},
			{"/admin/scheduling/time-off/abc/delete", nil},
			{"/admin/scheduling/exceptions", url.Values{"therapist_id": {id(f.userID)}, "location_id": {id(s.Downtown.ID)}, "date": {"2031-02-30"}, "off": {"1"}}},
			{"/admin/scheduling/exceptions", url.Values{"therapist_id": {id(f.userID)}, "location_id": {id(s.Downtown.ID)}, "date": {"2031-02-03"}, "start": {"10:00"}, "end": {"10:00"}}},
			{"/admin/scheduling/exceptions", url.Values{"therapist_id": {id(f.userID)}, "location_id": {id(s.Downtown.ID)}, "date": {"2031-02-03"}, "start": {"10:00"}}},
			{"/admin/scheduling/exceptions/99999999/delete", nil},
			{"/admin/scheduling/profiles/" + id(f.userID), url.Values{"bio": {strings.Repeat("b", 2001)}}},
			{"/admin/scheduling/profiles/" + id(userID(t, s, testsrv.FrontDesk)), url.Values{"bio": {"Not a therapist"}}},
			{"/admin/scheduling/profiles/abc", url.Values{"bio": {"x"}}},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {"A"}, "body": {"Great"}}},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {"A"}, "body": {"Great"}, "consent_on": {"2999-01-01"}}},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {"A"}, "body": {"Great"}, "consent_on": {"yesterday"}}},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {"A"}, "body": {"Great"}, "consent_on": {"2025-01-01"}, "client_id": {id(s.OtherClient.ID)}}},
			{"/admin/scheduling/testimonials", url.Values{"display_name": {"A"}, "body": {"Great"}, "consent_on": {"2025-01-01"}, "client_id": {"abc"}}},
			{"/admin/scheduling/testimonials/" + id(x.testimonial) + "/publish", url.Values{"published": {"yes please"}}},
			{"/admin/scheduling/testimonials/99999999/publish", url.Values{"published": {"1"}}},
			{"/admin/scheduling/policy", url.Values{"reminder_hours": {"-1"}, "cancel_window_hours": {"24"}, "horizon_days": {"60"}, "min_notice_hours": {"2"}, "slot_step": {"15"}}},
			{"/admin/scheduling/policy", url.Values{"reminder_hours": {"24"}, "cancel_window_hours": {"24"}, "horizon_days": {"60"}, "min_notice_hours": {"2"}, "slot_step": {"7"}}},
			{"/admin/scheduling/policy", url.Values{"reminder_hours": {"24"}, "cancel_window_hours": {"24"}, "horizon_days": {"60"}, "min_notice_hours": {"2"}, "slot_step": {"15"}, "no_show_fee": {"1e9"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com\r\nRCPT TO:<x@y>"}, "port": {"587"}, "tls": {"starttls"}, "from": {"a@b.example"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com"}, "port": {"70000"}, "tls": {"starttls"}, "from": {"a@b.example"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com"}, "port": {"587"}, "tls": {"ssl3"}, "from": {"a@b.example"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com"}, "port": {"587"}, "tls": {"none"}, "username": {"u"}, "password": {"p"}, "from": {"a@b.example"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com"}, "port": {"587"}, "tls": {"starttls"}, "from": {"not an address"}}},
			{"/admin/scheduling/email", url.Values{"host": {"smtp.example.com"}, "port": {"587"}, "tls": {"starttls"}, "from": {"a@b.example"}, "from_name": {"Clinic\r\nBcc: x@y"}}},
			{"/admin/scheduling/jobs/99999999/retry", nil},
		} {
			if r := post(t, oc, s.URL+c.path, c.form); r.status < 400 || r.status > 499 {
				t.Errorf("POST %s with %.80v: %d, want 4xx", c.path, c.form, r.status)
			}
		}
		for _, p := range []string{"/admin/scheduling/services", "/admin/scheduling/policy", "/admin/scheduling/hours", "/admin/scheduling/email"} {
			if r := do(t, oc, http.MethodPost, s.URL+p, "%zz=%%&&=;", "Content-Type", "application/x-www-form-urlencoded"); r.status < 400 || r.status > 499 {
				t.Errorf("a malformed form body to %s: %d, want 4xx", p, r.status)
			}
		}
		for _, p := range []string{"/admin/scheduling/services/abc", "/admin/scheduling/services/99999999", "/admin/scheduling/jobs?status=bogus",
			"/admin/scheduling/hours?location=99999999", "/admin/scheduling/hours?therapist=99999999"} {
			if r := get(t, oc, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		if after := schedState(t, s); after != before {
			t.Errorf("bad input changed the scheduling settings:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
}
