package app_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/mail/mailpit"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// schedFixture is the demo clinic's Downtown location with Maria (Monday to
// Friday, 09:00–12:30 and 13:30–17:00) and the 60-minute medical massage.
type schedFixture struct {
	owner    *auth.Actor
	maria    int64
	zone     *time.Location
	service  schedule.Service
	relax    schedule.Service
	monday   time.Time // local midnight of a Monday three weeks ahead
	newbie   clinic.Client
	location int64
}

func newSchedFixture(t *testing.T, s *testsrv.Server) schedFixture {
	t.Helper()
	owner, _ := signIn(t, s, testsrv.Owner, "10.0.0.1")
	f := schedFixture{owner: owner, maria: userID(t, s, testsrv.TherapistA), location: s.Downtown.ID}
	f.zone = app.LocationZone(s.Org, &s.Downtown)
	svcs, err := s.App.Services(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range svcs {
		switch sv.Name {
		case "Medical massage, 60 minutes":
			f.service = sv
		case "Relaxation massage, 60 minutes":
			f.relax = sv
		}
	}
	now := time.Now().In(f.zone)
	d := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, f.zone).AddDate(0, 0, 21)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	f.monday = d
	f.newbie = clinic.Client{FirstName: "Nora", LastName: "Newcomer", DOB: "1991-04-05", Email: "nora@example.com", Phone: "512-555-0199", PreferredLocationID: s.Downtown.ID}
	if err := s.App.CreateClient(ctx, owner, &f.newbie); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f schedFixture) at(day, hour, min int) time.Time {
	return time.Date(f.monday.Year(), f.monday.Month(), f.monday.Day()+day, hour, min, 0, 0, f.zone)
}

func TestBookingRules(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		f := newSchedFixture(t, s)
		req := app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID}

		r := req
		r.Start = f.at(0, 10, 0)
		b, err := s.App.Book(ctx, f.owner, r)
		if err != nil {
			t.Fatalf("book Monday 10:00: %v", err)
		}
		if got := b.Appointment.Start.In(f.zone); got.Hour() != 10 || got.Minute() != 0 || !b.Appointment.End.Equal(b.Appointment.Start.Add(time.Hour)) {
			t.Errorf("booked %v–%v", got, b.Appointment.End.In(f.zone))
		}
		refused := []struct {
			name  string
			start time.Time
			code  string
			says  string
		}{
			{"before her hours", f.at(0, 7, 0), errs.Invalid, "outside the therapist's hours (09:00–12:30 and 13:30–17:00 that day)"},
			{"over lunch", f.at(0, 12, 0), errs.Invalid, "outside the therapist's hours"},
			{"on Sunday", f.at(-1, 10, 0), errs.Invalid, "not working that day"},
			{"in the past", time.Now().Add(-2 * time.Hour).Truncate(time.Hour), errs.Invalid, "in the past"},
			{"off the five-minute grid", f.at(0, 14, 7), errs.Invalid, "five-minute mark"},
			{"overlapping her 10:00", f.at(0, 10, 30), errs.Conflict, "already booked for the therapist"},
			{"inside the 15-minute turnover", f.at(0, 11, 5), errs.Conflict, "already booked"},
		}
		for _, c := range refused {
			r := req
			r.Start = c.start
			_, err := s.App.Book(ctx, f.owner, r)
			if !errs.Is(err, c.code) || !strings.Contains(errs.Message(err), c.says) {
				t.Errorf("%s: %v; want %s saying %q", c.name, err, c.code, c.says)
			}
		}
		// The front desk books too; the biller may not.
		desk, _ := signIn(t, s, testsrv.FrontDesk, "10.0.0.2")
		r = req
		r.Start = f.at(0, 11, 15)
		if _, err := s.App.Book(ctx, desk, r); err != nil {
			t.Errorf("front desk after the turnover: %v", err)
		}
		biller, _ := signIn(t, s, testsrv.Biller, "10.0.0.3")
		r.Start = f.at(1, 9, 0)
		if _, err := s.App.Book(ctx, biller, r); !errs.Is(err, errs.Forbidden) {
			t.Errorf("biller books: %v; want Forbidden", err)
		}
		// A therapist of the other location cannot book here.
		james, _ := signIn(t, s, testsrv.TherapistB, "10.0.0.4")
		if _, err := s.App.Book(ctx, james, r); err == nil {
			t.Error("James booked at a location he does not work at")
		}

		// Medical massage for a client with no prescription warns.
		r = req
		r.ServiceID, r.Start = f.service.ID, f.at(2, 9, 0)
		b, err = s.App.Book(ctx, f.owner, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Warnings) == 0 || !strings.Contains(strings.Join(b.Warnings, " "), "needs a prescription") {
			t.Errorf("warnings %q; want the missing prescription", b.Warnings)
		}
	})
}

// TestSeriesKeepsLocalTimeAcrossDST books Mondays at 09:00 across the
// spring change: every one is at 09:00 in Austin, so the instants are a
// week apart less an hour across the change.
func TestSeriesKeepsLocalTimeAcrossDST(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		f := newSchedFixture(t, s)
		// The second Sunday of March after now.
		y := time.Now().Year()
		if time.Now().Month() >= time.March {
			y++
		}
		change := time.Date(y, time.March, 8, 0, 0, 0, 0, f.zone)
		for change.Weekday() != time.Sunday {
			change = change.AddDate(0, 0, 1)
		}
		first := change.AddDate(0, 0, -13) // a Monday two weeks before
		res, err := s.App.BookSeries(ctx, f.owner, app.SeriesRequest{
			BookRequest: app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID},
			Recurrence:  schedule.Recurrence{First: first.Format(clinic.DateLayout), Weekdays: []time.Weekday{time.Monday, time.Thursday}, Minute: 9 * 60, Weeks: 4},
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Booked != 8 || res.Conflict != 0 {
			t.Fatalf("booked %d, conflicts %d; want 8 and 0: %+v", res.Booked, res.Conflict, res.Dates)
		}
		var crossed bool
		for i, d := range res.Dates {
			local := d.Appointment.Start.In(f.zone)
			if local.Hour() != 9 || local.Minute() != 0 {
				t.Errorf("date %d at %v; want 09:00 local", i, local)
			}
			if i > 0 {
				prev := res.Dates[i-1].Appointment.Start
				if gap := d.Appointment.Start.Sub(prev); gap%(24*time.Hour) == 23*time.Hour {
					crossed = true
				}
			}
			if d.Appointment.SeriesID != res.Dates[0].Appointment.ID {
				t.Errorf("date %d in series %d; want %d", i, d.Appointment.SeriesID, res.Dates[0].Appointment.ID)
			}
		}
		if !crossed {
			t.Error("no gap of a day less an hour: the series did not cross the change in local time")
		}
		// Again: every date conflicts now, and nothing more is booked.
		res, err = s.App.BookSeries(ctx, f.owner, app.SeriesRequest{
			BookRequest: app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID},
			Recurrence:  schedule.Recurrence{First: first.Format(clinic.DateLayout), Weekdays: []time.Weekday{time.Monday, time.Thursday}, Minute: 9 * 60, Weeks: 4}, DryRun: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Booked != 0 || res.Conflict != 8 || !strings.Contains(res.Dates[0].Conflict, "client has another appointment") && !strings.Contains(res.Dates[0].Conflict, "overlapping") {
			t.Errorf("second run: booked %d, conflicts %d, first reason %q", res.Booked, res.Conflict, res.Dates[0].Conflict)
		}
	})
}

func TestCancellationPolicy(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		f := newSchedFixture(t, s)
		book := func(day, hour int) *schedule.Appointment {
			b, err := s.App.Book(ctx, f.owner, app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID, Start: f.at(day, hour, 0)})
			if err != nil {
				t.Fatal(err)
			}
			return b.Appointment
		}
		early, late := book(0, 9), book(1, 9)
		got, err := s.App.SetAppointmentStatus(ctx, f.owner, early.ID, app.StatusRequest{Version: early.Version, Status: schedule.Cancelled, Reason: "Client is travelling"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != schedule.Cancelled || got.FeeCents != 0 {
			t.Errorf("three weeks ahead: %s, fee %d; want cancelled without a fee", got.Status, got.FeeCents)
		}
		// The freed time can be booked again.
		book(0, 9)
		// Two hours before: late, with the demo policy's $40.
		s.Advance(time.Until(late.Start) - 2*time.Hour)
		got, err = s.App.SetAppointmentStatus(ctx, f.owner, late.ID, app.StatusRequest{Version: late.Version, Status: schedule.Cancelled, Reason: "Sick child"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != schedule.LateCancelled || got.FeeCents != 4000 {
			t.Errorf("two hours ahead: %s, fee %d; want late_cancelled with 4000", got.Status, got.FeeCents)
		}
		if _, err := s.App.SetAppointmentStatus(ctx, f.owner, late.ID, app.StatusRequest{Version: got.Version, Status: schedule.CheckedIn}); err == nil {
			t.Error("a cancelled appointment was checked in")
		}
		if _, err := s.App.SetAppointmentStatus(ctx, f.owner, early.ID, app.StatusRequest{Version: 1, Status: schedule.NoShow}); err == nil {
			t.Error("a stale version was accepted")
		}
	})
}

// runJobs runs every due job.
func runJobs(t *testing.T, s *testsrv.Server) {
	t.Helper()
	r := &jobs.Runner{DB: s.DB, Worker: "test", Handlers: s.App.Handlers()}
	for i := 0; i < 100; i++ {
		ran, err := r.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
	t.Fatal("jobs keep coming")
}

// TestAppointmentEmails sends a booking's e-mails through a real SMTP
// server: the confirmation with the health-history link and an invitation,
// the change, the reminder a day before, and the cancellation.
func TestAppointmentEmails(t *testing.T) {
	mp := mailpit.Start(t)
	each(t, func(t *testing.T, s *testsrv.Server) {
		f := newSchedFixture(t, s)
		s.App.BaseURL = "https://clinic.example"
		if err := s.App.SaveSMTPSettings(ctx, f.owner, store.SMTPSettings{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", From: "frontdesk@riverside.example", FromName: "Riverside Medical Massage"}); err != nil {
			t.Fatal(err)
		}
		to := "nora." + strings.ReplaceAll(t.Name(), "/", ".") + "@example.com"
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE clients SET email = $1, email_key = $1 WHERE id = $2", strings.ToLower(to), f.newbie.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		to = strings.ToLower(to)
		b, err := s.App.Book(ctx, f.owner, app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID, Start: f.at(0, 10, 0)})
		if err != nil {
			t.Fatal(err)
		}
		runJobs(t, s)
		m := mp.WaitFor(t, to, "Your appointment is booked", 10*time.Second)
		for _, want := range []string{"Relaxation massage, 60 minutes", "Maria Lopez", "Downtown Austin", "10:00 AM", "https://clinic.example/intake/", "https://clinic.example/book/demo/appointment/"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("confirmation lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(string(m.Raw), "METHOD:REQUEST") || !strings.Contains(string(m.Raw), "text/calendar") {
			t.Error("confirmation has no calendar invitation")
		}
		// Moved to 14:00: the client hears of it.
		moved, err := s.App.MoveAppointment(ctx, f.owner, b.Appointment.ID, app.MoveRequest{Version: b.Appointment.Version, Start: f.at(0, 14, 0)})
		if err != nil {
			t.Fatal(err)
		}
		runJobs(t, s)
		m = mp.WaitFor(t, to, "has moved", 10*time.Second)
		if !strings.Contains(m.Text, "2:00 PM") {
			t.Errorf("change e-mail:\n%s", m.Text)
		}
		// A day before, the reminder of the new time only.
		s.Advance(time.Until(moved.Start) - 23*time.Hour)
		runJobs(t, s)
		m = mp.WaitFor(t, to, "Reminder", 10*time.Second)
		if !strings.Contains(m.Text, "2:00 PM") || strings.Contains(m.Text, "10:00 AM") {
			t.Errorf("reminder:\n%s", m.Text)
		}
		reminders := 0
		for _, x := range mp.Messages(t) {
			if len(x.To) > 0 && x.To[0] == to && strings.HasPrefix(x.Subject, "Reminder") {
				reminders++
			}
		}
		if reminders != 1 {
			t.Errorf("%d reminders; want 1 (none for the old time)", reminders)
		}
		if _, err := s.App.SetAppointmentStatus(ctx, f.owner, moved.ID, app.StatusRequest{Version: moved.Version, Status: schedule.Cancelled, Reason: "Client is ill"}); err != nil {
			t.Fatal(err)
		}
		runJobs(t, s)
		m = mp.WaitFor(t, to, "cancelled", 10*time.Second)
		if !strings.Contains(string(m.Raw), "METHOD:CANCEL") {
			t.Error("cancellation has no calendar cancellation")
		}
		if strings.Contains(s.Log.String(), "Newcomer") || strings.Contains(s.Log.String(), to) {
			t.Error("the log names the client")
		}
	})
}

// TestSignedLinksWithDashes: a link's signature is base64url and holds "-"
// about a third of the time; every such link must still open.
func TestSignedLinksWithDashes(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		f := newSchedFixture(t, s)
		dashes := 0
		for i := 0; i < 15; i++ {
			start := []time.Time{f.at(i/3, 9, 0), f.at(i/3, 10, 30), f.at(i/3, 14, 0)}[i%3]
			b, err := s.App.Book(ctx, f.owner, app.BookRequest{ClientID: f.newbie.ID, TherapistID: f.maria, LocationID: f.location, ServiceID: f.relax.ID, Start: start})
			if err != nil {
				t.Fatal(err)
			}
			link, err := s.App.AppointmentLinkForTest(ctx, s.Org, b.Appointment.ID)
			if err != nil {
				t.Fatal(err)
			}
			tok := link[strings.LastIndex(link, "/")+1:]
			if strings.Count(tok, "-") > 2 {
				dashes++
			}
			pa, err := s.App.OpenAppointmentLink(ctx, s.Org.Slug, tok)
			if err != nil || pa.Appointment.ID != b.Appointment.ID {
				t.Fatalf("link %q: %v", tok, err)
			}
			if _, err := s.App.OpenAppointmentLink(ctx, s.Org.Slug, tok[:len(tok)-1]+"A"); err == nil && !strings.HasSuffix(tok, "A") {
				t.Fatalf("a forged link %q opened", tok)
			}
		}
		if dashes == 0 {
			t.Log("no signature held a dash this time")
		}
	})
}

// TestMailWithUnreadablePassword: restored without the secret key the
// password was sealed with, sending mail says what to do, without trying
// the server and without a server error.
func TestMailWithUnreadablePassword(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, "203.0.113.5")
		if err := s.App.SaveSMTPSettings(ctx, owner, store.SMTPSettings{Host: "smtp.invalid", Port: 587, TLS: "starttls", Username: "u", Password: "s3cret", From: "front@example.com"}); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.SetSecretKey([]byte("0123456789abcdef0123456789abcdef")); err != nil {
			t.Fatal(err)
		}
		err := s.App.SendTestMail(ctx, owner)
		if errs.Code(err) != errs.Invalid || !strings.Contains(errs.Message(err), "type it again under Scheduling → E-mail") {
			t.Errorf("test mail under another key: %v", err)
		}
	})
}
