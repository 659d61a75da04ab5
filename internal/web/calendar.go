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
	"github.com/fascia-health/fascia/internal/schedule"
)

// The calendar the front desk lives in: day and week views by therapist,
// by room or for the whole location, with booking, moving and check-in
// (calendar_appt.go), recurring series, the waitlist and the chart's
// appointments (calendar_more.go).

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /calendar", s.signedIn(s.calendarPage))
		m.HandleFunc("GET /calendar/new", s.signedIn(s.bookingPage))
		m.HandleFunc("POST /appointments", s.signedIn(s.bookingPost))
		m.HandleFunc("GET /appointments/{id}", s.signedIn(s.appointmentPage))
		m.HandleFunc("POST /appointments/{id}/move", s.signedIn(s.appointmentMove))
		m.HandleFunc("POST /appointments/{id}/status", s.signedIn(s.appointmentStatus))
		m.HandleFunc("GET /calendar/series", s.signedIn(s.seriesPage))
		m.HandleFunc("POST /calendar/series", s.signedIn(s.seriesPost))
		m.HandleFunc("GET /waitlist", s.signedIn(s.waitlistPage))
		m.HandleFunc("POST /waitlist", s.signedIn(s.waitlistAdd))
		m.HandleFunc("POST /waitlist/{id}/remove", s.signedIn(s.waitlistRemove))
		m.HandleFunc("POST /clients/{id}/packages", s.signedIn(s.packageSell))
	})
	chartSections = append(chartSections, ChartSection{Order: 12, Render: renderAppointmentsSection})
}

// CalendarPage is the data of calendar.html.
type CalendarPage struct {
	Page
	Cal       *app.Calendar
	View      string // "day" or "week"
	By        string // "therapist" or "room" (day view of the location)
	Show      string // the filter's value: "", "rooms", "t<ID>", "r<ID>"
	Heading   string
	Locations []clinic.Location
	// Therapists and Rooms are the location's, for the filter.
	Therapists []clinic.User
	Rooms      []schedule.Room
	Prev, Next string
	TodayLink  string
	DayLink    string
	WeekLink   string
	NewLink    string
	Grid       template.HTML
	Strip      *calStrip
	CanWrite   bool
	Back       string // this view, for the forms that return to it
}

// calStrip is the front desk's summary of today at the location.
type calStrip struct {
	Booked, CheckedIn, Completed, NoShow int
	Next                                 []calStripItem
}

type calStripItem struct {
	ID        int64
	Version   int64
	Time      string
	Client    string
	Therapist string
	Service   string
}

// calQuery is a calendar view as its URL says it.
type calQuery struct {
	Location  int64
	View      string
	Day       string
	By        string
	Therapist int64
	Room      int64
}

func (q calQuery) url() string {
	v := url.Values{}
	v.Set("location", strconv.FormatInt(q.Location, 10))
	v.Set("view", q.View)
	if q.Day != "" {
		v.Set("day", q.Day)
	}
	if q.By == "room" && q.View == "day" && q.Therapist == 0 && q.Room == 0 {
		v.Set("by", "room")
	}
	if q.Therapist != 0 {
		v.Set("therapist", strconv.FormatInt(q.Therapist, 10))
	}
	if q.Room != 0 {
		v.Set("room", strconv.FormatInt(q.Room, 10))
	}
	return "/calendar?" + v.Encode()
}

// positiveID reads a record number: 0 unless s is a positive integer.
func positiveID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func parseCalQuery(v url.Values) calQuery {
	q := calQuery{Location: positiveID(v.Get("location")), View: v.Get("view"), Day: v.Get("day"), By: v.Get("by"),
		Therapist: positiveID(v.Get("therapist")), Room: positiveID(v.Get("room"))}
	// The filter form's single select: "rooms", "t<ID>" or "r<ID>".
	switch show := v.Get("show"); {
	case show == "rooms":
		q.By, q.Therapist, q.Room = "room", 0, 0
	case show == "":
		if v.Has("show") {
			q.By, q.Therapist, q.Room = "", 0, 0
		}
	case show[0] == 't':
		q.Therapist, q.Room, q.By = positiveID(show[1:]), 0, ""
	case show[0] == 'r':
		q.Room, q.Therapist, q.By = positiveID(show[1:]), 0, ""
	}
	if q.View != "week" {
		q.View = "day"
	}
	if q.By != "room" {
		q.By = "therapist"
	}
	return q
}

// calAddDays adds n days to a YYYY-MM-DD date.
func calAddDays(day string, n int) string {
	d, err := time.Parse(clinic.DateLayout, day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, n).Format(clinic.DateLayout)
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := parseCalQuery(r.URL.Query())
	locs, err := s.App.ScheduleLocations(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if q.Location == 0 && len(locs) > 0 {
		q.Location = locs[0].ID
	}
	days := 1
	if q.View == "week" {
		days = 7 // from the Monday of q.Day's week (today's, when none)
	}
	cal, err := s.App.Calendar(r.Context(), a, app.CalendarQuery{LocationID: q.Location, TherapistID: q.Therapist, RoomID: q.Room, Day: q.Day, Days: days})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	q.Day = cal.Day
	p := &CalendarPage{Page: Page{Title: "Calendar", Actor: a, Nav: "calendar"}, Cal: cal, View: q.View, By: q.By,
		Locations: locs, Therapists: cal.Therapists, Rooms: cal.Rooms, CanWrite: a.Can(auth.ScheduleWrite)}
	if q.Therapist != 0 || q.Room != 0 {
		// The calendar holds only the one asked for; the filter offers all.
		choices, err := s.App.BookingChoices(r.Context(), a, q.Location)
		if err != nil {
			s.fail(w, r, a, err)
			return
		}
		p.Therapists, p.Rooms = choices.Therapists, choices.Rooms
	}
	switch {
	case q.Therapist != 0:
		p.Show = "t" + strconv.FormatInt(q.Therapist, 10)
	case q.Room != 0:
		p.Show = "r" + strconv.FormatInt(q.Room, 10)
	case q.By == "room" && q.View == "day":
		p.Show = "rooms"
	}
	nav := q
	nav.Day = calAddDays(q.Day, -days)
	p.Prev = nav.url()
	nav.Day = calAddDays(q.Day, days)
	p.Next = nav.url()
	nav.Day = ""
	p.TodayLink = nav.url()
	nav.Day, nav.View = q.Day, "day"
	if q.View == "week" && cal.Today >= cal.Days[0] && cal.Today <= cal.Days[len(cal.Days)-1] {
		nav.Day = cal.Today
	}
	p.DayLink = nav.url()
	nav.Day, nav.View = q.Day, "week"
	p.WeekLink = nav.url()
	p.Back = q.url()
	nv := url.Values{"location": {strconv.FormatInt(q.Location, 10)}, "date": {q.Day}}
	if q.Day < cal.Today {
		nv.Set("date", cal.Today)
	}
	if q.Therapist != 0 {
		nv.Set("therapist", strconv.FormatInt(q.Therapist, 10))
	}
	p.NewLink = "/calendar/new?" + nv.Encode()
	p.Heading = calHeading(cal)
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	now := s.App.DB.Now()
	g := buildCalGrid(cal, q, now)
	p.Grid = g.render(q.View == "week" && q.Therapist == 0 && q.Room == 0)
	if slices.Contains(cal.Days, cal.Today) {
		p.Strip = buildCalStrip(cal, now)
	}
	s.render(w, r, http.StatusOK, "calendar", p)
}

// calHeading names the days shown: "Tuesday, March 3, 2026" or "March 2 – 8, 2026".
func calHeading(c *app.Calendar) string {
	d0, _ := time.Parse(clinic.DateLayout, c.Days[0])
	if len(c.Days) == 1 {
		return d0.Format("Monday, January 2, 2006")
	}
	d1, _ := time.Parse(clinic.DateLayout, c.Days[len(c.Days)-1])
	switch {
	case d0.Year() != d1.Year():
		return d0.Format("January 2, 2006") + " – " + d1.Format("January 2, 2006")
	case d0.Month() != d1.Month():
		return d0.Format("January 2") + " – " + d1.Format("January 2, 2006")
	}
	return d0.Format("January 2") + " – " + d1.Format("2, 2006")
}

func buildCalStrip(c *app.Calendar, now time.Time) *calStrip {
	st := &calStrip{}
	for i := range c.Appointments {
		x := &c.Appointments[i]
		if x.Start.In(c.Zone).Format(clinic.DateLayout) != c.Today {
			continue
		}
		switch x.Status {
		case schedule.Booked:
			st.Booked++
			// Who is due: late arrivals stay on the list for half an hour.
			if x.Start.After(now.Add(-30*time.Minute)) && len(st.Next) < 6 {
				st.Next = append(st.Next, calStripItem{ID: x.ID, Version: x.Version, Time: calClock(x.Start.In(c.Zone)), Client: x.ClientName,
					Therapist: x.TherapistName, Service: x.ServiceName})
			}
		case schedule.CheckedIn:
			st.CheckedIn++
		case schedule.Completed:
			st.Completed++
		case schedule.NoShow:
			st.NoShow++
		}
	}
	return st
}

// calClock writes a local time as "9:00 AM".
func calClock(t time.Time) string { return t.Format("3:04 PM") }

// ---------------------------------------------------------------------------
// The grid. It is written directly (every value escaped) rather than by
// html/template: a week of a busy location is a thousand blocks, and
// positions are classes of calendar.css (the pages' CSP allows no inline
// styles): t-N is N five-minute units from the top, h-N is N units tall.

// calUnit is the minutes of one position unit; every appointment starts and
// ends on schedule.Grid, which is five minutes.
const calUnit = 5

type calItem struct {
	a      *schedule.Appointment
	s, e   int // the session, in local minutes after the column's midnight
	bs, be int // with its buffers
}

type calCol struct {
	label, sub, href string
	date             string
	therapist, room  int64
	noRoom           bool
	today            bool
	work             [][2]int // working time, local minutes
	items            []calItem
}

type calGrid struct {
	zone       *time.Location
	start, end int // the span shown, local minutes, whole hours
	cols       []calCol
	nowMin     int // -1 unless a column is today
	location   int64
	dayView    bool
}

// calLocalMin is t's local wall-clock minutes after the midnight of date in
// zone: 0 before that day, 1440 after it. Wall-clock minutes put 09:00 on
// the 09:00 line on a daylight-saving day too.
func calLocalMin(t time.Time, zone *time.Location, date string) int {
	d, err := time.Parse(clinic.DateLayout, date)
	if err != nil {
		return 0
	}
	return calMinOn(t, zone, calDayKey(d.Date()))
}

// calDayKey numbers a date so that dates compare as numbers (20261207).
func calDayKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

// calMinOn is calLocalMin for the date numbered day: the grid's hot path,
// without formatting a date for each appointment.
func calMinOn(t time.Time, zone *time.Location, day int) int {
	lt := t.In(zone)
	switch k := calDayKey(lt.Date()); {
	case k < day:
		return 0
	case k > day:
		return 1440
	}
	return lt.Hour()*60 + lt.Minute()
}

func calDayBounds(date string, zone *time.Location) (time.Time, time.Time) {
	d, _ := time.ParseInLocation(clinic.DateLayout, date, zone)
	return d, time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, zone)
}

// calWorkOn is the part of intervals on date, in local minutes.
func calWorkOn(iv []schedule.Interval, zone *time.Location, date string) [][2]int {
	from, to := calDayBounds(date, zone)
	var out [][2]int
	for _, x := range iv {
		if !x.Start.Before(to) || !x.End.After(from) {
			continue
		}
		s, e := calLocalMin(x.Start, zone, date), calLocalMin(x.End, zone, date)
		if e > s {
			out = append(out, [2]int{s, e})
		}
	}
	return out
}

// calUnion merges the working time of several therapists.
func calUnion(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	v := slices.Clone(spans)
	slices.SortFunc(v, func(a, b [2]int) int { return a[0] - b[0] })
	out := v[:1]
	for _, x := range v[1:] {
		last := &out[len(out)-1]
		if x[0] <= last[1] {
			last[1] = max(last[1], x[1])
		} else {
			out = append(out, x)
		}
	}
	return out
}

// calHoursWords says a column's working time: "9 AM–12:30 PM, 1:30–5 PM".
func calHoursWords(work [][2]int) string {
	if len(work) == 0 {
		return "Not working"
	}
	parts := make([]string, len(work))
	for i, w := range work {
		parts[i] = calClock12(w[0], w[0]/720 != w[1]/720) + "–" + calClock12(w[1], true)
	}
	return strings.Join(parts, ", ")
}

// calClock12 writes local minutes as "9 AM", "12:30 PM", or without the
// period ("9", "12:30") when the next time says it.
func calClock12(m int, period bool) string {
	h := (m / 60) % 12
	if h == 0 {
		h = 12
	}
	s := strconv.Itoa(h)
	if m%60 != 0 {
		s += ":" + string(rune('0'+m%60/10)) + string(rune('0'+m%10))
	}
	if period {
		if m >= 720 && m < 1440 {
			return s + " PM"
		}
		return s + " AM"
	}
	return s
}

func calHourLabel(m int) string {
	h := m / 60
	switch {
	case h == 0 || h == 24:
		return "12 AM"
	case h == 12:
		return "12 PM"
	case h > 12:
		return strconv.Itoa(h-12) + " PM"
	}
	return strconv.Itoa(h) + " AM"
}

func buildCalGrid(c *app.Calendar, q calQuery, now time.Time) *calGrid {
	g := &calGrid{zone: c.Zone, nowMin: -1, location: c.Location.ID, dayView: q.View == "day"}
	zone := c.Zone
	byKey := map[int][]*schedule.Appointment{}
	for i := range c.Appointments {
		x := &c.Appointments[i]
		k := calDayKey(x.Start.In(zone).Date())
		byKey[k] = append(byKey[k], x)
	}
	// dayKey numbers a column's date once; the appointments and their
	// items are then found by the number.
	dayKey := func(date string) int {
		d, _ := time.Parse(clinic.DateLayout, date)
		return calDayKey(d.Date())
	}
	allWork := func(date string) [][2]int {
		var v [][2]int
		for _, t := range c.Therapists {
			v = append(v, calWorkOn(c.Available[t.ID], zone, date)...)
		}
		return calUnion(v)
	}
	item := func(x *schedule.Appointment, k int) calItem {
		it := calItem{a: x, s: calMinOn(x.Start, zone, k), e: calMinOn(x.End, zone, k)}
		it.bs, it.be = max(it.s-x.BufferBefore, 0), min(it.e+x.BufferAfter, 1440)
		if it.e <= it.s { // a session past midnight keeps a visible block
			it.e = min(it.s+calUnit, 1440)
			it.s = it.e - calUnit
		}
		return it
	}
	if q.View == "day" {
		date := c.Days[0]
		k := dayKey(date)
		if (q.By == "room" || q.Room != 0) && q.Therapist == 0 {
			work := allWork(date)
			cols := map[int64]int{}
			for _, rm := range c.Rooms {
				cols[rm.ID] = len(g.cols)
				g.cols = append(g.cols, calCol{label: rm.Name, date: date, room: rm.ID, work: work,
					href: calQuery{Location: q.Location, View: "week", Day: date, Room: rm.ID}.url()})
			}
			noRoom := -1
			for _, x := range byKey[k] {
				i, ok := cols[x.RoomID]
				if !ok {
					if x.RoomID != 0 && q.Room != 0 {
						continue
					}
					if noRoom < 0 {
						noRoom = len(g.cols)
						g.cols = append(g.cols, calCol{label: "No room", date: date, noRoom: true, work: work})
					}
					i = noRoom
				}
				g.cols[i].items = append(g.cols[i].items, item(x, k))
			}
		} else {
			cols := map[int64]int{}
			for _, t := range c.Therapists {
				cols[t.ID] = len(g.cols)
				work := calWorkOn(c.Available[t.ID], zone, date)
				g.cols = append(g.cols, calCol{label: t.Name, sub: calHoursWords(work), date: date, therapist: t.ID, work: work,
					href: calQuery{Location: q.Location, View: "week", Day: date, Therapist: t.ID}.url()})
			}
			for _, x := range byKey[k] {
				i, ok := cols[x.TherapistID]
				if !ok {
					// Booked with someone who no longer works here: still shown.
					i = len(g.cols)
					cols[x.TherapistID] = i
					g.cols = append(g.cols, calCol{label: x.TherapistName, sub: "Not at this location", date: date, therapist: x.TherapistID})
				}
				g.cols[i].items = append(g.cols[i].items, item(x, k))
			}
		}
	} else {
		for _, date := range c.Days {
			var work [][2]int
			if q.Therapist != 0 {
				work = calWorkOn(c.Available[q.Therapist], zone, date)
			} else {
				work = allWork(date)
			}
			d, _ := time.Parse(clinic.DateLayout, date)
			k := calDayKey(d.Date())
			col := calCol{label: d.Format("Mon 1/2"), date: date, therapist: q.Therapist, room: q.Room, work: work,
				href: calQuery{Location: q.Location, View: "day", Day: date, Therapist: q.Therapist, Room: q.Room}.url()}
			if q.Therapist != 0 {
				col.sub = calHoursWords(work)
			}
			for _, x := range byKey[k] {
				col.items = append(col.items, item(x, k))
			}
			g.cols = append(g.cols, col)
		}
	}
	for i := range g.cols {
		g.cols[i].today = g.cols[i].date == c.Today
		if g.cols[i].today {
			g.nowMin = calLocalMin(now, zone, c.Today)
		}
	}
	// The span: 8 AM to 6 PM at least, widened to the hours anyone works
	// and the appointments shown, in whole hours.
	lo, hi := 8*60, 18*60
	for _, col := range g.cols {
		for _, w := range col.work {
			lo, hi = min(lo, w[0]), max(hi, w[1])
		}
		for _, it := range col.items {
			lo, hi = min(lo, it.bs), max(hi, it.be)
		}
	}
	g.start, g.end = lo/60*60, min((hi+59)/60*60, 1440)
	return g
}

var apptStatusWords = map[string]string{
	schedule.Booked: "Booked", schedule.CheckedIn: "Checked in", schedule.Completed: "Completed", schedule.NoShow: "No-show",
	schedule.Cancelled: "Cancelled", schedule.LateCancelled: "Late cancellation",
}

// apptStatusClass is the CSS class of a status: "st-booked", "st-checked-in", …
func apptStatusClass(st string) string { return "st-" + strings.ReplaceAll(st, "_", "-") }

// calInitials is "ML" for "Maria Lopez, LMT": credentials after the comma
// are not part of the name.
func calInitials(name string) string {
	name, _, _ = strings.Cut(name, ",")
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			b.WriteRune(r)
			break
		}
	}
	return strings.ToUpper(b.String())
}

// calW writes the grid: strings as they come, numbers and clocks without
// making strings of them.
type calW struct {
	strings.Builder
	num [24]byte
}

func (w *calW) s(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

// esc writes v escaped for HTML text and attribute values.
func (w *calW) esc(v string) { w.WriteString(template.HTMLEscapeString(v)) }

func (w *calW) int(n int64) { w.Write(strconv.AppendInt(w.num[:0], n, 10)) }

// u writes a span of minutes in position units.
func (w *calW) u(min int) { w.int(int64((min + calUnit/2) / calUnit)) }

// pos writes " t-N h-M" for [from, to) in a box whose top is at top.
func (w *calW) pos(top, from, to int) {
	w.WriteString(" t-")
	w.u(from - top)
	w.WriteString(" h-")
	w.u(to - from)
}

// clock writes local minutes as a 12-hour clock without the period, "9:00"
// or "1:30": a block's times; the grid's hour labels say which half of the
// day.
func (w *calW) clock(m int) {
	h := (m / 60) % 12
	if h == 0 {
		h = 12
	}
	w.int(int64(h))
	w.WriteByte(':')
	w.WriteByte(byte('0' + m%60/10))
	w.WriteByte(byte('0' + m%10))
}

func (g *calGrid) render(compact bool) template.HTML {
	var w calW
	n := 0
	for _, c := range g.cols {
		n += len(c.items)
	}
	w.Grow(4096 + len(g.cols)*600 + n*560)
	w.s(`<div class="cal`)
	if compact {
		w.s(` compact`)
	}
	if g.dayView {
		w.s(` day`)
	}
	w.s(`" id="cal-grid" data-location="`)
	w.int(g.location)
	w.s(`" data-start="`)
	w.int(int64(g.start))
	w.s(`" data-unit="`)
	w.int(calUnit)
	w.s(`">`)
	// Header row.
	w.s(`<div class="cal-row cal-head"><div class="cal-corner"></div>`)
	for _, c := range g.cols {
		w.s(`<div class="cal-colhead`)
		if c.today {
			w.s(` today`)
		}
		w.s(`">`)
		if c.href != "" {
			w.s(`<a href="`)
			w.esc(c.href)
			w.s(`">`)
			w.esc(c.label)
			w.s(`</a>`)
		} else {
			w.s(`<span>`)
			w.esc(c.label)
			w.s(`</span>`)
		}
		if c.sub != "" {
			w.s(`<small>`)
			w.esc(c.sub)
			w.s(`</small>`)
		}
		w.s(`</div>`)
	}
	w.s(`</div>`)
	// Body: hour labels, then a column per therapist, room or day.
	w.s(`<div class="cal-row cal-body s-`)
	w.u(g.end - g.start)
	w.s(`"><div class="cal-times" aria-hidden="true">`)
	for m := g.start; m < g.end; m += 60 {
		w.s(`<span class="cal-hour t-`)
		w.u(m - g.start)
		w.s(`">`, calHourLabel(m), `</span>`)
	}
	w.s(`</div>`)
	names := map[string]string{}
	for i := range g.cols {
		g.renderCol(&w, &g.cols[i], compact, names)
	}
	w.s(`</div></div>`)
	return template.HTML(w.String())
}

func (g *calGrid) renderCol(w *calW, c *calCol, compact bool, names map[string]string) {
	w.s(`<div class="cal-col`)
	if c.today {
		w.s(` today`)
	}
	w.s(`" data-date="`, c.date, `"`)
	if c.therapist != 0 {
		w.s(` data-therapist="`)
		w.int(c.therapist)
		w.s(`"`)
	}
	if c.room != 0 {
		w.s(` data-room="`)
		w.int(c.room)
		w.s(`"`)
	}
	if c.noRoom {
		w.s(` data-room="0"`)
	}
	w.s(` role="group" aria-label="`)
	w.esc(c.label)
	w.s(`">`)
	for _, wk := range c.work {
		s, e := max(wk[0], g.start), min(wk[1], g.end)
		if e > s {
			w.s(`<div class="cal-work`)
			w.pos(g.start, s, e)
			w.s(`"></div>`)
		}
	}
	if c.today && g.nowMin >= g.start && g.nowMin < g.end {
		w.s(`<div class="cal-now t-`)
		w.u(g.nowMin - g.start)
		w.s(`" aria-hidden="true"></div>`)
	}
	items := c.items
	slices.SortFunc(items, func(x, y calItem) int {
		if x.bs != y.bs {
			return x.bs - y.bs
		}
		return x.s - y.s
	})
	// Clusters of items whose time (buffers included) overlaps share the
	// column's width in lanes; each item takes the first lane free by then.
	var laneEnd []int
	var lane []int
	for i := 0; i < len(items); {
		j, end := i+1, items[i].be
		for j < len(items) && items[j].bs < end {
			end = max(end, items[j].be)
			j++
		}
		laneEnd, lane = laneEnd[:0], lane[:0]
		for _, it := range items[i:j] {
			l := slices.IndexFunc(laneEnd, func(e int) bool { return e <= it.bs })
			if l < 0 {
				l = len(laneEnd)
				laneEnd = append(laneEnd, 0)
			}
			laneEnd[l] = it.be
			lane = append(lane, l)
		}
		start := items[i].bs
		w.s(`<div class="cal-cl`)
		w.pos(g.start, start, end)
		w.s(`">`)
		for l := range laneEnd {
			w.s(`<div class="cal-ln">`)
			for k := range items[i:j] {
				if lane[k] == l {
					g.renderItem(w, &items[i+k], start, compact, names)
				}
			}
			w.s(`</div>`)
		}
		w.s(`</div>`)
		i = j
	}
	w.s(`</div>`)
}

func (g *calGrid) renderItem(w *calW, it *calItem, top int, compact bool, names map[string]string) {
	x := it.a
	if it.s > it.bs {
		w.s(`<div class="cal-buf`)
		w.pos(top, it.bs, it.s)
		w.s(`" aria-hidden="true"></div>`)
	}
	st := apptStatusWords[x.Status]
	w.s(`<a class="cal-a `, apptStatusClass(x.Status))
	if it.e-it.s <= 20 {
		w.s(` short`)
	}
	w.pos(top, it.s, it.e)
	w.s(`" href="/appointments/`)
	w.int(x.ID)
	w.s(`" data-id="`)
	w.int(x.ID)
	w.s(`" data-version="`)
	w.int(x.Version)
	w.s(`" data-start="`)
	w.int(int64(it.s))
	w.s(`" data-minutes="`)
	w.int(int64(it.e - it.s))
	w.s(`"`)
	if x.Status == schedule.Booked || x.Status == schedule.CheckedIn {
		w.s(` data-movable="1"`)
	}
	w.s(` title="`)
	w.clock(it.s)
	w.s("–")
	w.clock(it.e)
	w.s(" ")
	w.esc(x.ClientName)
	w.s(" — ")
	w.esc(x.ServiceName)
	w.s(" with ")
	w.esc(x.TherapistName)
	if x.RoomName != "" {
		w.s(", ")
		w.esc(x.RoomName)
	}
	w.s(" (", st, `)">`)
	if compact {
		ini, ok := names[x.TherapistName]
		if !ok {
			ini = template.HTMLEscapeString(calInitials(x.TherapistName))
			names[x.TherapistName] = ini
		}
		w.s(`<span class="cal-a-ini">`, ini, `</span> <span class="cal-a-time">`)
		w.clock(it.s)
		w.s(`</span> <span class="cal-a-who">`)
		w.esc(x.ClientName)
		w.s(`</span><span class="visually-hidden"> — `)
		w.esc(x.ServiceName)
		w.s(` with `)
		w.esc(x.TherapistName)
		w.s(` (`, st, `)</span>`)
	} else {
		w.s(`<span class="cal-a-time">`)
		w.clock(it.s)
		w.s("–")
		w.clock(it.e)
		w.s(`</span> <span class="cal-a-who">`)
		w.esc(x.ClientName)
		w.s(`</span> <span class="cal-a-what">`)
		w.esc(x.ServiceName)
		if x.RoomName != "" {
			w.s(` · `)
			w.esc(x.RoomName)
		}
		// Booked is what most blocks are: said in words to screen readers
		// only, so the other statuses stand out.
		if x.Status == schedule.Booked {
			w.s(`</span><span class="visually-hidden"> (`, st, `)</span>`)
		} else {
			w.s(`</span> <span class="cal-a-st">`, st, `</span>`)
		}
	}
	w.s(`</a>`)
	if it.be > it.e {
		w.s(`<div class="cal-buf`)
		w.pos(top, it.e, it.be)
		w.s(`" aria-hidden="true"></div>`)
	}
}
