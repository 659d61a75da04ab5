package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// Booking an appointment, its page, and what can be done to it: check in,
// complete, no-show, cancel, move.

// calClientPick is the client field of the booking, series and waitlist
// forms: the chosen client and a search for another. The search is a GET
// of the same form (the Find button's formaction), so nothing typed is lost;
// htmx makes it live.
type calClientPick struct {
	Chosen   *clinic.Client
	Query    string
	Matches  []clinic.Client
	Searched bool
	Error    string
	Action   string
}

// calPickClient reads the chosen client (client_id, or client from a link)
// and the clients matching the search q.
func (s *Server) calPickClient(r *http.Request, a *auth.Actor, v url.Values, action string) (*calClientPick, error) {
	p := &calClientPick{Query: strings.TrimSpace(v.Get("q")), Action: action}
	if id := calFormID(v, "client_id", "client"); id > 0 {
		c, err := s.App.Client(r.Context(), a, id)
		switch {
		case err == nil:
			p.Chosen = c
		case errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden):
			p.Error = "Choose one of your clinic's clients."
		default:
			return nil, err
		}
	}
	if p.Query != "" {
		p.Searched = true
		cs, err := s.App.SearchClients(r.Context(), a, clinic.ClientFilter{Query: p.Query, Limit: 8, Brief: true})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if p.Chosen == nil || c.ID != p.Chosen.ID {
				p.Matches = append(p.Matches, c)
			}
		}
	}
	return p, nil
}

// calFormID reads the first of names that is set as an ID: 0 when absent or
// empty, -1 when it is not a positive number (which the app refuses as an
// unknown choice, next to its field).
// calPosted is a booking, series or waitlist form as posted, without its
// client search (q): a malformed body leaves fields empty, refused later.
func calPosted(r *http.Request) url.Values {
	r.ParseForm()
	v := maps.Clone(r.PostForm)
	v.Del("q")
	return v
}

func calFormID(v url.Values, names ...string) int64 {
	for _, n := range names {
		s := v.Get(n)
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return -1
		}
		return id
	}
	return 0
}

// calLocalStart reads a date and a time of day in zone.
func calLocalStart(date, clock string, zone *time.Location) (time.Time, bool) {
	if len(date) != 10 || len(clock) < 4 || len(clock) > 8 {
		return time.Time{}, false
	}
	if len(clock) > 5 { // "09:00:00" from some browsers
		clock = clock[:5]
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, zone)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// calFormMinutes reads a session length: "" is 0 (keep, or the service's).
func calFormMinutes(v string, f errs.FieldErrors) int {
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 5 || n > 480 || n%5 != 0 {
		f.Add("minutes", "Give the length in minutes, 5 to 480 in steps of 5, or leave it empty for the service's.")
		return 0
	}
	return n
}

// calBack accepts only a calendar view of our own as a place to go
// back to.
func calBack(v string) string {
	if strings.HasPrefix(v, "/calendar?") && !strings.ContainsAny(v, "\\\r\n") && !strings.Contains(v, "//") {
		return v
	}
	return ""
}

// BookingPage is the data of appointment_form.html.
type BookingPage struct {
	FormPage
	calLabels
	C        *app.BookingChoices
	Pick     *calClientPick
	Packages []schedule.ClientPackage
	V        url.Values
	Back     string
	Today    string
}

// Val is the form's value of field k.
func (p BookingPage) Val(k string) string { return p.V.Get(k) }

// Is reports whether the form's field k holds id.
func (p BookingPage) Is(k string, id int64) bool { return p.V.Get(k) == strconv.FormatInt(id, 10) }

// Err is the error of field k.
func (p BookingPage) Err(k string) string { return p.Fields[k] }

// PackageLabel describes a client's package in the select.
func (p BookingPage) PackageLabel(cp schedule.ClientPackage) string { return calPackageWords(cp) }

// calLabels gives the calendar's forms their choices' labels.
type calLabels struct{}

// ServiceLabel describes a service in a select.
func (calLabels) ServiceLabel(sv schedule.Service) string {
	l := sv.Name + " (" + strconv.Itoa(sv.Minutes) + " min"
	if sv.NeedsPrescription {
		l += ", needs a prescription"
	}
	return l + ")"
}

func calPackageWords(cp schedule.ClientPackage) string {
	return cp.Name + " — " + strconv.Itoa(cp.Remaining()) + " of " + strconv.Itoa(cp.Sessions) + " left, valid through " + usDate(cp.ExpiresOn)
}

// calFormValues turns a link from the calendar (location, therapist, start
// or date and time, client) into the form's fields.
func calFormValues(q url.Values, zone func(loc int64) *time.Location) url.Values {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	alias := func(field, link string) {
		if v.Get(field) == "" && q.Get(link) != "" {
			v.Set(field, q.Get(link))
		}
	}
	alias("location_id", "location")
	alias("therapist_id", "therapist")
	alias("room_id", "room")
	alias("client_id", "client")
	if st := q.Get("start"); st != "" && v.Get("date") == "" {
		if t, err := time.Parse(time.RFC3339, st); err == nil {
			lt := t.In(zone(calFormID(v, "location_id")))
			v.Set("date", lt.Format(clinic.DateLayout))
			v.Set("time", lt.Format("15:04"))
		}
	}
	return v
}

func (s *Server) bookingForm(r *http.Request, a *auth.Actor, v url.Values) (*BookingPage, error) {
	loc := calFormID(v, "location_id")
	if loc < 0 {
		loc = 0
	}
	c, err := s.App.BookingChoices(r.Context(), a, loc)
	if err != nil {
		return nil, err
	}
	v.Set("location_id", strconv.FormatInt(c.Location.ID, 10))
	p := &BookingPage{FormPage: FormPage{Page: Page{Title: "New appointment", Actor: a, Nav: "calendar"}}, C: c, V: v,
		Back: calBack(v.Get("back")), Today: s.App.ClinicDate(a)}
	if p.Back == "" {
		p.Back = calQuery{Location: c.Location.ID, View: "day", Day: v.Get("date")}.url()
	}
	if p.Pick, err = s.calPickClient(r, a, v, "/calendar/new"); err != nil {
		return nil, err
	}
	if p.Pick.Chosen != nil {
		cps, err := s.App.ClientPackages(r.Context(), a, p.Pick.Chosen.ID)
		if err != nil {
			return nil, err
		}
		day := v.Get("date")
		if day == "" {
			day = p.Today
		}
		for _, cp := range cps {
			if cp.Remaining() > 0 && cp.ExpiresOn >= day {
				p.Packages = append(p.Packages, cp)
			}
		}
		// A prepaid series pays for the visit unless the desk says otherwise.
		if !v.Has("client_package_id") {
			svc := calFormID(v, "service_id")
			for i := len(p.Packages) - 1; i >= 0; i-- {
				if cp := p.Packages[i]; cp.ServiceID == 0 || cp.ServiceID == svc {
					v.Set("client_package_id", strconv.FormatInt(cp.ID, 10))
					break
				}
			}
		}
	}
	if v.Get("service_id") == "" && len(c.Services) > 0 {
		v.Set("service_id", strconv.FormatInt(c.Services[0].ID, 10))
	}
	return p, nil
}

func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.ScheduleWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, app.AuditApptCreate))
		return
	}
	v := calFormValues(r.URL.Query(), func(loc int64) *time.Location { return s.zoneOf(r, a, loc) })
	p, err := heldRead(s, r, func(r *http.Request) (*BookingPage, error) { return s.bookingForm(r, a, v) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Fields = map[string]string{}
	if p.Pick.Error != "" {
		p.Fields["client_id"] = p.Pick.Error
	}
	s.render(w, r, http.StatusOK, "appointment_form", p)
}

// zoneOf is a location's time zone as the actor may see it (the
// organisation's when the location is not one of theirs).
func (s *Server) zoneOf(r *http.Request, a *auth.Actor, loc int64) *time.Location {
	ls, err := s.App.Locations(r.Context(), a)
	if err == nil {
		for i := range ls {
			if ls[i].ID == loc {
				return app.LocationZone(a.Org, &ls[i])
			}
		}
	}
	return app.LocationZone(a.Org, nil)
}

func (s *Server) bookingPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	v := calPosted(r)
	p, err := heldRead(s, r, func(r *http.Request) (*BookingPage, error) { return s.bookingForm(r, a, v) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	f := errs.FieldErrors{}
	req := app.BookRequest{ClientID: calFormID(v, "client_id"), TherapistID: calFormID(v, "therapist_id"), LocationID: p.C.Location.ID,
		ServiceID: calFormID(v, "service_id"), RoomID: calFormID(v, "room_id"), PackageID: calFormID(v, "client_package_id"), Note: v.Get("note")}
	if req.ClientID == 0 {
		f.Add("client_id", "Choose the client: find them by name, then pick them from the list.")
	}
	start, ok := calLocalStart(v.Get("date"), v.Get("time"), p.C.Zone)
	if !ok {
		f.Add("start", "Enter the date and the time, for example "+usDate(p.Today)+" at 9:00 AM.")
	}
	req.Start = start
	req.Minutes = calFormMinutes(v.Get("minutes"), f)
	if err := f.Err(); err != nil {
		p.Error, p.Fields = "Check the fields marked below.", f
		s.render(w, r, http.StatusUnprocessableEntity, "appointment_form", p)
		return
	}
	booked, err := s.App.Book(r.Context(), a, req)
	if err != nil {
		s.formRefused(w, r, a, err, "appointment_form", p, &p.Error, &p.Fields)
		return
	}
	http.Redirect(w, r, "/appointments/"+strconv.FormatInt(booked.Appointment.ID, 10)+"?booked=1", http.StatusSeeOther)
}

// ---------------------------------------------------------------------------
// The appointment page

// AppointmentPage is the data of appointment.html.
type AppointmentPage struct {
	FormPage
	A        *schedule.Appointment
	C        *app.BookingChoices
	When     string
	Day      string
	Booked   string
	Source   string
	Status   string
	St       string // the status's CSS class
	Warnings []string
	Package  string
	Fee      string
	Kept     string // the buffers: "10 minutes before, 15 after"
	// What may be done now.
	CanWrite, CanMove, CanCheckIn, CanComplete, CanNoShow, CanCancel, CanUndo bool
	// CanNote: a therapist or the owner may start (or reopen) the session note.
	CanNote              bool
	LateCancel           bool
	CancelFee, NoShowFee string
	Move                 url.Values
	Back                 string
	JustBooked           bool
}

// MoveVal is the move form's value of field k.
func (p AppointmentPage) MoveVal(k string) string { return p.Move.Get(k) }

// MoveIs reports whether the move form's field k holds id.
func (p AppointmentPage) MoveIs(k string, id int64) bool {
	return p.Move.Get(k) == strconv.FormatInt(id, 10)
}

// Err is the error of field k.
func (p AppointmentPage) Err(k string) string { return p.Fields[k] }

var apptSourceWords = map[string]string{
	schedule.SourceStaff: "by staff", schedule.SourceOnline: "online by the client", schedule.SourceAPI: "through the API",
	schedule.SourceRecurring: "as part of a recurring series", schedule.SourceWaitlist: "from the waitlist",
}

func (s *Server) appointmentData(r *http.Request, a *auth.Actor, id int64) (*AppointmentPage, error) {
	appt, err := s.App.Appointment(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	c, err := s.App.BookingChoices(r.Context(), a, appt.LocationID)
	if err != nil {
		return nil, err
	}
	z := c.Zone
	st, en := appt.Start.In(z), appt.End.In(z)
	p := &AppointmentPage{FormPage: FormPage{Page: Page{Title: "Appointment", Actor: a, Nav: "calendar"}, Fields: map[string]string{}}, A: appt, C: c,
		When: st.Format("Monday, January 2, 2006") + ", " + calClock(st) + " – " + calClock(en) + " " + en.Format("MST"),
		Day:  st.Format(clinic.DateLayout), Booked: appt.CreatedAt.In(z).Format(dateTimeLayout), Source: apptSourceWords[appt.Source],
		Status: apptStatusWords[appt.Status], St: apptStatusClass(appt.Status), CanWrite: a.Can(auth.ScheduleWrite),
		CanNote: a.Can(auth.ClinicalWrite) && schedule.Holds(appt.Status) && appt.Status != schedule.NoShow}
	p.Title = appt.ClientName + ", " + st.Format("Jan 2") + " " + calClock(st)
	p.Back = calQuery{Location: appt.LocationID, View: "day", Day: p.Day}.url()
	if appt.FeeCents != 0 {
		p.Fee = app.Money(appt.FeeCents)
	}
	switch b, a := appt.BufferBefore, appt.BufferAfter; {
	case b > 0 && a > 0:
		p.Kept = strconv.Itoa(b) + " minutes before, " + strconv.Itoa(a) + " after, for set-up and turnover"
	case b > 0:
		p.Kept = strconv.Itoa(b) + " minutes before, for set-up"
	case a > 0:
		p.Kept = strconv.Itoa(a) + " minutes after, for turnover"
	}
	if p.Warnings, err = s.App.AppointmentWarnings(r.Context(), a, id); err != nil {
		return nil, err
	}
	if appt.PackageID != 0 {
		cps, err := s.App.ClientPackages(r.Context(), a, appt.ClientID)
		if err != nil && !errs.Is(err, errs.Forbidden) {
			return nil, err
		}
		for _, cp := range cps {
			if cp.ID == appt.PackageID {
				p.Package = calPackageWords(cp)
			}
		}
	}
	now := s.App.DB.Now()
	future := appt.Start.After(now)
	if p.CanWrite {
		p.CanMove = schedule.Holds(appt.Status) && appt.Status != schedule.Completed && appt.Status != schedule.NoShow && future
		p.CanCheckIn = appt.Status == schedule.Booked
		p.CanComplete = appt.Status == schedule.CheckedIn || (appt.Status == schedule.Booked && !future)
		p.CanNoShow = appt.Status == schedule.Booked && !future
		p.CanCancel = (appt.Status == schedule.Booked || appt.Status == schedule.CheckedIn) && future
		p.CanUndo = appt.Status == schedule.CheckedIn || appt.Status == schedule.NoShow || appt.Status == schedule.Completed
	}
	late, fee := schedule.CancelFee(c.Policy, appt.Start, now)
	p.LateCancel = late
	if late && fee > 0 {
		p.CancelFee = app.Money(fee)
	}
	if f := schedule.NoShowFee(c.Policy); f > 0 {
		p.NoShowFee = app.Money(f)
	}
	p.Move = url.Values{"date": {p.Day}, "time": {st.Format("15:04")}, "minutes": {strconv.Itoa(int(appt.End.Sub(appt.Start) / time.Minute))},
		"therapist_id": {strconv.FormatInt(appt.TherapistID, 10)}, "room_id": {strconv.FormatInt(appt.RoomID, 10)}}
	return p, nil
}

func (s *Server) appointmentPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "appointment")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p, err := heldRead(s, r, func(r *http.Request) (*AppointmentPage, error) { return s.appointmentData(r, a, id) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "moved":
		p.Flash = "Moved. The client is e-mailed the new time."
	case "1":
		p.Flash = "Saved."
	}
	if r.URL.Query().Get("booked") == "1" {
		p.Flash, p.JustBooked = "Booked.", true
	}
	s.render(w, r, http.StatusOK, "appointment", p)
}

// formRefused shows a form again with what the app refused (its message
// and fields, with the status of its code), or the error page for what a
// form cannot fix: a fault, a permission, a record that is not there.
func (s *Server) formRefused(w http.ResponseWriter, r *http.Request, a *auth.Actor, err error, name string, p any, msg *string, fields *map[string]string) {
	st := errs.HTTPStatus(err)
	if st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound {
		s.fail(w, r, a, err)
		return
	}
	*msg, *fields = errs.Message(err), errs.FieldsOf(err)
	if *fields == nil {
		*fields = map[string]string{}
	}
	s.render(w, r, st, name, p)
}

// appointmentRefused shows the appointment again, as it is now, with what
// was wrong: 409 when someone else changed it or the time is taken, 422
// for bad input. move keeps what the person typed into the move form.
func (s *Server) appointmentRefused(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, cause error, move url.Values) {
	st := errs.HTTPStatus(cause)
	if st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound || st == http.StatusUnauthorized {
		s.fail(w, r, a, cause)
		return
	}
	if calWantsJSON(r) {
		calJSON(w, st, map[string]any{"error": errs.Message(cause), "fields": errs.FieldsOf(cause)})
		return
	}
	p, err := heldRead(s, r, func(r *http.Request) (*AppointmentPage, error) { return s.appointmentData(r, a, id) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Error = errs.Message(cause)
	if f := errs.FieldsOf(cause); f != nil {
		p.Fields = f
	}
	if move != nil {
		for k, vs := range move {
			p.Move[k] = vs
		}
	}
	s.render(w, r, st, "appointment", p)
}

// calWantsJSON is true for the calendar's drag and drop, which reads the
// answer with fetch.
func calWantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func calJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func calFormVersion(v url.Values) (int64, error) {
	n, err := strconv.ParseInt(v.Get("version"), 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.E(errs.Invalid, "The form is missing its version; reload the page and try again.")
	}
	return n, nil
}

func (s *Server) appointmentMove(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "appointment")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	r.ParseForm()
	v := r.PostForm
	move := url.Values{}
	for _, k := range []string{"date", "time", "minutes", "therapist_id", "room_id"} {
		if v.Has(k) {
			move.Set(k, v.Get(k))
		}
	}
	version, err := calFormVersion(v)
	if err != nil {
		s.appointmentRefused(w, r, a, id, err, move)
		return
	}
	cur, err := s.App.Appointment(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	m := app.MoveRequest{Version: version}
	f := errs.FieldErrors{}
	if v.Get("date") != "" || v.Get("time") != "" {
		start, ok := calLocalStart(v.Get("date"), v.Get("time"), s.zoneOf(r, a, cur.LocationID))
		if !ok {
			f.Add("start", "Enter the new date and time.")
		}
		m.Start = start
	}
	m.Minutes = calFormMinutes(v.Get("minutes"), f)
	if t := calFormID(v, "therapist_id"); t != 0 {
		m.TherapistID = t
	}
	if v.Has("room_id") {
		switch rm := v.Get("room_id"); rm {
		case "0", "":
			m.NoRoom = true
		default:
			m.RoomID = calFormID(v, "room_id")
		}
	}
	if err := f.Err(); err != nil {
		s.appointmentRefused(w, r, a, id, &errs.Error{Code: errs.Invalid, Message: "Check the new time.", Fields: f}, move)
		return
	}
	moved, err := s.App.MoveAppointment(r.Context(), a, id, m)
	if err != nil {
		s.appointmentRefused(w, r, a, id, err, move)
		return
	}
	if calWantsJSON(r) {
		calJSON(w, http.StatusOK, map[string]any{"ok": true, "version": moved.Version})
		return
	}
	if back := calBack(v.Get("back")); back != "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/appointments/"+strconv.FormatInt(id, 10)+"?saved=moved", http.StatusSeeOther)
}

func (s *Server) appointmentStatus(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "appointment")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	r.ParseForm()
	v := r.PostForm
	version, err := calFormVersion(v)
	if err != nil {
		s.appointmentRefused(w, r, a, id, err, nil)
		return
	}
	_, err = s.App.SetAppointmentStatus(r.Context(), a, id, app.StatusRequest{Version: version, Status: v.Get("status"), Reason: v.Get("reason"),
		WaiveFee: v.Get("waive_fee") == "1"})
	if err != nil {
		s.appointmentRefused(w, r, a, id, err, nil)
		return
	}
	if back := calBack(v.Get("back")); back != "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/appointments/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}
