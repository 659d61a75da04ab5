package web_test

// The calendar through the real server, on both engines: an appointment
// shows at its local time (the demo's locations are in America/Chicago) in
// the day and week views; booking, double-booking, moving, cancelling late,
// checking in and no-shows through the forms; who may do what; recurring
// series; the chart's appointments and packages; the waitlist.

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// calEnv is what the calendar tests book with: a service of their own, a
// room, Maria's hours at Downtown every day from 07:00 to 20:00, a
// cancellation policy, a new client without prescriptions, and a Monday
// six weeks ahead, beyond the demo's appointments.
type calEnv struct {
	s      *testsrv.Server
	owner  *auth.Actor
	zone   *time.Location
	maria  int64
	james  int64
	svc    schedule.Service // 60 minutes, 10 minutes' turnover
	rxSvc  schedule.Service // needs a prescription
	room   schedule.Room
	day    string
	client clinic.Client
	other  clinic.Client
}

func calSetup(t *testing.T, s *testsrv.Server) *calEnv {
	t.Helper()
	e := &calEnv{s: s, owner: ownerActor(s), zone: app.LocationZone(s.Org, &s.Downtown),
		maria: userID(t, s, testsrv.TherapistA), james: userID(t, s, testsrv.TherapistB)}
	if e.zone.String() != "America/Chicago" {
		t.Fatalf("Downtown's zone is %s; these tests need one other than UTC", e.zone)
	}
	e.svc = schedule.Service{Name: "Calendar test massage", Minutes: 60, BufferAfter: 10, PriceCents: 9000, Active: true}
	e.rxSvc = schedule.Service{Name: "Calendar test medical massage", Minutes: 60, PriceCents: 12000, NeedsPrescription: true, Active: true}
	for _, sv := range []*schedule.Service{&e.svc, &e.rxSvc} {
		if err := s.App.SaveService(ctx, e.owner, sv); err != nil {
			t.Fatal(err)
		}
	}
	e.room = schedule.Room{LocationID: s.Downtown.ID, Name: "Calendar room", Active: true}
	if err := s.App.SaveRoom(ctx, e.owner, &e.room); err != nil {
		t.Fatal(err)
	}
	var hs []schedule.Hours
	for d := time.Sunday; d <= time.Saturday; d++ {
		hs = append(hs, schedule.Hours{Weekday: d, Start: 7 * 60, End: 20 * 60})
	}
	if err := s.App.SetHours(ctx, e.owner, e.maria, s.Downtown.ID, hs); err != nil {
		t.Fatal(err)
	}
	p := schedule.DefaultPolicy
	p.CancelWindowHours, p.LateCancelFeeCents, p.NoShowFeeCents = 48, 2500, 4000
	if err := s.App.SaveSchedulePolicy(ctx, e.owner, p); err != nil {
		t.Fatal(err)
	}
	d := time.Now().In(e.zone).AddDate(0, 0, 42)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	e.day = d.Format(clinic.DateLayout)
	for i, c := range []*clinic.Client{&e.client, &e.other} {
		*c = clinic.Client{FirstName: []string{"Calla", "Otto"}[i], LastName: []string{"Bookwell", "Clashman"}[i], DOB: "1981-02-03", Sex: clinic.Sex("F"),
			PreferredLocationID: s.Downtown.ID, Status: clinic.StatusActive}
		if err := s.App.CreateClient(ctx, e.owner, c); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// at is clock ("09:00") on date (e.day when "") at Downtown.
func (e *calEnv) at(t *testing.T, date, clock string) time.Time {
	t.Helper()
	if date == "" {
		date = e.day
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, e.zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (e *calEnv) book(t *testing.T, c clinic.Client, start time.Time) *schedule.Appointment {
	t.Helper()
	b, err := e.s.App.Book(ctx, e.owner, app.BookRequest{ClientID: c.ID, TherapistID: e.maria, LocationID: e.s.Downtown.ID, ServiceID: e.svc.ID,
		RoomID: e.room.ID, Start: start})
	if err != nil {
		t.Fatalf("book at %s: %v", start, err)
	}
	return b.Appointment
}

func (e *calEnv) stored(t *testing.T, id int64) *schedule.Appointment {
	t.Helper()
	a, err := e.s.DB.Appointment(ctx, e.s.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// holding lists the holding appointments of a client from a day before
// e.day to a month after.
func (e *calEnv) holding(t *testing.T, c clinic.Client) []schedule.Appointment {
	t.Helper()
	from := e.at(t, "", "00:00").AddDate(0, 0, -1)
	list, err := e.s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: e.s.Org.ID, ClientID: c.ID, From: from, To: from.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var calHourRE = regexp.MustCompile(`<span class="cal-hour t-(\d+)">([^<]+)</span>`)

// calBlock finds appointment id's block on a calendar page: where its top
// is (in grid units, cluster and block added up), how tall it is, its text,
// and the column (the data-date and data-therapist of its column).
func calBlock(t *testing.T, page string, id int64) (top, height int, text, col string) {
	t.Helper()
	href := `href="/appointments/` + strconv.FormatInt(id, 10) + `"`
	i := strings.Index(page, href)
	if i < 0 {
		t.Fatalf("appointment %d is not on the calendar page", id)
	}
	cl := strings.LastIndex(page[:i], `<div class="cal-cl `)
	colStart := strings.LastIndex(page[:i], `<div class="cal-col`)
	m := regexp.MustCompile(`^<div class="cal-cl t-(\d+) h-\d+">`).FindStringSubmatch(page[cl:])
	b := regexp.MustCompile(`<a class="cal-a [^"]*\bt-(\d+) h-(\d+)" $`).FindStringSubmatch(page[strings.LastIndex(page[:i], "<a "):i])
	if m == nil || b == nil || colStart < 0 {
		t.Fatalf("appointment %d's block is not where the grid puts blocks: %.300s", id, page[max(0, i-300):i])
	}
	ct, _ := strconv.Atoi(m[1])
	bt, _ := strconv.Atoi(b[1])
	height, _ = strconv.Atoi(b[2])
	end := strings.Index(page[i:], "</a>")
	text = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page[i+len(href):i+end], "")
	return ct + bt, height, text, page[colStart : strings.Index(page[colStart:], ">")+colStart]
}

// calHour is the grid position of an hour label such as "9 AM".
func calHour(t *testing.T, page, label string) int {
	t.Helper()
	for _, m := range calHourRE.FindAllStringSubmatch(page, -1) {
		if m[2] == label {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	t.Fatalf("no hour label %q on the calendar", label)
	return 0
}

func TestCalendarShowsLocalTime(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		fd := s.SignIn(t, testsrv.FrontDesk)
		loc := id(s.Downtown.ID)
		name := e.client.FirstName + " " + e.client.LastName

		// Day view: Maria's column, at the 9 AM line, an hour tall (12 five-minute units).
		r := get(t, fd, s.URL+"/calendar?location="+loc+"&view=day&day="+e.day)
		if r.status != http.StatusOK {
			t.Fatalf("day view: %s", r)
		}
		top, h, text, col := calBlock(t, r.body, a.ID)
		if nine := calHour(t, r.body, "9 AM"); top != nine || h != 12 {
			t.Errorf("day view: block at %d, %d units tall; the 9 AM line is at %d (want there, 12 tall)", top, h, nine)
		}
		if !strings.Contains(text, "9:00–10:00") || !strings.Contains(text, name) || !strings.Contains(text, e.svc.Name) || !strings.Contains(text, "Calendar room") {
			t.Errorf("day view block says %q, want 9:00–10:00, the client, the service and the room", text)
		}
		if !strings.Contains(col, `data-therapist="`+id(e.maria)+`"`) || !strings.Contains(col, `data-date="`+e.day+`"`) {
			t.Errorf("day view: the block is in column %s, want Maria's on %s", col, e.day)
		}
		if !strings.Contains(r.body, "Monday, ") || !strings.Contains(r.body, "America/Chicago") {
			t.Errorf("day view does not name the day and the location's time zone")
		}

		// By room: in the room's column.
		r = get(t, fd, s.URL+"/calendar?location="+loc+"&view=day&by=room&day="+e.day)
		if _, _, _, col := calBlock(t, r.body, a.ID); !strings.Contains(col, `data-room="`+id(e.room.ID)+`"`) {
			t.Errorf("room view: the block is in column %s, want the room's", col)
		}

		// Week of the location: Monday's column, compact, with Maria's initials.
		r = get(t, fd, s.URL+"/calendar?location="+loc+"&view=week&day="+e.at(t, "", "12:00").AddDate(0, 0, 3).Format(clinic.DateLayout))
		if r.status != http.StatusOK {
			t.Fatalf("week view: %s", r)
		}
		top, h, text, col = calBlock(t, r.body, a.ID)
		if nine := calHour(t, r.body, "9 AM"); top != nine || h != 12 {
			t.Errorf("week view: block at %d, %d tall; the 9 AM line is at %d", top, h, nine)
		}
		if !strings.Contains(text, "ML") || !strings.Contains(text, "9:00") || !strings.Contains(col, `data-date="`+e.day+`"`) {
			t.Errorf("week view: block %q in %s, want Maria's initials and 9:00 on Monday %s", text, col, e.day)
		}
		// Maria's week: the full block.
		r = get(t, fd, s.URL+"/calendar?location="+loc+"&view=week&therapist="+id(e.maria)+"&day="+e.day)
		if _, _, text, _ := calBlock(t, r.body, a.ID); !strings.Contains(text, "9:00–10:00") || !strings.Contains(text, name) {
			t.Errorf("Maria's week: block says %q", text)
		}
		// The appointment page says the local time too.
		r = get(t, fd, s.URL+"/appointments/"+id(a.ID))
		if r.status != http.StatusOK || !strings.Contains(r.body, "9:00 AM – 10:00 AM C") {
			t.Errorf("appointment page: %d, want it at 9:00 AM – 10:00 AM Central time", r.status)
		}
	})
}

func TestCalendarBookingForm(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		fd := s.SignIn(t, testsrv.FrontDesk)
		startAt := e.at(t, "", "10:00")

		// The calendar's link: the start in RFC 3339 (UTC) becomes the local date and time.
		link := s.URL + "/calendar/new?" + url.Values{"location": {id(s.Downtown.ID)}, "therapist": {id(e.maria)}, "start": {startAt.UTC().Format(time.RFC3339)},
			"q": {e.client.LastName}}.Encode()
		r := get(t, fd, link)
		if r.status != http.StatusOK {
			t.Fatalf("booking form: %s", r)
		}
		form := planFormValues(t, r.body, "booking-form")
		if form.Get("date") != e.day || form.Get("time") != "10:00" || form.Get("therapist_id") != id(e.maria) {
			t.Errorf("booking form prefilled with %s %s therapist %s, want %s 10:00 Maria", form.Get("date"), form.Get("time"), form.Get("therapist_id"), e.day)
		}
		if !strings.Contains(r.body, `name="client_id" value="`+id(e.client.ID)+`"`) {
			t.Fatalf("the client search does not offer the client")
		}

		// Book a service that needs a prescription for a client without one: booked, with the warning.
		form.Set("client_id", id(e.client.ID))
		form.Set("service_id", id(e.rxSvc.ID))
		form.Set("room_id", id(e.room.ID))
		r = post(t, fd, s.URL+"/appointments", form)
		if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "?booked=1") {
			t.Fatalf("book: %s", r)
		}
		apptID := mustInt(t, strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/appointments/"), "?booked=1"))
		a := e.stored(t, apptID)
		if !a.Start.Equal(startAt) || a.End.Sub(a.Start) != time.Hour || a.TherapistID != e.maria || a.RoomID != e.room.ID || a.Source != schedule.SourceStaff {
			t.Errorf("stored %+v, want 10:00 Chicago for an hour with Maria in the room", a)
		}
		r = get(t, fd, s.URL+r.header.Get("Location"))
		if !strings.Contains(r.body, "Booked, with 1 warning") || !strings.Contains(r.body, "needs a prescription, and none is on file") {
			t.Errorf("the appointment page after booking does not show the booking's warning: %s", r)
		}

		// The same time with Maria for another client: 409, nothing booked.
		form.Set("client_id", id(e.other.ID))
		form.Set("service_id", id(e.svc.ID))
		form.Del("room_id")
		r = post(t, fd, s.URL+"/appointments", form)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "already booked for the therapist") {
			t.Errorf("double booking: %s, want 409 saying the therapist is booked", r)
		}
		if got := e.holding(t, e.other); len(got) != 0 {
			t.Errorf("the double booking stored %d appointments", len(got))
		}
		// The form comes back with what was typed.
		if f := planFormValues(t, r.body, "booking-form"); f.Get("time") != "10:00" || f.Get("client_id") != id(e.other.ID) {
			t.Errorf("the refused form lost its values: %v", f)
		}
		// Bad input: 422 next to the field, nothing booked.
		bad := planCloneValues(form)
		bad.Set("time", "")
		if r := post(t, fd, s.URL+"/appointments", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter the date and the time") {
			t.Errorf("booking without a time: %s", r)
		}
		bad = planCloneValues(form)
		bad.Set("time", "06:00")
		if r := post(t, fd, s.URL+"/appointments", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "outside the therapist") {
			t.Errorf("booking outside hours: %s", r)
		}
		if got := e.holding(t, e.other); len(got) != 0 {
			t.Errorf("refused bookings stored %d appointments", len(got))
		}

		// Billing sees the calendar, but may not book.
		bc := s.SignIn(t, testsrv.Biller)
		if r := get(t, bc, s.URL+"/calendar?location="+id(s.Downtown.ID)+"&day="+e.day); r.status != http.StatusOK || !strings.Contains(r.body, "/appointments/"+id(apptID)) {
			t.Errorf("biller's calendar: %d, or without the appointment", r.status)
		}
		if r := get(t, bc, link); r.status != http.StatusForbidden {
			t.Errorf("biller opening the booking form: %d, want 403", r.status)
		}
		form.Set("time", "15:00")
		if r := post(t, bc, s.URL+"/appointments", form); r.status != http.StatusForbidden {
			t.Errorf("biller booking: %d, want 403", r.status)
		}
		if r := get(t, bc, s.URL+"/appointments/"+id(apptID)); r.status != http.StatusOK || strings.Contains(r.body, `action="/appointments/`+id(apptID)+`/status"`) {
			t.Errorf("biller's appointment page: %d, or it offers the front desk's actions", r.status)
		}
		if got := e.holding(t, e.other); len(got) != 0 {
			t.Errorf("the biller booked %d appointments", len(got))
		}
	})
}

func TestCalendarMoveAndStatus(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		fd := s.SignIn(t, testsrv.FrontDesk)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		b := e.book(t, e.other, e.at(t, "", "14:00"))
		later := e.book(t, e.other, e.at(t, e.at(t, "", "09:00").AddDate(0, 0, 5).Format(clinic.DateLayout), "09:00"))
		noShow := e.book(t, e.client, e.at(t, "", "15:30"))
		checkIn := e.book(t, e.client, e.at(t, "", "17:00"))
		base := s.URL + "/appointments/"

		// Move through the form: 11:00 for 90 minutes, no room.
		page := get(t, fd, base+id(a.ID)).body
		mv := planFormValues(t, page, "move-form")
		if mv.Get("time") != "09:00" || mv.Get("date") != e.day || mv.Get("minutes") != "60" || mv.Get("version") != id(a.Version) {
			t.Errorf("move form prefilled with %v", mv)
		}
		mv.Set("time", "11:00")
		mv.Set("minutes", "90")
		mv.Set("room_id", "0")
		r := post(t, fd, base+id(a.ID)+"/move", mv)
		if r.status != http.StatusSeeOther {
			t.Fatalf("move: %s", r)
		}
		now := e.stored(t, a.ID)
		if !now.Start.Equal(e.at(t, "", "11:00")) || now.End.Sub(now.Start) != 90*time.Minute || now.RoomID != 0 {
			t.Errorf("moved to %s for %s in room %d, want 11:00 for 90 minutes in none", now.Start.In(e.zone), now.End.Sub(now.Start), now.RoomID)
		}
		if r := get(t, fd, s.URL+r.header.Get("Location")); !strings.Contains(r.body, "11:00 AM – 12:30 PM") || !strings.Contains(r.body, "Moved.") {
			t.Errorf("the appointment page after the move: %s", r)
		}
		// The same form again: someone else changed it.
		mv.Set("time", "12:00")
		r = post(t, fd, base+id(a.ID)+"/move", mv)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed this appointment") {
			t.Errorf("a move with an old version: %s, want 409", r)
		}
		// Onto the other appointment's time: 409, nothing moved.
		mv = planFormValues(t, get(t, fd, base+id(a.ID)).body, "move-form")
		mv.Set("time", "14:00")
		mv.Set("minutes", "60")
		r = post(t, fd, base+id(a.ID)+"/move", mv)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "already booked") {
			t.Errorf("a move onto another appointment: %s, want 409", r)
		}
		if got := e.stored(t, a.ID); !got.Start.Equal(now.Start) || got.Version != now.Version {
			t.Errorf("the refused move changed the appointment")
		}
		// The calendar's drag and drop sends the same form and reads JSON.
		r = do(t, fd, http.MethodPost, base+id(a.ID)+"/move", url.Values{"version": {id(now.Version)}, "date": {e.day}, "time": {"12:00"}}.Encode(),
			"Accept", "application/json")
		var res struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if json.Unmarshal([]byte(r.body), &res); r.status != http.StatusOK || !res.OK || !e.stored(t, a.ID).Start.Equal(e.at(t, "", "12:00")) {
			t.Errorf("drag and drop move: %s", r)
		}
		r = do(t, fd, http.MethodPost, base+id(b.ID)+"/move", url.Values{"version": {id(b.Version)}, "date": {e.day}, "time": {"12:30"}}.Encode(), "Accept", "application/json")
		if json.Unmarshal([]byte(r.body), &res); r.status != http.StatusConflict || !strings.Contains(res.Error, "already booked") {
			t.Errorf("drag and drop onto another appointment: %s, want 409 with the message", r)
		}

		// A day and a half before: cancelling is late under the 48-hour window.
		s.Advance(e.at(t, "", "09:00").Add(-36 * time.Hour).Sub(time.Now()))
		fd = s.SignIn(t, testsrv.FrontDesk) // the old session has long been idle
		page = get(t, fd, base+id(b.ID)).body
		if !strings.Contains(page, "Cancelling now is <strong>late</strong>") || !strings.Contains(page, "$25.00") {
			t.Errorf("the cancel form does not say it is late and costs $25.00")
		}
		cancel := planFormValues(t, page, "cancel-form")
		if r := post(t, fd, base+id(b.ID)+"/status", cancel); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Say why") {
			t.Errorf("cancelling without a reason: %s", r)
		}
		cancel.Set("reason", "Client is ill")
		if r := post(t, fd, base+id(b.ID)+"/status", cancel); r.status != http.StatusSeeOther {
			t.Fatalf("late cancellation: %s", r)
		}
		if got := e.stored(t, b.ID); got.Status != schedule.LateCancelled || got.FeeCents != 2500 || got.CancelReason != "Client is ill" {
			t.Errorf("late cancellation stored %s fee %d reason %q", got.Status, got.FeeCents, got.CancelReason)
		}
		if page := get(t, fd, base+id(b.ID)).body; !strings.Contains(page, "Late cancellation") || !strings.Contains(page, "$25.00") {
			t.Errorf("the cancelled appointment's page does not show the late cancellation and its fee")
		}
		// Five days ahead is in time: no fee; a waived fee is none either.
		page = get(t, fd, base+id(later.ID)).body
		if !strings.Contains(page, "Cancelling now is in time: no fee") {
			t.Errorf("cancelling five days ahead is not in time")
		}
		cancel = planFormValues(t, page, "cancel-form")
		cancel.Set("reason", "Moving away")
		post(t, fd, base+id(later.ID)+"/status", cancel)
		if got := e.stored(t, later.ID); got.Status != schedule.Cancelled || got.FeeCents != 0 {
			t.Errorf("in-time cancellation stored %s fee %d", got.Status, got.FeeCents)
		}

		// The day itself, at 16:00: the 15:30 client did not come; the 17:00 one checks in.
		s.Advance(e.at(t, "", "16:00").Sub(s.DB.Now()))
		fd = s.SignIn(t, testsrv.FrontDesk)
		page = get(t, fd, base+id(noShow.ID)).body
		if !strings.Contains(page, "A no-show is charged") || !strings.Contains(page, "$40.00") {
			t.Errorf("the no-show form does not show the policy's fee")
		}
		if r := post(t, fd, base+id(noShow.ID)+"/status", planFormValues(t, page, "no-show-form")); r.status != http.StatusSeeOther {
			t.Fatalf("no-show: %s", r)
		}
		if got := e.stored(t, noShow.ID); got.Status != schedule.NoShow || got.FeeCents != 4000 {
			t.Errorf("no-show stored %s fee %d", got.Status, got.FeeCents)
		}
		// Checking in from the calendar's Today strip goes back to the calendar.
		cal := get(t, fd, s.URL+"/calendar?location="+id(s.Downtown.ID)).body
		if !strings.Contains(cal, "Today") || !strings.Contains(cal, `action="/appointments/`+id(checkIn.ID)+`/status"`) {
			t.Fatalf("the Today strip does not offer to check in the 17:00 client")
		}
		f := url.Values{"version": {id(checkIn.Version)}, "status": {"checked_in"}, "back": {"/calendar?location=" + id(s.Downtown.ID)}}
		if r := post(t, fd, base+id(checkIn.ID)+"/status", f); r.status != http.StatusSeeOther || r.header.Get("Location") != "/calendar?location="+id(s.Downtown.ID) {
			t.Errorf("check-in from the strip: %s, want back to the calendar", r)
		}
		if got := e.stored(t, checkIn.ID); got.Status != schedule.CheckedIn || got.CheckedInAt.IsZero() {
			t.Errorf("check-in stored %s", got.Status)
		}
		cal = get(t, fd, s.URL+"/calendar?location="+id(s.Downtown.ID)).body
		if _, _, text, _ := calBlock(t, cal, checkIn.ID); !strings.Contains(text, "Checked in") {
			t.Errorf("the checked-in block says %q", text)
		}
		if _, _, text, _ := calBlock(t, cal, noShow.ID); !strings.Contains(text, "No-show") {
			t.Errorf("the no-show block says %q", text)
		}
		if strings.Contains(cal, "/appointments/"+id(b.ID)+`"`) {
			t.Errorf("the cancelled appointment is still on the calendar")
		}
		// A form outside the calendar is not a place to go back to.
		f = url.Values{"version": {id(e.stored(t, checkIn.ID).Version)}, "status": {"completed"}, "back": {"https://evil.example/"}}
		if r := post(t, fd, base+id(checkIn.ID)+"/status", f); r.status != http.StatusSeeOther || strings.Contains(r.header.Get("Location"), "evil") {
			t.Errorf("status with a foreign back link: %s → %q", r, r.header.Get("Location"))
		}
	})
}

func TestCalendarLocations(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		dt := "/calendar?location=" + id(s.Downtown.ID) + "&day=" + e.day

		// James works at Round Rock only.
		jc := s.SignIn(t, testsrv.TherapistB)
		r := get(t, jc, s.URL+dt)
		if r.status != http.StatusForbidden || strings.Contains(r.body, e.client.LastName) {
			t.Errorf("Round Rock therapist on Downtown's calendar: %d (and must not see its clients)", r.status)
		}
		for _, p := range []string{"/calendar?location=" + id(s.Downtown.ID) + "&view=week&day=" + e.day, "/waitlist?location=" + id(s.Downtown.ID)} {
			if r := get(t, jc, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("Round Rock therapist GET %s: %d, want 403", p, r.status)
			}
		}
		if r := get(t, jc, s.URL+"/appointments/"+id(a.ID)); r.status != http.StatusNotFound || strings.Contains(r.body, e.client.LastName) {
			t.Errorf("Round Rock therapist opening a Downtown appointment: %d, want 404", r.status)
		}
		r = get(t, jc, s.URL+"/calendar")
		if r.status != http.StatusOK || !strings.Contains(r.body, s.RoundRock.Name) || strings.Contains(r.body, ">"+s.Downtown.Name+"</option>") {
			t.Errorf("Round Rock therapist's own calendar: %d, or it offers Downtown", r.status)
		}
		mv := url.Values{"version": {id(a.Version)}, "date": {e.day}, "time": {"10:00"}}
		if r := post(t, jc, s.URL+"/appointments/"+id(a.ID)+"/move", mv); r.status != http.StatusNotFound {
			t.Errorf("Round Rock therapist moving a Downtown appointment: %d", r.status)
		}
		if got := e.stored(t, a.ID); got.Version != a.Version {
			t.Errorf("the Round Rock therapist changed a Downtown appointment")
		}
		// Maria works at Downtown: she sees it, and may not book at Round Rock.
		mc := s.SignIn(t, testsrv.TherapistA)
		if r := get(t, mc, s.URL+dt); r.status != http.StatusOK || !strings.Contains(r.body, "/appointments/"+id(a.ID)) {
			t.Errorf("Maria's calendar: %d, or without the appointment", r.status)
		}
		form := url.Values{"client_id": {id(e.client.ID)}, "location_id": {id(s.RoundRock.ID)}, "therapist_id": {id(e.james)}, "service_id": {id(e.svc.ID)},
			"date": {e.day}, "time": {"13:00"}}
		if r := post(t, mc, s.URL+"/appointments", form); r.status != http.StatusForbidden {
			t.Errorf("Maria booking at Round Rock: %d, want 403", r.status)
		}
		if got := e.holding(t, e.client); len(got) != 1 {
			t.Errorf("the client has %d appointments, want the one", len(got))
		}
	})
}

// calSignedPlan stores a signed plan of care for c: twice a week for three weeks.
func calSignedPlan(t *testing.T, e *calEnv, c clinic.Client) int64 {
	t.Helper()
	owner := userID(t, e.s, testsrv.Owner)
	p := &assess.Plan{OrgID: e.s.Org.ID, ClientID: c.ID, StartDate: time.Now().Format(clinic.DateLayout), TherapistID: owner,
		Diagnoses: []string{"M54.50"}, PerWeek: 2, Weeks: 3, ReevalVisits: 6,
		Goals:      []assess.Goal{{Term: "short", Measure: assess.MeasurePain, What: "low back pain at worst", Baseline: 7, Target: 4, Unit: "/10", TargetDate: time.Now().AddDate(0, 0, 28).Format(clinic.DateLayout)}},
		Techniques: []assess.PlannedTechnique{{Technique: "myofascial_release", Regions: []string{"low_back"}}}}
	err := e.s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := e.s.DB.CreatePlan(ctx, tx, p); err != nil {
			return err
		}
		return e.s.DB.SignPlan(ctx, tx, p.OrgID, p.ClientID, p.ID, p.RowVersion, owner)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestCalendarSeries(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		plan := calSignedPlan(t, e, e.client)
		fd := s.SignIn(t, testsrv.FrontDesk)

		// The plan's link fills in twice a week (Monday and Thursday) for three weeks.
		r := get(t, fd, s.URL+"/calendar/series?client="+id(e.client.ID)+"&plan="+id(plan))
		if r.status != http.StatusOK {
			t.Fatalf("series form: %s", r)
		}
		f := planFormValues(t, r.body, "series-form")
		if strings.Join(f["weekdays"], ",") != "1,4" || f.Get("count") != "6" || f.Get("plan_id") != id(plan) {
			t.Errorf("series form from the plan: weekdays %v, %s appointments, plan %s; want Monday and Thursday, 6 in all", f["weekdays"], f.Get("count"), f.Get("plan_id"))
		}
		if w := f.Get("weeks"); w != "3" && w != "4" { // 4 when tomorrow is not a Monday
			t.Errorf("series form from the plan: %s weeks, want 3 (or 4 from the middle of a week)", w)
		}
		// The second Thursday at 09:00 is taken by another client with Maria.
		thursday := e.at(t, "", "09:00").AddDate(0, 0, 10)
		e.book(t, e.other, thursday)
		f.Set("client_id", id(e.client.ID))
		f.Set("first", e.day)
		f.Set("weeks", "3")
		f.Set("time", "09:00")
		f.Set("therapist_id", id(e.maria))
		f.Set("service_id", id(e.svc.ID))
		f.Set("action", "check")
		r = post(t, fd, s.URL+"/calendar/series", f)
		if r.status != http.StatusOK || !strings.Contains(r.body, "5 of 6 dates can be booked") {
			t.Fatalf("series check: %s", r)
		}
		if strings.Count(r.body, "Conflict:") != 1 || !strings.Contains(r.body, thursday.In(e.zone).Format("Mon, Jan 2, 2006")+", 9:00 AM</td>\n      <td class=\"conflict\">") {
			t.Errorf("series check does not list the second Thursday as the one conflict")
		}
		if got := e.holding(t, e.client); len(got) != 0 {
			t.Errorf("checking the dates booked %d appointments", len(got))
		}
		if !strings.Contains(r.body, "Book 5 appointments") {
			t.Errorf("the check does not offer to book the 5 free dates")
		}
		f.Set("action", "book")
		r = post(t, fd, s.URL+"/calendar/series", f)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Booked 5 of 6; 1 conflict") {
			t.Errorf("series booking: %s", r)
		}
		got := e.holding(t, e.client)
		if len(got) != 5 {
			t.Fatalf("series booked %d appointments, want 5", len(got))
		}
		for _, a := range got {
			if a.Source != schedule.SourceRecurring || a.PlanID != plan || a.Start.In(e.zone).Format("15:04") != "09:00" {
				t.Errorf("series appointment %+v: want recurring, for the plan, at 09:00 local", a)
			}
		}
		// The series' weekdays are refused when none is chosen.
		f.Del("weekdays")
		if r := post(t, fd, s.URL+"/calendar/series", f); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at least one day") {
			t.Errorf("series without weekdays: %s", r)
		}
		// Billing may not book a series.
		if r := get(t, s.SignIn(t, testsrv.Biller), s.URL+"/calendar/series?client="+id(e.client.ID)); r.status != http.StatusForbidden {
			t.Errorf("biller's series form: %d, want 403", r.status)
		}
	})
}

func TestCalendarChartWaitlistPackages(t *testing.T) {
	each(t, func(t *testing.T, eng store.Engine) {
		s := start(t, eng)
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		pkg := &schedule.Package{Name: "Five calendar massages", ServiceID: e.svc.ID, Sessions: 5, PriceCents: 40000, ValidDays: 365, Active: true}
		if err := s.App.CreatePackage(ctx, e.owner, pkg); err != nil {
			t.Fatal(err)
		}
		fd := s.SignIn(t, testsrv.FrontDesk)
		chart := s.URL + "/clients/" + id(e.client.ID)

		r := get(t, fd, chart)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="appointments"`) || !strings.Contains(r.body, "/appointments/"+id(a.ID)) {
			t.Fatalf("the chart does not list the upcoming appointment: %d", r.status)
		}
		if !strings.Contains(r.body, "/calendar/new?client="+id(e.client.ID)) || !strings.Contains(r.body, "/calendar/series?client="+id(e.client.ID)) {
			t.Errorf("the chart has no Book or Recurring series link")
		}
		// Sell the package: the chart counts its sessions; the booking form offers it.
		if r := post(t, fd, chart+"/packages", url.Values{"package_id": {id(pkg.ID)}}); r.status != http.StatusSeeOther {
			t.Fatalf("sell a package: %s", r)
		}
		if r := get(t, fd, chart); !strings.Contains(r.body, "Five calendar massages") || !strings.Contains(r.body, "<strong>5</strong> of 5") {
			t.Errorf("the chart does not show the package with 5 of 5 left")
		}
		r = get(t, fd, s.URL+"/calendar/new?client="+id(e.client.ID)+"&location="+id(s.Downtown.ID)+"&service_id="+id(e.svc.ID))
		if !strings.Contains(r.body, "Five calendar massages — 5 of 5 left") {
			t.Errorf("the booking form does not offer the client's package")
		}
		form := planFormValues(t, r.body, "booking-form")
		form.Set("therapist_id", id(e.maria))
		form.Set("date", e.day)
		form.Set("time", "13:00")
		if r := post(t, fd, s.URL+"/appointments", form); r.status != http.StatusSeeOther {
			t.Fatalf("book from the package: %s", r)
		}
		if r := get(t, fd, chart); !strings.Contains(r.body, "<strong>4</strong> of 5") {
			t.Errorf("booking from the package did not take a session off it")
		}
		if r := post(t, fd, chart+"/packages", url.Values{"package_id": {"99999999"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("selling an unknown package: %d, want 422", r.status)
		}

		// The waitlist: add, list, remove.
		w := url.Values{"client_id": {id(e.other.ID)}, "service_id": {id(e.svc.ID)}, "location_id": {id(s.Downtown.ID)}, "therapist_id": {id(e.maria)},
			"earliest_on": {e.day}, "latest_on": {e.at(t, "", "09:00").AddDate(0, 0, 7).Format(clinic.DateLayout)}, "note": {"Mornings only"}}
		if r := post(t, fd, s.URL+"/waitlist", w); r.status != http.StatusSeeOther {
			t.Fatalf("add to the waitlist: %s", r)
		}
		r = get(t, fd, s.URL+"/waitlist")
		if !strings.Contains(r.body, e.other.FirstName+" "+e.other.LastName) || !strings.Contains(r.body, "Mornings only") {
			t.Fatalf("the waitlist does not list the client")
		}
		m := regexp.MustCompile(`action="/waitlist/(\d+)/remove"><button type="submit" class="small">Remove<span class="visually-hidden"> ` + e.other.FirstName).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no Remove button for the client")
		}
		bad := planCloneValues(w)
		bad.Set("latest_on", "2000-01-01")
		if r := post(t, fd, s.URL+"/waitlist", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "on or after the first") {
			t.Errorf("waitlist with the dates reversed: %s", r)
		}
		if r := post(t, fd, s.URL+"/waitlist/"+m[1]+"/remove", nil); r.status != http.StatusSeeOther {
			t.Errorf("remove from the waitlist: %s", r)
		}
		if r := get(t, fd, s.URL+"/waitlist"); strings.Contains(r.body, "Mornings only") {
			t.Errorf("the removed entry is still listed")
		}
	})
}

// BenchmarkCalendarWeekPage is the whole week view of a location with 20
// therapists and about a thousand appointments that week, through HTTP on
// SQLite: the reads, the audit entry and the page.
func BenchmarkCalendarWeekPage(b *testing.B) {
	s := testsrv.Start(b, store.SQLite)
	owner := ownerActor(s)
	zone := app.LocationZone(s.Org, &s.Downtown)
	hash, err := auth.HashPassword(testsrv.Password)
	if err != nil {
		b.Fatal(err)
	}
	svc := schedule.Service{Name: "Benchmark massage", Minutes: 60, BufferAfter: 10, PriceCents: 9000, Active: true}
	if err := s.App.SaveService(ctx, owner, &svc); err != nil {
		b.Fatal(err)
	}
	clients := allClients(b, s, s.Org.ID)
	d0 := time.Now().In(zone).AddDate(0, 0, 84)
	for d0.Weekday() != time.Monday {
		d0 = d0.AddDate(0, 0, 1)
	}
	d0 = time.Date(d0.Year(), d0.Month(), d0.Day(), 0, 0, 0, 0, zone)
	n := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 20 {
			u := &clinic.User{OrgID: s.Org.ID, Email: "bench" + strconv.Itoa(i) + "@demo.test", Name: "Bench Therapist " + strconv.Itoa(i),
				Role: clinic.RoleTherapist, LocationIDs: []int64{s.Downtown.ID}, Active: true}
			if err := s.DB.CreateUser(ctx, tx, u, hash); err != nil {
				return err
			}
			var hs []schedule.Hours
			for d := time.Monday; d <= time.Saturday; d++ {
				hs = append(hs, schedule.Hours{Weekday: d, Start: 8 * 60, End: 18 * 60})
			}
			if err := s.DB.SetWeeklyHours(ctx, tx, s.Org.ID, u.ID, s.Downtown.ID, hs); err != nil {
				return err
			}
			for day := range 6 {
				for m := 8 * 60; m+60 <= 18*60; m += 70 + (i%3)*5 {
					st := d0.AddDate(0, 0, day).Add(time.Duration(m) * time.Minute)
					a := &schedule.Appointment{OrgID: s.Org.ID, LocationID: s.Downtown.ID, TherapistID: u.ID, ClientID: clients[i%len(clients)].ID, ServiceID: svc.ID,
						Start: st.UTC(), End: st.Add(time.Hour).UTC(), BufferAfter: 10, Status: schedule.Booked, Source: schedule.SourceStaff}
					if err := s.DB.BookAppointment(ctx, tx, a); err != nil {
						return err
					}
					n++
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c := s.SignIn(b, testsrv.Owner)
	u := s.URL + "/calendar?location=" + id(s.Downtown.ID) + "&view=week&day=" + d0.Format(clinic.DateLayout)
	if r := get(b, c, u); r.status != http.StatusOK || strings.Count(r.body, `class="cal-a `) < n {
		b.Fatalf("week view: %d with %d blocks, want %d", r.status, strings.Count(r.body, `class="cal-a `), n)
	}
	b.ResetTimer()
	for b.Loop() {
		if r := get(b, c, u); r.status != http.StatusOK {
			b.Fatal(r.status)
		}
	}
}

// TestBrowserCalendarDrag: in Chromium, the front desk drags a block two
// hours down, drags its lower edge half an hour longer, and clicks an
// empty time to book it; the page's script and CSP raise no error.
func TestBrowserCalendarDrag(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		e := calSetup(t, s)
		a := e.book(t, e.client, e.at(t, "", "09:00"))
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.FrontDesk)
		tb.open("/calendar?location=" + id(s.Downtown.ID) + "&day=" + e.day)
		tb.waitJS(`document.readyState === "complete" && !!document.querySelector(".cal-a .cal-rs")`, "the calendar with its resize handles")
		sel := `document.querySelector('a.cal-a[href="/appointments/` + id(a.ID) + `"]')`
		rect := func() []float64 {
			return browserEval[[]float64](tb, `(() => { const el = `+sel+`; el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
		}
		drag := func(x, y, dy float64) {
			steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))}
			for i := 1; i <= 10; i++ {
				steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x, y+dy*float64(i)/10, chromedp.ButtonLeft))
			}
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x, y+dy, chromedp.ButtonLeft, chromedp.ClickCount(1)))
			tb.do(steps...)
		}
		unit := browserEval[float64](tb, `parseFloat(getComputedStyle(document.querySelector(".cal-page")).getPropertyValue("--u"))`)
		// Two hours down: 24 five-minute units.
		r := rect()
		drag(r[0]+r[2]/2, r[1]+8, 24*unit)
		tb.waitJS(`!document.querySelector(".cal-toast").hidden && /Moved to 11:00–12:00/.test(document.querySelector(".cal-toast").textContent)`, "the move's toast")
		if got := e.stored(t, a.ID); !got.Start.Equal(e.at(t, "", "11:00")) || got.End.Sub(got.Start) != time.Hour {
			t.Fatalf("dragged to %s for %s, want 11:00 for an hour", got.Start.In(e.zone), got.End.Sub(got.Start))
		}
		// The lower edge, half an hour down: 90 minutes.
		tb.waitJS(sel+` && `+sel+`.getAttribute("data-start") === "660"`, "the block redrawn at 11:00")
		r = rect()
		drag(r[0]+r[2]/2, r[1]+r[3]-3, 6*unit)
		tb.waitJS(`/Moved to 11:00–12:30/.test(document.querySelector(".cal-toast").textContent)`, "the resize's toast")
		if got := e.stored(t, a.ID); got.End.Sub(got.Start) != 90*time.Minute {
			t.Errorf("resized to %s, want 90 minutes", got.End.Sub(got.Start))
		}
		// An empty time in Maria's column at 15:00 opens the booking form there.
		xy := browserEval[[]float64](tb, `(() => { const col = document.querySelector('.cal-col[data-therapist="`+id(e.maria)+`"]');
			const g = document.getElementById("cal-grid"); const start = parseInt(g.getAttribute("data-start"), 10);
			const u = parseFloat(getComputedStyle(document.querySelector(".cal-page")).getPropertyValue("--u"));
			const top = (900 - start) / 5 * u; document.querySelector(".cal-scroll").scrollTop = top - 100;
			const r = col.getBoundingClientRect(); return [r.left + 10, r.top + top + 4]; })()`)
		tb.do(chromedp.MouseClickXY(xy[0], xy[1]))
		tb.waitPath("/calendar/new")
		f := browserEval[[]string](tb, `[document.getElementById("date").value, document.getElementById("time").value, document.getElementById("therapist_id").value]`)
		if f[0] != e.day || f[1] != "15:00" || f[2] != id(e.maria) {
			t.Errorf("the click opened the form at %v, want %s 15:00 with Maria", f, e.day)
		}
		// The client search is live; picking a client shows their packages; Enter books.
		// The name goes in as one input event (as a paste would): typed key by
		// key, a slower search answer for a shorter prefix could replace the
		// list after the pick.
		browserEval[bool](tb, `(() => { const q = document.getElementById("q"); q.value = "`+e.client.LastName+`"; q.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)
		radio := `#client-results input[name="client_id"][value="` + id(e.client.ID) + `"]`
		// htmx wires the new list's triggers once it has settled; a click
		// before that (no person is that fast) would be lost.
		tb.waitJS(`!!document.querySelector('`+radio+`') && !document.querySelector("#client-results.htmx-settling, #client-results.htmx-added, #client-results .htmx-added")`, "the live search's result")
		tb.do(chromedp.Click(chromedp.CSS(radio)))
		tb.waitJS(`/has no package with sessions left/.test(document.getElementById("package-field").textContent)`, "the picked client's packages")
		tb.do(chromedp.SendKeys(chromedp.CSS("#note"), "First visit"), chromedp.Click(chromedp.CSS("#book")))
		tb.waitJS(`location.pathname.startsWith("/appointments/") && document.readyState === "complete"`, "the booked appointment's page")
		if got := e.holding(t, e.client); len(got) != 2 || !got[1].Start.Equal(e.at(t, "", "15:00")) || got[1].Note != "First visit" {
			t.Errorf("the browser's booking stored %+v", got)
		}
	})
}
