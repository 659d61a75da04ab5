package web_test

// The clinic's public booking pages through the real server, on both
// engines: the page and its week of open times, a booking from the form
// to the done page and the e-mails, cancelling by the e-mail's link (in
// time and late), a waitlist offer taken, the therapist's calendar feed,
// and what the pages refuse (spam, stale forms, a taken time, forged links).

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// bookWorld is what the booking tests set up in the demo clinic through
// the app, as the owner would: a service offered online and one that is
// not, Maria's hours at Downtown every day, a bio, testimonials, the
// policy, and a day three weeks ahead with a time booked by the front desk.
// The tests use times before 15:00: the demo books Maria's afternoons at
// 16:00 for weeks ahead (a plan of care's series).
type bookWorld struct {
	s       *testsrv.Server
	owner   *auth.Actor
	svc     schedule.Service // online, 60 minutes, $95.00
	hidden  schedule.Service // not offered online
	maria   int64
	zone    *time.Location
	day     time.Time // local midnight, three weeks ahead
	staffAt time.Time // 10:00 that day, booked by the front desk
	staffID int64
}

const (
	bookBio       = "Maria treats neck and shoulder pain from desk work.\n\nShe trained in manual lymph drainage."
	bookPublished = "I could turn my head again after two visits."
	bookHidden    = "A testimonial the owner has not published."
)

func newBookWorld(t *testing.T, s *testsrv.Server) *bookWorld {
	t.Helper()
	w := &bookWorld{s: s, owner: ownerActor(s), maria: userID(t, s, testsrv.TherapistA)}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("policy", s.App.SaveSchedulePolicy(ctx, w.owner, schedule.Policy{ReminderHours: 24, CancelWindowHours: 24, LateCancelFeeCents: 4000,
		OnlineBooking: true, HorizonDays: 60, MinNoticeHours: 2, SlotStep: 15}))
	w.svc = schedule.Service{Name: "Clinical Deep Tissue", Description: "Focused work on the muscles that hurt.", Minutes: 60, BufferAfter: 15,
		PriceCents: 9500, Online: true, Active: true}
	must("service", s.App.SaveService(ctx, w.owner, &w.svc))
	w.hidden = schedule.Service{Name: "Staff Only Lymphatic", Minutes: 45, PriceCents: 8000, Online: false, Active: true}
	must("hidden service", s.App.SaveService(ctx, w.owner, &w.hidden))
	var hs []schedule.Hours
	for d := time.Sunday; d <= time.Saturday; d++ {
		hs = append(hs, schedule.Hours{Weekday: d, Start: 9 * 60, End: 17 * 60})
	}
	must("hours", s.App.SetHours(ctx, w.owner, w.maria, s.Downtown.ID, hs))
	must("bio", s.App.SaveProfile(ctx, w.owner, &store.TherapistProfile{UserID: w.maria, Bio: bookBio, Credentials: "LMT", Public: true}))
	must("hide James", s.App.SaveProfile(ctx, w.owner, &store.TherapistProfile{UserID: userID(t, s, testsrv.TherapistB), Bio: "Hidden bio.", Public: false}))
	must("testimonial", s.App.AddTestimonial(ctx, w.owner, &store.Testimonial{DisplayName: "Ann S.", Body: bookPublished, ConsentAt: time.Now(), Published: true}))
	must("testimonial", s.App.AddTestimonial(ctx, w.owner, &store.Testimonial{DisplayName: "Bob T.", Body: bookHidden, ConsentAt: time.Now()}))

	w.zone = app.LocationZone(s.Org, &s.Downtown)
	now := time.Now().In(w.zone)
	w.day = time.Date(now.Year(), now.Month(), now.Day()+21, 0, 0, 0, 0, w.zone)
	w.staffAt = w.at(10, 0)
	b, err := s.App.Book(ctx, w.owner, app.BookRequest{ClientID: s.ClientAt(t, s.Downtown.ID).ID, TherapistID: w.maria, LocationID: s.Downtown.ID,
		ServiceID: w.svc.ID, Start: w.staffAt})
	must("front-desk booking", err)
	w.staffID = b.Appointment.ID
	return w
}

// at is a local time on the world's day.
func (w *bookWorld) at(h, m int) time.Time {
	return time.Date(w.day.Year(), w.day.Month(), w.day.Day(), h, m, 0, 0, w.zone)
}

// weekURL is the page with the week from the world's day, for therapist (0: anyone).
func (w *bookWorld) weekURL(therapist int64) string {
	return fmt.Sprintf("%s/book/demo?location=%d&service=%d&therapist=%d&from=%s", w.s.URL, w.s.Downtown.ID, w.svc.ID, therapist, w.day.Format(clinic.DateLayout))
}

// formURL is the booking form of a time with Maria.
func (w *bookWorld) formURL(start time.Time) string {
	v := url.Values{"location": {id(w.s.Downtown.ID)}, "service": {id(w.svc.ID)}, "therapist": {id(w.maria)}, "start": {start.Format(time.RFC3339)}}
	return w.s.URL + "/book/demo/book?" + v.Encode()
}

// slotHref is how the week's page links to a time (HTML-escaped).
func (w *bookWorld) slotHref(start time.Time) string {
	return "start=" + url.QueryEscape(start.In(w.zone).Format(time.RFC3339))
}

// details are what a client types into the form.
type details struct{ first, last, dob, email, phone, note string }

// form reads the booking form of a time and fills in d.
func (w *bookWorld) form(t *testing.T, c *http.Client, start time.Time, d details) url.Values {
	t.Helper()
	r := get(t, c, w.formURL(start))
	if r.status != http.StatusOK {
		t.Fatalf("booking form for %s: %s", start, r)
	}
	v := planFormValues(t, r.body, "book-form")
	v.Set("first_name", d.first)
	v.Set("last_name", d.last)
	v.Set("dob", d.dob)
	v.Set("email", d.email)
	v.Set("phone", d.phone)
	v.Set("note", d.note)
	return v
}

// book sends a filled-in form as a person would: some seconds after
// reading it (the server's clock moves, nobody sleeps).
func (w *bookWorld) book(t *testing.T, c *http.Client, v url.Values) resp {
	t.Helper()
	w.s.Advance(5 * time.Second)
	return post(t, c, w.s.URL+"/book/demo/book", v)
}

// mariaAt lists Maria's holding appointments starting at start.
func (w *bookWorld) mariaAt(t *testing.T, start time.Time) []schedule.Appointment {
	t.Helper()
	list, err := w.s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: w.s.Org.ID, TherapistID: w.maria, From: start, To: start.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	var out []schedule.Appointment
	for _, a := range list {
		if a.Start.Equal(start) && schedule.Holds(a.Status) {
			out = append(out, a)
		}
	}
	return out
}

func bookClientsNamed(t *testing.T, s *testsrv.Server, last string) int {
	t.Helper()
	n := 0
	for _, c := range allClients(t, s, s.Org.ID) {
		if c.LastName == last {
			n++
		}
	}
	return n
}

// bookMailbox records the e-mails the app sends instead of sending them.
type bookMailbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (b *bookMailbox) Send(_ context.Context, _ mail.Settings, m mail.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	return nil
}

func (b *bookMailbox) to(addr string) []mail.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []mail.Message
	for _, m := range b.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// bookRunJobs runs the due jobs of kinds with the app's handlers.
func bookRunJobs(t *testing.T, s *testsrv.Server, kinds ...string) {
	t.Helper()
	hs := map[string]jobs.Handler{}
	for _, k := range kinds {
		hs[k] = s.App.Handlers()[k]
	}
	r := &jobs.Runner{DB: s.DB, Log: s.App.Log, Handlers: hs}
	for range 100 {
		ran, err := r.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
	t.Fatal("the job queue did not empty")
}

var (
	manageHrefRE = regexp.MustCompile(`href="(/book/demo/appointment/[^"]+)"`)
	offerLinkRE  = regexp.MustCompile(`https?://[^\s]+/book/demo/offer/([^\s]+)`)
	manageLinkRE = regexp.MustCompile(`https?://[^\s]+(/book/demo/appointment/[^\s]+)`)
)

func bookWant(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	body = html.UnescapeString(body)
	for _, sub := range subs {
		if !strings.Contains(body, sub) {
			t.Errorf("%s does not show %q", what, sub)
		}
	}
}

func bookWantNot(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	body = html.UnescapeString(body)
	for _, sub := range subs {
		if strings.Contains(body, sub) {
			t.Errorf("%s shows %q", what, sub)
		}
	}
}

// ---------------------------------------------------------------------------

// TestBookPublicPage: the clinic's page shows its locations, the online
// menu, public bios and published testimonials only; the week shows a free
// time and not a booked one, in the location's zone; bad choices are 422s
// and an unknown clinic a 404.
func TestBookPublicPage(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		w := newBookWorld(t, s)
		c := s.Client()

		r := get(t, c, s.URL+"/book/demo")
		if r.status != http.StatusOK {
			t.Fatalf("GET /book/demo: %s", r)
		}
		bookWant(t, "the public page", r.body, s.Org.Name, "Downtown Austin", "Round Rock", "Clinical Deep Tissue", "Focused work on the muscles that hurt.",
			"60 minutes · $95.00", "Maria Lopez", "LMT", "Maria treats neck and shoulder pain from desk work.", "She trained in manual lymph drainage.",
			bookPublished, "Ann S.", "Cancelling later costs $40.00.", `name="location"`, `name="service"`, `name="therapist"`, "Anyone available")
		bookWantNot(t, "the public page", r.body, "Staff Only Lymphatic", bookHidden, "James Chen", "Hidden bio.", `id="times"`, "Sign out")
		if s.Downtown.Address1 != "" && !strings.Contains(r.body, s.Downtown.Address1) {
			t.Errorf("the public page does not show Downtown's address %q", s.Downtown.Address1)
		}

		// Maria's week: the front desk's 10:00 is gone, 14:00 is offered.
		r = get(t, c, w.weekURL(w.maria))
		if r.status != http.StatusOK {
			t.Fatalf("Maria's week: %s", r)
		}
		bookWant(t, "Maria's week", r.body, `id="times"`, w.day.Format("Monday, January 2"), w.slotHref(w.at(14, 0)), ">2:00 PM<",
			"("+w.at(14, 0).Format("MST")+")")
		bookWantNot(t, "Maria's week", r.body, w.slotHref(w.staffAt))
		// 9:00 would run into the 10:00 (and 10:15, 10:30 … 11:00 overlap it or its buffer).
		for _, busy := range []time.Time{w.at(9, 0), w.at(10, 30), w.at(11, 0)} {
			bookWantNot(t, "Maria's week", r.body, w.slotHref(busy))
		}
		// Anyone: the same free time, offered once.
		r = get(t, c, w.weekURL(0))
		if r.status != http.StatusOK || strings.Count(r.body, w.slotHref(w.at(14, 0))) != 1 {
			t.Errorf("anyone's week: %d, 14:00 offered %d times", r.status, strings.Count(r.body, w.slotHref(w.at(14, 0))))
		}
		// A therapist who does not work at the location is explained, not an empty list.
		jc := userID(t, s, testsrv.TherapistB)
		if err := s.App.SaveProfile(ctx, w.owner, &store.TherapistProfile{UserID: jc, Public: true}); err != nil {
			t.Fatal(err)
		}
		r = get(t, c, w.weekURL(jc))
		if r.status != http.StatusOK || !strings.Contains(r.body, "does not work at Downtown Austin") {
			t.Errorf("James at Downtown: %s", r)
		}

		// The next week's link, and no earlier week before today.
		r = get(t, c, fmt.Sprintf("%s/book/demo?location=%d&service=%d", s.URL, s.Downtown.ID, w.svc.ID))
		if r.status != http.StatusOK || strings.Contains(r.body, `rel="prev"`) || !strings.Contains(r.body, `rel="next"`) {
			t.Errorf("this week: %d, want a later week and no earlier one", r.status)
		}

		// Bad choices: a clear 422 with the page, never a 500.
		for _, q := range []string{
			"location=abc&service=1", fmt.Sprintf("location=%d&service=999999", s.Downtown.ID), fmt.Sprintf("location=%d&service=%d", s.OtherLoc.ID, w.svc.ID),
			fmt.Sprintf("location=%d&service=%d", s.Downtown.ID, w.hidden.ID), fmt.Sprintf("location=%d&service=%d&from=2025-13-45", s.Downtown.ID, w.svc.ID),
			fmt.Sprintf("location=%d&service=%d&therapist=-3", s.Downtown.ID, w.svc.ID),
		} {
			if r := get(t, c, s.URL+"/book/demo?"+q); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "error-summary") {
				t.Errorf("GET /book/demo?%s: %d, want 422 with the error", q, r.status)
			}
		}
		// The form of a time not offered: booked, in the past, not a time.
		if r := get(t, c, w.formURL(w.staffAt)); r.status != http.StatusConflict || !strings.Contains(r.body, "no longer free") {
			t.Errorf("form of a booked time: %s", r)
		}
		if r := get(t, c, w.formURL(time.Now().Add(-48*time.Hour).Truncate(time.Hour))); r.status != http.StatusConflict {
			t.Errorf("form of a past time: %d", r.status)
		}
		if r := get(t, c, s.URL+"/book/demo/book?location=1&service=1&start=tomorrow"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("form without a time: %d", r.status)
		}

		// Unknown clinics.
		for _, p := range []string{"/book/no-such-clinic", "/book/no-such-clinic/book?start=x", "/book/no-such-clinic/appointment/1-0-x", "/book/no-such-clinic/offer/1-2-x"} {
			if r := get(t, c, s.URL+p); r.status != http.StatusNotFound || !strings.Contains(r.body, "Not found") {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		if r := post(t, c, s.URL+"/book/no-such-clinic/book", url.Values{}); r.status != http.StatusNotFound {
			t.Errorf("POST to an unknown clinic: %d", r.status)
		}

		// Online booking turned off: the page says to call, the form is closed.
		if err := s.App.SaveSchedulePolicy(ctx, w.owner, schedule.Policy{CancelWindowHours: 24, HorizonDays: 60, SlotStep: 15}); err != nil {
			t.Fatal(err)
		}
		r = get(t, c, w.weekURL(w.maria))
		if r.status != http.StatusOK || !strings.Contains(r.body, "not taking bookings online") || strings.Contains(r.body, `id="times"`) ||
			!strings.Contains(r.body, "Clinical Deep Tissue") {
			t.Errorf("page with online booking off: %d", r.status)
		}
		if r := get(t, c, w.formURL(w.at(14, 0))); r.status != http.StatusUnprocessableEntity {
			t.Errorf("form with online booking off: %d", r.status)
		}
	})
}

// TestBookOnline: a new client books a time, sees it booked, gets the
// confirmation with the intake link and the appointment's link, cancels
// through it in time; another cancels late and is told the fee; a freed
// time goes to the waitlist and is taken once; the therapist's feed lists
// the appointments.
func TestBookOnline(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "1984-07-09", "Rosalind")
		w := newBookWorld(t, s)
		box := &bookMailbox{}
		s.App.Mailer = box
		if err := s.App.SaveSMTPSettings(ctx, w.owner, store.SMTPSettings{Host: "127.0.0.1", Port: 2525, TLS: mail.TLSNone, From: "clinic@demo.test"}); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		two := w.at(14, 0)

		// The form: the time in words, the policy, the hidden fields.
		r := get(t, c, w.formURL(two))
		if r.status != http.StatusOK {
			t.Fatalf("form: %s", r)
		}
		bookWant(t, "the form", r.body, `Clinical Deep Tissue<span class="meta">60 minutes · $95.00</span>`, "Maria Lopez", two.Format("Monday, January 2, 2006 at 3:04 PM MST"),
			"So we can find your record", "don't include medical details here", "Cancelling later costs $40.00.",
			`name="form_token"`, `name="website"`, `tabindex="-1"`, `aria-hidden="true"`, `autocomplete="off"`)

		rosa := details{"Rosalind", "Quillfeather", "1984-07-09", "rosalind.q@example.com", "512-555-0142", "Please use the side entrance."}
		r = w.book(t, c, w.form(t, c, two, rosa))
		if r.status != http.StatusOK {
			t.Fatalf("booking: %s", r)
		}
		bookWant(t, "the done page", r.body, "You're booked", "a confirmation is on its way to <strong>rosalind.q@example.com</strong>",
			"We've e-mailed you a link to your health history", "Maria Lopez", two.Format("Monday, January 2, 2006 at 3:04 PM MST"), "Downtown Austin")
		m := manageHrefRE.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no link to the appointment on the done page")
		}
		manage := m[1]
		got := w.mariaAt(t, two)
		if len(got) != 1 || got[0].Source != schedule.SourceOnline || got[0].Note != rosa.note || bookClientsNamed(t, s, "Quillfeather") != 1 {
			t.Fatalf("after booking: %+v, %d clients", got, bookClientsNamed(t, s, "Quillfeather"))
		}

		// The confirmation: to her, with the same link and the intake link.
		bookRunJobs(t, s, app.MailConfirmation)
		mails := box.to(rosa.email)
		if len(mails) != 1 {
			t.Fatalf("confirmation e-mails to the client: %d", len(mails))
		}
		if ml := manageLinkRE.FindStringSubmatch(mails[0].Text); ml == nil || ml[1] != manage || !strings.Contains(mails[0].Text, "/intake/") || len(mails[0].Calendar) == 0 {
			t.Errorf("confirmation: link %v, want %s, with the intake link and an invitation:\n%s", ml, manage, mails[0].Text)
		}

		// Her appointment's page: booked, free to cancel until a day before.
		r = get(t, c, s.URL+manage)
		bookWant(t, "the appointment page", r.body, "Booked", "Clinical Deep Tissue", "You can cancel at no cost until "+two.Add(-24*time.Hour).Format("Monday, January 2, 2006 at 3:04 PM MST"),
			`id="cancel-form"`)
		if r.status != http.StatusOK {
			t.Fatalf("appointment page: %s", r)
		}
		// Cancelled in time: no fee, the time is free again, the page says so.
		r = post(t, c, s.URL+manage+"/cancel", url.Values{"reason": {"Work trip"}})
		if r.status != http.StatusOK {
			t.Fatalf("cancel: %s", r)
		}
		bookWant(t, "the page after cancelling", r.body, "Your appointment is cancelled.", "Cancelled")
		bookWantNot(t, "the page after cancelling", r.body, `id="cancel-form"`, "fee of")
		appt, err := s.DB.Appointment(ctx, s.Org.ID, got[0].ID)
		if err != nil || appt.Status != schedule.Cancelled || appt.FeeCents != 0 || !strings.Contains(appt.CancelReason, "Work trip") {
			t.Errorf("cancelled appointment: %+v %v", appt, err)
		}
		if r := post(t, c, s.URL+manage+"/cancel", url.Values{}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("cancelling twice: %d", r.status)
		}
		if r := get(t, c, w.weekURL(w.maria)); !strings.Contains(r.body, w.slotHref(two)) {
			t.Errorf("the cancelled time is not offered again")
		}

		// The waitlist: the front desk's 10:00 is cancelled; the waiting
		// client is offered it and takes it; the second taker is told.
		bookRunJobs(t, s, app.MailWaitlist) // the 14:00 freed above, before anyone waited
		waiting := bookWaitingClient(t, s)
		if err := s.App.AddToWaitlist(ctx, w.owner, &store.WaitlistEntry{ClientID: waiting.ID, ServiceID: w.svc.ID, LocationID: s.Downtown.ID,
			EarliestOn: w.day.Format(clinic.DateLayout), LatestOn: w.day.Format(clinic.DateLayout)}); err != nil {
			t.Fatal(err)
		}
		staff, err := s.DB.Appointment(ctx, s.Org.ID, w.staffID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.SetAppointmentStatus(ctx, w.owner, w.staffID, app.StatusRequest{Version: staff.Version, Status: schedule.Cancelled, Reason: "client called"}); err != nil {
			t.Fatal(err)
		}
		bookRunJobs(t, s, app.MailWaitlist)
		offers := box.to(waiting.Email)
		if len(offers) != 1 {
			t.Fatalf("offers to the waiting client: %d", len(offers))
		}
		om := offerLinkRE.FindStringSubmatch(offers[0].Text)
		if om == nil {
			t.Fatalf("no offer link in:\n%s", offers[0].Text)
		}
		offer := s.URL + "/book/demo/offer/" + om[1]
		r = get(t, c, offer)
		if r.status != http.StatusOK {
			t.Fatalf("offer page: %s", r)
		}
		bookWant(t, "the offer", r.body, "Take this time", w.staffAt.Format("Monday, January 2, 2006 at 3:04 PM MST"), "Maria Lopez", "Clinical Deep Tissue")
		if r := post(t, c, offer, url.Values{}); r.status != http.StatusOK || !strings.Contains(r.body, "This time is yours") {
			t.Fatalf("take the offer: %s", r)
		}
		if got := w.mariaAt(t, w.staffAt); len(got) != 1 || got[0].ClientID != waiting.ID || got[0].Source != schedule.SourceWaitlist {
			t.Errorf("after taking the offer: %+v", got)
		}
		r = get(t, c, offer)
		bookWant(t, "the offer taken", r.body, "Sorry, this time has been taken")
		bookWantNot(t, "the offer taken", r.body, "Take this time</button>")
		if r := post(t, c, offer, url.Values{}); r.status != http.StatusConflict {
			t.Errorf("taking a taken offer: %s", r)
		}
		if r := get(t, c, offer+"x"); r.status != http.StatusNotFound {
			t.Errorf("a forged offer link: %d", r.status)
		}

		// Maria's feed: a calendar with her appointments, behind its secret.
		maria := bookActor(t, s, testsrv.TherapistA)
		tok, err := s.App.RotateFeed(ctx, maria)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/feed/" + tok, "/feed/" + tok + ".ics"} {
			r := get(t, c, s.URL+p)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" ||
				!strings.HasPrefix(r.body, "BEGIN:VCALENDAR") || !strings.Contains(r.body, "Clinical Deep Tissue") ||
				!strings.Contains(r.body, "DTSTART:"+w.staffAt.UTC().Format("20060102T150405Z")) {
				t.Errorf("GET feed %s: %d %q %q\n%s", p[:10], r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"), r.body)
			}
			if strings.Contains(r.body, waiting.LastName) {
				t.Errorf("the feed names the client in full")
			}
		}
		old := tok
		if _, err := s.App.RotateFeed(ctx, maria); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/feed/" + old + ".ics", "/feed/feed_not-a-token", "/feed/x.ics"} {
			if r := get(t, c, s.URL+p); r.status != http.StatusNotFound || strings.Contains(r.body, "VCALENDAR") {
				t.Errorf("GET %s…: %d, want 404", p[:8], r.status)
			}
		}

		// A client with a package books online: the visit draws on it, and
		// the page says what is left. Found by e-mail and birth date, she
		// is not new and gets no health-history link.
		var regular clinic.Client
		for _, x := range bookMailableClients(s, 4) {
			if x.ID != waiting.ID && x.DOB != "" {
				regular = x
			}
		}
		pkg := &schedule.Package{Name: "10-session package", ServiceID: w.svc.ID, Sessions: 10, PriceCents: 90000, ValidDays: 365, Active: true}
		if err := s.App.CreatePackage(ctx, w.owner, pkg); err != nil {
			t.Fatal(err)
		}
		sold, err := s.App.SellPackage(ctx, w.owner, regular.ID, pkg.ID)
		if err != nil {
			t.Fatal(err)
		}
		noon := w.at(12, 0)
		r = w.book(t, c, w.form(t, c, noon, details{regular.FirstName, regular.LastName, regular.DOB, regular.Email, "512-555-0123", ""}))
		if r.status != http.StatusOK {
			t.Fatalf("booking with a package: %s", r)
		}
		until, _ := time.Parse(clinic.DateLayout, sold.ExpiresOn)
		bookWant(t, "the done page of a package visit", r.body, "This visit uses your 10-session package: 9 left to book, valid until "+until.Format("January 2, 2006")+".")
		bookWantNot(t, "the done page of a returning client", r.body, "health history")
		if got := w.mariaAt(t, noon); len(got) != 1 || got[0].ClientID != regular.ID || got[0].PackageID != sold.ID {
			t.Errorf("the package visit: %+v", got)
		}

		// A late cancellation: the page warns of the fee, and charges it.
		half := w.at(14, 0).AddDate(0, 0, 1) // the next day
		tom := details{"Tomas", "Verhoeven", "1979-11-23", "tomas.v@example.com", "(512) 555-0199", ""}
		r = w.book(t, c, w.form(t, c, half, tom))
		if r.status != http.StatusOK || !strings.Contains(r.body, "We've e-mailed you a link to your health history") {
			t.Fatalf("second booking: %s", r)
		}
		late := manageHrefRE.FindStringSubmatch(r.body)[1]
		w.s.Advance(time.Until(half.Add(-3 * time.Hour))) // three hours before
		r = get(t, c, s.URL+late)
		bookWant(t, "the appointment page three hours before", r.body, "less than 24 hours before your visit, so cancelling now is late", "it costs $40.00",
			"Cancel my appointment ($40.00 fee)")
		r = post(t, c, s.URL+late+"/cancel", url.Values{})
		if r.status != http.StatusOK {
			t.Fatalf("late cancel: %s", r)
		}
		bookWant(t, "the page after a late cancel", r.body, "Your appointment is cancelled.", "late-cancellation fee of $40.00", "Cancelled late")
		if got := w.mariaAt(t, half); len(got) != 0 {
			t.Errorf("the late-cancelled time still holds: %+v", got)
		}

		// The links' secrets stay out of the log.
		log := s.Log.String()
		for what, secret := range map[string]string{"appointment": strings.TrimPrefix(manage, "/book/demo/appointment/"), "offer": om[1], "feed": tok} {
			if strings.Contains(log, secret) {
				t.Errorf("the log contains the %s link's token", what)
			}
		}

		// A forged or another clinic's link.
		for _, p := range []string{late[:len(late)-2] + "xx", "/book/demo/appointment/1-0-AAAAAAAAAAAAAAAAAAAAAAAA", "/book/other/appointment/" + strings.TrimPrefix(late, "/book/demo/appointment/")} {
			if r := get(t, c, s.URL+p); r.status != http.StatusNotFound || strings.Contains(r.body, "Clinical Deep Tissue") {
				t.Errorf("GET a forged appointment link: %d", r.status)
			}
			if r := post(t, c, s.URL+p+"/cancel", url.Values{}); r.status != http.StatusNotFound {
				t.Errorf("cancel through a forged link: %d", r.status)
			}
		}
	})
}

// bookWaitingClient is a Downtown client with an e-mail address.
func bookWaitingClient(t *testing.T, s *testsrv.Server) clinic.Client {
	t.Helper()
	for _, c := range allClients(t, s, s.Org.ID) {
		if c.Email != "" && c.PreferredLocationID == s.Downtown.ID && c.Status == clinic.StatusActive {
			return c
		}
	}
	t.Fatal("no Downtown client with an e-mail address")
	return clinic.Client{}
}

// actorOf is a demo user as a signed-in actor.
func bookActor(t *testing.T, s *testsrv.Server, email string) *auth.Actor {
	t.Helper()
	res, err := s.App.SignIn(ctx, email, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestBookRefusals: spam, stale or hurried forms, mistakes, a taken time,
// too many attempts and oversized forms are refused with a clear 4xx and
// book nothing; what was typed comes back only in its own fields.
func TestBookRefusals(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "1991-02-14", "Esperanza")
		w := newBookWorld(t, s)
		c := s.Client()
		two := w.at(14, 0)
		d := details{"Esperanza", "Oyelaran", "1991-02-14", "esperanza.o@example.com", "512-555-0177", "Knee surgery last year"}
		nothingBooked := func(what string) {
			t.Helper()
			if got := w.mariaAt(t, two); len(got) != 0 {
				t.Errorf("%s booked %+v", what, got)
			}
			if n := bookClientsNamed(t, s, d.last); n != 0 {
				t.Errorf("%s created %d clients", what, n)
			}
		}

		// The hidden field filled in: a program, refused.
		v := w.form(t, c, two, d)
		v.Set("website", "http://spam.example")
		if r := w.book(t, c, v); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "could not be sent") {
			t.Errorf("honeypot filled: %s", r)
		}
		nothingBooked("a filled-in honeypot")

		// No token, a forged one, one sent at once, one hours old.
		v = w.form(t, c, two, d)
		v.Del("form_token")
		if r := w.book(t, c, v); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "sent too quickly or has expired") {
			t.Errorf("no form token: %s", r)
		}
		v.Set("form_token", "1700000000000-0-AAAAAAAAAAAAAAAAAAAAAAAA")
		if r := w.book(t, c, v); r.status != http.StatusUnprocessableEntity {
			t.Errorf("forged form token: %d", r.status)
		}
		v = w.form(t, c, two, d)
		if r := post(t, c, s.URL+"/book/demo/book", v); r.status != http.StatusUnprocessableEntity {
			t.Errorf("form sent at once: %d", r.status)
		}
		v = w.form(t, c, two, d)
		s.Advance(3 * time.Hour)
		r := post(t, c, s.URL+"/book/demo/book", v)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("form sent hours later: %d", r.status)
		}
		// The refused form comes back with what was typed, and a fresh token that works.
		v2 := planFormValues(t, r.body, "book-form")
		if v2.Get("first_name") != d.first || v2.Get("dob") != d.dob || v2.Get("form_token") == v.Get("form_token") {
			t.Errorf("the form shown again: %v", v2)
		}
		nothingBooked("refused tokens")

		// Mistakes: shown beside the fields, in the client's words; the date
		// of birth and the note appear only in their own fields.
		v = w.form(t, c, two, d)
		v.Set("email", "not-an-address")
		v.Set("phone", "")
		v.Set("first_name", "")
		r = w.book(t, c, v)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("mistakes: %s", r)
		}
		bookWant(t, "the form with mistakes", r.body, `id="email-error"`, `id="phone-error"`, "Enter your legal first name.", `href="#email"`, `aria-invalid="true"`)
		if n := strings.Count(r.body, d.dob); n != 1 {
			t.Errorf("the date of birth appears %d times on the form with mistakes, want once (its field)", n)
		}
		if n := strings.Count(r.body, d.note); n != 1 {
			t.Errorf("the note appears %d times on the form with mistakes, want once (its field)", n)
		}
		nothingBooked("a form with mistakes")
		// Sent at once with nothing filled in: what is missing, not "too quickly".
		v = w.form(t, c, two, details{})
		r = post(t, c, s.URL+"/book/demo/book", v)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="last_name-error"`) || strings.Contains(r.body, "too quickly") {
			t.Errorf("an empty form sent at once: %s", r)
		}

		// Markup typed into the form shows as text.
		v = w.form(t, c, two, d)
		v.Set("first_name", markup[0])
		v.Set("note", markup[1])
		v.Set("email", markup[1])
		r = w.book(t, c, v)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("markup in the form: %d", r.status)
		}
		wantEscaped(t, "the form with markup", r.body)

		// Two people, one time: the second is told it was taken, with the
		// way back to the week, and nothing of theirs is stored.
		first := w.form(t, c, two, details{"Harriet", "Abernathy", "1966-05-30", "harriet.a@example.com", "512-555-0101", ""})
		second := w.form(t, c, two, d)
		if r := w.book(t, c, first); r.status != http.StatusOK {
			t.Fatalf("first booking: %s", r)
		}
		r = w.book(t, c, second)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "See other open times") || !strings.Contains(r.body, "#times") {
			t.Errorf("the second booking of one time: %s", r)
		}
		if strings.Contains(r.body, `id="book-form"`) {
			t.Errorf("the taken time still offers the form")
		}
		if got := w.mariaAt(t, two); len(got) != 1 || bookClientsNamed(t, s, d.last) != 0 {
			t.Errorf("after the second booking: %d appointments, %d clients", len(got), bookClientsNamed(t, s, d.last))
		}
		if r := get(t, c, w.formURL(two)); r.status != http.StatusConflict {
			t.Errorf("the form of the taken time: %d", r.status)
		}

		// Bad forms: no time, another clinic's location, too large.
		for _, bad := range []url.Values{
			{"start": {"tomorrow"}, "location": {id(s.Downtown.ID)}, "service": {id(w.svc.ID)}},
			{"start": {w.at(12, 0).Format(time.RFC3339)}, "location": {id(s.OtherLoc.ID)}, "service": {id(w.svc.ID)}},
			{"start": {w.at(12, 0).Format(time.RFC3339)}, "location": {id(s.Downtown.ID)}, "service": {id(w.hidden.ID)}},
		} {
			if r := post(t, c, s.URL+"/book/demo/book", bad); r.status != http.StatusUnprocessableEntity {
				t.Errorf("POST %v: %d, want 422", bad, r.status)
			}
		}
		v = w.form(t, c, w.at(12, 0), d)
		v.Set("note", strings.Repeat("x", 70<<10))
		if r := w.book(t, c, v); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized form: %d", r.status)
		}
		if r := do(t, c, http.MethodPost, s.URL+"/book/demo/book", "%zz=%%&;", "Content-Type", "application/x-www-form-urlencoded"); r.status != http.StatusBadRequest {
			t.Errorf("unreadable form: %d", r.status)
		}

		// One e-mail address, again and again: refused after a few.
		statuses := []int{}
		for range 4 {
			v := w.form(t, c, w.at(11, 30), details{"Ivo", "Kastelein", "1970-01-15", "ivo.k@example.com", "512-555-0133", ""})
			v.Set("start", two.Format(time.RFC3339)) // taken: nothing is booked while the limit counts
			statuses = append(statuses, w.book(t, c, v).status)
		}
		if statuses[len(statuses)-1] != http.StatusTooManyRequests {
			t.Errorf("repeated bookings for one address: %v, want the last 429", statuses)
		}
	})
}
