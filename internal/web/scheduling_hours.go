package web

// Therapists' weekly hours, time off and changed hours on a date, in the
// scheduling settings.

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// schedDaySpans is how many spans a day of the weekly grid offers: a morning
// and an afternoon. A day stored with more (through the API) shows them all.
const schedDaySpans = 2

// schedMaxDaySpans bounds the spans read from one day of the form.
const schedMaxDaySpans = 6

// ---- weekly hours ----

// SchedHoursPage is the data of scheduling_hours.html: one therapist's week at
// one location to edit, and everyone's week at that location.
type SchedHoursPage struct {
	SchedPage
	Locations     []clinic.Location
	Therapists    []clinic.User
	LocationID    int64
	TherapistID   int64
	LocationName  string
	TherapistName string
	Zone          string
	Days          []SchedHoursDay
	Week          []SchedWeekRow
}

// SchedHoursDay is a row of the grid: a weekday and its spans.
type SchedHoursDay struct {
	Name  string // Monday
	Key   string // d1, the prefix of the row's inputs
	Spans []SchedHoursSpan
	Error string
}

// SchedHoursSpan is one span of a day: its inputs' names and values.
type SchedHoursSpan struct {
	N                    int // 1-based, for labels
	StartName, EndName   string
	StartValue, EndValue string
	StartLabel, EndLabel string
}

// SchedWeekRow is a therapist's week at the location, Monday first.
type SchedWeekRow struct {
	TherapistID int64
	Name        string
	Days        [][]string // each day's spans, "09:00–12:00"
	Current     bool
}

func schedDayKey(wd time.Weekday) string { return "d" + strconv.Itoa(int(wd)) }

func schedSpanName(wd time.Weekday, part string, i int) string {
	return schedDayKey(wd) + part + strconv.Itoa(i)
}

// schedHoursValues is a therapist's week as the grid's inputs.
func schedHoursValues(hs []schedule.Hours) url.Values {
	v := url.Values{}
	n := map[time.Weekday]int{}
	sorted := slices.Clone(hs)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	for _, h := range sorted {
		i := n[h.Weekday]
		n[h.Weekday]++
		v.Set(schedSpanName(h.Weekday, "s", i), schedule.Clock(h.Start))
		v.Set(schedSpanName(h.Weekday, "e", i), schedule.Clock(h.End))
	}
	return v
}

// schedHoursFromForm reads the grid: each day's spans, both ends or neither.
// Errors are per day (d1 for Monday), said with the day's name.
func schedHoursFromForm(v url.Values) ([]schedule.Hours, errs.FieldErrors) {
	f := errs.FieldErrors{}
	var out []schedule.Hours
	for _, wd := range schedWeekdays {
		key, day := schedDayKey(wd), wd.String()+": "
		var spans []schedule.Hours
		for i := range schedMaxDaySpans {
			st, en := strings.TrimSpace(v.Get(schedSpanName(wd, "s", i))), strings.TrimSpace(v.Get(schedSpanName(wd, "e", i)))
			if st == "" && en == "" {
				continue
			}
			if st == "" || en == "" {
				f.Add(key, day+"enter both a start and an end, or neither.")
				continue
			}
			sm, err := schedule.ParseClock(st)
			if err == nil {
				var em int
				if em, err = schedule.ParseClock(en); err == nil {
					h := schedule.Hours{Weekday: wd, Start: sm, End: em}
					if err = h.Validate(); err == nil {
						spans = append(spans, h)
						continue
					}
				}
			}
			f.Add(key, day+schedFirstMessage(err))
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		for k := 1; k < len(spans); k++ {
			if spans[k].Start < spans[k-1].End {
				f.Add(key, day+schedSpan(spans[k-1].Start, spans[k-1].End)+" and "+schedSpan(spans[k].Start, spans[k].End)+" overlap. Make them one span or move one.")
			}
		}
		out = append(out, spans...)
	}
	return out, f
}

// schedFirstMessage is the message of a field of err (start before end), or its message.
func schedFirstMessage(err error) string {
	fs := errs.FieldsOf(err)
	for _, k := range []string{"weekday", "start", "end"} {
		if m, ok := fs[k]; ok {
			return m
		}
	}
	return errs.Message(err)
}

func (s *Server) schedHoursPage(r *http.Request, a *auth.Actor, locID, therapistID int64, values url.Values) (SchedHoursPage, error) {
	ctx := r.Context()
	p := SchedHoursPage{SchedPage: schedPage(r, a, "hours", "Hours")}
	locs, err := s.App.Locations(ctx, a)
	if err != nil {
		return p, err
	}
	st, err := s.schedStaffOf(ctx, a)
	if err != nil {
		return p, err
	}
	p.Locations, p.Therapists = locs, st.bookable
	var loc *clinic.Location
	for i := range locs {
		if locs[i].ID == locID || loc == nil && locID == 0 {
			loc = &locs[i]
		}
	}
	if loc == nil {
		return p, errs.E(errs.NotFound, "There is no such location.")
	}
	p.LocationID, p.LocationName = loc.ID, loc.Name
	p.Zone = schedZoneLabel(app.LocationZone(a.Org, loc), s.schedNow())
	if therapistID == 0 && len(st.bookable) > 0 {
		// The first therapist who works here, else the first of all.
		therapistID = st.bookable[0].ID
		for _, u := range st.bookable {
			if len(u.LocationIDs) == 0 || u.AtLocation(loc.ID) {
				therapistID = u.ID
				break
			}
		}
	}
	if therapistID != 0 && !slices.ContainsFunc(st.bookable, func(u clinic.User) bool { return u.ID == therapistID }) {
		return p, errs.E(errs.NotFound, "There is no such therapist.")
	}
	p.TherapistID, p.TherapistName = therapistID, st.name(therapistID)

	hours, err := s.App.Hours(ctx, a, loc.ID)
	if err != nil {
		return p, err
	}
	byTherapist := map[int64][]schedule.Hours{}
	for _, h := range hours {
		byTherapist[h.TherapistID] = append(byTherapist[h.TherapistID], h)
	}
	if values == nil {
		values = schedHoursValues(byTherapist[therapistID])
	}
	p.Form, p.Values = "hours", values
	for _, wd := range schedWeekdays {
		d := SchedHoursDay{Name: wd.String(), Key: schedDayKey(wd)}
		n := schedDaySpans
		for i := schedDaySpans; i < schedMaxDaySpans; i++ {
			if values.Get(schedSpanName(wd, "s", i)) != "" || values.Get(schedSpanName(wd, "e", i)) != "" {
				n = i + 1
			}
		}
		for i := range n {
			which := "first"
			if i > 0 {
				which = []string{"", "second", "third", "fourth", "fifth", "sixth"}[i]
			}
			d.Spans = append(d.Spans, SchedHoursSpan{N: i + 1,
				StartName: schedSpanName(wd, "s", i), EndName: schedSpanName(wd, "e", i),
				StartValue: values.Get(schedSpanName(wd, "s", i)), EndValue: values.Get(schedSpanName(wd, "e", i)),
				StartLabel: wd.String() + ", " + which + " span, from", EndLabel: wd.String() + ", " + which + " span, to"})
		}
		p.Days = append(p.Days, d)
	}
	// Everyone who works here or has hours here.
	for _, u := range st.bookable {
		hs := byTherapist[u.ID]
		if len(hs) == 0 && len(u.LocationIDs) > 0 && !u.AtLocation(loc.ID) {
			continue
		}
		row := SchedWeekRow{TherapistID: u.ID, Name: u.Name, Current: u.ID == therapistID}
		for _, wd := range schedWeekdays {
			var parts []string
			for _, h := range hs {
				if h.Weekday == wd {
					parts = append(parts, schedSpan(h.Start, h.End))
				}
			}
			row.Days = append(row.Days, parts)
		}
		p.Week = append(p.Week, row)
	}
	return p, nil
}

func (s *Server) schedHours(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedHoursPage(r, a, positiveID(r.URL.Query().Get("location")), positiveID(r.URL.Query().Get("therapist")), nil)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "scheduling_hours", p)
}

func (s *Server) schedHoursSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	locID, therapistID := positiveID(v.Get("location_id")), positiveID(v.Get("therapist_id"))
	if locID == 0 || therapistID == 0 {
		s.fail(w, r, a, errs.E(errs.Invalid, "Choose a location and a therapist, then enter the hours."))
		return
	}
	hs, f := schedHoursFromForm(v)
	err := f.Err()
	if err == nil {
		err = s.App.SetHours(r.Context(), a, therapistID, locID, hs)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/hours?location="+strconv.FormatInt(locID, 10)+"&therapist="+strconv.FormatInt(therapistID, 10)+"&saved=1", http.StatusSeeOther)
		return
	}
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		s.fail(w, r, a, err)
		return
	}
	p, perr := s.schedHoursPage(r, a, locID, therapistID, v)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	p.sendBack("hours", r, err)
	for i := range p.Days {
		p.Days[i].Error = p.Fields[p.Days[i].Key]
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_hours", p)
}

// ---- time off and changed hours ----

// SchedTimeOffPage is the data of scheduling_timeoff.html.
type SchedTimeOffPage struct {
	SchedPage
	Zone       string
	Therapists []clinic.User
	Locations  []clinic.Location
	TimeOff    []SchedTimeOffRow
	Exceptions []SchedExceptionRow
}

// SchedTimeOffRow is a period of time off as the list shows it.
type SchedTimeOffRow struct {
	ID                        int64
	Therapist, From, To, Note string
}

// SchedExceptionRow is a changed day as the list shows it.
type SchedExceptionRow struct {
	ID                                     int64
	Date, Therapist, Location, Hours, Note string
	Off                                    bool
}

const (
	schedWhen = "Mon Jan 2, 2006 3:04 PM"
	schedDay  = "Mon Jan 2, 2006"
)

// schedFrom writes the start of time off: a date alone when it starts at midnight.
func schedFrom(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format(schedDay)
	}
	return t.Format(schedWhen)
}

// schedUntil writes the end of time off: a midnight end is the end of the
// day before, as the owner entered it.
func schedUntil(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 {
		d := t.Add(-time.Minute)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, t.Location()).Format(schedDay) + ", end of day"
	}
	return t.Format(schedWhen)
}

func (s *Server) schedTimeOffPage(r *http.Request, a *auth.Actor) (SchedTimeOffPage, error) {
	ctx := r.Context()
	p := SchedTimeOffPage{SchedPage: schedPage(r, a, "timeoff", "Time off and changed hours")}
	zone := schedOrgZone(a)
	now := s.schedNow()
	p.Zone = schedZoneLabel(zone, now)
	st, err := s.schedStaffOf(ctx, a)
	if err != nil {
		return p, err
	}
	p.Therapists = st.bookable
	if p.Locations, err = s.App.Locations(ctx, a); err != nil {
		return p, err
	}
	locName := map[int64]string{}
	for _, l := range p.Locations {
		locName[l.ID] = l.Name
	}
	offs, err := s.App.TimeOff(ctx, a, now, now.AddDate(1, 0, 0))
	if err != nil {
		return p, err
	}
	for _, t := range offs {
		p.TimeOff = append(p.TimeOff, SchedTimeOffRow{ID: t.ID, Therapist: st.name(t.TherapistID),
			From: schedFrom(t.Start.In(zone)), To: schedUntil(t.End.In(zone)), Note: t.Reason})
	}
	today := s.App.ClinicDate(a)
	exs, err := s.App.Exceptions(ctx, a, 0, today, calAddDays(today, 365))
	if err != nil {
		return p, err
	}
	for _, e := range exs {
		row := SchedExceptionRow{ID: e.ID, Date: e.Date, Therapist: st.name(e.TherapistID), Location: locName[e.LocationID], Note: e.Reason, Off: e.Start == e.End}
		if d, err := time.Parse(time.DateOnly, e.Date); err == nil {
			row.Date = d.Format(schedDay)
		}
		if !row.Off {
			row.Hours = schedSpan(e.Start, e.End)
		}
		p.Exceptions = append(p.Exceptions, row)
	}
	return p, nil
}

func (s *Server) schedTimeOff(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedTimeOffPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "scheduling_timeoff", p)
}

// schedTimeOffBack shows the page again with the errors of one of its forms.
func (s *Server) schedTimeOffBack(w http.ResponseWriter, r *http.Request, a *auth.Actor, form string, err error) {
	p, perr := s.schedTimeOffPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.sendBack(form, r, err) {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_timeoff", p)
}

// schedInstant is the instant of a date and a time of day typed in zone.
// The date is read with time.ParseInLocation and the minutes added on the
// wall clock by time.Date, so 09:00 is 09:00 local on a daylight-saving
// day too; 24:00 is the next midnight.
func schedInstant(date string, minutes int, zone *time.Location) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(date), zone)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, minutes, 0, 0, zone), true
}

// schedClock reads an optional time of day; empty is def.
func schedClock(f errs.FieldErrors, v url.Values, field string, def int) int {
	s := strings.TrimSpace(v.Get(field))
	if s == "" {
		return def
	}
	m, err := schedule.ParseClock(s)
	if err != nil {
		f.Add(field, errs.Message(err))
	}
	return m
}

func (s *Server) schedTimeOffAdd(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	f := errs.FieldErrors{}
	zone := schedOrgZone(a)
	t := schedule.TimeOff{Reason: v.Get("reason")}
	if t.TherapistID = schedFormID(f, v, "therapist_id", "Choose the therapist."); t.TherapistID == 0 {
		f.Add("therapist_id", "Choose the therapist.")
	}
	// Without times, time off runs from the first day's start to the last day's end.
	sm, em := schedClock(f, v, "start_time", 0), schedClock(f, v, "end_time", 24*60)
	var ok bool
	if t.Start, ok = schedInstant(v.Get("start_date"), sm, zone); !ok {
		f.Add("start_date", "Enter the first day, such as 2026-03-14.")
	}
	if t.End, ok = schedInstant(v.Get("end_date"), em, zone); !ok {
		f.Add("end_date", "Enter the last day, such as 2026-03-20.")
	}
	if len(f) == 0 {
		check := t
		if err := check.Validate(); err != nil {
			schedAddFields(f, err, map[string]string{"start": "start_date", "end": "end_date"})
		}
	}
	err := f.Err()
	if err == nil {
		err = s.App.AddTimeOff(r.Context(), a, &t)
	}
	if err != nil {
		s.schedTimeOffBack(w, r, a, "timeoff", schedRename(err, map[string]string{"start": "start_date", "end": "end_date"}))
		return
	}
	http.Redirect(w, r, "/admin/scheduling/time-off?added=1", http.StatusSeeOther)
}

func (s *Server) schedTimeOffDelete(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "time off")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.DeleteTimeOff(r.Context(), a, id); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/time-off?deleted=1", http.StatusSeeOther)
}

func (s *Server) schedExceptionAdd(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	f := errs.FieldErrors{}
	e := schedule.Exception{Date: strings.TrimSpace(v.Get("date")), Reason: v.Get("reason")}
	if e.TherapistID = schedFormID(f, v, "therapist_id", "Choose the therapist."); e.TherapistID == 0 {
		f.Add("therapist_id", "Choose the therapist.")
	}
	if e.LocationID = schedFormID(f, v, "location_id", "Choose the location."); e.LocationID == 0 {
		f.Add("location_id", "Choose the location.")
	}
	if !schedChecked(v, "off") {
		if strings.TrimSpace(v.Get("start")) == "" {
			f.Add("start", "Enter when the day starts, or tick “Not working that day”.")
		}
		if strings.TrimSpace(v.Get("end")) == "" {
			f.Add("end", "Enter when the day ends, or tick “Not working that day”.")
		}
		e.Start, e.End = schedClock(f, v, "start", 0), schedClock(f, v, "end", 0)
		if len(f) == 0 && e.Start == e.End {
			f.Add("end", "End after the start, or tick “Not working that day”.")
		}
	}
	check := e
	if err := check.Validate(); err != nil {
		schedAddFields(f, err, nil)
	}
	err := f.Err()
	if err == nil {
		err = s.App.AddException(r.Context(), a, &e)
	}
	if err != nil {
		s.schedTimeOffBack(w, r, a, "exception", err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/time-off?added=1", http.StatusSeeOther)
}

func (s *Server) schedExceptionDelete(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "change to the hours")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.DeleteException(r.Context(), a, id); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/time-off?deleted=1", http.StatusSeeOther)
}
