package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Waitlist statuses.
const (
	WaitWaiting = "waiting"
	WaitOffered = "offered"
	WaitBooked  = "booked"
	WaitRemoved = "removed"
)

// WaitlistEntry is a client waiting for a time to free up: a service at a
// location, with a therapist or anyone, between two dates.
type WaitlistEntry struct {
	ID          int64
	OrgID       int64
	ClientID    int64
	ServiceID   int64
	LocationID  int64
	TherapistID int64 // 0: anyone
	EarliestOn  string
	LatestOn    string
	Note        string
	Status      string
	OfferedAt   time.Time
	CreatedBy   int64
	CreatedAt   time.Time

	ClientName  string
	ClientEmail string
	ServiceName string
}

// AddToWaitlist puts a client on the waitlist.
func (db *DB) AddToWaitlist(ctx context.Context, tx *sql.Tx, w *WaitlistEntry) error {
	f := errs.FieldErrors{}
	if _, err := time.Parse(clinic.DateLayout, w.EarliestOn); err != nil {
		f.Add("earliest_on", "Enter the first date that suits, as YYYY-MM-DD.")
	}
	if _, err := time.Parse(clinic.DateLayout, w.LatestOn); err != nil || w.LatestOn < w.EarliestOn {
		f.Add("latest_on", "Enter the last date that suits, on or after the first.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := checkText("note", w.Note); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, w.OrgID, w.ClientID); err != nil {
		return err
	}
	if _, err := db.serviceTx(ctx, tx, w.OrgID, w.ServiceID); err != nil {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's services.", Fields: map[string]string{"service_id": "Choose one of the clinic's services."}}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM locations WHERE id = $1 AND org_id = $2", w.LocationID, w.OrgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of the clinic's locations.", Fields: map[string]string{"location_id": "Choose one of the clinic's locations."}}
	}
	now := db.now()
	w.Status, w.CreatedAt = WaitWaiting, ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO waitlist (org_id, client_id, service_id, location_id, therapist_id, earliest_on, latest_on, note, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'waiting', $9, $10, $10) RETURNING id`,
		w.OrgID, w.ClientID, w.ServiceID, w.LocationID, w.TherapistID, w.EarliestOn, w.LatestOn, w.Note, w.CreatedBy, now).Scan(&w.ID))
}

// WaitlistFilter selects waitlist entries. Empty Status means waiting and
// offered; OnDate keeps those whose dates include it.
type WaitlistFilter struct {
	OrgID       int64
	LocationID  int64
	Status      string
	OnDate      string
	TherapistID int64 // with OnDate: entries for this therapist or anyone
	Limit       int
}

// Waitlist lists entries, the longest waiting first.
func (db *DB) Waitlist(ctx context.Context, f WaitlistFilter) ([]WaitlistEntry, error) {
	q := `SELECT w.id, w.org_id, w.client_id, w.service_id, w.location_id, w.therapist_id, w.earliest_on, w.latest_on, w.note, w.status, w.offered_at,
		w.created_by, w.created_at, c.first_name, c.last_name, c.preferred_name, c.email, s.name
		FROM waitlist w JOIN clients c ON c.id = w.client_id JOIN services s ON s.id = w.service_id WHERE w.org_id = $1`
	args := []any{f.OrgID}
	if f.Status == "" {
		q += " AND w.status IN ('waiting', 'offered')"
	} else {
		args = append(args, f.Status)
		q += " AND w.status = $" + itoa(len(args))
	}
	if f.LocationID != 0 {
		args = append(args, f.LocationID)
		q += " AND w.location_id = $" + itoa(len(args))
	}
	if f.OnDate != "" {
		args = append(args, f.OnDate)
		q += " AND w.earliest_on <= $" + itoa(len(args)) + " AND w.latest_on >= $" + itoa(len(args))
	}
	if f.TherapistID != 0 {
		args = append(args, f.TherapistID)
		q += " AND w.therapist_id IN (0, $" + itoa(len(args)) + ")"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	q += " ORDER BY w.created_at, w.id LIMIT " + itoa(limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []WaitlistEntry
	for rows.Next() {
		var w WaitlistEntry
		var offered, created int64
		var first, last, preferred string
		if err := rows.Scan(&w.ID, &w.OrgID, &w.ClientID, &w.ServiceID, &w.LocationID, &w.TherapistID, &w.EarliestOn, &w.LatestOn, &w.Note, &w.Status, &offered,
			&w.CreatedBy, &created, &first, &last, &preferred, &w.ClientEmail, &w.ServiceName); err != nil {
			return nil, dbErr(err)
		}
		if preferred != "" {
			first = preferred
		}
		w.ClientName = first + " " + last
		if offered != 0 {
			w.OfferedAt = ms2t(offered)
		}
		w.CreatedAt = ms2t(created)
		out = append(out, w)
	}
	return out, dbErr(rows.Err())
}

// SetWaitlistStatus marks an entry offered, booked or removed.
func (db *DB) SetWaitlistStatus(ctx context.Context, tx *sql.Tx, orgID, id int64, status string) error {
	switch status {
	case WaitWaiting, WaitOffered, WaitBooked, WaitRemoved:
	default:
		return errs.E(errs.Invalid, "Choose a waitlist status.")
	}
	now := db.now()
	offered := "offered_at"
	if status == WaitOffered {
		offered = itoa(int(now))
	}
	res, err := tx.ExecContext(ctx, "UPDATE waitlist SET status = $1, offered_at = "+offered+", updated_at = $2 WHERE id = $3 AND org_id = $4", status, now, id, orgID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "There is no such waitlist entry.")
	}
	return nil
}
