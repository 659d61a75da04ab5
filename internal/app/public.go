package app

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// The public booking page at /book/{slug}: no sign-in, so every use case
// here finds the organisation by its slug, shows only what the owner
// published, and audits writes with the client's address as the actor.

// Audit actions of the public page.
const (
	AuditPublicBook   = "public.book"
	AuditPublicCancel = "public.cancel"
	AuditPublicOffer  = "public.offer"
	AuditFeedRead     = "feed.read"
	AuditFeedRotate   = "feed.rotate"
)

// Online booking limits: per source address and per e-mail address.
const (
	BookPerIP      = 10
	BookPerEmail   = 3
	BookWindow     = time.Hour
	formMinAge     = 3 * time.Second // a person takes longer than this to fill the form
	formMaxAge     = 2 * time.Hour
	publicSlotDays = 14
)

// systemActor acts for the public page or the job runner in an organisation.
func systemActor(orgID int64, ip, via string) *auth.Actor {
	return &auth.Actor{User: &clinic.User{OrgID: orgID}, IP: ip, Via: via}
}

// PublicPage is what the clinic's public page shows.
type PublicPage struct {
	Org          *clinic.Organisation
	Locations    []clinic.Location
	Services     []schedule.Service
	Therapists   []store.TherapistProfile
	WorksAt      map[int64][]int64 // therapist → locations
	Testimonials []store.Testimonial
	Policy       schedule.Policy
}

// PublicPage reads an organisation's public page by its slug.
func (s *App) PublicPage(ctx context.Context, slug string) (*PublicPage, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, errs.E(errs.NotFound, "There is no clinic at this address.")
	}
	p := &PublicPage{Org: org, WorksAt: map[int64][]int64{}}
	if p.Locations, err = s.locations(ctx, org.ID); err != nil {
		return nil, err
	}
	svcs, err := s.DB.Services(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, sv := range svcs {
		if sv.Online {
			p.Services = append(p.Services, sv)
		}
	}
	staff, err := s.staff(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	treats := map[int64]bool{}
	for _, u := range Bookable(staff) {
		treats[u.ID] = true
		p.WorksAt[u.ID] = u.LocationIDs
	}
	profiles, err := s.DB.Profiles(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, pr := range profiles {
		if pr.Public && treats[pr.UserID] && len(p.WorksAt[pr.UserID]) > 0 {
			p.Therapists = append(p.Therapists, pr)
		}
	}
	if p.Testimonials, err = s.DB.Testimonials(ctx, org.ID, true); err != nil {
		return nil, err
	}
	if p.Policy, err = s.policy(ctx, org.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// PublicSlots lists open times for the public page: the therapists the page
// shows, within the policy's notice and horizon, at most two weeks at once.
func (s *App) PublicSlots(ctx context.Context, slug string, r SlotRequest) ([]schedule.Slot, *time.Location, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "There is no clinic at this address.")
	}
	if !s.hasLocation(ctx, org.ID, r.LocationID) {
		return nil, nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's locations.", Fields: map[string]string{"location_id": "Choose one of the clinic's locations."}}
	}
	zone, err := s.zoneOf(ctx, org.ID, r.LocationID)
	if err != nil {
		return nil, nil, err
	}
	if r.To.Sub(r.From) > publicSlotDays*24*time.Hour {
		r.To = r.From.Add(publicSlotDays * 24 * time.Hour)
	}
	slots, err := s.openSlots(ctx, org.ID, r, true)
	return slots, zone, err
}

func (s *App) hasLocation(ctx context.Context, orgID, loc int64) bool {
	locs, err := s.locations(ctx, orgID)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(locs, func(l clinic.Location) bool { return l.ID == loc })
}

// FormToken is the hidden field of the public booking form: when it was
// issued, signed. A form sent back sooner than a person could fill it, or
// hours later, is refused; together with a hidden field that people leave
// empty and the rate limits, this keeps most spam out without a CAPTCHA.
func (s *App) FormToken(ctx context.Context, slug string) (string, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return "", errs.E(errs.NotFound, "There is no clinic at this address.")
	}
	return s.signLink(ctx, org.ID, "form", s.now().UnixMilli(), 0)
}

// PublicBooking is what a client gives on the public page.
type PublicBooking struct {
	LocationID  int64
	ServiceID   int64
	TherapistID int64 // 0: anyone
	Start       time.Time
	FirstName   string
	LastName    string
	Email       string
	Phone       string
	DOB         string
	Note        string
	FormToken   string
	Honeypot    string // the hidden "website" field: people leave it empty
}

// PublicBooked is the answer to a public booking.
type PublicBooked struct {
	Appointment *schedule.Appointment
	NewClient   bool
	Zone        *time.Location
	Package     *schedule.ClientPackage // the package this visit draws on, if any
	ManageLink  string
}

// PublicBook books an online appointment. The client is found by e-mail
// and date of birth, or created; a new client's confirmation e-mail carries
// the health-history link. Only an open slot of the public page can be
// taken, and the database decides between two people taking the same one.
func (s *App) PublicBook(ctx context.Context, slug, ip string, b PublicBooking) (*PublicBooked, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, errs.E(errs.NotFound, "There is no clinic at this address.")
	}
	pol, err := s.policy(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	if !pol.OnlineBooking {
		return nil, errs.E(errs.Invalid, "%s does not take bookings online at the moment. Please call the clinic.", org.Name)
	}
	if b.Honeypot != "" {
		return nil, errs.E(errs.Invalid, "Your booking could not be sent. Please call the clinic.")
	}
	issued, _, err := s.verifyLink(ctx, org.ID, "form", b.FormToken)
	age := s.now().Sub(time.UnixMilli(issued))
	if err != nil || age < formMinAge || age > formMaxAge {
		return nil, errs.E(errs.Invalid, "This form was sent too quickly or has expired. Please check your details and send it again.")
	}
	if !s.bookIPLimiter.Allow("ip:"+ip, s.now()) {
		return nil, errs.E(errs.TooMany, "Too many bookings from your connection. Please try again later or call the clinic.")
	}
	c := &clinic.Client{OrgID: org.ID, FirstName: strings.TrimSpace(b.FirstName), LastName: strings.TrimSpace(b.LastName), DOB: strings.TrimSpace(b.DOB),
		Email: strings.TrimSpace(b.Email), Phone: strings.TrimSpace(b.Phone), Sex: clinic.SexUnknown, PreferredLocationID: b.LocationID}
	f := errs.FieldErrors{}
	if err := c.Validate(s.now()); err != nil {
		for k, v := range errs.FieldsOf(err) {
			f.Add(k, v)
		}
	}
	if c.Email == "" {
		f.Add("email", "Give your e-mail address: the confirmation goes there.")
	}
	if c.Phone == "" {
		f.Add("phone", "Give a phone number the clinic can reach you on.")
	}
	if b.Start.IsZero() {
		f.Add("start", "Choose a time.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !s.bookMailLimiter.Allow("email:"+strconv.FormatInt(org.ID, 10)+":"+clinic.NormalizeEmail(c.Email), s.now()) {
		return nil, errs.E(errs.TooMany, "Too many bookings for this e-mail address today. Please call the clinic.")
	}
	// The time must be one the page offers, with the therapist asked for or
	// any who is free.
	slots, err := s.openSlots(ctx, org.ID, SlotRequest{LocationID: b.LocationID, ServiceID: b.ServiceID, TherapistID: b.TherapistID,
		From: b.Start, To: b.Start.Add(time.Minute)}, true)
	if err != nil {
		return nil, err
	}
	var candidates []int64
	for _, sl := range slots {
		if sl.Start.Equal(b.Start) {
			candidates = append(candidates, sl.TherapistID)
		}
	}
	if len(candidates) == 0 {
		return nil, &errs.Error{Code: errs.Conflict, Message: "That time is no longer free. Please choose another.", Fields: map[string]string{"start": "That time is no longer free."}}
	}
	clientID, isNew, err := s.publicClient(ctx, org.ID, ip, c)
	if err != nil {
		return nil, err
	}
	pkg, err := s.usablePackage(ctx, org.ID, clientID, b.ServiceID, b.Start)
	if err != nil {
		return nil, err
	}
	r := BookRequest{ClientID: clientID, LocationID: b.LocationID, ServiceID: b.ServiceID, Start: b.Start, Note: b.Note, source: schedule.SourceOnline}
	if pkg != nil {
		r.PackageID = pkg.ID
	}
	a := systemActor(org.ID, ip, "public")
	var appt *schedule.Appointment
	for _, t := range candidates {
		r.TherapistID = t
		appt, err = s.book(ctx, a, org.ID, 0, r)
		if err == nil || !errs.Is(err, errs.Conflict) {
			break
		}
	}
	if err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, &errs.Error{Code: errs.Conflict, Message: "That time was just taken. Please choose another.", Fields: map[string]string{"start": "That time was just taken."}}
		}
		return nil, err
	}
	if appt, err = s.DB.Appointment(ctx, org.ID, appt.ID); err != nil {
		return nil, err
	}
	zone, err := s.zoneOf(ctx, org.ID, b.LocationID)
	if err != nil {
		return nil, err
	}
	link, err := s.appointmentLink(ctx, org, appt.ID)
	if err != nil {
		return nil, err
	}
	if pkg != nil {
		pkg, _ = s.DB.ClientPackage(ctx, org.ID, pkg.ID)
	}
	return &PublicBooked{Appointment: appt, NewClient: isNew, Zone: zone, Package: pkg, ManageLink: link}, nil
}

// publicClient finds the client by e-mail and date of birth, or creates one.
func (s *App) publicClient(ctx context.Context, orgID int64, ip string, c *clinic.Client) (int64, bool, error) {
	id, err := s.DB.ClientByEmailAndDOB(ctx, orgID, c.Email, c.DOB)
	if err == nil {
		return id, false, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return 0, false, err
	}
	a := systemActor(orgID, ip, "public")
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateClient(ctx, tx, c); err != nil {
			return nil, err
		}
		e := entry(a, AuditPublicBook, "client", c.ID, audit.OK)
		e.OrgID = orgID
		return []*audit.Entry{withDetail(e, "client created by online booking")}, nil
	})
	return c.ID, err == nil, err
}

// usablePackage is the client's package that can pay for a visit of
// service on start's date: not expired, not used up.
func (s *App) usablePackage(ctx context.Context, orgID, clientID, serviceID int64, start time.Time) (*schedule.ClientPackage, error) {
	ps, err := s.DB.ClientPackages(ctx, orgID, clientID)
	if err != nil {
		return nil, err
	}
	day := start.UTC().Format(clinic.DateLayout)
	for i := len(ps) - 1; i >= 0; i-- { // the oldest first: it expires first
		p := &ps[i]
		if p.Remaining() > 0 && p.ExpiresOn >= day && (p.ServiceID == 0 || p.ServiceID == serviceID) {
			return p, nil
		}
	}
	return nil, nil
}

// PublicAppointment is a client's view of their appointment through the
// link in their e-mails.
type PublicAppointment struct {
	Org         *clinic.Organisation
	Appointment *schedule.Appointment
	Location    clinic.Location
	Zone        *time.Location
	CanCancel   bool
	Late        bool  // cancelling now is late under the policy
	Fee         int64 // and costs this
	Policy      schedule.Policy
}

// OpenAppointmentLink reads the appointment a client's link is for.
func (s *App) OpenAppointmentLink(ctx context.Context, slug, token string) (*PublicAppointment, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, errs.E(errs.NotFound, "This link is not valid. Please call the clinic.")
	}
	id, _, err := s.verifyLink(ctx, org.ID, "appointment", token)
	if err != nil {
		return nil, err
	}
	appt, err := s.DB.Appointment(ctx, org.ID, id)
	if err != nil {
		return nil, errs.E(errs.NotFound, "This link is not valid. Please call the clinic.")
	}
	pa := &PublicAppointment{Org: org, Appointment: appt}
	for _, l := range mustLocations(s.locations(ctx, org.ID)) {
		if l.ID == appt.LocationID {
			pa.Location = l
		}
	}
	pa.Zone = LocationZone(org, &pa.Location)
	if pa.Policy, err = s.policy(ctx, org.ID); err != nil {
		return nil, err
	}
	pa.CanCancel = schedule.Holds(appt.Status) && appt.Status == schedule.Booked && appt.Start.After(s.now())
	pa.Late, pa.Fee = schedule.CancelFee(pa.Policy, appt.Start, s.now())
	return pa, nil
}

func mustLocations(l []clinic.Location, err error) []clinic.Location {
	if err != nil {
		return nil
	}
	return l
}

// CancelByLink cancels the appointment of a client's link, as the client.
func (s *App) CancelByLink(ctx context.Context, slug, token, ip, reason string) (*PublicAppointment, error) {
	pa, err := s.OpenAppointmentLink(ctx, slug, token)
	if err != nil {
		return nil, err
	}
	if !pa.CanCancel {
		return nil, errs.E(errs.Invalid, "This appointment can no longer be cancelled online. Please call the clinic.")
	}
	if strings.TrimSpace(reason) == "" {
		reason = "cancelled by the client online"
	} else {
		reason = "cancelled by the client online: " + strings.TrimSpace(reason)
	}
	a := systemActor(pa.Org.ID, ip, "public")
	next, err := s.setStatus(ctx, a, pa.Org.ID, pa.Appointment, StatusRequest{Version: pa.Appointment.Version, Status: schedule.Cancelled, Reason: reason})
	if err != nil {
		return nil, err
	}
	next.ClientName, next.ServiceName, next.TherapistName = pa.Appointment.ClientName, pa.Appointment.ServiceName, pa.Appointment.TherapistName
	pa.Appointment, pa.CanCancel = next, false
	return pa, nil
}

// WaitlistOffer is a freed time offered to a waiting client.
type WaitlistOffer struct {
	Org       *clinic.Organisation
	Freed     *schedule.Appointment
	Zone      *time.Location
	Location  clinic.Location
	Available bool // nobody has taken it yet
	entry     store.WaitlistEntry
}

// OpenOffer reads the offer of a waitlist link.
func (s *App) OpenOffer(ctx context.Context, slug, token string) (*WaitlistOffer, error) {
	org, err := s.DB.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, errs.E(errs.NotFound, "This link is not valid. Please call the clinic.")
	}
	wid, aid, err := s.verifyLink(ctx, org.ID, "offer", token)
	if err != nil {
		return nil, err
	}
	freed, err := s.DB.Appointment(ctx, org.ID, aid)
	if err != nil {
		return nil, errs.E(errs.NotFound, "This link is not valid. Please call the clinic.")
	}
	list, err := s.DB.Waitlist(ctx, store.WaitlistFilter{OrgID: org.ID})
	if err != nil {
		return nil, err
	}
	o := &WaitlistOffer{Org: org, Freed: freed}
	found := false
	for _, w := range list {
		if w.ID == wid {
			o.entry, found = w, true
		}
	}
	for _, l := range mustLocations(s.locations(ctx, org.ID)) {
		if l.ID == freed.LocationID {
			o.Location = l
		}
	}
	o.Zone = LocationZone(org, &o.Location)
	if found && freed.Start.After(s.now()) {
		slots, err := s.openSlots(ctx, org.ID, SlotRequest{LocationID: freed.LocationID, ServiceID: o.entry.ServiceID, TherapistID: freed.TherapistID,
			From: freed.Start, To: freed.Start.Add(time.Minute)}, false)
		if err != nil {
			return nil, err
		}
		o.Available = len(slots) > 0
	}
	return o, nil
}

// TakeOffer books the offered time for the waiting client; the first to
// take it gets it.
func (s *App) TakeOffer(ctx context.Context, slug, token, ip string) (*WaitlistOffer, *schedule.Appointment, error) {
	o, err := s.OpenOffer(ctx, slug, token)
	if err != nil {
		return nil, nil, err
	}
	if !o.Available {
		return o, nil, &errs.Error{Code: errs.Conflict, Message: "Sorry, this time has been taken. You stay on the waitlist."}
	}
	a := systemActor(o.Org.ID, ip, "public")
	appt, err := s.book(ctx, a, o.Org.ID, 0, BookRequest{ClientID: o.entry.ClientID, TherapistID: o.Freed.TherapistID, LocationID: o.Freed.LocationID,
		ServiceID: o.entry.ServiceID, Start: o.Freed.Start, source: schedule.SourceWaitlist})
	if errs.Is(err, errs.Conflict) {
		return o, nil, &errs.Error{Code: errs.Conflict, Message: "Sorry, this time has just been taken. You stay on the waitlist."}
	}
	if err != nil {
		return o, nil, err
	}
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.DB.SetWaitlistStatus(ctx, tx, o.Org.ID, o.entry.ID, store.WaitBooked) }); err != nil {
		return o, nil, err
	}
	o.Available = false
	return o, appt, nil
}

// RotateFeed makes a new secret address of the actor's calendar feed (the
// old one stops working) and returns its token, shown once.
func (s *App) RotateFeed(ctx context.Context, a *auth.Actor) (string, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditFeedRotate); err != nil {
		return "", err
	}
	tok, err := auth.NewToken("feed")
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "could not make a feed address")
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetFeedToken(ctx, tx, a.User.OrgID, a.User.ID, auth.HashToken(tok)); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, AuditFeedRotate, "user", a.User.ID, audit.OK)}, nil
	})
	return tok, err
}

// FeedWindow is what a calendar feed holds: the last 30 days and the next 90.
const (
	feedBack  = 30 * 24 * time.Hour
	feedAhead = 90 * 24 * time.Hour
)

// TherapistFeed is the .ics calendar of a therapist's appointments behind
// their secret feed address. Events name the client by first name and last
// initial only: a phone calendar is not the chart. Every fetch is audited.
func (s *App) TherapistFeed(ctx context.Context, token, ip string) ([]byte, error) {
	orgID, userID, err := s.DB.FeedOwner(ctx, auth.HashToken(token))
	if err != nil {
		return nil, errs.E(errs.NotFound, "There is no calendar at this address.")
	}
	org, err := s.org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	staff, err := s.staff(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var who *clinic.User
	for i := range staff {
		if staff[i].ID == userID && staff[i].Active {
			who = &staff[i]
		}
	}
	if who == nil {
		return nil, errs.E(errs.NotFound, "There is no calendar at this address.")
	}
	now := s.now()
	list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: orgID, TherapistID: userID, From: now.Add(-feedBack), To: now.Add(feedAhead), Cancelled: true})
	if err != nil {
		return nil, err
	}
	locs, err := s.locations(ctx, orgID)
	if err != nil {
		return nil, err
	}
	locName := map[int64]string{}
	for _, l := range locs {
		locName[l.ID] = l.Name
	}
	evs := make([]schedule.Event, 0, len(list))
	for _, x := range list {
		summary := shortName(x.ClientName) + " – " + x.ServiceName
		if x.RoomName != "" {
			summary += " (" + x.RoomName + ")"
		}
		evs = append(evs, schedule.Event{UID: "appt-" + i64(x.ID) + "@" + org.Slug + ".fascia", Sequence: int(x.Version), Start: x.Start, End: x.End,
			Stamp: x.UpdatedAt, Summary: summary, Location: locName[x.LocationID], Cancelled: !schedule.Holds(x.Status)})
	}
	a := &auth.Actor{User: who, Org: org, IP: ip, Via: "feed"}
	if err := s.audit(ctx, withDetail(entry(a, AuditFeedRead, "user", userID, audit.OK), i64(int64(len(evs)))+" appointments")); err != nil {
		return nil, err
	}
	return schedule.Calendar(org.Name, org.Name+" – "+who.Name, "", evs), nil
}

// shortName is "Maria G." of "Maria Gonzalez".
func shortName(full string) string {
	f := strings.Fields(full)
	if len(f) < 2 {
		return full
	}
	last := []rune(f[len(f)-1])
	return strings.Join(f[:len(f)-1], " ") + " " + string(last[0]) + "."
}

// RequireFeed checks the actor may have a calendar feed.
func (s *App) RequireFeed(ctx context.Context, a *auth.Actor) error {
	return s.require(ctx, a, auth.ScheduleRead, AuditFeedRotate)
}
