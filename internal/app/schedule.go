package app

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// Audit actions of the calendar. An appointment is part of the client's
// record (who came when, for what), so its reads and writes are audited
// against the client; a calendar view is one entry for the location.
const (
	AuditApptCreate = "appointment.create"
	AuditApptMove   = "appointment.move"
	AuditApptStatus = "appointment.status"
	AuditApptRead   = "appointment.read"
	AuditApptList   = "appointment.list"
	AuditSeries     = "appointment.series"
	AuditWaitlist   = "waitlist.write"
	AuditWaitRead   = "waitlist.read"
)

// Who may do what: owners, therapists and the front desk book, move, check
// in and cancel (ScheduleWrite); billing sees the calendar; a therapist
// only at the locations they work at. The service menu, hours, rooms and
// the public page are the owner's (ScheduleManage).

// scheduleLocation checks that the actor may see the calendar of location
// loc and returns it.
func (s *App) scheduleLocation(ctx context.Context, a *auth.Actor, p auth.Permission, action string, loc int64) (*clinic.Location, error) {
	if err := s.require(ctx, a, p, action); err != nil {
		return nil, err
	}
	locs, err := s.locations(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range locs {
		if locs[i].ID == loc {
			if !a.Can(auth.AllClients) && !a.User.AtLocation(loc) {
				return nil, s.deny(ctx, a, action, "location", loc, errs.E(errs.Forbidden, "You do not work at this location."))
			}
			return &locs[i], nil
		}
	}
	return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's locations.", Fields: map[string]string{"location_id": "Choose one of the clinic's locations."}}
}

// LocationZone is the time zone a location's times are shown in: its own,
// or the organisation's.
func LocationZone(org *clinic.Organisation, l *clinic.Location) *time.Location {
	if l != nil && l.TimeZone != "" {
		return clinic.Zone(l.TimeZone)
	}
	if org != nil {
		return clinic.Zone(org.TimeZone)
	}
	return time.UTC
}

// SchedulePolicy is the organisation's scheduling settings.
func (s *App) policy(ctx context.Context, orgID int64) (schedule.Policy, error) {
	return lookup(&s.cache, &s.cache.policy, orgID, func() (schedule.Policy, error) { return s.DB.SchedulePolicy(ctx, orgID) })
}

// BookRequest is a booking as the calendar, the API or the public page asks for it.
type BookRequest struct {
	ClientID    int64     `json:"client_id"`
	TherapistID int64     `json:"therapist_id"`
	LocationID  int64     `json:"location_id"`
	ServiceID   int64     `json:"service_id"`
	RoomID      int64     `json:"room_id,omitempty"`
	PackageID   int64     `json:"client_package_id,omitempty"`
	PlanID      int64     `json:"plan_id,omitempty"`
	Start       time.Time `json:"start"`
	// Minutes is the session's length; 0 takes the service's.
	Minutes int    `json:"minutes,omitempty"`
	Note    string `json:"note,omitempty"`

	source   string
	seriesID int64
}

// Booked is a new appointment with what the person booking should know:
// an expired prescription, an exhausted authorization, an open "avoid"
// finding of the safety screening.
type Booked struct {
	Appointment *schedule.Appointment `json:"appointment"`
	Warnings    []string              `json:"warnings"`
}

// Book makes an appointment. It refuses a time in the past or outside the
// therapist's hours (Invalid) and one that would double-book the therapist,
// the room or the client (Conflict, guaranteed by the database).
func (s *App) Book(ctx context.Context, a *auth.Actor, r BookRequest) (*Booked, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditApptCreate, r.ClientID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's clients.", Fields: map[string]string{"client_id": "Choose one of the clinic's clients."}}
		}
		return nil, err
	}
	if _, err := s.scheduleLocation(ctx, a, auth.ScheduleWrite, AuditApptCreate, r.LocationID); err != nil {
		return nil, err
	}
	if r.source == "" {
		r.source = schedule.SourceStaff
		if a.Via == "api" {
			r.source = schedule.SourceAPI
		}
	}
	appt, err := s.book(ctx, a, a.User.OrgID, a.User.ID, r)
	if err != nil {
		return nil, err
	}
	ws, err := s.bookingWarnings(ctx, a.User.OrgID, appt)
	if err != nil {
		return nil, err
	}
	return &Booked{Appointment: appt, Warnings: ws}, nil
}

// book checks and stores an appointment for whoever books it (a member of
// staff, or the public page with a nil actor) and queues its e-mails.
func (s *App) book(ctx context.Context, a *auth.Actor, orgID, by int64, r BookRequest) (*schedule.Appointment, error) {
	svc, err := s.DB.Service(ctx, orgID, r.ServiceID)
	if errs.Is(err, errs.NotFound) {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's services.", Fields: map[string]string{"service_id": "Choose one of the clinic's services."}}
	} else if err != nil {
		return nil, err
	}
	if !svc.Active {
		return nil, &errs.Error{Code: errs.Invalid, Message: svc.Name + " is no longer offered.", Fields: map[string]string{"service_id": "This service is no longer offered."}}
	}
	minutes := svc.Minutes
	if r.Minutes != 0 {
		minutes = r.Minutes
	}
	appt := &schedule.Appointment{OrgID: orgID, LocationID: r.LocationID, TherapistID: r.TherapistID, RoomID: r.RoomID, ClientID: r.ClientID,
		ServiceID: r.ServiceID, Start: r.Start.UTC(), End: r.Start.UTC().Add(time.Duration(minutes) * time.Minute),
		BufferBefore: svc.BufferBefore, BufferAfter: svc.BufferAfter, Status: schedule.Booked, Source: r.source,
		SeriesID: r.seriesID, PlanID: r.PlanID, PackageID: r.PackageID, Note: strings.TrimSpace(r.Note), CreatedBy: by}
	if err := s.checkTime(ctx, orgID, appt); err != nil {
		return nil, err
	}
	pol, err := s.policy(ctx, orgID)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.BookAppointment(ctx, tx, appt); err != nil {
			return nil, err
		}
		if err := s.queueBookingMail(ctx, tx, appt, MailConfirmation, pol); err != nil {
			return nil, err
		}
		e := entry(a, AuditApptCreate, "client", appt.ClientID, audit.OK)
		e.OrgID = orgID
		return []*audit.Entry{withDetail(e, "appointment "+i64(appt.ID)+" ("+appt.Source+")")}, nil
	})
	if err != nil {
		return nil, err
	}
	return appt, nil
}

// checkTime refuses a time in the past or outside the therapist's hours
// at the location, with a message saying which.
func (s *App) checkTime(ctx context.Context, orgID int64, appt *schedule.Appointment) error {
	f := errs.FieldErrors{}
	if appt.Start.IsZero() {
		f.Add("start", "Give the start time, for example 2026-12-01T09:00:00-05:00.")
		return f.Err()
	}
	if appt.Start.Before(s.now()) {
		f.Add("start", "This time has passed; choose a time from now on.")
		return &errs.Error{Code: errs.Invalid, Message: "Appointments cannot be booked in the past.", Fields: f}
	}
	if !schedule.OnGrid(appt.Start) || !schedule.OnGrid(appt.End) {
		f.Add("start", "Start and end on a five-minute mark, such as 09:00 or 09:05.")
		return &errs.Error{Code: errs.Invalid, Message: "Start and end on a five-minute mark.", Fields: f}
	}
	// Busy time is not read: the claims decide overlaps, as a Conflict.
	av, zone, err := s.availability(ctx, orgID, appt.LocationID, appt.TherapistID, appt.Start.Add(-24*time.Hour), appt.End.Add(24*time.Hour), false)
	if err != nil {
		return err
	}
	if why := schedule.CheckFits(zone, *av, appt.Start, appt.End, appt.BufferBefore, appt.BufferAfter); why != "" {
		f.Add("start", why)
		return &errs.Error{Code: errs.Invalid, Message: "That time does not fit: " + why, Fields: f}
	}
	return nil
}

// availability reads what one therapist has at a location around [from, to):
// weekly hours, exceptions, time off and, with busy, the time their
// appointments take.
func (s *App) availability(ctx context.Context, orgID, loc, therapist int64, from, to time.Time, busy bool) (*schedule.Availability, *time.Location, error) {
	zone, err := s.zoneOf(ctx, orgID, loc)
	if err != nil {
		return nil, nil, err
	}
	avs, err := s.availabilities(ctx, orgID, loc, []int64{therapist}, zone, from, to, busy)
	if err != nil {
		return nil, nil, err
	}
	return &avs[0], zone, nil
}

func (s *App) zoneOf(ctx context.Context, orgID, loc int64) (*time.Location, error) {
	org, err := s.org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	locs, err := s.locations(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for i := range locs {
		if locs[i].ID == loc {
			return LocationZone(org, &locs[i]), nil
		}
	}
	return LocationZone(org, nil), nil
}

// availabilities reads the time of several therapists at a location:
// weekly hours, exceptions and time off, and with busy the time their
// appointments take. Hours are read fresh: a booking is checked against
// the hours in force, whichever server process changed them.
func (s *App) availabilities(ctx context.Context, orgID, loc int64, therapists []int64, zone *time.Location, from, to time.Time, busy bool) ([]schedule.Availability, error) {
	hours, err := s.DB.WeeklyHours(ctx, orgID, loc)
	if err != nil {
		return nil, err
	}
	fromDate, toDate := from.In(zone).Format(clinic.DateLayout), to.In(zone).Format(clinic.DateLayout)
	exc, err := s.DB.Exceptions(ctx, orgID, loc, fromDate, toDate)
	if err != nil {
		return nil, err
	}
	off, err := s.DB.TimeOffBetween(ctx, orgID, from, to)
	if err != nil {
		return nil, err
	}
	taken := map[int64][]schedule.Interval{}
	if busy {
		if taken, err = s.DB.Busy(ctx, orgID, therapists, from, to); err != nil {
			return nil, err
		}
	}
	out := make([]schedule.Availability, len(therapists))
	for i, t := range therapists {
		av := schedule.Availability{TherapistID: t, Busy: taken[t]}
		for _, h := range hours {
			if h.TherapistID == t {
				av.Hours = append(av.Hours, h)
			}
		}
		for _, e := range exc {
			if e.TherapistID == t {
				av.Exceptions = append(av.Exceptions, e)
			}
		}
		for _, o := range off {
			if o.TherapistID == t {
				av.TimeOff = append(av.TimeOff, o)
			}
		}
		out[i] = av
	}
	return out, nil
}

// bookingWarnings is what the person booking should know about the client
// on the appointment's date.
func (s *App) bookingWarnings(ctx context.Context, orgID int64, appt *schedule.Appointment) ([]string, error) {
	var out []string
	svc, err := s.DB.Service(ctx, orgID, appt.ServiceID)
	if err != nil {
		return nil, err
	}
	zone, err := s.zoneOf(ctx, orgID, appt.LocationID)
	if err != nil {
		return nil, err
	}
	local := appt.Start.In(zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if svc.NeedsPrescription {
		ps, err := s.prescriptions(ctx, orgID, appt.ClientID)
		if err != nil {
			return nil, err
		}
		auths, err := s.DB.Authorizations(ctx, orgID, appt.ClientID)
		if err != nil {
			return nil, err
		}
		if care.InForce(ps, day.Format(clinic.DateLayout)) == nil && len(ps) == 0 {
			out = append(out, svc.Name+" needs a prescription, and none is on file for this client.")
		}
		for _, w := range care.Warnings(day, ps, auths) {
			switch w.Kind {
			case care.PrescriptionExpired, care.PrescriptionVisits, care.AuthorizationEnded, care.AuthorizationVisits:
				if w.Level == "danger" {
					out = append(out, w.Message)
				}
			}
		}
	}
	sc, err := s.current(ctx, orgID, appt.ClientID)
	if err != nil {
		return nil, err
	}
	for _, f := range sc.Blocking() {
		out = append(out, "The safety screening says “"+string(f.Level.Label())+"”: "+f.Reason+" Review it before the session.")
	}
	return out, nil
}

// Appointment reads one appointment. Audited against its client.
func (s *App) Appointment(ctx context.Context, a *auth.Actor, id int64) (*schedule.Appointment, error) {
	appt, err := s.apptFor(ctx, a, auth.ScheduleRead, AuditApptRead, id)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditApptRead, "client", appt.ClientID, audit.OK), "appointment "+i64(id))); err != nil {
		return nil, err
	}
	return appt, nil
}

// apptFor reads an appointment the actor may see with permission p.
func (s *App) apptFor(ctx context.Context, a *auth.Actor, p auth.Permission, action string, id int64) (*schedule.Appointment, error) {
	if err := s.require(ctx, a, p, action); err != nil {
		return nil, err
	}
	appt, err := s.DB.Appointment(ctx, a.User.OrgID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, action, "appointment", id, err)
	}
	if err != nil {
		return nil, err
	}
	if !a.Can(auth.AllClients) && !a.User.AtLocation(appt.LocationID) {
		return nil, s.deny(ctx, a, action, "appointment", id, errs.E(errs.NotFound, "There is no such appointment."))
	}
	return appt, nil
}

// AppointmentQuery selects appointments for the API and the calendar.
type AppointmentQuery struct {
	LocationID, TherapistID, RoomID, ClientID int64
	From, To                                  time.Time
	Cancelled                                 bool
}

// Appointments lists appointments starting in [From, To) that the actor
// may see (at most 62 days at once). One audit entry.
func (s *App) Appointments(ctx context.Context, a *auth.Actor, q AppointmentQuery) ([]schedule.Appointment, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	f := errs.FieldErrors{}
	if q.From.IsZero() {
		f.Add("from", "Give the start of the range in RFC 3339, e.g. 2026-12-01T00:00:00Z.")
	}
	if q.To.IsZero() || !q.To.After(q.From) {
		f.Add("to", "Give the end of the range in RFC 3339, after from.")
	} else if q.To.Sub(q.From) > 62*24*time.Hour {
		f.Add("to", "Ask for at most 62 days at once.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if q.LocationID != 0 {
		if _, err := s.scheduleLocation(ctx, a, auth.ScheduleRead, AuditApptList, q.LocationID); err != nil {
			return nil, err
		}
	}
	if q.ClientID != 0 {
		if _, err := s.careClient(ctx, a, auth.ClientRead, AuditApptList, q.ClientID); err != nil {
			return nil, err
		}
	}
	list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: a.User.OrgID, LocationID: q.LocationID, TherapistID: q.TherapistID,
		RoomID: q.RoomID, ClientID: q.ClientID, From: q.From, To: q.To, Cancelled: q.Cancelled})
	if err != nil {
		return nil, err
	}
	if !a.Can(auth.AllClients) {
		list = slices.DeleteFunc(list, func(x schedule.Appointment) bool { return !a.User.AtLocation(x.LocationID) })
	}
	e := withDetail(entry(a, AuditApptList, "location", q.LocationID, audit.OK),
		q.From.UTC().Format(time.RFC3339)+" to "+q.To.UTC().Format(time.RFC3339)+", "+i64(int64(len(list)))+" appointments")
	if q.ClientID != 0 {
		e.RecordType, e.RecordID = "client", q.ClientID
	}
	if err := s.audit(ctx, e); err != nil {
		return nil, err
	}
	return list, nil
}

// MoveRequest moves or resizes an appointment; zero IDs keep the therapist
// and room, zero Minutes keeps the length.
type MoveRequest struct {
	Version     int64     `json:"version"`
	Start       time.Time `json:"start"`
	Minutes     int       `json:"minutes,omitempty"`
	TherapistID int64     `json:"therapist_id,omitempty"`
	RoomID      int64     `json:"room_id,omitempty"`
	NoRoom      bool      `json:"no_room,omitempty"`
}

// MoveAppointment gives an appointment a new time, length, therapist or
// room, with the same checks as booking; the client is e-mailed the change.
func (s *App) MoveAppointment(ctx context.Context, a *auth.Actor, id int64, m MoveRequest) (*schedule.Appointment, error) {
	cur, err := s.apptFor(ctx, a, auth.ScheduleWrite, AuditApptMove, id)
	if err != nil {
		return nil, err
	}
	if cur.Start.Before(s.now()) {
		return nil, errs.E(errs.Invalid, "This appointment has started or passed; it can no longer be moved.")
	}
	next := *cur
	if !m.Start.IsZero() {
		next.Start = m.Start.UTC()
	}
	length := cur.End.Sub(cur.Start)
	if m.Minutes != 0 {
		length = time.Duration(m.Minutes) * time.Minute
	}
	next.End = next.Start.Add(length)
	if m.TherapistID != 0 {
		next.TherapistID = m.TherapistID
	}
	if m.RoomID != 0 {
		next.RoomID = m.RoomID
	}
	if m.NoRoom {
		next.RoomID = 0
	}
	if err := s.checkTime(ctx, a.User.OrgID, &next); err != nil {
		return nil, err
	}
	pol, err := s.policy(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	var after *schedule.Appointment
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		before, moved, err := s.DB.MoveAppointment(ctx, tx, a.User.OrgID, id, m.Version, store.AppointmentChange{Start: next.Start, End: next.End, TherapistID: next.TherapistID, RoomID: next.RoomID})
		if err != nil {
			return nil, err
		}
		after = moved
		if !before.Start.Equal(moved.Start) {
			if err := s.queueBookingMail(ctx, tx, moved, MailChanged, pol); err != nil {
				return nil, err
			}
		}
		d := "appointment " + i64(id) + " from " + before.Start.UTC().Format(time.RFC3339) + " to " + moved.Start.UTC().Format(time.RFC3339)
		return []*audit.Entry{withDetail(entry(a, AuditApptMove, "client", cur.ClientID, audit.OK), d)}, nil
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// StatusRequest records an appointment's outcome.
type StatusRequest struct {
	Version int64  `json:"version"`
	Status  string `json:"status"` // checked_in, completed, no_show, cancelled (late or not by the policy)
	Reason  string `json:"reason,omitempty"`
	// WaiveFee charges no late-cancellation or no-show fee.
	WaiveFee bool `json:"waive_fee,omitempty"`
}

// SetAppointmentStatus checks a client in, completes an appointment, or
// records a no-show or a cancellation. A cancellation inside the policy's
// window is a late cancellation with its fee; a no-show carries its fee;
// the owner's policy says how much. Cancelling frees the slot, and the
// waitlist is offered it.
func (s *App) SetAppointmentStatus(ctx context.Context, a *auth.Actor, id int64, r StatusRequest) (*schedule.Appointment, error) {
	cur, err := s.apptFor(ctx, a, auth.ScheduleWrite, AuditApptStatus, id)
	if err != nil {
		return nil, err
	}
	return s.setStatus(ctx, a, a.User.OrgID, cur, r)
}

func (s *App) setStatus(ctx context.Context, a *auth.Actor, orgID int64, cur *schedule.Appointment, r StatusRequest) (*schedule.Appointment, error) {
	p, err := s.policy(ctx, orgID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ch := store.StatusChange{Status: r.Status, Reason: strings.TrimSpace(r.Reason), At: now}
	switch r.Status {
	case schedule.Cancelled, schedule.LateCancelled:
		if ch.Reason == "" {
			return nil, &errs.Error{Code: errs.Invalid, Message: "Say why the appointment is cancelled.", Fields: map[string]string{"reason": "Say why, for example “client is ill”."}}
		}
		if !cur.Start.After(now) {
			return nil, errs.E(errs.Invalid, "This appointment has started; record a no-show instead of a cancellation.")
		}
		late, fee := schedule.CancelFee(p, cur.Start, now)
		ch.Status = schedule.Cancelled
		if late {
			ch.Status, ch.FeeCents = schedule.LateCancelled, fee
		}
	case schedule.NoShow:
		if cur.Start.After(now) {
			return nil, errs.E(errs.Invalid, "A no-show can only be recorded once the appointment's time has come.")
		}
		ch.FeeCents = schedule.NoShowFee(p)
	case schedule.CheckedIn, schedule.Completed, schedule.Booked:
	default:
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose checked in, completed, no-show or cancelled.", Fields: map[string]string{"status": "Choose checked in, completed, no-show or cancelled."}}
	}
	if r.WaiveFee {
		ch.FeeCents = 0
	}
	var next *schedule.Appointment
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		n, err := s.DB.SetAppointmentStatus(ctx, tx, orgID, cur.ID, r.Version, ch)
		if err != nil {
			return nil, err
		}
		next = n
		if !schedule.Holds(n.Status) {
			if err := s.queueBookingMail(ctx, tx, n, MailCancelled, p); err != nil {
				return nil, err
			}
			if err := s.queueWaitlistOffer(ctx, tx, n); err != nil {
				return nil, err
			}
		}
		d := "appointment " + i64(cur.ID) + " " + cur.Status + " → " + n.Status
		if n.FeeCents != 0 {
			d += ", fee " + i64(n.FeeCents) + " cents"
		}
		e := entry(a, AuditApptStatus, "client", cur.ClientID, audit.OK)
		e.OrgID = orgID
		return []*audit.Entry{withDetail(e, d)}, nil
	})
	if err != nil {
		return nil, err
	}
	return next, nil
}
