package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// The public booking pages' routes in the security route tables: all are
// public (a client has no account). Their records are made through the
// store, and the links the app signs are read from the e-mails it sends
// (to a recorder), so making them leaves no audit entries for the
// cross-site test's snapshot to see.

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /book/{slug}", path: "/book/demo", access: public},
		route{pattern: "GET /book/{slug}/book", path: "/book/demo/book?{book_form_query}", access: public},
		route{pattern: "POST /book/{slug}/book", path: "/book/demo/book", access: public, body: func(f *fixture) string { return bookFixtureOf(f).booking }},
		route{pattern: "GET /book/{slug}/appointment/{token}", path: "/book/demo/appointment/{book_appt_token}", access: public},
		route{pattern: "POST /book/{slug}/appointment/{token}/cancel", path: "/book/demo/appointment/{book_appt_token}/cancel", access: public, body: func(f *fixture) string {
			return formBody("reason", "cancelled from another site")
		}},
		route{pattern: "GET /book/{slug}/offer/{token}", path: "/book/demo/offer/{book_offer_token}", access: public},
		route{pattern: "POST /book/{slug}/offer/{token}", path: "/book/demo/offer/{book_offer_token}", access: public, body: func(f *fixture) string { return "" }},
		route{pattern: "GET /feed/{token}", path: "/feed/{book_feed_token}.ics", access: public},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := bookFixtureOf(f)
		return []string{"{book_form_query}", x.formQuery, "{book_appt_token}", x.apptToken, "{book_offer_token}", x.offerToken, "{book_feed_token}", x.feedToken}
	})
}

// bookRecords are what one fixture's booking routes refer to: a service
// Maria offers online with hours every day, on a day three weeks ahead a
// free time's form (11:00), a booking of another free time (13:00), and
// the next day an appointment behind its link and a freed time offered to
// a waiting client; and Maria's calendar feed. Mornings and middays: the
// demo books Maria's afternoons at 16:00 for weeks ahead.
type bookRecords struct {
	formQuery  string
	booking    string
	apptToken  string
	offerToken string
	feedToken  string
}

var bookFixtures sync.Map // *fixture → *bookRecords

var (
	bookApptTokenRE  = regexp.MustCompile(`/book/demo/appointment/([^\s]+)`)
	bookOfferTokenRE = regexp.MustCompile(`/book/demo/offer/([^\s]+)`)
)

func bookFixtureOf(f *fixture) *bookRecords {
	if x, ok := bookFixtures.Load(f); ok {
		return x.(*bookRecords)
	}
	s, db, org := f.s, f.s.DB, f.s.Org.ID
	fail := func(what string, err error) {
		if err != nil {
			panic(fmt.Sprintf("booking fixture: %s: %v", what, err))
		}
	}
	maria := f.userID
	svc := &schedule.Service{OrgID: org, Name: "Fixture Massage", Minutes: 60, PriceCents: 9000, Online: true, Active: true}
	var hs []schedule.Hours
	for d := time.Sunday; d <= time.Saturday; d++ {
		hs = append(hs, schedule.Hours{Weekday: d, Start: 9 * 60, End: 17 * 60})
	}
	fail("menu", db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.CreateService(ctx, tx, svc); err != nil {
			return err
		}
		if err := db.SetWeeklyHours(ctx, tx, org, maria, s.Downtown.ID, hs); err != nil {
			return err
		}
		return db.SaveSMTPSettings(ctx, tx, org, store.SMTPSettings{Host: "127.0.0.1", Port: 2525, TLS: mail.TLSNone, From: "clinic@demo.test"})
	}))
	zone := app.LocationZone(s.Org, &s.Downtown)
	now := time.Now().In(zone)
	at := func(days, h int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()+days, h, 0, 0, 0, zone)
	}
	slot := func(start time.Time) url.Values {
		return url.Values{"location": {id(s.Downtown.ID)}, "service": {id(svc.ID)}, "therapist": {id(maria)}, "start": {start.Format(time.RFC3339)}}
	}
	x := &bookRecords{formQuery: slot(at(22, 11)).Encode()}

	// A booking, with a form token a person would have had for a while.
	tok, err := s.App.FormToken(ctx, "demo")
	fail("form token", err)
	s.Advance(5 * time.Second)
	v := slot(at(22, 13))
	v.Set("first_name", "Fixture")
	v.Set("last_name", "Bookerly")
	v.Set("dob", "1980-02-03")
	v.Set("email", "fixture.bookerly@example.com")
	v.Set("phone", "512-555-0100")
	v.Set("form_token", tok)
	x.booking = v.Encode()

	// Links come in e-mails: the recorder keeps them.
	box := &bookMailbox{}
	s.App.Mailer = box
	clients := bookMailableClients(s, 3)
	book := func(c clinic.Client, start time.Time) *schedule.Appointment {
		a := &schedule.Appointment{OrgID: org, LocationID: s.Downtown.ID, TherapistID: maria, ClientID: c.ID, ServiceID: svc.ID,
			Start: start, End: start.Add(time.Hour)}
		fail("appointment", db.Tx(ctx, func(tx *sql.Tx) error { return db.BookAppointment(ctx, tx, a) }))
		return a
	}
	run := func(kind string, payload any) string {
		b, _ := json.Marshal(payload)
		fail(kind, s.App.Handlers()[kind](ctx, &store.Job{OrgID: org, Kind: kind, Payload: b}))
		box.mu.Lock()
		defer box.mu.Unlock()
		return box.msgs[len(box.msgs)-1].Text
	}
	// The appointment's link, from its reminder.
	appt := book(clients[0], at(23, 9))
	m := bookApptTokenRE.FindStringSubmatch(run(app.MailReminder, map[string]int64{"appointment_id": appt.ID, "start_ms": appt.Start.UnixMilli()}))
	if m == nil {
		panic("booking fixture: no appointment link in the reminder")
	}
	x.apptToken = m[1]
	// A freed time offered to a waiting client.
	freed := book(clients[1], at(23, 13))
	fail("waitlist", db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.SetAppointmentStatus(ctx, tx, org, freed.ID, freed.Version, store.StatusChange{Status: schedule.Cancelled, Reason: "fixture", At: s.DB.Now()}); err != nil {
			return err
		}
		day := at(23, 0).Format(clinic.DateLayout)
		return db.AddToWaitlist(ctx, tx, &store.WaitlistEntry{OrgID: org, ClientID: clients[2].ID, ServiceID: svc.ID, LocationID: s.Downtown.ID, EarliestOn: day, LatestOn: day})
	}))
	m = bookOfferTokenRE.FindStringSubmatch(run(app.MailWaitlist, map[string]int64{"appointment_id": freed.ID}))
	if m == nil {
		panic("booking fixture: no offer link in the waitlist e-mail")
	}
	x.offerToken = m[1]
	// Maria's calendar feed.
	feed, err := auth.NewToken("feed")
	fail("feed token", err)
	fail("feed", db.Tx(ctx, func(tx *sql.Tx) error { return db.SetFeedToken(ctx, tx, org, maria, auth.HashToken(feed)) }))
	x.feedToken = feed

	bookFixtures.Store(f, x)
	return x
}

// bookMailableClients are n active Downtown clients with e-mail addresses.
func bookMailableClients(s *testsrv.Server, n int) []clinic.Client {
	var out []clinic.Client
	for off := 0; len(out) < n; off += 200 {
		cs, err := s.DB.SearchClients(context.Background(), s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.Downtown.ID}, Limit: 200, Offset: off})
		if err != nil || len(cs) == 0 {
			panic(fmt.Sprintf("booking fixture: only %d Downtown clients with e-mail (%v)", len(out), err))
		}
		for _, c := range cs {
			if c.Email != "" && c.Status == clinic.StatusActive && len(out) < n {
				out = append(out, c)
			}
		}
	}
	return out
}
