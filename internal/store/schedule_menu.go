package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// The scheduling menu and settings: services, packages, rooms, therapists'
// hours, exceptions and time off, the public page's profiles and
// testimonials, and the owner's scheduling and e-mail settings.

// ---- helpers (prefixed "menu" to stay clear of the appointment file's) ----

// menuLong checks a text field that may be longer than checkText allows
// (bios, testimonials): storable on both engines, and at most max characters.
func menuLong(f errs.FieldErrors, field, v string, max int) {
	switch {
	case !storable(v):
		f.Add(field, "Remove the characters that are not text.")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, fmt.Sprintf("Keep this to %d characters or fewer.", max))
	}
}

// menuLine refuses line breaks and other control characters in one-line
// settings that end up in mail headers or the SMTP dialogue, where a line
// break would start a new header or command (RFC 5322 §2.2, RFC 5321 §2.3.8).
func menuLine(f errs.FieldErrors, field, v string) {
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		f.Add(field, "Keep this on one line, without control characters.")
	}
}

// menuDate parses a 'YYYY-MM-DD' date.
func menuDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// menuLocation makes sure a location belongs to the organisation.
func menuLocation(ctx context.Context, tx *sql.Tx, orgID, locationID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM locations WHERE id = $1 AND org_id = $2", locationID, orgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of your organisation's locations.", Fields: map[string]string{"location_id": "Unknown location."}}
	}
	return nil
}

// menuTherapist makes sure a user is a therapist or owner of the
// organisation: the people who treat clients and so have hours and bios.
func menuTherapist(ctx context.Context, tx *sql.Tx, orgID, userID int64, field string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND org_id = $2 AND role IN ('therapist', 'owner')", userID, orgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose a therapist of your organisation.", Fields: map[string]string{field: "Unknown therapist."}}
	}
	return nil
}

// menuService makes sure a service belongs to the organisation.
func menuService(ctx context.Context, tx *sql.Tx, orgID, serviceID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM services WHERE id = $1 AND org_id = $2", serviceID, orgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of your services, or any service.", Fields: map[string]string{"service_id": "Unknown service."}}
	}
	return nil
}

func menuNotFound(what string) error { return errs.E(errs.NotFound, "No such %s.", what) }

// menuAffected turns "no row changed" into NotFound.
func menuAffected(res sql.Result, err error, what string) error {
	if err != nil {
		return dbErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbErr(err)
	} else if n == 0 {
		return menuNotFound(what)
	}
	return nil
}

// ---- services ----

// serviceJSON encodes the JSON columns, an empty list as [] rather than null.
func serviceJSON(s *schedule.Service) (procs, performers string, err error) {
	pl := s.Procedures
	if pl == nil {
		pl = []schedule.ProcedureLine{}
	}
	ps := s.Performers
	if ps == nil {
		ps = []int64{}
	}
	b1, err := json.Marshal(pl)
	if err != nil {
		return "", "", err
	}
	b2, err := json.Marshal(ps)
	return string(b1), string(b2), err
}

// checkService checks what Validate cannot see: text both engines store,
// and performers who are therapists or owners of the organisation.
func (db *DB) checkService(ctx context.Context, tx *sql.Tx, s *schedule.Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	// Validate allows a description longer than checkText's limit.
	f := errs.FieldErrors{}
	menuLong(f, "description", s.Description, 4000)
	if err := checkText("name", s.Name); err != nil {
		return err
	}
	for _, p := range s.Procedures {
		if err := checkText("procedures", p.Code); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	var ids []any
	for _, p := range s.Performers {
		if !seen[p] {
			seen[p] = true
			ids = append(ids, p)
		}
	}
	if len(ids) > 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE org_id = $1 AND role IN ('therapist', 'owner') AND id IN ("+placeholders(2, len(ids))+")",
			append([]any{s.OrgID}, ids...)...).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n != len(ids) {
			f.Add("performers", "Choose therapists of your organisation, or none for every therapist.")
		}
	}
	return f.Err()
}

// CreateService adds a service at the end of the menu.
func (db *DB) CreateService(ctx context.Context, tx *sql.Tx, s *schedule.Service) error {
	if err := db.checkService(ctx, tx, s); err != nil {
		return err
	}
	procs, performers, err := serviceJSON(s)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The service could not be stored.")
	}
	var pos int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE org_id = $1", s.OrgID).Scan(&pos); err != nil {
		return dbErr(err)
	}
	now := db.now()
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO services (org_id, name, description, minutes, buffer_before, buffer_after, price_cents, procedures, performers,
		needs_prescription, online, active, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		s.OrgID, s.Name, s.Description, s.Minutes, s.BufferBefore, s.BufferAfter, s.PriceCents, procs, performers,
		b2i(s.NeedsPrescription), b2i(s.Online), b2i(s.Active), pos, now).Scan(&s.ID))
}

// UpdateService saves a service of s.OrgID. Appointments already booked keep
// the length and buffers they were booked with.
func (db *DB) UpdateService(ctx context.Context, tx *sql.Tx, s *schedule.Service) error {
	if err := db.checkService(ctx, tx, s); err != nil {
		return err
	}
	procs, performers, err := serviceJSON(s)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The service could not be stored.")
	}
	res, err := tx.ExecContext(ctx, `UPDATE services SET name = $1, description = $2, minutes = $3, buffer_before = $4, buffer_after = $5, price_cents = $6,
		procedures = $7, performers = $8, needs_prescription = $9, online = $10, active = $11, updated_at = $12 WHERE id = $13 AND org_id = $14`,
		s.Name, s.Description, s.Minutes, s.BufferBefore, s.BufferAfter, s.PriceCents, procs, performers,
		b2i(s.NeedsPrescription), b2i(s.Online), b2i(s.Active), db.now(), s.ID, s.OrgID)
	return menuAffected(res, err, "service")
}

const serviceCols = `id, org_id, name, description, minutes, buffer_before, buffer_after, price_cents, procedures, performers, needs_prescription, online, active`

func scanService(row interface{ Scan(...any) error }) (*schedule.Service, error) {
	var s schedule.Service
	var procs, performers string
	var rx, online, active int
	err := row.Scan(&s.ID, &s.OrgID, &s.Name, &s.Description, &s.Minutes, &s.BufferBefore, &s.BufferAfter, &s.PriceCents, &procs, &performers, &rx, &online, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, menuNotFound("service")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	if err := json.Unmarshal([]byte(procs), &s.Procedures); err != nil {
		return nil, dbErr(err)
	}
	if err := json.Unmarshal([]byte(performers), &s.Performers); err != nil {
		return nil, dbErr(err)
	}
	s.NeedsPrescription, s.Online, s.Active = rx == 1, online == 1, active == 1
	return &s, nil
}

// Services lists the organisation's menu in its order.
func (db *DB) Services(ctx context.Context, orgID int64, activeOnly bool) ([]schedule.Service, error) {
	q := "SELECT " + serviceCols + " FROM services WHERE org_id = $1"
	if activeOnly {
		q += " AND active = 1"
	}
	rows, err := db.query(ctx, q+" ORDER BY position, name, id", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.Service
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, dbErr(rows.Err())
}

// Service reads one service of the organisation.
func (db *DB) Service(ctx context.Context, orgID, id int64) (*schedule.Service, error) {
	return scanService(db.queryRow(ctx, "SELECT "+serviceCols+" FROM services WHERE id = $1 AND org_id = $2", id, orgID))
}

// ---- packages ----

func (db *DB) checkPackage(ctx context.Context, tx *sql.Tx, p *schedule.Package) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkText("name", p.Name); err != nil {
		return err
	}
	if p.ServiceID != 0 {
		return menuService(ctx, tx, p.OrgID, p.ServiceID)
	}
	return nil
}

// CreatePackage adds a package to the menu.
func (db *DB) CreatePackage(ctx context.Context, tx *sql.Tx, p *schedule.Package) error {
	if err := db.checkPackage(ctx, tx, p); err != nil {
		return err
	}
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO packages (org_id, name, service_id, sessions, price_cents, valid_days, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.OrgID, p.Name, nullID(p.ServiceID), p.Sessions, p.PriceCents, p.ValidDays, b2i(p.Active), db.now()).Scan(&p.ID))
}

// UpdatePackage saves a package of p.OrgID (for example to stop selling it).
// Packages already sold keep the terms they were sold with.
func (db *DB) UpdatePackage(ctx context.Context, tx *sql.Tx, p *schedule.Package) error {
	if err := db.checkPackage(ctx, tx, p); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE packages SET name = $1, service_id = $2, sessions = $3, price_cents = $4, valid_days = $5, active = $6
		WHERE id = $7 AND org_id = $8`, p.Name, nullID(p.ServiceID), p.Sessions, p.PriceCents, p.ValidDays, b2i(p.Active), p.ID, p.OrgID)
	return menuAffected(res, err, "package")
}

// Packages lists the organisation's packages, those on sale first, by name.
func (db *DB) Packages(ctx context.Context, orgID int64) ([]schedule.Package, error) {
	rows, err := db.query(ctx, `SELECT id, org_id, name, COALESCE(service_id, 0), sessions, price_cents, valid_days, active FROM packages
		WHERE org_id = $1 ORDER BY active DESC, name, id`, orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.Package
	for rows.Next() {
		var p schedule.Package
		var active int
		if err := rows.Scan(&p.ID, &p.OrgID, &p.Name, &p.ServiceID, &p.Sessions, &p.PriceCents, &p.ValidDays, &active); err != nil {
			return nil, dbErr(err)
		}
		p.Active = active == 1
		out = append(out, p)
	}
	return out, dbErr(rows.Err())
}

// SellPackage records that cp.ClientID bought package cp.PackageID on
// cp.PurchasedOn. The sale copies the package's terms, so changing the
// package later does not change what the client bought.
func (db *DB) SellPackage(ctx context.Context, tx *sql.Tx, cp *schedule.ClientPackage) error {
	if _, err := db.clientTx(ctx, tx, cp.OrgID, cp.ClientID); err != nil {
		return err
	}
	bought, ok := menuDate(cp.PurchasedOn)
	if !ok {
		return &errs.Error{Code: errs.Invalid, Message: "Enter the purchase date.", Fields: map[string]string{"purchased_on": "Use a date such as 2026-03-14."}}
	}
	var serviceID int64
	var validDays, active int
	err := tx.QueryRowContext(ctx, "SELECT name, COALESCE(service_id, 0), sessions, valid_days, active FROM packages WHERE id = $1 AND org_id = $2", cp.PackageID, cp.OrgID).
		Scan(&cp.Name, &serviceID, &cp.Sessions, &validDays, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of your packages.", Fields: map[string]string{"package_id": "Unknown package."}}
	}
	if err != nil {
		return dbErr(err)
	}
	if active != 1 {
		return &errs.Error{Code: errs.Invalid, Message: "This package is no longer sold.", Fields: map[string]string{"package_id": "No longer sold."}}
	}
	cp.ServiceID = serviceID
	cp.ExpiresOn = bought.AddDate(0, 0, validDays).Format(time.DateOnly)
	cp.Used, cp.Booked = 0, 0
	// schedule.ClientPackage has no Validate method yet; call it once it has
	// one, without making this file wait for it to compile.
	if v, ok := any(cp).(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO client_packages (org_id, client_id, package_id, name, service_id, sessions, purchased_on, expires_on, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		cp.OrgID, cp.ClientID, cp.PackageID, cp.Name, nullID(cp.ServiceID), cp.Sessions, cp.PurchasedOn, cp.ExpiresOn, db.now()).Scan(&cp.ID))
}

// clientPackageCols counts the appointments drawing on a package: Used are
// those kept, missed or cancelled late (and booked ones whose time has
// passed but were not yet marked); Booked are those still to come. $1 is now.
const clientPackageCols = `cp.id, cp.org_id, cp.client_id, cp.package_id, cp.name, COALESCE(cp.service_id, 0), cp.sessions, cp.purchased_on, cp.expires_on,
	(SELECT COUNT(*) FROM appointments a WHERE a.client_package_id = cp.id AND a.org_id = cp.org_id
		AND (a.status IN ('completed', 'checked_in', 'no_show', 'late_cancelled') OR (a.status = 'booked' AND a.starts_at < $1))),
	(SELECT COUNT(*) FROM appointments a WHERE a.client_package_id = cp.id AND a.org_id = cp.org_id AND a.status = 'booked' AND a.starts_at >= $1)`

func scanClientPackage(row interface{ Scan(...any) error }) (*schedule.ClientPackage, error) {
	var p schedule.ClientPackage
	err := row.Scan(&p.ID, &p.OrgID, &p.ClientID, &p.PackageID, &p.Name, &p.ServiceID, &p.Sessions, &p.PurchasedOn, &p.ExpiresOn, &p.Used, &p.Booked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, menuNotFound("package purchase")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	return &p, nil
}

// ClientPackages lists the packages a client bought, the newest first.
func (db *DB) ClientPackages(ctx context.Context, orgID, clientID int64) ([]schedule.ClientPackage, error) {
	rows, err := db.query(ctx, "SELECT "+clientPackageCols+" FROM client_packages cp WHERE cp.org_id = $2 AND cp.client_id = $3 ORDER BY cp.purchased_on DESC, cp.id DESC",
		db.now(), orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.ClientPackage
	for rows.Next() {
		p, err := scanClientPackage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, dbErr(rows.Err())
}

// ClientPackage reads one package a client of the organisation bought.
func (db *DB) ClientPackage(ctx context.Context, orgID, id int64) (*schedule.ClientPackage, error) {
	return scanClientPackage(db.queryRow(ctx, "SELECT "+clientPackageCols+" FROM client_packages cp WHERE cp.id = $2 AND cp.org_id = $3", db.now(), id, orgID))
}

// ---- rooms ----

// CreateRoom adds a room or table to a location of the organisation.
func (db *DB) CreateRoom(ctx context.Context, tx *sql.Tx, r *schedule.Room) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := checkText("name", r.Name); err != nil {
		return err
	}
	if err := menuLocation(ctx, tx, r.OrgID, r.LocationID); err != nil {
		return err
	}
	return dbErr(tx.QueryRowContext(ctx, "INSERT INTO rooms (org_id, location_id, name, active) VALUES ($1, $2, $3, $4) RETURNING id",
		r.OrgID, r.LocationID, r.Name, b2i(r.Active)).Scan(&r.ID))
}

// UpdateRoom renames a room or takes it in or out of use. A room stays at
// its location (its appointments are there), so r.LocationID is read back.
func (db *DB) UpdateRoom(ctx context.Context, tx *sql.Tx, r *schedule.Room) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := checkText("name", r.Name); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, "UPDATE rooms SET name = $1, active = $2 WHERE id = $3 AND org_id = $4 RETURNING location_id",
		r.Name, b2i(r.Active), r.ID, r.OrgID).Scan(&r.LocationID)
	if errors.Is(err, sql.ErrNoRows) {
		return menuNotFound("room")
	}
	return dbErr(err)
}

// Rooms lists the rooms of a location (0: of every location), by name.
func (db *DB) Rooms(ctx context.Context, orgID, locationID int64) ([]schedule.Room, error) {
	q, args := "SELECT id, org_id, location_id, name, active FROM rooms WHERE org_id = $1", []any{orgID}
	if locationID != 0 {
		q, args = q+" AND location_id = $2", append(args, locationID)
	}
	rows, err := db.query(ctx, q+" ORDER BY name, id", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.Room
	for rows.Next() {
		var r schedule.Room
		var active int
		if err := rows.Scan(&r.ID, &r.OrgID, &r.LocationID, &r.Name, &active); err != nil {
			return nil, dbErr(err)
		}
		r.Active = active == 1
		out = append(out, r)
	}
	return out, dbErr(rows.Err())
}

// ---- hours ----

// SetWeeklyHours replaces a therapist's weekly hours at a location with hs
// (whose IDs are filled in). Two spans of one weekday may not overlap;
// spans that touch (09:00–12:00, 12:00–17:00) are fine.
func (db *DB) SetWeeklyHours(ctx context.Context, tx *sql.Tx, orgID, therapistID, locationID int64, hs []schedule.Hours) error {
	if err := menuTherapist(ctx, tx, orgID, therapistID, "therapist_id"); err != nil {
		return err
	}
	if err := menuLocation(ctx, tx, orgID, locationID); err != nil {
		return err
	}
	for i := range hs {
		hs[i].TherapistID, hs[i].LocationID = therapistID, locationID
		if err := hs[i].Validate(); err != nil {
			return err
		}
	}
	order := make([]int, len(hs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := hs[order[a]], hs[order[b]]
		if x.Weekday != y.Weekday {
			return x.Weekday < y.Weekday
		}
		return x.Start < y.Start
	})
	for k := 1; k < len(order); k++ {
		prev, cur := hs[order[k-1]], hs[order[k]]
		if prev.Weekday == cur.Weekday && cur.Start < prev.End {
			return &errs.Error{Code: errs.Invalid,
				Message: fmt.Sprintf("The %s hours %s–%s and %s–%s overlap. Merge them into one span or change one.",
					cur.Weekday, schedule.Clock(prev.Start), schedule.Clock(prev.End), schedule.Clock(cur.Start), schedule.Clock(cur.End)),
				Fields: map[string]string{"hours": "Hours of one day may not overlap."}}
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM therapist_hours WHERE org_id = $1 AND therapist_id = $2 AND location_id = $3", orgID, therapistID, locationID); err != nil {
		return dbErr(err)
	}
	for i := range hs {
		h := &hs[i]
		if err := tx.QueryRowContext(ctx, "INSERT INTO therapist_hours (org_id, therapist_id, location_id, weekday, start_min, end_min) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			orgID, therapistID, locationID, int(h.Weekday), h.Start, h.End).Scan(&h.ID); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// WeeklyHours lists every therapist's weekly hours at a location (0: at
// every location), by therapist, weekday and start.
func (db *DB) WeeklyHours(ctx context.Context, orgID, locationID int64) ([]schedule.Hours, error) {
	q, args := "SELECT id, therapist_id, location_id, weekday, start_min, end_min FROM therapist_hours WHERE org_id = $1", []any{orgID}
	if locationID != 0 {
		q, args = q+" AND location_id = $2", append(args, locationID)
	}
	rows, err := db.query(ctx, q+" ORDER BY therapist_id, weekday, start_min, location_id", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.Hours
	for rows.Next() {
		var h schedule.Hours
		var wd int
		if err := rows.Scan(&h.ID, &h.TherapistID, &h.LocationID, &wd, &h.Start, &h.End); err != nil {
			return nil, dbErr(err)
		}
		h.Weekday = time.Weekday(wd)
		out = append(out, h)
	}
	return out, dbErr(rows.Err())
}

// AddException stores a change to a therapist's hours on one date. A day
// may have several spans (a split shift) but they may not overlap.
func (db *DB) AddException(ctx context.Context, tx *sql.Tx, orgID int64, e *schedule.Exception) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if err := checkText("reason", e.Reason); err != nil {
		return err
	}
	if err := menuTherapist(ctx, tx, orgID, e.TherapistID, "therapist_id"); err != nil {
		return err
	}
	if err := menuLocation(ctx, tx, orgID, e.LocationID); err != nil {
		return err
	}
	if e.Start < e.End {
		var s, end int
		err := tx.QueryRowContext(ctx, `SELECT start_min, end_min FROM hours_exceptions WHERE org_id = $1 AND therapist_id = $2 AND location_id = $3 AND on_date = $4
			AND start_min < $5 AND end_min > $6 ORDER BY start_min LIMIT 1`, orgID, e.TherapistID, e.LocationID, e.Date, e.End, e.Start).Scan(&s, &end)
		if err == nil {
			return &errs.Error{Code: errs.Invalid,
				Message: fmt.Sprintf("The hours on %s already include %s–%s, which overlaps %s–%s.", e.Date, schedule.Clock(s), schedule.Clock(end), schedule.Clock(e.Start), schedule.Clock(e.End)),
				Fields:  map[string]string{"start": "Overlaps other hours of that day."}}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return dbErr(err)
		}
	}
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO hours_exceptions (org_id, therapist_id, location_id, on_date, start_min, end_min, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, orgID, e.TherapistID, e.LocationID, e.Date, e.Start, e.End, e.Reason).Scan(&e.ID))
}

// DeleteException removes a change to the hours.
func (db *DB) DeleteException(ctx context.Context, tx *sql.Tx, orgID, id int64) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM hours_exceptions WHERE id = $1 AND org_id = $2", id, orgID)
	return menuAffected(res, err, "change to the hours")
}

// Exceptions lists the changes to hours at a location (0: every location)
// on the dates from fromDate to toDate, both included.
func (db *DB) Exceptions(ctx context.Context, orgID, locationID int64, fromDate, toDate string) ([]schedule.Exception, error) {
	f := errs.FieldErrors{}
	if _, ok := menuDate(fromDate); !ok {
		f.Add("from", "Use a date such as 2026-03-14.")
	}
	if _, ok := menuDate(toDate); !ok {
		f.Add("to", "Use a date such as 2026-03-14.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	q, args := "SELECT id, therapist_id, location_id, on_date, start_min, end_min, reason FROM hours_exceptions WHERE org_id = $1 AND on_date >= $2 AND on_date <= $3",
		[]any{orgID, fromDate, toDate}
	if locationID != 0 {
		q, args = q+" AND location_id = $4", append(args, locationID)
	}
	rows, err := db.query(ctx, q+" ORDER BY on_date, therapist_id, start_min, id", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.Exception
	for rows.Next() {
		var e schedule.Exception
		if err := rows.Scan(&e.ID, &e.TherapistID, &e.LocationID, &e.Date, &e.Start, &e.End, &e.Reason); err != nil {
			return nil, dbErr(err)
		}
		out = append(out, e)
	}
	return out, dbErr(rows.Err())
}

// AddTimeOff blocks a therapist at every location between two instants.
func (db *DB) AddTimeOff(ctx context.Context, tx *sql.Tx, orgID int64, t *schedule.TimeOff) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if err := checkText("reason", t.Reason); err != nil {
		return err
	}
	if err := menuTherapist(ctx, tx, orgID, t.TherapistID, "therapist_id"); err != nil {
		return err
	}
	return dbErr(tx.QueryRowContext(ctx, "INSERT INTO time_off (org_id, therapist_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		orgID, t.TherapistID, t.Start.UnixMilli(), t.End.UnixMilli(), t.Reason).Scan(&t.ID))
}

// DeleteTimeOff removes time off.
func (db *DB) DeleteTimeOff(ctx context.Context, tx *sql.Tx, orgID, id int64) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM time_off WHERE id = $1 AND org_id = $2", id, orgID)
	return menuAffected(res, err, "time off")
}

// TimeOffBetween lists the time off of every therapist of the organisation
// that overlaps [from, to), by start.
func (db *DB) TimeOffBetween(ctx context.Context, orgID int64, from, to time.Time) ([]schedule.TimeOff, error) {
	rows, err := db.query(ctx, `SELECT id, therapist_id, starts_at, ends_at, reason FROM time_off WHERE org_id = $1 AND ends_at > $2 AND starts_at < $3
		ORDER BY starts_at, therapist_id, id`, orgID, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []schedule.TimeOff
	for rows.Next() {
		var t schedule.TimeOff
		var s, e int64
		if err := rows.Scan(&t.ID, &t.TherapistID, &s, &e, &t.Reason); err != nil {
			return nil, dbErr(err)
		}
		t.Start, t.End = ms2t(s), ms2t(e)
		out = append(out, t)
	}
	return out, dbErr(rows.Err())
}

// ---- the public page ----

// TherapistProfile is what the public booking page shows of a therapist.
// Name is the user's name (edited with the user, not here).
type TherapistProfile struct {
	UserID, OrgID          int64
	Name, Bio, Credentials string
	Public                 bool
	UpdatedAt              time.Time
}

// MaxBio is the longest bio, in characters: a few paragraphs.
const MaxBio = 2000

// SaveProfile stores a therapist's bio, credentials and whether the public
// page shows them. The secret feed URL stays as it is.
func (db *DB) SaveProfile(ctx context.Context, tx *sql.Tx, p *TherapistProfile) error {
	p.Bio, p.Credentials = strings.TrimSpace(p.Bio), strings.TrimSpace(p.Credentials)
	f := errs.FieldErrors{}
	menuLong(f, "bio", p.Bio, MaxBio)
	if err := f.Err(); err != nil {
		return err
	}
	if err := checkText("credentials", p.Credentials); err != nil {
		return err
	}
	if err := menuTherapist(ctx, tx, p.OrgID, p.UserID, "user_id"); err != nil {
		return err
	}
	now := db.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO therapist_profiles (user_id, org_id, bio, credentials, public, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, credentials = excluded.credentials, public = excluded.public, updated_at = excluded.updated_at`,
		p.UserID, p.OrgID, p.Bio, p.Credentials, b2i(p.Public), now); err != nil {
		return dbErr(err)
	}
	p.UpdatedAt = ms2t(now)
	return nil
}

// Profiles lists every active therapist and owner of the organisation by
// name, with their profile or, when none was saved, an empty public one.
func (db *DB) Profiles(ctx context.Context, orgID int64) ([]TherapistProfile, error) {
	rows, err := db.query(ctx, `SELECT u.id, u.org_id, u.name, COALESCE(p.bio, ''), COALESCE(p.credentials, ''), COALESCE(p.public, 1), COALESCE(p.updated_at, 0)
		FROM users u LEFT JOIN therapist_profiles p ON p.user_id = u.id AND p.org_id = u.org_id
		WHERE u.org_id = $1 AND u.active = 1 AND u.role IN ('therapist', 'owner') ORDER BY u.name, u.id`, orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []TherapistProfile
	for rows.Next() {
		var p TherapistProfile
		var public int
		var updated int64
		if err := rows.Scan(&p.UserID, &p.OrgID, &p.Name, &p.Bio, &p.Credentials, &public, &updated); err != nil {
			return nil, dbErr(err)
		}
		p.Public, p.UpdatedAt = public == 1, ms2t(updated)
		out = append(out, p)
	}
	return out, dbErr(rows.Err())
}

// SetFeedToken stores the hash of a therapist's secret calendar feed token
// ("" turns the feed off). The token itself is never stored.
func (db *DB) SetFeedToken(ctx context.Context, tx *sql.Tx, orgID, userID int64, tokenHash string) error {
	if err := checkText("token", tokenHash); err != nil {
		return err
	}
	if err := menuTherapist(ctx, tx, orgID, userID, "user_id"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO therapist_profiles (user_id, org_id, feed_token_hash, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET feed_token_hash = excluded.feed_token_hash`, userID, orgID, tokenHash, db.now())
	return dbErr(err)
}

// FeedOwner finds whose calendar feed a token hash opens. A user who no
// longer signs in has no feed, so deactivating someone closes it too.
func (db *DB) FeedOwner(ctx context.Context, tokenHash string) (orgID, userID int64, err error) {
	if tokenHash == "" || !storable(tokenHash) || len(tokenHash) > maxText {
		return 0, 0, menuNotFound("calendar feed")
	}
	err = db.queryRow(ctx, `SELECT p.org_id, p.user_id FROM therapist_profiles p JOIN users u ON u.id = p.user_id AND u.org_id = p.org_id
		WHERE p.feed_token_hash = $1 AND u.active = 1 ORDER BY p.user_id LIMIT 1`, tokenHash).Scan(&orgID, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, menuNotFound("calendar feed")
	}
	if err != nil {
		return 0, 0, dbErr(err)
	}
	return orgID, userID, nil
}

// Testimonial is what a client said of the clinic and agreed to have
// published on its public page.
type Testimonial struct {
	ID, OrgID, ClientID int64
	DisplayName, Body   string
	ConsentAt           time.Time // when the client agreed to publication
	Published           bool
	CreatedBy           int64
	CreatedAt           time.Time
}

// Limits of a testimonial, in characters.
const (
	MaxTestimonial            = 2000
	MaxTestimonialDisplayName = 80
)

// AddTestimonial stores a testimonial. Consent comes first: without the
// time the client agreed to publication it is refused.
func (db *DB) AddTestimonial(ctx context.Context, tx *sql.Tx, t *Testimonial) error {
	t.DisplayName, t.Body = strings.TrimSpace(t.DisplayName), strings.TrimSpace(t.Body)
	f := errs.FieldErrors{}
	if t.ConsentAt.IsZero() {
		f.Add("consent_at", "Record when the client agreed to have this published.")
	}
	if t.DisplayName == "" {
		f.Add("display_name", "Enter the name to show, for example \"Ann S.\".")
	}
	if t.Body == "" {
		f.Add("body", "Enter what the client said.")
	}
	menuLong(f, "display_name", t.DisplayName, MaxTestimonialDisplayName)
	menuLong(f, "body", t.Body, MaxTestimonial)
	if t.ClientID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE id = $1 AND org_id = $2", t.ClientID, t.OrgID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			f.Add("client_id", "Choose one of your clients, or none.")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := db.now()
	if err := tx.QueryRowContext(ctx, `INSERT INTO testimonials (org_id, client_id, display_name, body, consent_at, published, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		t.OrgID, nullID(t.ClientID), t.DisplayName, t.Body, t.ConsentAt.UnixMilli(), b2i(t.Published), t.CreatedBy, now).Scan(&t.ID); err != nil {
		return dbErr(err)
	}
	t.ConsentAt, t.CreatedAt = ms2t(t.ConsentAt.UnixMilli()), ms2t(now)
	return nil
}

// SetTestimonialPublished shows or hides a testimonial on the public page.
func (db *DB) SetTestimonialPublished(ctx context.Context, tx *sql.Tx, orgID, id int64, published bool) error {
	res, err := tx.ExecContext(ctx, "UPDATE testimonials SET published = $1 WHERE id = $2 AND org_id = $3", b2i(published), id, orgID)
	return menuAffected(res, err, "testimonial")
}

// Testimonials lists the organisation's testimonials, the newest first.
func (db *DB) Testimonials(ctx context.Context, orgID int64, publishedOnly bool) ([]Testimonial, error) {
	q := `SELECT id, org_id, COALESCE(client_id, 0), display_name, body, consent_at, published, created_by, created_at FROM testimonials WHERE org_id = $1`
	if publishedOnly {
		q += " AND published = 1"
	}
	rows, err := db.query(ctx, q+" ORDER BY created_at DESC, id DESC", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []Testimonial
	for rows.Next() {
		var t Testimonial
		var consent, created int64
		var published int
		if err := rows.Scan(&t.ID, &t.OrgID, &t.ClientID, &t.DisplayName, &t.Body, &consent, &published, &t.CreatedBy, &created); err != nil {
			return nil, dbErr(err)
		}
		t.ConsentAt, t.Published, t.CreatedAt = ms2t(consent), published == 1, ms2t(created)
		out = append(out, t)
	}
	return out, dbErr(rows.Err())
}

// ---- settings ----

// SchedulePolicy is the organisation's scheduling policy, DefaultPolicy
// until the owner saves one.
func (db *DB) SchedulePolicy(ctx context.Context, orgID int64) (schedule.Policy, error) {
	var p schedule.Policy
	var online int
	err := db.queryRow(ctx, `SELECT reminder_hours, cancel_window_hours, late_cancel_fee_cents, no_show_fee_cents, online_booking, horizon_days, min_notice_hours, slot_step
		FROM schedule_settings WHERE org_id = $1`, orgID).
		Scan(&p.ReminderHours, &p.CancelWindowHours, &p.LateCancelFeeCents, &p.NoShowFeeCents, &online, &p.HorizonDays, &p.MinNoticeHours, &p.SlotStep)
	if errors.Is(err, sql.ErrNoRows) {
		return schedule.DefaultPolicy, nil
	}
	if err != nil {
		return schedule.Policy{}, dbErr(err)
	}
	p.OnlineBooking = online == 1
	return p, nil
}

// SaveSchedulePolicy stores the organisation's scheduling policy.
func (db *DB) SaveSchedulePolicy(ctx context.Context, tx *sql.Tx, orgID int64, p schedule.Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO schedule_settings (org_id, reminder_hours, cancel_window_hours, late_cancel_fee_cents, no_show_fee_cents,
		online_booking, horizon_days, min_notice_hours, slot_step, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (org_id) DO UPDATE SET reminder_hours = excluded.reminder_hours, cancel_window_hours = excluded.cancel_window_hours,
		late_cancel_fee_cents = excluded.late_cancel_fee_cents, no_show_fee_cents = excluded.no_show_fee_cents, online_booking = excluded.online_booking,
		horizon_days = excluded.horizon_days, min_notice_hours = excluded.min_notice_hours, slot_step = excluded.slot_step, updated_at = excluded.updated_at`,
		orgID, p.ReminderHours, p.CancelWindowHours, p.LateCancelFeeCents, p.NoShowFeeCents, b2i(p.OnlineBooking), p.HorizonDays, p.MinNoticeHours, p.SlotStep, db.now())
	return dbErr(err)
}

// SMTPSettings is how an organisation's mail leaves: its SMTP server and
// sender. It mirrors mail.Settings so that storage need not import mail.
type SMTPSettings struct {
	Host                               string
	Port                               int
	TLS                                string // starttls, tls or none
	Username, Password, From, FromName string
	UpdatedAt                          time.Time
	// PasswordUnreadable: a password is stored, sealed under another
	// secret key than this server's (or it has none); Password is "".
	PasswordUnreadable bool
}

// SMTPSettings reads the organisation's e-mail settings; before the owner
// saves any, no host (no mail), port 587 with STARTTLS (RFC 6409 §3.1).
func (db *DB) SMTPSettings(ctx context.Context, orgID int64) (SMTPSettings, error) {
	var s SMTPSettings
	var updated int64
	err := db.queryRow(ctx, "SELECT host, port, tls_mode, username, password, from_addr, from_name, updated_at FROM smtp_settings WHERE org_id = $1", orgID).
		Scan(&s.Host, &s.Port, &s.TLS, &s.Username, &s.Password, &s.From, &s.FromName, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return SMTPSettings{Port: 587, TLS: "starttls"}, nil
	}
	if err != nil {
		return SMTPSettings{}, dbErr(err)
	}
	s.UpdatedAt = ms2t(updated)
	if pw, err := db.unseal("smtp", orgID, s.Password); err != nil {
		s.Password, s.PasswordUnreadable = "", true
	} else {
		s.Password = pw
	}
	return s, nil
}

// SaveSMTPSettings stores the organisation's e-mail settings. An empty
// password keeps the stored one: the form never shows it back.
func (db *DB) SaveSMTPSettings(ctx context.Context, tx *sql.Tx, orgID int64, s SMTPSettings) error {
	s.Host, s.Username, s.From, s.FromName = strings.TrimSpace(s.Host), strings.TrimSpace(s.Username), strings.TrimSpace(s.From), strings.TrimSpace(s.FromName)
	if err := checkText("host", s.Host, "username", s.Username, "password", s.Password, "from_addr", s.From, "from_name", s.FromName); err != nil {
		return err
	}
	f := errs.FieldErrors{}
	for _, kv := range [][2]string{{"host", s.Host}, {"username", s.Username}, {"password", s.Password}, {"from_addr", s.From}, {"from_name", s.FromName}} {
		menuLine(f, kv[0], kv[1])
	}
	if s.Port < 1 || s.Port > 65535 {
		f.Add("port", "Enter the server's port, usually 587 (or 465 for TLS).")
	}
	switch s.TLS {
	case "starttls", "tls", "none":
	default:
		f.Add("tls_mode", "Choose STARTTLS, TLS or none.")
	}
	if s.Host != "" && s.From == "" {
		f.Add("from_addr", "Enter the address mail is sent from.")
	}
	if s.Password != "" {
		sealed, err := db.seal("smtp", orgID, s.Password)
		if errors.Is(err, errNoKey) {
			f.Add("password", "This server has no secret key to keep a password with: whoever runs it sets FASCIA_SECRET_KEY (see the PostgreSQL guide). Nothing was saved.")
		} else if err != nil {
			return err
		}
		s.Password = sealed
	}
	if err := f.Err(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO smtp_settings (org_id, host, port, tls_mode, username, password, from_addr, from_name, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (org_id) DO UPDATE SET host = excluded.host, port = excluded.port, tls_mode = excluded.tls_mode, username = excluded.username,
		password = CASE WHEN excluded.password = '' THEN smtp_settings.password ELSE excluded.password END,
		from_addr = excluded.from_addr, from_name = excluded.from_name, updated_at = excluded.updated_at`,
		orgID, s.Host, s.Port, s.TLS, s.Username, s.Password, s.From, s.FromName, db.now())
	return dbErr(err)
}
