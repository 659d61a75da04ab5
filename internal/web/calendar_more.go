package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// Recurring series from a plan of care, the waitlist, and the chart's
// appointments and packages.

// ---------------------------------------------------------------------------
// Recurring series

// SeriesPage is the data of calendar_series.html.
type SeriesPage struct {
	FormPage
	calLabels
	C        *app.BookingChoices
	Pick     *calClientPick
	Plans    []calSeriesPlan
	V        url.Values
	Weekdays []calWeekday
	// The dates of a check (DryRun) or of a booking, with what happened.
	Rows    []calSeriesRow
	Checked bool // the rows are a check: nothing is booked yet
	Free    int  // dates that can be booked
	Booked  int
	Clashes int
}

type calSeriesPlan struct {
	ID    int64
	Label string
	Link  string
}

type calWeekday struct {
	Value   int
	Label   string
	Checked bool
}

type calSeriesRow struct {
	When     string
	Conflict string
	ApptID   int64
}

// Val is the form's value of field k.
func (p SeriesPage) Val(k string) string { return p.V.Get(k) }

// Is reports whether the form's field k holds id.
func (p SeriesPage) Is(k string, id int64) bool { return p.V.Get(k) == strconv.FormatInt(id, 10) }

// Err is the error of field k.
func (p SeriesPage) Err(k string) string { return p.Fields[k] }

func calPlanLabel(p app.PlanFrequency) string {
	return strconv.Itoa(p.PerWeek) + "× a week for " + strconv.Itoa(p.Weeks) + " weeks, plan of care from " + usDate(p.StartDate)
}

// seriesForm reads the series form's choices; fill (a GET) fills in what
// is not given with defaults.
func (s *Server) seriesForm(r *http.Request, a *auth.Actor, v url.Values, fill bool) (*SeriesPage, error) {
	if !a.Can(auth.ScheduleWrite) {
		return nil, s.App.Forbid(r.Context(), a, app.AuditSeries)
	}
	pick, err := s.calPickClient(r, a, v, "/calendar/series")
	if err != nil {
		return nil, err
	}
	if pick.Chosen != nil && v.Get("location_id") == "" {
		v.Set("location_id", strconv.FormatInt(pick.Chosen.PreferredLocationID, 10))
	}
	loc := calFormID(v, "location_id")
	if loc < 0 {
		loc = 0
	}
	c, err := s.App.BookingChoices(r.Context(), a, loc)
	if errs.Is(err, errs.Forbidden) && loc != 0 { // the client's location is not one of the actor's
		c, err = s.App.BookingChoices(r.Context(), a, 0)
	}
	if err != nil {
		return nil, err
	}
	v.Set("location_id", strconv.FormatInt(c.Location.ID, 10))
	p := &SeriesPage{FormPage: FormPage{Page: Page{Title: "Recurring appointments", Actor: a, Nav: "calendar"}, Fields: map[string]string{}},
		C: c, Pick: pick, V: v}
	if pick.Chosen != nil {
		if v.Get("therapist_id") == "" && pick.Chosen.PreferredTherapistID != 0 {
			v.Set("therapist_id", strconv.FormatInt(pick.Chosen.PreferredTherapistID, 10))
		}
		plans, err := s.App.PlanFrequencies(r.Context(), a, pick.Chosen.ID)
		if err != nil {
			return nil, err
		}
		today := s.App.ClinicDate(a)
		for _, pl := range plans {
			link := url.Values{"client": {strconv.FormatInt(pick.Chosen.ID, 10)}, "plan": {strconv.FormatInt(pl.PlanID, 10)}}
			p.Plans = append(p.Plans, calSeriesPlan{ID: pl.PlanID, Label: calPlanLabel(pl), Link: "/calendar/series?" + link.Encode()})
			// A plan chosen by its link fills in its frequency: PerWeek × Weeks
			// visits. A series counts weeks from Monday, so one that starts
			// later in a week runs into one more week for its last visits.
			if v.Get("plan") == strconv.FormatInt(pl.PlanID, 10) && !v.Has("weeks") {
				v.Set("plan_id", v.Get("plan"))
				first := calAddDays(today, 1)
				if pl.StartDate > first {
					first = pl.StartDate
				}
				v.Set("first", first)
				weeks := pl.Weeks
				if d, err := time.Parse(clinic.DateLayout, first); err == nil && d.Weekday() != time.Monday {
					weeks++
				}
				v.Set("weeks", strconv.Itoa(min(weeks, schedule.MaxRecurWeeks)))
				v.Set("count", strconv.Itoa(pl.PerWeek*pl.Weeks))
				for _, d := range schedule.DefaultWeekdays(pl.PerWeek) {
					v.Add("weekdays", strconv.Itoa(int(d)))
				}
			}
		}
	}
	if fill && v.Get("first") == "" {
		v.Set("first", calAddDays(s.App.ClinicDate(a), 1))
	}
	if fill && v.Get("time") == "" {
		v.Set("time", "09:00")
	}
	if fill && v.Get("weeks") == "" {
		v.Set("weeks", "6")
	}
	if fill && v.Get("service_id") == "" && len(c.Services) > 0 {
		v.Set("service_id", strconv.FormatInt(c.Services[0].ID, 10))
	}
	for _, d := range schedWeekdays {
		val := strconv.Itoa(int(d))
		checked := false
		for _, x := range v["weekdays"] {
			checked = checked || x == val
		}
		p.Weekdays = append(p.Weekdays, calWeekday{Value: int(d), Label: d.String(), Checked: checked})
	}
	return p, nil
}

func (s *Server) seriesPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	v := calFormValues(r.URL.Query(), func(loc int64) *time.Location { return s.zoneOf(r, a, loc) })
	p, err := heldRead(s, r, func(r *http.Request) (*SeriesPage, error) { return s.seriesForm(r, a, v, true) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if p.Pick.Error != "" {
		p.Fields["client_id"] = p.Pick.Error
	}
	s.render(w, r, http.StatusOK, "calendar_series", p)
}

func (s *Server) seriesPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	v := calPosted(r)
	p, err := heldRead(s, r, func(r *http.Request) (*SeriesPage, error) { return s.seriesForm(r, a, v, false) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	f := errs.FieldErrors{}
	req := app.SeriesRequest{BookRequest: app.BookRequest{ClientID: calFormID(v, "client_id"), TherapistID: calFormID(v, "therapist_id"), LocationID: p.C.Location.ID,
		ServiceID: calFormID(v, "service_id"), RoomID: calFormID(v, "room_id"), PlanID: max(calFormID(v, "plan_id"), 0), Note: v.Get("note")},
		DryRun: v.Get("action") != "book"}
	if req.ClientID == 0 {
		f.Add("client_id", "Choose the client: find them by name, then pick them from the list.")
	}
	req.Minutes = calFormMinutes(v.Get("minutes"), f)
	req.Recurrence.First = v.Get("first")
	if m, err := schedule.ParseClock(v.Get("time")); err != nil || m >= 1440 {
		f.Add("minute", "Enter the time of day, such as 9:00 AM.")
	} else {
		req.Recurrence.Minute = m
	}
	weeks, err := strconv.Atoi(v.Get("weeks"))
	if err != nil {
		f.Add("weeks", "Enter how many weeks, 1 to 52.")
	}
	req.Recurrence.Weeks = weeks
	if c := v.Get("count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n > 7*schedule.MaxRecurWeeks {
			f.Add("count", "Enter how many appointments at most, or leave it empty for every date.")
		}
		req.Recurrence.Count = n
	}
	for _, d := range v["weekdays"] {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 6 {
			f.Add("weekdays", "Choose days from Monday to Sunday.")
			continue
		}
		req.Recurrence.Weekdays = append(req.Recurrence.Weekdays, time.Weekday(n))
	}
	if len(req.Recurrence.Weekdays) == 0 {
		f.Add("weekdays", "Choose at least one day of the week.")
	}
	if err := f.Err(); err != nil {
		p.Error, p.Fields = "Check the fields marked below.", f
		s.render(w, r, http.StatusUnprocessableEntity, "calendar_series", p)
		return
	}
	res, err := s.App.BookSeries(r.Context(), a, req)
	if err != nil {
		s.formRefused(w, r, a, err, "calendar_series", p, &p.Error, &p.Fields)
		return
	}
	p.Checked = req.DryRun
	for _, d := range res.Dates {
		lt := d.Start.In(p.C.Zone)
		row := calSeriesRow{When: lt.Format("Mon, Jan 2, 2006") + ", " + calClock(lt), Conflict: d.Conflict}
		if d.Appointment != nil {
			row.ApptID = d.Appointment.ID
		}
		if d.Conflict == "" {
			p.Free++
		}
		p.Rows = append(p.Rows, row)
	}
	p.Booked, p.Clashes = res.Booked, res.Conflict
	if !req.DryRun {
		p.Flash = "Booked " + schedPlural(res.Booked, "appointment", "appointments") + "."
	}
	s.render(w, r, http.StatusOK, "calendar_series", p)
}

// ---------------------------------------------------------------------------
// Waitlist

// WaitlistPage is the data of waitlist.html.
type WaitlistPage struct {
	FormPage
	calLabels
	C        *app.BookingChoices
	Pick     *calClientPick
	Rows     []calWaitRow
	V        url.Values
	Filter   int64 // the location listed (0: all)
	CanWrite bool
}

type calWaitRow struct {
	ID                                   int64
	ClientID                             int64
	Client, Service, Location, Therapist string
	Dates, Note, Status                  string
}

// Val is the form's value of field k.
func (p WaitlistPage) Val(k string) string { return p.V.Get(k) }

// Is reports whether the form's field k holds id.
func (p WaitlistPage) Is(k string, id int64) bool { return p.V.Get(k) == strconv.FormatInt(id, 10) }

// Err is the error of field k.
func (p WaitlistPage) Err(k string) string { return p.Fields[k] }

// waitlistData reads the waitlist and the add form's choices; fill (a GET)
// fills in the dates with the next two weeks.
func (s *Server) waitlistData(r *http.Request, a *auth.Actor, v url.Values, fill bool) (*WaitlistPage, error) {
	filter := positiveID(r.URL.Query().Get("location"))
	loc := calFormID(v, "location_id")
	if loc <= 0 {
		loc = filter
	}
	c, err := s.App.BookingChoices(r.Context(), a, loc)
	if err != nil {
		return nil, err
	}
	v.Set("location_id", strconv.FormatInt(c.Location.ID, 10))
	p := &WaitlistPage{FormPage: FormPage{Page: Page{Title: "Waitlist", Actor: a, Nav: "calendar"}, Fields: map[string]string{}}, C: c, V: v,
		Filter: filter, CanWrite: a.Can(auth.ScheduleWrite)}
	entries, err := s.App.Waitlist(r.Context(), a, filter)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, calU := range c.Bookable {
		names[calU.ID] = calU.Name
	}
	locs := map[int64]string{}
	for _, l := range c.Locations {
		locs[l.ID] = l.Name
	}
	z := c.Zone
	for _, e := range entries {
		row := calWaitRow{ID: e.ID, ClientID: e.ClientID, Client: e.ClientName, Service: e.ServiceName, Location: locs[e.LocationID],
			Therapist: "Anyone", Dates: usDate(e.EarliestOn) + " – " + usDate(e.LatestOn), Note: e.Note, Status: "Waiting"}
		if e.TherapistID != 0 {
			row.Therapist = names[e.TherapistID]
		}
		if e.Status == store.WaitOffered {
			row.Status = "Offered a time " + e.OfferedAt.In(z).Format(dateTimeLayout)
		}
		p.Rows = append(p.Rows, row)
	}
	if p.CanWrite {
		if p.Pick, err = s.calPickClient(r, a, v, "/waitlist"); err != nil {
			return nil, err
		}
		today := s.App.ClinicDate(a)
		if fill && v.Get("earliest_on") == "" {
			v.Set("earliest_on", today)
		}
		if fill && v.Get("latest_on") == "" {
			v.Set("latest_on", calAddDays(today, 14))
		}
	}
	return p, nil
}

func (s *Server) waitlistPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	v := calFormValues(r.URL.Query(), func(int64) *time.Location { return time.UTC })
	p, err := heldRead(s, r, func(r *http.Request) (*WaitlistPage, error) { return s.waitlistData(r, a, v, true) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if p.Pick != nil && p.Pick.Error != "" {
		p.Fields["client_id"] = p.Pick.Error
	}
	switch r.URL.Query().Get("saved") {
	case "1":
		p.Flash = "Added to the waitlist. When a matching time frees up, the client is offered it by e-mail."
	case "removed":
		p.Flash = "Taken off the waitlist."
	}
	s.render(w, r, http.StatusOK, "waitlist", p)
}

func (s *Server) waitlistAdd(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	v := calPosted(r)
	p, err := heldRead(s, r, func(r *http.Request) (*WaitlistPage, error) { return s.waitlistData(r, a, v, false) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	e := &store.WaitlistEntry{ClientID: calFormID(v, "client_id"), ServiceID: calFormID(v, "service_id"), LocationID: p.C.Location.ID,
		TherapistID: calFormID(v, "therapist_id"), EarliestOn: v.Get("earliest_on"), LatestOn: v.Get("latest_on"), Note: strings.TrimSpace(v.Get("note"))}
	switch {
	case e.ClientID == 0:
		err = &errs.Error{Code: errs.Invalid, Message: "Choose the client.", Fields: map[string]string{"client_id": "Choose the client: find them by name, then pick them from the list."}}
	case e.TherapistID < 0 || e.TherapistID > 0 && !slices.ContainsFunc(p.C.Therapists, func(t clinic.User) bool { return t.ID == e.TherapistID }):
		err = &errs.Error{Code: errs.Invalid, Message: "Choose a therapist or anyone.", Fields: map[string]string{"therapist_id": "Choose a therapist of this location, or anyone."}}
	default:
		err = s.App.AddToWaitlist(r.Context(), a, e)
	}
	if err != nil {
		s.formRefused(w, r, a, err, "waitlist", p, &p.Error, &p.Fields)
		return
	}
	http.Redirect(w, r, "/waitlist?saved=1", http.StatusSeeOther)
}

func (s *Server) waitlistRemove(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "waitlist entry")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	// Only an entry the actor sees (of their locations) may be removed:
	// app.RemoveFromWaitlist checks the role, not the location.
	visible, err := heldRead(s, r, func(r *http.Request) ([]store.WaitlistEntry, error) {
		if !a.Can(auth.ScheduleWrite) {
			return nil, s.App.Forbid(r.Context(), a, app.AuditWaitlist)
		}
		return s.App.Waitlist(r.Context(), a, 0)
	})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if !slices.ContainsFunc(visible, func(e store.WaitlistEntry) bool { return e.ID == id }) {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such waitlist entry."))
		return
	}
	if err := s.App.RemoveFromWaitlist(r.Context(), a, id); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/waitlist?saved=removed", http.StatusSeeOther)
}

// ---------------------------------------------------------------------------
// The chart's appointments and packages

// calApptSection is the data of the chart's "appointments_section" partial.
type calApptSection struct {
	Client                         *clinic.Client
	Upcoming, Past                 []calApptRow
	Packages                       []calPkgRow
	Menu                           []schedule.Package
	CanWrite                       bool
	BookLink, SeriesLink, WaitLink string
}

type calApptRow struct {
	ID                                     int64
	When, With, Service, Where, Status, St string
	Fee                                    string
}

type calPkgRow struct {
	Name                      string
	Remaining, Sessions, Used int
	Booked                    int
	Expires                   string
	Expired                   bool
}

// MenuLabel describes a package of the menu in the sell form.
func (calApptSection) MenuLabel(p schedule.Package) string {
	return p.Name + " — " + strconv.Itoa(p.Sessions) + " sessions, " + app.Money(p.PriceCents) + ", valid " + strconv.Itoa(p.ValidDays) + " days"
}

func renderAppointmentsSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	if !a.Can(auth.ScheduleRead) {
		return "", nil
	}
	cs, err := s.App.ClientSchedule(r.Context(), a, c.ID, 5)
	if err != nil {
		return "", err
	}
	locs, err := s.App.Locations(r.Context(), a)
	if err != nil {
		return "", err
	}
	byID := map[int64]*clinic.Location{}
	for i := range locs {
		byID[locs[i].ID] = &locs[i]
	}
	cid := strconv.FormatInt(c.ID, 10)
	d := calApptSection{Client: c, CanWrite: a.Can(auth.ScheduleWrite),
		BookLink:   "/calendar/new?" + url.Values{"client": {cid}, "location": {strconv.FormatInt(c.PreferredLocationID, 10)}}.Encode(),
		SeriesLink: "/calendar/series?client=" + cid, WaitLink: "/waitlist?client=" + cid}
	row := func(x *schedule.Appointment) calApptRow {
		l := byID[x.LocationID]
		lt := x.Start.In(app.LocationZone(a.Org, l))
		rw := calApptRow{ID: x.ID, When: lt.Format("Mon, Jan 2, 2006") + ", " + calClock(lt), With: x.TherapistName, Service: x.ServiceName,
			Status: apptStatusWords[x.Status], St: apptStatusClass(x.Status)}
		if l != nil {
			rw.Where = l.Name
		}
		if x.RoomName != "" {
			rw.Where += ", " + x.RoomName
		}
		if x.FeeCents != 0 {
			rw.Fee = app.Money(x.FeeCents)
		}
		return rw
	}
	for i := range cs.Upcoming {
		d.Upcoming = append(d.Upcoming, row(&cs.Upcoming[i]))
	}
	for i := range cs.Past {
		d.Past = append(d.Past, row(&cs.Past[i]))
	}
	today := s.App.ClinicDate(a)
	for _, cp := range cs.Packages {
		d.Packages = append(d.Packages, calPkgRow{Name: cp.Name, Remaining: cp.Remaining(), Sessions: cp.Sessions, Used: cp.Used, Booked: cp.Booked,
			Expires: usDate(cp.ExpiresOn), Expired: cp.ExpiresOn < today})
	}
	if d.CanWrite {
		menu, err := s.App.Packages(r.Context(), a)
		if err != nil {
			return "", err
		}
		for _, p := range menu {
			if p.Active {
				d.Menu = append(d.Menu, p)
			}
		}
	}
	return s.renderPartial("appointments_section", d)
}

func (s *Server) packageSell(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	r.ParseForm()
	pkg := calFormID(r.PostForm, "package_id")
	if pkg <= 0 {
		s.fail(w, r, a, &errs.Error{Code: errs.Invalid, Message: "Choose the package the client buys.", Fields: map[string]string{"package_id": "Choose a package."}})
		return
	}
	if _, err := s.App.SellPackage(r.Context(), a, id, pkg); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?saved=1#appointments", http.StatusSeeOther)
}
