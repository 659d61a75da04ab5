package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/mail/mailpit"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// runDueJobs runs every job that is due, as the server's worker would.
func runDueJobs(t *testing.T, s *testsrv.Server) {
	t.Helper()
	r := &jobs.Runner{DB: s.DB, Worker: "browser-test", Handlers: s.App.Handlers()}
	for i := 0; i < 50; i++ {
		ran, err := r.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

// TestBrowserOnlineBookingToReminder is issue #5's journey in Chromium: a
// new client books online and receives the confirmation with the intake
// link at a real SMTP server; the front desk moves the appointment; the
// reminder of the new time arrives a day before.
func TestBrowserOnlineBookingToReminder(t *testing.T) {
	mp := mailpit.Start(t)
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		ctx := context.Background()
		s.App.BaseURL = s.URL
		owner := ownerActor(s)
		if err := s.App.SaveSMTPSettings(ctx, owner, store.SMTPSettings{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", From: "hello@riverside.example", FromName: "Riverside Medical Massage"}); err != nil {
			t.Fatal(err)
		}
		email := "rosa." + browserUniqueName() + "@example.com"
		last := "Newcomb" + strings.ToUpper(browserUniqueName()[:3])

		// The client chooses Downtown, a relaxation massage with Maria, a
		// time next week, and gives her details.
		tb := newBrowserTab(t, s, 1280, 900)
		tb.open("/book/demo")
		tb.waitJS(`!!document.querySelector("#book-choose")`, "the public page")
		browserEval[bool](tb, `(() => {
			const pick = (name, text) => { for (const r of document.querySelectorAll('input[name="' + name + '"]')) { if (r.closest("label").textContent.includes(text)) { r.click(); return true; } } return false; };
			pick("location", "Downtown Austin"); pick("service", "Relaxation massage, 60 minutes");
			const sel = document.getElementById("therapist"); for (const o of sel.options) { if (o.textContent.includes("Maria Lopez")) sel.value = o.value; }
			return true; })()`)
		tb.do(chromedp.Click(chromedp.CSS(`#book-choose button[type="submit"]`)))
		tb.waitJS(`!!document.querySelector("#times")`, "the open times")
		// Two weeks on, past the demo's busy fortnight.
		for range 2 {
			tb.do(chromedp.Click(chromedp.CSS(`a[rel="next"]`)))
			tb.waitJS(`document.readyState === "complete" && !!document.querySelector("a.slot")`, "a later week's open times")
		}
		tb.do(chromedp.Click(chromedp.CSS(`a.slot`)))
		tb.waitJS(`!!document.querySelector("#book-form")`, "the booking form")
		tb.do(chromedp.SendKeys(chromedp.CSS("#first_name"), "Rosa"), chromedp.SendKeys(chromedp.CSS("#last_name"), last),
			chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#phone"), "512-555-0144"))
		browserEval[bool](tb, `(() => { document.getElementById("dob").value = "1988-07-14"; return true; })()`)
		s.Advance(5 * time.Second) // a person takes longer than the form's three seconds
		tb.do(chromedp.Click(chromedp.CSS(`#book-form button[type="submit"]`)))
		tb.waitJS(`document.body.textContent.includes("`+email+`")`, "the booking's confirmation page")
		if body := tb.bodyText(); !strings.Contains(body, "health history") || !strings.Contains(body, "Maria Lopez") {
			t.Errorf("the done page does not mention the health history and the therapist:\n%s", body)
		}

		// The confirmation arrives with the intake link, which opens the form.
		runDueJobs(t, s)
		m := mp.WaitFor(t, email, "Your appointment is booked", 15*time.Second)
		i := strings.Index(m.Text, s.URL+"/intake/")
		if i < 0 || !strings.Contains(string(m.Raw), "METHOD:REQUEST") {
			t.Fatalf("the confirmation has no intake link or invitation:\n%s", m.Text)
		}
		link := strings.Fields(m.Text[i:])[0]
		tb.open(strings.TrimPrefix(link, s.URL))
		tb.waitJS(`document.readyState === "complete"`, "the intake link")
		if body := tb.bodyText(); !strings.Contains(body, "Rosa") && !strings.Contains(strings.ToLower(body), "health history") {
			t.Errorf("the intake link does not open the health history:\n%.400s", body)
		}

		// The front desk moves it an hour later on the same day.
		clients, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{Query: last, Limit: 5})
		if err != nil || len(clients) != 1 {
			t.Fatalf("the new client: %v %v", clients, err)
		}
		list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: s.Org.ID, ClientID: clients[0].ID, From: time.Now(), To: time.Now().AddDate(0, 0, 30)})
		if err != nil || len(list) != 1 || list[0].Source != schedule.SourceOnline {
			t.Fatalf("the online appointment: %v %v", list, err)
		}
		appt := list[0]
		zone := app.LocationZone(s.Org, &s.Downtown)
		desk := newBrowserTab(t, s, 1280, 900)
		desk.signIn(testsrv.FrontDesk)
		desk.open("/appointments/" + id(appt.ID))
		desk.waitJS(`!!document.querySelector("#move-form")`, "the appointment's move form")
		// Another open time of Maria's that day, clear of the booked one.
		local := appt.Start.In(zone)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, zone)
		slots, err := s.App.OpenSlots(ctx, owner, app.SlotRequest{LocationID: appt.LocationID, ServiceID: appt.ServiceID, TherapistID: appt.TherapistID, From: day, To: day.AddDate(0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var newStart time.Time
		for _, sl := range slots {
			if sl.Start.Sub(appt.Start) >= 90*time.Minute || appt.Start.Sub(sl.Start) >= 90*time.Minute {
				newStart = sl.Start.In(zone)
				break
			}
		}
		if newStart.IsZero() {
			t.Fatalf("no other open time for Maria on %s", day.Format("2006-01-02"))
		}
		browserEval[bool](desk, `(() => { document.getElementById("time").value = "`+newStart.Format("15:04")+`"; return true; })()`)
		desk.do(chromedp.Click(chromedp.CSS(`#move-form button[type="submit"]`)))
		var moved *schedule.Appointment
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if moved, err = s.DB.Appointment(ctx, s.Org.ID, appt.ID); err != nil || moved.Version > appt.Version {
				break
			}
		}
		desk.waitJS(`document.readyState === "complete"`, "the moved appointment's page")
		if err != nil || !moved.Start.Equal(newStart) {
			t.Fatalf("after the move the appointment starts %v (%v); want %v\n%s", moved.Start.In(zone), err, newStart, desk.bodyText())
		}
		runDueJobs(t, s)
		mp.WaitFor(t, email, "has moved", 15*time.Second)

		// A day before the new time, the reminder of the new time arrives.
		s.Advance(time.Until(moved.Start) - 23*time.Hour)
		runDueJobs(t, s)
		r := mp.WaitFor(t, email, "Reminder", 15*time.Second)
		if !strings.Contains(r.Text, newStart.Format("3:04 PM")) {
			t.Errorf("the reminder is not for %s:\n%s", newStart.Format("3:04 PM"), r.Text)
		}
	})
}
