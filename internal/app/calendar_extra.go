package app

import (
	"context"
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// What the calendar's pages read besides the calendar itself: the choices
// of a booking form, a client's appointments for the chart, the visit
// frequency of their plans of care, and the warnings of an appointment.

// AuditPlanFrequency is reading the visit frequencies of a client's plans
// of care to book a recurring series.
const AuditPlanFrequency = "plan.frequency.read"

// BookingChoices is what a booking, move or waitlist form offers.
type BookingChoices struct {
	Location  clinic.Location
	Locations []clinic.Location // the locations whose calendar the actor sees
	Zone      *time.Location
	// Therapists are those bookable at Location; Bookable those of every
	// location (for names).
	Therapists []clinic.User
	Bookable   []clinic.User
	Rooms      []schedule.Room    // Location's active rooms
	Services   []schedule.Service // active services
	Packages   []schedule.Package // active packages of the menu
	Policy     schedule.Policy
}

// ScheduleLocations lists the locations whose calendar the actor sees.
func (s *App) ScheduleLocations(ctx context.Context, a *auth.Actor) ([]clinic.Location, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	locs, err := s.locations(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	var out []clinic.Location
	for _, l := range locs {
		if a.Can(auth.AllClients) || a.User.AtLocation(l.ID) {
			out = append(out, l)
		}
	}
	return out, nil
}

// BookingChoices reads what may be booked at a location (0: the first the
// actor sees). The menu holds no client's data, so the read is not audited.
func (s *App) BookingChoices(ctx context.Context, a *auth.Actor, locationID int64) (*BookingChoices, error) {
	locs, err := s.ScheduleLocations(ctx, a)
	if err != nil {
		return nil, err
	}
	if locationID == 0 && len(locs) > 0 {
		locationID = locs[0].ID
	}
	loc, err := s.scheduleLocation(ctx, a, auth.ScheduleRead, AuditApptList, locationID)
	if err != nil {
		return nil, err
	}
	org, err := s.org(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	c := &BookingChoices{Location: *loc, Locations: locs, Zone: LocationZone(org, loc)}
	staff, err := s.staff(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	c.Bookable = Bookable(staff)
	for _, u := range c.Bookable {
		if u.AtLocation(loc.ID) {
			c.Therapists = append(c.Therapists, u)
		}
	}
	rooms, err := s.DB.Rooms(ctx, a.User.OrgID, loc.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if r.Active {
			c.Rooms = append(c.Rooms, r)
		}
	}
	if c.Services, err = s.DB.Services(ctx, a.User.OrgID, true); err != nil {
		return nil, err
	}
	pkgs, err := s.DB.Packages(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if p.Active {
			c.Packages = append(c.Packages, p)
		}
	}
	if c.Policy, err = s.policy(ctx, a.User.OrgID); err != nil {
		return nil, err
	}
	return c, nil
}

// ClientSchedule is what a client's chart shows of the calendar.
type ClientSchedule struct {
	Upcoming []schedule.Appointment // holding ones from now on, soonest first
	Past     []schedule.Appointment // the latest before now, newest first, cancelled ones included
	Packages []schedule.ClientPackage
}

// ClientSchedule reads a client's upcoming appointments (a year ahead),
// the latest past ones (at most past, from two years back) and their
// packages, in one audited read.
func (s *App) ClientSchedule(ctx context.Context, a *auth.Actor, clientID int64, past int) (*ClientSchedule, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditApptList, clientID); err != nil {
		return nil, err
	}
	now := s.now()
	org := a.User.OrgID
	up, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: org, ClientID: clientID, From: now, To: now.AddDate(1, 0, 0)})
	if err != nil {
		return nil, err
	}
	before, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: org, ClientID: clientID, From: now.AddDate(-2, 0, 0), To: now, Cancelled: true})
	if err != nil {
		return nil, err
	}
	hidden := func(x schedule.Appointment) bool { return !a.Can(auth.AllClients) && !a.User.AtLocation(x.LocationID) }
	up = slices.DeleteFunc(up, hidden)
	before = slices.DeleteFunc(before, hidden)
	slices.Reverse(before)
	if past >= 0 && len(before) > past {
		before = before[:past]
	}
	out := &ClientSchedule{Upcoming: up, Past: before}
	if out.Packages, err = s.DB.ClientPackages(ctx, org, clientID); err != nil {
		return nil, err
	}
	e := withDetail(entry(a, AuditApptList, "client", clientID, audit.OK),
		"chart: "+i64(int64(len(up)))+" upcoming, "+i64(int64(len(before)))+" past appointments, "+i64(int64(len(out.Packages)))+" packages")
	return out, s.audit(ctx, e)
}

// PlanFrequency is how often a signed plan of care asks the client to
// come: what a recurring series is booked from. It carries none of the
// plan's clinical content, so the front desk, who books, may read it.
type PlanFrequency struct {
	PlanID    int64
	StartDate string
	PerWeek   int
	Weeks     int
	SignedBy  string
	SignedAt  time.Time
}

// PlanFrequencies lists the newest signed version of each of a client's
// plans of care, the current one first, for booking a series.
func (s *App) PlanFrequencies(ctx context.Context, a *auth.Actor, clientID int64) ([]PlanFrequency, error) {
	if err := s.require(ctx, a, auth.ScheduleWrite, AuditPlanFrequency); err != nil {
		return nil, err
	}
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditPlanFrequency, clientID); err != nil {
		return nil, err
	}
	plans, err := s.DB.Plans(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	var out []PlanFrequency
	series := map[int64]bool{}
	for _, p := range plans { // current series first, newest version first
		if p.Status != assess.Signed || series[p.Series] {
			continue
		}
		series[p.Series] = true
		out = append(out, PlanFrequency{PlanID: p.ID, StartDate: p.StartDate, PerWeek: p.PerWeek, Weeks: p.Weeks, SignedBy: p.SignedByName, SignedAt: p.SignedAt})
	}
	e := withDetail(entry(a, AuditPlanFrequency, "client", clientID, audit.OK), i64(int64(len(out)))+" signed plans")
	return out, s.audit(ctx, e)
}

// AppointmentWarnings is what staff should know before an appointment that
// still holds its time, as at booking: an expired prescription, an
// exhausted authorization, an open "avoid" finding. Audited against the
// client.
func (s *App) AppointmentWarnings(ctx context.Context, a *auth.Actor, id int64) ([]string, error) {
	appt, err := s.apptFor(ctx, a, auth.ScheduleRead, AuditApptRead, id)
	if err != nil {
		return nil, err
	}
	if !schedule.Holds(appt.Status) || appt.Status == schedule.Completed || appt.Status == schedule.NoShow {
		return nil, nil
	}
	ws, err := s.bookingWarnings(ctx, a.User.OrgID, appt)
	if err != nil {
		return nil, err
	}
	e := withDetail(entry(a, AuditApptRead, "client", appt.ClientID, audit.OK), "appointment "+i64(id)+" warnings")
	return ws, s.audit(ctx, e)
}
