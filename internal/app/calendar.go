package app

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// CalendarQuery asks for a location's calendar: Days days from the local
// date Day, narrowed to a therapist or a room when set.
type CalendarQuery struct {
	LocationID  int64
	TherapistID int64
	RoomID      int64
	Day         string // YYYY-MM-DD; "" is today at the location
	Days        int    // 1 (day view) or 7 (week view: from the Monday of Day's week); 0 is 1
}

// Calendar is what a day or week view shows.
type Calendar struct {
	Location     clinic.Location
	Zone         *time.Location
	Day          string   // the first day shown
	Days         []string // the dates shown, YYYY-MM-DD
	From, To     time.Time
	Therapists   []clinic.User // who works at the location (or the one asked for)
	Rooms        []schedule.Room
	Services     []schedule.Service
	Appointments []schedule.Appointment // holding ones, by start
	Cancelled    int                    // cancelled in the range, not listed
	Available    map[int64][]schedule.Interval
	Today        string
}

// Calendar reads a location's day or week: appointments with names, who
// works, their working time (for shading), rooms and services. One audit
// entry for the view.
func (s *App) Calendar(ctx context.Context, a *auth.Actor, q CalendarQuery) (*Calendar, error) {
	loc, err := s.scheduleLocation(ctx, a, auth.ScheduleRead, AuditApptList, q.LocationID)
	if err != nil {
		return nil, err
	}
	org, err := s.org(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	zone := LocationZone(org, loc)
	today := s.now().In(zone).Format(clinic.DateLayout)
	day := q.Day
	if day == "" {
		day = today
	}
	d0, err := time.ParseInLocation(clinic.DateLayout, day, zone)
	if err != nil || d0.Year() < 2000 || d0.Year() > 2100 {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Give the day as YYYY-MM-DD.", Fields: map[string]string{"day": "Give the day as YYYY-MM-DD."}}
	}
	n := min(max(q.Days, 1), 7)
	if n == 7 {
		// A week runs from Monday (ISO 8601, as a clinic's week runs).
		d0 = d0.AddDate(0, 0, -((int(d0.Weekday()) + 6) % 7))
		day = d0.Format(clinic.DateLayout)
	}
	c := &Calendar{Location: *loc, Zone: zone, Day: day, Today: today}
	for i := 0; i < n; i++ {
		c.Days = append(c.Days, d0.AddDate(0, 0, i).Format(clinic.DateLayout))
	}
	c.From, c.To = d0, d0.AddDate(0, 0, n)
	staff, err := s.staff(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, u := range Bookable(staff) {
		if u.AtLocation(loc.ID) && (q.TherapistID == 0 || q.TherapistID == u.ID) {
			c.Therapists = append(c.Therapists, u)
			ids = append(ids, u.ID)
		}
	}
	rooms, err := s.rooms(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if r.LocationID == loc.ID && r.Active && (q.RoomID == 0 || q.RoomID == r.ID) {
			c.Rooms = append(c.Rooms, r)
		}
	}
	svcs, err := s.services(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	for _, sv := range svcs {
		if sv.Active {
			c.Services = append(c.Services, sv)
		}
	}
	all, err := s.DB.CalendarAppointments(ctx, store.AppointmentFilter{OrgID: a.User.OrgID, LocationID: loc.ID, TherapistID: q.TherapistID, RoomID: q.RoomID,
		From: c.From, To: c.To, Cancelled: true})
	if err != nil {
		return nil, err
	}
	// The names the calendar shows, from the lists it has (every user,
	// room and service of the organisation, active or not).
	users, roomNames, svcNames := map[int64]string{}, map[int64]string{}, map[int64]string{}
	for _, u := range staff {
		users[u.ID] = u.Name
	}
	for _, r := range rooms {
		roomNames[r.ID] = r.Name
	}
	for _, sv := range svcs {
		svcNames[sv.ID] = sv.Name
	}
	for i := range all {
		x := &all[i]
		x.TherapistName, x.ServiceName, x.RoomName = users[x.TherapistID], svcNames[x.ServiceID], roomNames[x.RoomID]
	}
	c.Appointments = make([]schedule.Appointment, 0, len(all))
	for _, x := range all {
		if schedule.Holds(x.Status) {
			c.Appointments = append(c.Appointments, x)
		} else {
			c.Cancelled++
		}
	}
	avs, err := s.availabilities(ctx, a.User.OrgID, loc.ID, ids, zone, c.From, c.To, false)
	if err != nil {
		return nil, err
	}
	c.Available = map[int64][]schedule.Interval{}
	for _, av := range avs {
		c.Available[av.TherapistID] = schedule.WorkingIntervals(zone, av.Hours, av.Exceptions, av.TimeOff, c.From, c.To)
	}
	what := "location calendar"
	switch {
	case q.TherapistID != 0:
		what = "therapist " + i64(q.TherapistID) + " calendar"
	case q.RoomID != 0:
		what = "room " + i64(q.RoomID) + " calendar"
	}
	e := withDetail(entry(a, AuditApptList, "location", loc.ID, audit.OK), what+" from "+day+", "+i64(int64(len(c.Days)))+" days, "+i64(int64(len(c.Appointments)))+" appointments")
	if err := s.audit(ctx, e); err != nil {
		return nil, err
	}
	return c, nil
}

// SlotRequest asks for open times of a service at a location, with one
// therapist or anyone (TherapistID 0), starting in [From, To).
type SlotRequest struct {
	LocationID  int64
	ServiceID   int64
	TherapistID int64
	From, To    time.Time
}

// OpenSlots lists the times a service can be booked, for the front desk.
func (s *App) OpenSlots(ctx context.Context, a *auth.Actor, r SlotRequest) ([]schedule.Slot, error) {
	if _, err := s.scheduleLocation(ctx, a, auth.ScheduleRead, AuditApptList, r.LocationID); err != nil {
		return nil, err
	}
	return s.openSlots(ctx, a.User.OrgID, r, false)
}

// openSlots computes open slots from hours minus appointments and their
// buffers. Online bookings also keep the policy's notice and horizon.
func (s *App) openSlots(ctx context.Context, orgID int64, r SlotRequest, online bool) ([]schedule.Slot, error) {
	svc, err := s.DB.Service(ctx, orgID, r.ServiceID)
	if err != nil || !svc.Active || (online && !svc.Online) {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the services offered.", Fields: map[string]string{"service_id": "Choose one of the services offered."}}
	}
	p, err := s.policy(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if r.To.Sub(r.From) > 14*24*time.Hour {
		r.To = r.From.Add(14 * 24 * time.Hour)
	}
	now := s.now()
	if online {
		if horizon := now.Add(time.Duration(p.HorizonDays) * 24 * time.Hour); r.To.After(horizon) {
			r.To = horizon
		}
	}
	if !r.To.After(r.From) {
		return nil, nil
	}
	staff, err := s.staff(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, u := range Bookable(staff) {
		if u.AtLocation(r.LocationID) && svc.PerformedBy(u.ID) && (r.TherapistID == 0 || r.TherapistID == u.ID) {
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if online {
		// Only therapists the public page shows are offered online.
		profiles, err := s.DB.Profiles(ctx, orgID)
		if err != nil {
			return nil, err
		}
		hidden := map[int64]bool{}
		for _, pr := range profiles {
			hidden[pr.UserID] = !pr.Public
		}
		ids = slices.DeleteFunc(ids, func(id int64) bool { return hidden[id] })
	}
	zone, err := s.zoneOf(ctx, orgID, r.LocationID)
	if err != nil {
		return nil, err
	}
	avs, err := s.availabilities(ctx, orgID, r.LocationID, ids, zone, r.From, r.To, true)
	if err != nil {
		return nil, err
	}
	q := schedule.SlotQuery{Zone: zone, From: r.From, To: r.To, Now: now, Step: p.SlotStep,
		Minutes: svc.Minutes, BufferBefore: svc.BufferBefore, BufferAfter: svc.BufferAfter}
	if online {
		q.MinNotice = time.Duration(p.MinNoticeHours) * time.Hour
	}
	if q.Step <= 0 {
		q.Step = 15
	}
	return schedule.OpenSlots(q, avs), nil
}

// SeriesRequest books a recurring series, typically from a plan of care's
// frequency. DryRun reports the dates and conflicts without booking.
type SeriesRequest struct {
	BookRequest
	Recurrence schedule.Recurrence
	DryRun     bool
}

// SeriesDate is one date of a series: booked, or why not.
type SeriesDate struct {
	Start       time.Time
	Appointment *schedule.Appointment // nil when not booked
	Conflict    string                // why it could not be booked
}

// SeriesResult reports every date of a series.
type SeriesResult struct {
	Dates    []SeriesDate
	Booked   int
	Conflict int
}

// BookSeries books each date of a recurrence on its own, so a conflict on
// one date does not stop the others, and reports the dates that conflict.
func (s *App) BookSeries(ctx context.Context, a *auth.Actor, r SeriesRequest) (*SeriesResult, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditSeries, r.ClientID); err != nil {
		return nil, err
	}
	if _, err := s.scheduleLocation(ctx, a, auth.ScheduleWrite, AuditSeries, r.LocationID); err != nil {
		return nil, err
	}
	zone, err := s.zoneOf(ctx, a.User.OrgID, r.LocationID)
	if err != nil {
		return nil, err
	}
	r.Recurrence.Zone = zone
	if err := r.Recurrence.Validate(); err != nil {
		return nil, err
	}
	svc, err := s.DB.Service(ctx, a.User.OrgID, r.ServiceID)
	if err != nil {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's services.", Fields: map[string]string{"service_id": "Choose one of the clinic's services."}}
	}
	minutes := svc.Minutes
	if r.Minutes != 0 {
		minutes = r.Minutes
	}
	starts := r.Recurrence.Starts()
	res := &SeriesResult{}
	var seriesID int64
	if len(starts) == 0 {
		return res, nil
	}
	av, _, err := s.availability(ctx, a.User.OrgID, r.LocationID, r.TherapistID, starts[0].Add(-24*time.Hour), starts[len(starts)-1].Add(24*time.Hour), true)
	if err != nil {
		return nil, err
	}
	clientBusy, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: a.User.OrgID, ClientID: r.ClientID, From: starts[0].Add(-10 * time.Hour), To: starts[len(starts)-1].Add(24 * time.Hour)})
	if err != nil {
		return nil, err
	}
	for _, st := range starts {
		end := st.Add(time.Duration(minutes) * time.Minute)
		d := SeriesDate{Start: st}
		if st.Before(s.now()) {
			d.Conflict = "in the past"
		} else if why := schedule.CheckFits(zone, *av, st, end, svc.BufferBefore, svc.BufferAfter); why != "" {
			d.Conflict = why
		} else {
			for _, x := range clientBusy {
				if x.Start.Before(end) && st.Before(x.End) {
					d.Conflict = "the client has another appointment then"
					break
				}
			}
		}
		if d.Conflict == "" && !r.DryRun {
			br := r.BookRequest
			br.Start, br.Minutes, br.source, br.seriesID = st, minutes, schedule.SourceRecurring, seriesID
			appt, err := s.book(ctx, a, a.User.OrgID, a.User.ID, br)
			switch {
			case err == nil:
				if seriesID == 0 {
					// The series is named by its first appointment.
					seriesID = appt.ID
					if err := s.DB.StartSeries(ctx, a.User.OrgID, appt.ID); err != nil {
						return nil, err
					}
					appt.SeriesID = appt.ID
				}
				d.Appointment = appt
			case errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid):
				d.Conflict = errs.Message(err)
			default:
				return nil, err
			}
		}
		if d.Conflict != "" {
			res.Conflict++
		} else if d.Appointment != nil {
			res.Booked++
		}
		res.Dates = append(res.Dates, d)
	}
	if !r.DryRun {
		if err := s.audit(ctx, withDetail(entry(a, AuditSeries, "client", r.ClientID, audit.OK),
			"series of "+i64(int64(len(starts)))+": booked "+i64(int64(res.Booked))+", conflicts "+i64(int64(res.Conflict)))); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// AddToWaitlist puts a client on the waitlist for a service at a location.
func (s *App) AddToWaitlist(ctx context.Context, a *auth.Actor, w *store.WaitlistEntry) error {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditWaitlist, w.ClientID); err != nil {
		return err
	}
	if _, err := s.scheduleLocation(ctx, a, auth.ScheduleWrite, AuditWaitlist, w.LocationID); err != nil {
		return err
	}
	w.OrgID, w.CreatedBy = a.User.OrgID, a.User.ID
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.AddToWaitlist(ctx, tx, w); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditWaitlist, "client", w.ClientID, audit.OK), "waitlist "+i64(w.ID)+" added")}, nil
	})
}

// Waitlist lists who is waiting at a location (0: every location the actor sees).
func (s *App) Waitlist(ctx context.Context, a *auth.Actor, locationID int64) ([]store.WaitlistEntry, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditWaitRead); err != nil {
		return nil, err
	}
	if locationID != 0 {
		if _, err := s.scheduleLocation(ctx, a, auth.ScheduleRead, AuditWaitRead, locationID); err != nil {
			return nil, err
		}
	}
	list, err := s.DB.Waitlist(ctx, store.WaitlistFilter{OrgID: a.User.OrgID, LocationID: locationID})
	if err != nil {
		return nil, err
	}
	if !a.Can(auth.AllClients) {
		list = slices.DeleteFunc(list, func(w store.WaitlistEntry) bool { return !a.User.AtLocation(w.LocationID) })
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditWaitRead, "location", locationID, audit.OK), i64(int64(len(list)))+" waiting")); err != nil {
		return nil, err
	}
	return list, nil
}

// RemoveFromWaitlist takes an entry off the waitlist.
func (s *App) RemoveFromWaitlist(ctx context.Context, a *auth.Actor, id int64) error {
	if err := s.require(ctx, a, auth.ScheduleWrite, AuditWaitlist); err != nil {
		return err
	}
	// Only an entry of a location the actor works at (or every location).
	list, err := s.DB.Waitlist(ctx, store.WaitlistFilter{OrgID: a.User.OrgID})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(list, func(w store.WaitlistEntry) bool { return w.ID == id })
	if i < 0 || (!a.Can(auth.AllClients) && !a.User.AtLocation(list[i].LocationID)) {
		return s.deny(ctx, a, AuditWaitlist, "waitlist", id, errs.E(errs.NotFound, "There is no such waitlist entry."))
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetWaitlistStatus(ctx, tx, a.User.OrgID, id, store.WaitRemoved); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditWaitlist, "waitlist", id, audit.OK), "removed")}, nil
	})
}
