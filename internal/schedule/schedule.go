// Package schedule owns getting clients on the table: the service menu,
// therapists' hours, rooms, appointments and the rules that place them in
// time (open slots, recurring series, cancellation policy, calendar files).
// Its rules are plain functions over plain values: no SQL, no clock, no HTTP.
//
// Times: an appointment is a pair of instants (stored in UTC); hours are
// minutes after local midnight in the location's time zone, so 09:00 stays
// 09:00 across a daylight-saving change.
package schedule

import "time"

// Grid is the granularity of the calendar: appointments start and end on
// multiples of it, and the database guarantees no double-booking by
// claiming each Grid-long slot of a therapist, a room and a client once.
const Grid = 5 * time.Minute

// Appointment statuses.
const (
	Booked        = "booked"
	CheckedIn     = "checked_in"
	Completed     = "completed"
	NoShow        = "no_show"
	Cancelled     = "cancelled"      // cancelled in time: no fee
	LateCancelled = "late_cancelled" // cancelled inside the policy's window
)

// Statuses in the order they are offered.
var Statuses = []string{Booked, CheckedIn, Completed, NoShow, Cancelled, LateCancelled}

// Holds reports whether an appointment of status s still occupies its time
// (and so its claims): cancelled and late-cancelled ones free it.
func Holds(s string) bool { return s != Cancelled && s != LateCancelled }

// Where an appointment was made.
const (
	SourceStaff     = "staff"
	SourceOnline    = "online"
	SourceAPI       = "api"
	SourceRecurring = "recurring"
	SourceWaitlist  = "waitlist"
)

// ProcedureLine is a procedure code a session of a service usually bills.
type ProcedureLine struct {
	Code  string `json:"code"`  // CPT/HCPCS, e.g. 97140
	Units int    `json:"units"` // units usually billed
}

// Service is an entry of the service menu.
type Service struct {
	ID           int64           `json:"id"`
	OrgID        int64           `json:"-"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Minutes      int             `json:"minutes"`       // length of the session
	BufferBefore int             `json:"buffer_before"` // minutes kept free before (set-up)
	BufferAfter  int             `json:"buffer_after"`  // minutes kept free after (turnover, notes)
	PriceCents   int64           `json:"price_cents"`
	Procedures   []ProcedureLine `json:"procedures"`
	// Performers are the users who may perform it; empty means every therapist.
	Performers        []int64 `json:"performers"`
	NeedsPrescription bool    `json:"needs_prescription"` // medical massage
	Online            bool    `json:"online"`             // offered on the public booking page
	Active            bool    `json:"active"`
}

// PerformedBy reports whether therapist may perform the service.
func (s *Service) PerformedBy(therapist int64) bool {
	if len(s.Performers) == 0 {
		return true
	}
	for _, p := range s.Performers {
		if p == therapist {
			return true
		}
	}
	return false
}

// Package is a prepaid series or membership sold from the menu: Sessions
// sessions of ServiceID (0: any service) valid ValidDays after purchase.
type Package struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"-"`
	Name       string `json:"name"`
	ServiceID  int64  `json:"service_id,omitempty"`
	Sessions   int    `json:"sessions"`
	PriceCents int64  `json:"price_cents"`
	ValidDays  int    `json:"valid_days"`
	Active     bool   `json:"active"`
}

// ClientPackage is a package a client bought. Remaining counts sessions not
// yet booked against it; Booked are upcoming appointments drawing on it.
type ClientPackage struct {
	ID          int64  `json:"id"`
	OrgID       int64  `json:"-"`
	ClientID    int64  `json:"client_id"`
	PackageID   int64  `json:"package_id"`
	Name        string `json:"name"`
	ServiceID   int64  `json:"service_id,omitempty"`
	Sessions    int    `json:"sessions"`
	Used        int    `json:"used"`   // appointments that drew on it and were kept (or no-show / late-cancelled)
	Booked      int    `json:"booked"` // upcoming appointments drawing on it
	PurchasedOn string `json:"purchased_on"`
	ExpiresOn   string `json:"expires_on"` // YYYY-MM-DD, last day it may be used
}

// Remaining is what the client still has to book.
func (p *ClientPackage) Remaining() int {
	r := p.Sessions - p.Used - p.Booked
	if r < 0 {
		return 0
	}
	return r
}

// Room is a room or table of a location.
type Room struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"-"`
	LocationID int64  `json:"location_id"`
	Name       string `json:"name"`
	Active     bool   `json:"active"`
}

// Hours is a therapist's recurring working time at a location on one
// weekday, in minutes after local midnight: [Start, End).
type Hours struct {
	ID          int64        `json:"id"`
	TherapistID int64        `json:"therapist_id"`
	LocationID  int64        `json:"location_id"`
	Weekday     time.Weekday `json:"weekday"`
	Start       int          `json:"start"` // e.g. 540 for 09:00
	End         int          `json:"end"`
}

// Exception replaces a therapist's hours at a location on one date: the
// exceptions of a date are the whole of that day's hours. Start == End
// means not working that day.
type Exception struct {
	ID          int64  `json:"id"`
	TherapistID int64  `json:"therapist_id"`
	LocationID  int64  `json:"location_id"`
	Date        string `json:"date"` // YYYY-MM-DD
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Reason      string `json:"reason,omitempty"`
}

// TimeOff blocks a therapist everywhere between two instants.
type TimeOff struct {
	ID          int64     `json:"id"`
	TherapistID int64     `json:"therapist_id"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Reason      string    `json:"reason,omitempty"`
}

// Appointment is a booked time of a client with a therapist.
type Appointment struct {
	ID           int64     `json:"id"`
	OrgID        int64     `json:"-"`
	LocationID   int64     `json:"location_id"`
	TherapistID  int64     `json:"therapist_id"`
	RoomID       int64     `json:"room_id,omitempty"`
	ClientID     int64     `json:"client_id"`
	ServiceID    int64     `json:"service_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	BufferBefore int       `json:"buffer_before"` // minutes, copied from the service when booked
	BufferAfter  int       `json:"buffer_after"`
	Status       string    `json:"status"`
	Source       string    `json:"source"`
	SeriesID     int64     `json:"series_id,omitempty"` // recurring series: the first appointment's ID
	PlanID       int64     `json:"plan_id,omitempty"`
	PackageID    int64     `json:"client_package_id,omitempty"`
	Note         string    `json:"note,omitempty"`
	CancelReason string    `json:"cancel_reason,omitempty"`
	FeeCents     int64     `json:"fee_cents,omitempty"` // late cancellation or no-show fee charged
	CheckedInAt  time.Time `json:"checked_in_at,omitzero"`
	CancelledAt  time.Time `json:"cancelled_at,omitzero"`
	CreatedBy    int64     `json:"created_by,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// Names for display, filled by listings.
	ClientName    string `json:"client_name,omitempty"`
	TherapistName string `json:"therapist_name,omitempty"`
	ServiceName   string `json:"service_name,omitempty"`
	RoomName      string `json:"room_name,omitempty"`
}

// Occupies is the time the therapist and the room are taken: the session
// with its buffers. The client is taken for the session only.
func (a *Appointment) Occupies() (time.Time, time.Time) {
	return a.Start.Add(-time.Duration(a.BufferBefore) * time.Minute), a.End.Add(time.Duration(a.BufferAfter) * time.Minute)
}

// Policy is an organisation's scheduling settings.
type Policy struct {
	// Reminders are e-mailed this long before an appointment (0: none).
	ReminderHours int `json:"reminder_hours"`
	// A cancellation later than CancelWindowHours before the start is late
	// and charged LateCancelFeeCents; a no-show is charged NoShowFeeCents.
	CancelWindowHours  int   `json:"cancel_window_hours"`
	LateCancelFeeCents int64 `json:"late_cancel_fee_cents"`
	NoShowFeeCents     int64 `json:"no_show_fee_cents"`
	// Online booking: whether the public page takes bookings, how far ahead,
	// with how much notice, and the step between offered start times.
	OnlineBooking  bool `json:"online_booking"`
	HorizonDays    int  `json:"horizon_days"`
	MinNoticeHours int  `json:"min_notice_hours"`
	SlotStep       int  `json:"slot_step"` // minutes, a multiple of Grid
}

// DefaultPolicy is what a new organisation starts with.
var DefaultPolicy = Policy{ReminderHours: 24, CancelWindowHours: 24, LateCancelFeeCents: 0, NoShowFeeCents: 0,
	OnlineBooking: true, HorizonDays: 60, MinNoticeHours: 2, SlotStep: 15}

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start, End time.Time
}

// Slot is an open start time for a service with a therapist.
type Slot struct {
	TherapistID int64     `json:"therapist_id"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
}
