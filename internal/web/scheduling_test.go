package web_test

// The owner's scheduling settings through the real server, on both
// engines: a service saved and listed, mistakes shown next to their
// fields, a week of hours saved and shown again, fees typed in dollars,
// the SMTP password never sent back, the test e-mail, and the job queue.

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/mail/mailpit"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func schedServices(t *testing.T, s *testsrv.Server) []schedule.Service {
	t.Helper()
	svcs, err := s.DB.Services(ctx, s.Org.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	return svcs
}

func schedFind(svcs []schedule.Service, name string) *schedule.Service {
	for i := range svcs {
		if svcs[i].Name == name {
			return &svcs[i]
		}
	}
	return nil
}

func TestSchedulingServices(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		maria := userID(t, s, testsrv.TherapistA)

		if r := get(t, oc, s.URL+"/admin/scheduling/services/new"); r.status != http.StatusOK || !strings.Contains(r.body, `name="proc3_code"`) || !strings.Contains(r.body, "Maria Lopez") {
			t.Fatalf("the new service form: %s", r)
		}
		form := url.Values{"name": {"Lymphatic drainage, 45 minutes"}, "description": {"Gentle work after surgery."}, "minutes": {"45"},
			"buffer_before": {"5"}, "buffer_after": {"10"}, "price": {"$85.50"},
			"proc0_code": {"97140"}, "proc0_units": {"2"}, "proc1_code": {"97124"}, "proc1_units": {"1"},
			"performers": {id(maria)}, "needs_prescription": {"1"}, "online": {"1"}, "active": {"1"}}
		r := post(t, oc, s.URL+"/admin/scheduling/services", form)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/scheduling/services?saved=1" {
			t.Fatalf("add a service: %s", r)
		}
		sv := schedFind(schedServices(t, s), "Lymphatic drainage, 45 minutes")
		if sv == nil {
			t.Fatal("the service was not stored")
		}
		if sv.Minutes != 45 || sv.BufferBefore != 5 || sv.BufferAfter != 10 || sv.PriceCents != 8550 || len(sv.Procedures) != 2 ||
			len(sv.Performers) != 1 || sv.Performers[0] != maria || !sv.NeedsPrescription || !sv.Online || !sv.Active {
			t.Errorf("stored service %+v", *sv)
		}
		list := get(t, oc, s.URL+"/admin/scheduling/services?saved=1")
		for _, want := range []string{"Lymphatic drainage, 45 minutes", "$85.50", `97140 ×2</span>, <span class="nowrap">97124 ×1`, "Maria Lopez, LMT", "45 min", "Rx</abbr> needed", "Saved."} {
			if !strings.Contains(list.body, want) {
				t.Errorf("the services list lacks %q", want)
			}
		}

		// Edit: the form shows what was saved; no performer ticked means everyone.
		edit := get(t, oc, s.URL+"/admin/scheduling/services/"+id(sv.ID))
		for _, want := range []string{`value="Lymphatic drainage, 45 minutes"`, `value="85.50"`, `value="97124"`, `id="performer-` + id(maria) + `" name="performers" value="` + id(maria) + `" checked`} {
			if !strings.Contains(edit.body, want) {
				t.Errorf("the edit form lacks %s", want)
			}
		}
		form.Set("minutes", "60")
		form.Del("performers")
		form.Del("online")
		if r := post(t, oc, s.URL+"/admin/scheduling/services/"+id(sv.ID), form); r.status != http.StatusSeeOther {
			t.Fatalf("save the service: %s", r)
		}
		if sv = schedFind(schedServices(t, s), "Lymphatic drainage, 45 minutes"); sv.Minutes != 60 || len(sv.Performers) != 0 || sv.Online {
			t.Errorf("after the edit: %+v", *sv)
		}
		if list := get(t, oc, s.URL+"/admin/scheduling/services"); !strings.Contains(list.body, "Every therapist") || !strings.Contains(list.body, "staff only") {
			t.Errorf("the list does not say every therapist performs it, offered by staff only")
		}
	})
}

func TestSchedulingServiceFieldErrors(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		valid := schedServiceForm("Sports massage", "60", "95")
		for _, c := range []struct {
			name, field, value, errorID, says string
		}{
			{"length not on a 5-minute step", "minutes", "7", "minutes-error", "in steps of 5"},
			{"length not a number", "minutes", "an hour", "minutes-error", "minutes"},
			{"negative price", "price", "-10", "price-error", "cannot be negative"},
			{"price not an amount", "price", "ten", "price-error", "dollars"},
			{"no price", "price", "", "price-error", "Enter the price"},
			{"procedure code of four digits", "proc0_code", "9714", "procedures-error", "Line 1"},
			{"procedure code with a letter inside", "proc0_code", "97X40", "procedures-error", "five-character"},
			{"too many units", "proc0_units", "9", "procedures-error", "1 to 8 units"},
			{"buffer not on a step", "buffer_after", "12", "buffer_after-error", "steps of 5"},
			{"no name", "name", "  ", "name-error", "Give the service a name"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := len(schedServices(t, s))
				f := url.Values{}
				for k, v := range valid {
					f[k] = v
				}
				f.Set(c.field, c.value)
				r := post(t, oc, s.URL+"/admin/scheduling/services", f)
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", r.status)
				}
				i := strings.Index(r.body, `id="`+c.errorID+`"`)
				if i < 0 {
					t.Fatalf("no error next to the field (%s)", c.errorID)
				}
				if msg := r.body[i:min(len(r.body), i+200)]; !strings.Contains(msg, c.says) {
					t.Errorf("the error next to the field says %q, want it to mention %q", msg, c.says)
				}
				if c.field != "name" && !strings.Contains(r.body, `value="Sports massage"`) {
					t.Errorf("the form sent back lost the name typed")
				}
				if after := len(schedServices(t, s)); after != before {
					t.Errorf("a service was saved: %d → %d", before, after)
				}
			})
		}
		// Every mistake at once.
		f := schedServiceForm("Sports massage", "7", "-1")
		f.Set("proc0_code", "ABC")
		r := post(t, oc, s.URL+"/admin/scheduling/services", f)
		for _, e := range []string{"minutes-error", "price-error", "procedures-error"} {
			if !strings.Contains(r.body, `id="`+e+`"`) {
				t.Errorf("with three mistakes, no %s", e)
			}
		}
	})
}

func TestSchedulingHours(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		maria := userID(t, s, testsrv.TherapistA)
		loc := id(s.Downtown.ID)
		page := "/admin/scheduling/hours?location=" + loc + "&therapist=" + id(maria)
		if r := get(t, oc, s.URL+page); r.status != http.StatusOK || !strings.Contains(r.body, "America/Chicago") || !strings.Contains(r.body, "Maria Lopez, LMT at Downtown Austin") {
			t.Fatalf("the hours page: %s", r)
		}
		week := url.Values{"location_id": {loc}, "therapist_id": {id(maria)},
			"d1s0": {"09:00"}, "d1e0": {"12:00"}, "d1s1": {"13:00"}, "d1e1": {"17:00"},
			"d3s0": {"10:00"}, "d3e0": {"18:30"}, "d5s0": {"8:00"}, "d5e0": {"14:00"}}
		r := post(t, oc, s.URL+"/admin/scheduling/hours", week)
		if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "saved=1") {
			t.Fatalf("save the week: %s", r)
		}
		hs, err := s.DB.WeeklyHours(ctx, s.Org.ID, s.Downtown.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range hs {
			if h.TherapistID == maria {
				got[h.Weekday.String()+" "+schedule.Clock(h.Start)+"-"+schedule.Clock(h.End)] = true
			}
		}
		want := []string{"Monday 09:00-12:00", "Monday 13:00-17:00", "Wednesday 10:00-18:30", "Friday 08:00-14:00"}
		if len(got) != len(want) {
			t.Errorf("stored hours %v, want %v", got, want)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("stored hours lack %s: %v", w, got)
			}
		}
		// Shown again in the grid and in everyone's week.
		body := get(t, oc, s.URL+page).body
		for _, w := range []string{`name="d1s0" value="09:00"`, `name="d1e1" value="17:00"`, `name="d3e0" value="18:30"`, `name="d5s0" value="08:00"`, `09:00–12:00</span>,<br><span>13:00–17:00`} {
			if !strings.Contains(body, w) {
				t.Errorf("the hours page lacks %s", w)
			}
		}

		// Mistakes: said for their day, nothing changed.
		for _, c := range []struct {
			name string
			set  url.Values
			says string
		}{
			{"a start without an end", url.Values{"d2s0": {"09:00"}}, "Tuesday: enter both a start and an end"},
			{"overlapping spans", url.Values{"d2s0": {"09:00"}, "d2e0": {"13:00"}, "d2s1": {"12:00"}, "d2e1": {"17:00"}}, "Tuesday: 09:00–13:00 and 12:00–17:00 overlap"},
			{"an end before the start", url.Values{"d4s0": {"17:00"}, "d4e0": {"09:00"}}, "Thursday: End after the start"},
			{"not a time", url.Values{"d4s0": {"nine"}, "d4e0": {"17:00"}}, "Thursday: Enter a time of day"},
		} {
			f := url.Values{}
			for k, v := range week {
				f[k] = v
			}
			for k, v := range c.set {
				f[k] = v
			}
			r := post(t, oc, s.URL+"/admin/scheduling/hours", f)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", c.name, r.status)
			}
			if !strings.Contains(r.body, c.says) {
				t.Errorf("%s: the page does not say %q", c.name, c.says)
			}
			if !strings.Contains(r.body, `name="d1e1" value="17:00"`) {
				t.Errorf("%s: the grid sent back lost the other days", c.name)
			}
			if now, _ := s.DB.WeeklyHours(ctx, s.Org.ID, s.Downtown.ID); len(now) != len(hs) {
				t.Errorf("%s: the hours changed", c.name)
			}
		}
	})
}

func TestSchedulingPolicyMoney(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		base := url.Values{"reminder_hours": {"24"}, "cancel_window_hours": {"24"}, "horizon_days": {"60"}, "min_notice_hours": {"2"}, "slot_step": {"15"}, "online_booking": {"1"}}
		for _, c := range []struct {
			typed string
			cents int64 // -1: refused
		}{
			{"45", 4500}, {"45.00", 4500}, {"$45", 4500}, {" $45.5 ", 4550}, {"7.05", 705}, {"$1,000", 100000}, {"0", 0}, {"", 0}, {".5", 50},
			{"45.001", -1}, {"4,5", -1}, {"forty", -1}, {"$", -1}, {"1e3", -1}, {"45$", -1}, {"-5", -1}, {"1000.01", -1}, {"12,34.00", -1},
		} {
			f := url.Values{}
			for k, v := range base {
				f[k] = v
			}
			f.Set("late_cancel_fee", c.typed)
			f.Set("no_show_fee", "12.34")
			before, _ := s.DB.SchedulePolicy(ctx, s.Org.ID)
			r := post(t, oc, s.URL+"/admin/scheduling/policy", f)
			after, _ := s.DB.SchedulePolicy(ctx, s.Org.ID)
			if c.cents < 0 {
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="late_cancel_fee-error"`) {
					t.Errorf("fee %q: %d, want 422 with the error next to the fee", c.typed, r.status)
				}
				if after != before {
					t.Errorf("fee %q was refused but the policy changed: %+v", c.typed, after)
				}
				continue
			}
			if r.status != http.StatusSeeOther {
				t.Errorf("fee %q: %s", c.typed, r)
				continue
			}
			if after.LateCancelFeeCents != c.cents || after.NoShowFeeCents != 1234 {
				t.Errorf("fee %q stored as %d cents (no-show %d), want %d", c.typed, after.LateCancelFeeCents, after.NoShowFeeCents, c.cents)
			}
		}
		// The form shows the saved fees in dollars, and the rest of the policy.
		f := url.Values{"reminder_hours": {"48"}, "cancel_window_hours": {"12"}, "late_cancel_fee": {"$40"}, "no_show_fee": {"65.5"}, "horizon_days": {"90"},
			"min_notice_hours": {"4"}, "slot_step": {"30"}}
		if r := post(t, oc, s.URL+"/admin/scheduling/policy", f); r.status != http.StatusSeeOther {
			t.Fatalf("save the policy: %s", r)
		}
		pol, _ := s.DB.SchedulePolicy(ctx, s.Org.ID)
		if want := (schedule.Policy{ReminderHours: 48, CancelWindowHours: 12, LateCancelFeeCents: 4000, NoShowFeeCents: 6550, OnlineBooking: false, HorizonDays: 90, MinNoticeHours: 4, SlotStep: 30}); pol != want {
			t.Errorf("policy %+v, want %+v", pol, want)
		}
		body := get(t, oc, s.URL+"/admin/scheduling/policy").body
		for _, w := range []string{`name="late_cancel_fee" type="text" inputmode="decimal" value="40"`, `name="no_show_fee" type="text" inputmode="decimal" value="65.50"`, `<option value="30" selected>`} {
			if !strings.Contains(body, w) {
				t.Errorf("the policy page lacks %s", w)
			}
		}
		if strings.Contains(body, `id="online_booking" name="online_booking" value="1" checked`) {
			t.Errorf("online booking shows as on after it was turned off")
		}
	})
}

// TestSchedulingSMTPPassword: the password saved is never in a page's
// HTML, leaving the field empty keeps it, and typing one replaces it.
func TestSchedulingSMTPPassword(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		const secret = "Tr0ub4dor&3-smtp-secret"
		s := start(t, e, secret)
		oc := s.SignIn(t, testsrv.Owner)
		form := url.Values{"host": {"smtp.example.com"}, "port": {"587"}, "tls": {"starttls"}, "username": {"front@example.com"}, "password": {secret},
			"from": {"appointments@example.com"}, "from_name": {"Riverside"}}
		if r := post(t, oc, s.URL+"/admin/scheduling/email", form); r.status != http.StatusSeeOther {
			t.Fatalf("save the e-mail settings: %s", r)
		}
		stored := func() string {
			set, err := s.DB.SMTPSettings(ctx, s.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			return set.Password
		}
		if stored() != secret {
			t.Fatalf("the password was not stored")
		}
		page := get(t, oc, s.URL+"/admin/scheduling/email")
		if !strings.Contains(page.body, `placeholder="`+app.PasswordKept+`"`) || !strings.Contains(page.body, `value="smtp.example.com"`) {
			t.Errorf("the e-mail page does not show the saved settings with the password's placeholder")
		}
		// Saved again with the field empty (as the page sends it): kept.
		form.Set("password", "")
		form.Set("from_name", "Riverside Medical Massage")
		if r := post(t, oc, s.URL+"/admin/scheduling/email", form); r.status != http.StatusSeeOther {
			t.Fatalf("save without a password: %s", r)
		}
		if stored() != secret {
			t.Errorf("saving with the password field empty lost the password")
		}
		// A mistake elsewhere: the form comes back without the password typed.
		form.Set("password", secret+"-new")
		form.Set("port", "seventy")
		r := post(t, oc, s.URL+"/admin/scheduling/email", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="port-error"`) {
			t.Errorf("bad port: %d", r.status)
		}
		if strings.Contains(r.body, secret) {
			t.Errorf("the form sent back holds the password typed")
		}
		// No page shows it.
		for _, rt := range schedRoutes {
			if rt.method() != http.MethodGet || strings.Contains(rt.path, "{") {
				continue
			}
			if body := get(t, oc, s.URL+rt.path).body; strings.Contains(body, secret) {
				t.Errorf("GET %s shows the SMTP password", rt.path)
			}
		}
		// A new password replaces it.
		form.Set("port", "465")
		form.Set("tls", "tls")
		if r := post(t, oc, s.URL+"/admin/scheduling/email", form); r.status != http.StatusSeeOther {
			t.Fatalf("save a new password: %s", r)
		}
		if stored() != secret+"-new" {
			t.Errorf("the new password was not stored")
		}
		// Restored elsewhere without its key (another server's key): the
		// page asks for the password again, and shows none.
		if err := s.DB.SetSecretKey([]byte("0123456789abcdef0123456789abcdef")); err != nil {
			t.Fatal(err)
		}
		page = get(t, oc, s.URL+"/admin/scheduling/email")
		if !strings.Contains(page.body, "kept with another secret key than this server") || strings.Contains(page.body, `placeholder="`+app.PasswordKept+`"`) {
			t.Errorf("the page does not ask for the password again under another key")
		}
	})
}

// TestSchedulingTestMail sends the test e-mail to a real SMTP server
// (Mailpit) and shows why it failed when the server cannot be reached.
func TestSchedulingTestMail(t *testing.T) {
	if os.Getenv("FASCIA_MAILPIT") == "" && os.Getenv("FASCIA_TEST_REQUIRE_MAILPIT") != "1" {
		t.Skip("FASCIA_MAILPIT is not set")
	}
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		mp := mailpit.Start(t)
		oc := s.SignIn(t, testsrv.Owner)
		if r := post(t, oc, s.URL+"/admin/scheduling/email/test", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Save the e-mail settings first") {
			t.Errorf("test e-mail before any settings: %d", r.status)
		}
		form := url.Values{"host": {mp.SMTPHost}, "port": {id(int64(mp.SMTPPort))}, "tls": {"none"}, "from": {"appointments@riverside.test"}, "from_name": {"Riverside"}}
		if r := post(t, oc, s.URL+"/admin/scheduling/email", form); r.status != http.StatusSeeOther {
			t.Fatalf("save the e-mail settings: %s", r)
		}
		r := post(t, oc, s.URL+"/admin/scheduling/email/test", nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/scheduling/email?tested=1" {
			t.Fatalf("send the test e-mail: %s", r)
		}
		if page := get(t, oc, s.URL+"/admin/scheduling/email?tested=1"); !strings.Contains(page.body, testsrv.Owner) {
			t.Errorf("the page does not say where the test e-mail went")
		}
		m := mp.WaitFor(t, testsrv.Owner, "", 10*time.Second)
		if !strings.Contains(m.From, "appointments@riverside.test") {
			t.Errorf("the test e-mail came from %q", m.From)
		}

		// A server that is not there: the reason is shown by the button.
		form.Set("port", "1")
		if r := post(t, oc, s.URL+"/admin/scheduling/email", form); r.status != http.StatusSeeOther {
			t.Fatalf("save settings of a closed port: %s", r)
		}
		r = post(t, oc, s.URL+"/admin/scheduling/email/test", nil)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "could not be sent") {
			t.Errorf("test e-mail through a closed port: %s", r)
		}
	})
}

func TestSchedulingJobQueue(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		dead := schedDeadJob(s, s.Org.ID)
		other := schedDeadJob(s, s.OtherOrg.ID)
		r := get(t, oc, s.URL+"/admin/scheduling/jobs?status=dead")
		if r.status != http.StatusOK || !strings.Contains(r.body, "the fixture&#39;s server said no") || !strings.Contains(r.body, "/admin/scheduling/jobs/"+id(dead)+"/retry") {
			t.Fatalf("the dead job is not listed with its error and a Retry button: %s", r)
		}
		if strings.Contains(r.body, "/jobs/"+id(other)+"/retry") {
			t.Errorf("the queue lists another organisation's job")
		}
		if !strings.Contains(r.body, "Gave up <span class=\"count\">(1)</span>") {
			t.Errorf("the queue does not count one job that gave up")
		}
		if r := post(t, oc, s.URL+"/admin/scheduling/jobs/"+id(dead)+"/retry", nil); r.status != http.StatusSeeOther {
			t.Fatalf("retry: %s", r)
		}
		j, err := s.DB.Job(ctx, dead)
		if err != nil || j.Status != store.JobQueued || j.Attempts != 0 {
			t.Errorf("after retry: %+v %v", j, err)
		}
		// A job that is not dead cannot be retried.
		if r := post(t, oc, s.URL+"/admin/scheduling/jobs/"+id(dead)+"/retry", nil); r.status != http.StatusConflict {
			t.Errorf("retry a queued job: %d, want 409", r.status)
		}
		if r := get(t, oc, s.URL+"/admin/scheduling"); !strings.Contains(r.body, "Job queue") || !strings.Contains(r.body, "0 gave up") {
			t.Errorf("the overview does not show the queue with nothing given up")
		}
	})
}
