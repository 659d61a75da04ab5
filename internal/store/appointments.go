package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// Appointments and their slot claims. The claims table's primary key is
// what makes double-booking impossible: every write that gives an
// appointment time inserts its claims with ON CONFLICT DO NOTHING and
// fails as a Conflict when any was taken, in the same transaction. On
// PostgreSQL a concurrent insert of the same key waits for the other
// transaction and then sees its row, so of two racing bookings exactly one
// commits, also from two server processes; SQLite's single writer orders
// them outright.

const apptCols = `a.id, a.org_id, a.location_id, a.therapist_id, COALESCE(a.room_id, 0), a.client_id, a.service_id, a.starts_at, a.ends_at,
	a.buffer_before, a.buffer_after, a.status, a.source, a.series_id, a.plan_id, COALESCE(a.client_package_id, 0), a.note, a.cancel_reason,
	a.fee_cents, a.checked_in_at, a.cancelled_at, a.created_by, a.version, a.created_at, a.updated_at,
	c.first_name, c.last_name, c.preferred_name, u.name, s.name, COALESCE(r.name, '')`

const apptFrom = ` FROM appointments a JOIN clients c ON c.id = a.client_id JOIN users u ON u.id = a.therapist_id
	JOIN services s ON s.id = a.service_id LEFT JOIN rooms r ON r.id = a.room_id`

func scanAppt(sc interface{ Scan(...any) error }, a *schedule.Appointment) error {
	var start, end, checked, cancelled, created, updated int64
	var first, last, preferred string
	if err := sc.Scan(&a.ID, &a.OrgID, &a.LocationID, &a.TherapistID, &a.RoomID, &a.ClientID, &a.ServiceID, &start, &end,
		&a.BufferBefore, &a.BufferAfter, &a.Status, &a.Source, &a.SeriesID, &a.PlanID, &a.PackageID, &a.Note, &a.CancelReason,
		&a.FeeCents, &checked, &cancelled, &a.CreatedBy, &a.Version, &created, &updated,
		&first, &last, &preferred, &a.TherapistName, &a.ServiceName, &a.RoomName); err != nil {
		return err
	}
	a.Start, a.End = ms2t(start), ms2t(end)
	if checked != 0 {
		a.CheckedInAt = ms2t(checked)
	}
	if cancelled != 0 {
		a.CancelledAt = ms2t(cancelled)
	}
	a.CreatedAt, a.UpdatedAt = ms2t(created), ms2t(updated)
	a.ClientName = apptClientName(first, last, preferred)
	return nil
}

// apptClientName is the client's name as appointments show it: the
// preferred first name, if any, and the last name.
func apptClientName(first, last, preferred string) string {
	if preferred != "" {
		first = preferred
	}
	return first + " " + last
}

// apptRefs checks that everything an appointment points at belongs to its
// organisation and fits together: the therapist works at the location and
// may perform the service, the room is the location's, the package is the
// client's. It returns the service.
func (db *DB) apptRefs(ctx context.Context, tx *sql.Tx, a *schedule.Appointment) (*schedule.Service, error) {
	f := errs.FieldErrors{}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM locations WHERE id = $1 AND org_id = $2", a.LocationID, a.OrgID).Scan(&n); err != nil {
		return nil, dbErr(err)
	}
	if n == 0 {
		f.Add("location_id", "Choose one of the clinic's locations.")
	}
	var role string
	var active bool
	err := tx.QueryRowContext(ctx, "SELECT role, active = 1 FROM users WHERE id = $1 AND org_id = $2", a.TherapistID, a.OrgID).Scan(&role, &active)
	switch {
	case err == sql.ErrNoRows || (err == nil && (!active || (role != "therapist" && role != "owner"))):
		f.Add("therapist_id", "Choose one of the clinic's therapists.")
	case err != nil:
		return nil, dbErr(err)
	case n > 0:
		var at int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM user_locations WHERE user_id = $1 AND location_id = $2", a.TherapistID, a.LocationID).Scan(&at); err != nil {
			return nil, dbErr(err)
		}
		if at == 0 {
			f.Add("therapist_id", "This therapist does not work at that location.")
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE id = $1 AND org_id = $2", a.ClientID, a.OrgID).Scan(&n); err != nil {
		return nil, dbErr(err)
	}
	if n == 0 {
		f.Add("client_id", "Choose one of the clinic's clients.")
	}
	if a.RoomID != 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rooms WHERE id = $1 AND org_id = $2 AND location_id = $3 AND active = 1", a.RoomID, a.OrgID, a.LocationID).Scan(&n); err != nil {
			return nil, dbErr(err)
		}
		if n == 0 {
			f.Add("room_id", "Choose a room of that location.")
		}
	}
	svc, err := db.serviceTx(ctx, tx, a.OrgID, a.ServiceID)
	if errs.Is(err, errs.NotFound) {
		f.Add("service_id", "Choose one of the clinic's services.")
	} else if err != nil {
		return nil, err
	} else if !svc.PerformedBy(a.TherapistID) {
		f.Add("therapist_id", "This therapist does not perform "+svc.Name+".")
	}
	if a.PackageID != 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM client_packages WHERE id = $1 AND org_id = $2 AND client_id = $3", a.PackageID, a.OrgID, a.ClientID).Scan(&n); err != nil {
			return nil, dbErr(err)
		}
		if n == 0 {
			f.Add("client_package_id", "Choose one of this client's packages, or none.")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return svc, nil
}

// serviceTx reads a service inside a write transaction.
func (db *DB) serviceTx(ctx context.Context, tx *sql.Tx, orgID, id int64) (*schedule.Service, error) {
	return scanService(tx.QueryRowContext(ctx, "SELECT "+serviceCols+" FROM services WHERE id = $1 AND org_id = $2", id, orgID))
}

func checkTimes(a *schedule.Appointment) error {
	f := errs.FieldErrors{}
	if a.Start.IsZero() || !schedule.OnGrid(a.Start) {
		f.Add("start", "Start on a five-minute mark, such as 09:00 or 09:05.")
	}
	if !a.End.After(a.Start) || !schedule.OnGrid(a.End) {
		f.Add("end", "End after the start, on a five-minute mark.")
	} else if a.End.Sub(a.Start) > 8*time.Hour {
		f.Add("end", "An appointment is at most eight hours long.")
	}
	if a.BufferBefore < 0 || a.BufferAfter < 0 || a.BufferBefore%5 != 0 || a.BufferAfter%5 != 0 {
		f.Add("start", "Buffers are whole five-minute steps.")
	}
	return f.Err()
}

// BookAppointment stores a new appointment with its claims. a.End and the
// buffers are the caller's (from the service unless resized). When a
// therapist, the room or the client is taken at that time it returns a
// Conflict naming which, and the caller's transaction must roll back.
func (db *DB) BookAppointment(ctx context.Context, tx *sql.Tx, a *schedule.Appointment) error {
	if err := checkTimes(a); err != nil {
		return err
	}
	if err := checkText("note", a.Note); err != nil {
		return err
	}
	if _, err := db.apptRefs(ctx, tx, a); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = schedule.Booked
	}
	if a.Source == "" {
		a.Source = schedule.SourceStaff
	}
	now := db.now()
	a.Version, a.CreatedAt, a.UpdatedAt = 1, ms2t(now), ms2t(now)
	err := tx.QueryRowContext(ctx, `INSERT INTO appointments (org_id, location_id, therapist_id, room_id, client_id, service_id, starts_at, ends_at,
		buffer_before, buffer_after, status, source, series_id, plan_id, client_package_id, note, created_by, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $18) RETURNING id`,
		a.OrgID, a.LocationID, a.TherapistID, nullID(a.RoomID), a.ClientID, a.ServiceID, a.Start.UnixMilli(), a.End.UnixMilli(),
		a.BufferBefore, a.BufferAfter, a.Status, a.Source, a.SeriesID, a.PlanID, nullID(a.PackageID), a.Note, a.CreatedBy, now).Scan(&a.ID)
	if err != nil {
		return dbErr(err)
	}
	return db.claim(ctx, tx, a)
}

// claim inserts a's claims; any already held makes the booking a Conflict.
func (db *DB) claim(ctx context.Context, tx *sql.Tx, a *schedule.Appointment) error {
	cs := schedule.Claims(a)
	if len(cs) == 0 {
		return nil
	}
	// One global order of claims: two bookings that wait on each other's
	// rows on PostgreSQL then wait in the same order and cannot deadlock.
	slices.SortFunc(cs, func(x, y schedule.Claim) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Resource, y.Resource), cmp.Compare(x.Slot, y.Slot))
	})
	var b strings.Builder
	b.WriteString("INSERT INTO appointment_claims (kind, resource_id, slot, appointment_id) VALUES ")
	args := make([]any, 0, len(cs)*3+1)
	args = append(args, a.ID)
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		n := len(args)
		b.WriteString("($" + itoa(n+1) + ", $" + itoa(n+2) + ", $" + itoa(n+3) + ", $1)")
		args = append(args, c.Kind, c.Resource, c.Slot)
	}
	b.WriteString(" ON CONFLICT DO NOTHING")
	res, err := tx.ExecContext(ctx, b.String(), args...)
	if err != nil {
		return dbErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbErr(err)
	} else if int(n) == len(cs) {
		return nil
	}
	return db.conflictOf(ctx, tx, a, cs)
}

// conflictOf says which of a's claims another appointment holds.
func (db *DB) conflictOf(ctx context.Context, tx *sql.Tx, a *schedule.Appointment, cs []schedule.Claim) error {
	taken := map[string]bool{}
	for _, c := range cs {
		if taken[c.Kind] {
			continue
		}
		var other int64
		err := tx.QueryRowContext(ctx, "SELECT appointment_id FROM appointment_claims WHERE kind = $1 AND resource_id = $2 AND slot = $3", c.Kind, c.Resource, c.Slot).Scan(&other)
		if err == nil && other != a.ID {
			taken[c.Kind] = true
		} else if err != nil && err != sql.ErrNoRows {
			return dbErr(err)
		}
	}
	f := errs.FieldErrors{}
	var what []string
	if taken["t"] {
		f.Add("therapist_id", "The therapist is already booked at that time (buffers included).")
		what = append(what, "the therapist")
	}
	if taken["r"] {
		f.Add("room_id", "The room is already booked at that time.")
		what = append(what, "the room")
	}
	if taken["c"] {
		f.Add("client_id", "The client already has an appointment at that time.")
		what = append(what, "the client")
	}
	if len(what) == 0 {
		what = append(what, "someone")
	}
	return &errs.Error{Code: errs.Conflict, Message: "That time is already booked for " + strings.Join(what, " and ") + ". Nothing was booked; choose another time.", Fields: f}
}

// release deletes an appointment's claims.
func (db *DB) release(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM appointment_claims WHERE appointment_id = $1", id)
	return dbErr(err)
}

// apptForUpdate reads an appointment in a write transaction, checking the
// version the person saw.
func (db *DB) apptForUpdate(ctx context.Context, tx *sql.Tx, orgID, id, version int64) (*schedule.Appointment, error) {
	var a schedule.Appointment
	err := scanAppt(tx.QueryRowContext(ctx, "SELECT "+apptCols+apptFrom+" WHERE a.id = $1 AND a.org_id = $2", id, orgID), &a)
	if err == sql.ErrNoRows {
		return nil, errs.E(errs.NotFound, "There is no such appointment.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	if version != 0 && a.Version != version {
		return nil, &errs.Error{Code: errs.Conflict, Message: "Someone else changed this appointment after you opened it. Nothing was saved; look at it again."}
	}
	return &a, nil
}

// AppointmentChange is a move or resize: the new time, therapist and room.
type AppointmentChange struct {
	Start, End  time.Time
	TherapistID int64
	RoomID      int64
	Note        *string // nil keeps the note
}

// MoveAppointment gives a holding appointment a new time, therapist or
// room, releasing its old claims and taking the new ones in one
// transaction. It returns the appointment as it was and as it is now.
func (db *DB) MoveAppointment(ctx context.Context, tx *sql.Tx, orgID, id, version int64, ch AppointmentChange) (before, after *schedule.Appointment, err error) {
	cur, err := db.apptForUpdate(ctx, tx, orgID, id, version)
	if err != nil {
		return nil, nil, err
	}
	if !schedule.Holds(cur.Status) {
		return nil, nil, errs.E(errs.Invalid, "A cancelled appointment cannot be moved; book a new one.")
	}
	next := *cur
	next.Start, next.End, next.TherapistID, next.RoomID = ch.Start, ch.End, ch.TherapistID, ch.RoomID
	if ch.Note != nil {
		next.Note = *ch.Note
	}
	if err := checkTimes(&next); err != nil {
		return nil, nil, err
	}
	if err := checkText("note", next.Note); err != nil {
		return nil, nil, err
	}
	if _, err := db.apptRefs(ctx, tx, &next); err != nil {
		return nil, nil, err
	}
	if err := db.release(ctx, tx, id); err != nil {
		return nil, nil, err
	}
	now := db.now()
	next.Version, next.UpdatedAt = cur.Version+1, ms2t(now)
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET starts_at = $1, ends_at = $2, therapist_id = $3, room_id = $4, note = $5, version = version + 1, updated_at = $6
		WHERE id = $7 AND org_id = $8`, next.Start.UnixMilli(), next.End.UnixMilli(), next.TherapistID, nullID(next.RoomID), next.Note, now, id, orgID); err != nil {
		return nil, nil, dbErr(err)
	}
	if err := db.claim(ctx, tx, &next); err != nil {
		return nil, nil, err
	}
	return cur, &next, nil
}

// StatusChange records check-in, completion, a no-show or a cancellation.
type StatusChange struct {
	Status   string
	Reason   string
	FeeCents int64
	At       time.Time
}

// SetAppointmentStatus moves an appointment to another status; one that
// stops holding its time releases its claims, so the slot is free again.
func (db *DB) SetAppointmentStatus(ctx context.Context, tx *sql.Tx, orgID, id, version int64, ch StatusChange) (*schedule.Appointment, error) {
	cur, err := db.apptForUpdate(ctx, tx, orgID, id, version)
	if err != nil {
		return nil, err
	}
	if !schedule.Holds(cur.Status) {
		return nil, errs.E(errs.Invalid, "This appointment is already cancelled.")
	}
	if err := checkText("reason", ch.Reason); err != nil {
		return nil, err
	}
	at := ch.At.UnixMilli()
	checked, cancelled := int64(0), int64(0)
	if !cur.CheckedInAt.IsZero() {
		checked = cur.CheckedInAt.UnixMilli()
	}
	switch ch.Status {
	case schedule.CheckedIn:
		checked = at
	case schedule.Cancelled, schedule.LateCancelled:
		cancelled = at
	case schedule.Booked, schedule.Completed, schedule.NoShow:
	default:
		return nil, errs.E(errs.Invalid, "Choose one of the appointment statuses.")
	}
	if !schedule.Holds(ch.Status) {
		if err := db.release(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	now := db.now()
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET status = $1, cancel_reason = $2, fee_cents = $3, checked_in_at = $4, cancelled_at = $5,
		version = version + 1, updated_at = $6 WHERE id = $7 AND org_id = $8`, ch.Status, ch.Reason, ch.FeeCents, checked, cancelled, now, id, orgID); err != nil {
		return nil, dbErr(err)
	}
	next := *cur
	next.Status, next.CancelReason, next.FeeCents, next.Version, next.UpdatedAt = ch.Status, ch.Reason, ch.FeeCents, cur.Version+1, ms2t(now)
	if checked != 0 {
		next.CheckedInAt = ms2t(checked)
	}
	if cancelled != 0 {
		next.CancelledAt = ms2t(cancelled)
	}
	return &next, nil
}

// Appointment reads one appointment of an organisation.
func (db *DB) Appointment(ctx context.Context, orgID, id int64) (*schedule.Appointment, error) {
	var a schedule.Appointment
	err := scanAppt(db.queryRow(ctx, "SELECT "+apptCols+apptFrom+" WHERE a.id = $1 AND a.org_id = $2", id, orgID), &a)
	if err == sql.ErrNoRows {
		return nil, errs.E(errs.NotFound, "There is no such appointment.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	return &a, nil
}

// AppointmentFilter selects appointments starting in [From, To) of one
// organisation, narrowed by whichever IDs are set.
type AppointmentFilter struct {
	OrgID       int64
	LocationID  int64
	TherapistID int64
	RoomID      int64
	ClientID    int64
	From, To    time.Time
	// Cancelled includes cancelled and late-cancelled appointments.
	Cancelled bool
	Limit     int // 0: 5,000
}

// Appointments lists appointments by start time.
func (db *DB) Appointments(ctx context.Context, f AppointmentFilter) ([]schedule.Appointment, error) {
	q, args := apptQuery(apptCols+apptFrom, f)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	out := make([]schedule.Appointment, 0, 64)
	for rows.Next() {
		var a schedule.Appointment
		if err := scanAppt(rows, &a); err != nil {
			return nil, dbErr(err)
		}
		out = append(out, a)
	}
	return out, dbErr(rows.Err())
}

// calendarCols are what a calendar draws of an appointment: the client's
// name but not the therapist's, service's or room's, which the calendar
// has already (app.Calendar fills them in). A week of a busy location is
// hundreds of rows, and the full row was most of the week view's time.
const calendarCols = `a.id, a.location_id, a.therapist_id, COALESCE(a.room_id, 0), a.client_id, a.service_id, a.starts_at, a.ends_at,
	a.buffer_before, a.buffer_after, a.status, a.plan_id, a.note, a.fee_cents, a.version, c.first_name, c.last_name, c.preferred_name
	FROM appointments a JOIN clients c ON c.id = a.client_id`

// CalendarAppointments lists appointments by start time as Appointments
// does, with only what a calendar shows: no therapist, service or room
// names, source, series, package, cancellation reason or timestamps.
func (db *DB) CalendarAppointments(ctx context.Context, f AppointmentFilter) ([]schedule.Appointment, error) {
	q, args := apptQuery(calendarCols, f)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	out := make([]schedule.Appointment, 0, 64)
	for rows.Next() {
		a := schedule.Appointment{OrgID: f.OrgID}
		var start, end int64
		var first, last, preferred string
		if err := rows.Scan(&a.ID, &a.LocationID, &a.TherapistID, &a.RoomID, &a.ClientID, &a.ServiceID, &start, &end,
			&a.BufferBefore, &a.BufferAfter, &a.Status, &a.PlanID, &a.Note, &a.FeeCents, &a.Version, &first, &last, &preferred); err != nil {
			return nil, dbErr(err)
		}
		a.Start, a.End = ms2t(start), ms2t(end)
		a.ClientName = apptClientName(first, last, preferred)
		out = append(out, a)
	}
	return out, dbErr(rows.Err())
}

// apptQuery is the query of appointments filtered by f, selecting what
// (columns and FROM).
func apptQuery(what string, f AppointmentFilter) (string, []any) {
	q := "SELECT " + what + " WHERE a.org_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3"
	args := []any{f.OrgID, f.From.UnixMilli(), f.To.UnixMilli()}
	add := func(col string, v int64) {
		if v != 0 {
			args = append(args, v)
			q += " AND " + col + " = $" + itoa(len(args))
		}
	}
	add("a.location_id", f.LocationID)
	add("a.therapist_id", f.TherapistID)
	add("a.room_id", f.RoomID)
	add("a.client_id", f.ClientID)
	if !f.Cancelled {
		q += " AND a.status NOT IN ('cancelled', 'late_cancelled')"
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	q += " ORDER BY a.starts_at, a.therapist_id, a.id LIMIT " + itoa(limit)
	return q, args
}

// Busy lists the time the given therapists' holding appointments occupy
// (buffers included) overlapping [from, to), by therapist.
func (db *DB) Busy(ctx context.Context, orgID int64, therapists []int64, from, to time.Time) (map[int64][]schedule.Interval, error) {
	out := map[int64][]schedule.Interval{}
	if len(therapists) == 0 {
		return out, nil
	}
	// Appointments are at most eight hours and buffers two, so one that
	// overlaps the window starts less than ten hours before it.
	args := []any{orgID, from.Add(-10 * time.Hour).UnixMilli(), to.UnixMilli()}
	for _, t := range therapists {
		args = append(args, t)
	}
	rows, err := db.query(ctx, `SELECT therapist_id, starts_at, ends_at, buffer_before, buffer_after FROM appointments
		WHERE org_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status NOT IN ('cancelled', 'late_cancelled')
		AND therapist_id IN (`+placeholders(4, len(therapists))+`) ORDER BY starts_at`, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, s, e int64
		var bb, ba int
		if err := rows.Scan(&t, &s, &e, &bb, &ba); err != nil {
			return nil, dbErr(err)
		}
		iv := schedule.Interval{Start: ms2t(s).Add(-time.Duration(bb) * time.Minute), End: ms2t(e).Add(time.Duration(ba) * time.Minute)}
		if iv.End.After(from) {
			out[t] = append(out[t], iv)
		}
	}
	return out, dbErr(rows.Err())
}

// PruneClaims deletes the claims of slots before `before`: nothing may be
// booked in the past, so they guard nothing and only grow the table.
func (db *DB) PruneClaims(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, "DELETE FROM appointment_claims WHERE slot < $1", before.Unix()/300)
	if err != nil {
		return 0, dbErr(err)
	}
	n, err := res.RowsAffected()
	return n, dbErr(err)
}

// ClaimCount counts the claims held, for tests and the admin page.
func (db *DB) ClaimCount(ctx context.Context) (int64, error) {
	var n int64
	return n, dbErr(db.queryRow(ctx, "SELECT COUNT(*) FROM appointment_claims").Scan(&n))
}

// LinkSecret is the organisation's key for signing links in clients'
// e-mails, made on first use.
func (db *DB) LinkSecret(ctx context.Context, orgID int64, fresh func() string) (string, error) {
	var secret string
	err := db.queryRow(ctx, "SELECT link_secret FROM schedule_settings WHERE org_id = $1", orgID).Scan(&secret)
	if err != nil && err != sql.ErrNoRows {
		return "", dbErr(err)
	}
	if secret != "" {
		return secret, nil
	}
	p := schedule.DefaultPolicy
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO schedule_settings (org_id, reminder_hours, cancel_window_hours, late_cancel_fee_cents, no_show_fee_cents,
			online_booking, horizon_days, min_notice_hours, slot_step, link_secret, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (org_id) DO UPDATE SET link_secret = CASE WHEN schedule_settings.link_secret = '' THEN excluded.link_secret ELSE schedule_settings.link_secret END`,
			orgID, p.ReminderHours, p.CancelWindowHours, p.LateCancelFeeCents, p.NoShowFeeCents, b2i(p.OnlineBooking), p.HorizonDays, p.MinNoticeHours, p.SlotStep, fresh(), db.now())
		return err
	})
	if err != nil {
		return "", dbErr(err)
	}
	return secret, dbErr(db.w.QueryRowContext(ctx, "SELECT link_secret FROM schedule_settings WHERE org_id = $1", orgID).Scan(&secret))
}

// ClientByEmailAndDOB finds the client an online booking is for: the
// oldest client with that e-mail address and date of birth.
func (db *DB) ClientByEmailAndDOB(ctx context.Context, orgID int64, email, dob string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, "SELECT id FROM clients WHERE org_id = $1 AND email_key = $2 AND dob = $3 ORDER BY id LIMIT 1",
		orgID, clinic.NormalizeEmail(email), dob).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, errs.E(errs.NotFound, "There is no such client.")
	}
	return id, dbErr(err)
}

// StartSeries makes an appointment the first of a recurring series.
func (db *DB) StartSeries(ctx context.Context, orgID, id int64) error {
	_, err := db.w.ExecContext(ctx, "UPDATE appointments SET series_id = id WHERE id = $1 AND org_id = $2", id, orgID)
	return dbErr(err)
}

// ClientBookedAt reports whether client clientID has an appointment that
// was not cancelled at one of locations: a client attends the locations
// they are booked at, besides their usual one (app.maySee).
func (db *DB) ClientBookedAt(ctx context.Context, orgID, clientID int64, locations []int64) (bool, error) {
	if len(locations) == 0 {
		return false, nil
	}
	args := []any{orgID, clientID}
	for _, l := range locations {
		args = append(args, l)
	}
	var one int
	err := db.queryRow(ctx, `SELECT 1 FROM appointments WHERE org_id = $1 AND client_id = $2 AND location_id IN (`+placeholders(3, len(locations))+`)
		AND status NOT IN ('cancelled', 'late_cancelled') LIMIT 1`, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, dbErr(err)
}
