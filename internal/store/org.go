package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// CreateOrg stores a new organisation.
func (db *DB) CreateOrg(ctx context.Context, tx *sql.Tx, o *clinic.Organisation) error {
	if o.IdleTimeout == 0 {
		o.IdleTimeout = clinic.DefaultIdleTimeout
	}
	if err := o.Validate(); err != nil {
		return err
	}
	o.CreatedAt = time.UnixMilli(db.now()).UTC()
	err := tx.QueryRowContext(ctx, `INSERT INTO orgs (name, slug, idle_timeout_s, require_mfa, time_zone, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		o.Name, o.Slug, int64(o.IdleTimeout/time.Second), b2i(o.RequireMFA), o.TimeZone, o.CreatedAt.UnixMilli()).Scan(&o.ID)
	if isUnique(err) {
		return &errs.Error{Code: errs.Conflict, Message: "That organisation address is taken.", Fields: map[string]string{"slug": "Choose another."}}
	}
	return dbErr(err)
}

const orgCols = "id, name, slug, idle_timeout_s, require_mfa, time_zone, created_at"

func scanOrg(row interface{ Scan(...any) error }) (*clinic.Organisation, error) {
	var o clinic.Organisation
	var idle, created int64
	var mfa int
	if err := row.Scan(&o.ID, &o.Name, &o.Slug, &idle, &mfa, &o.TimeZone, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "No such organisation.")
		}
		return nil, dbErr(err)
	}
	o.IdleTimeout, o.RequireMFA, o.CreatedAt = time.Duration(idle)*time.Second, mfa == 1, ms2t(created)
	return &o, nil
}

// Org finds an organisation by id.
func (db *DB) Org(ctx context.Context, id int64) (*clinic.Organisation, error) {
	return scanOrg(db.queryRow(ctx, "SELECT "+orgCols+" FROM orgs WHERE id = $1", id))
}

// OrgBySlug finds an organisation by its address name.
func (db *DB) OrgBySlug(ctx context.Context, slug string) (*clinic.Organisation, error) {
	return scanOrg(db.queryRow(ctx, "SELECT "+orgCols+" FROM orgs WHERE slug = $1", slug))
}

// UpdateOrgSecurity changes the idle timeout and the two-factor requirement.
func (db *DB) UpdateOrgSecurity(ctx context.Context, tx *sql.Tx, o *clinic.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE orgs SET idle_timeout_s = $1, require_mfa = $2, name = $3, time_zone = $4 WHERE id = $5",
		int64(o.IdleTimeout/time.Second), b2i(o.RequireMFA), o.Name, o.TimeZone, o.ID)
	return dbErr(err)
}

// CreateLocation stores a new location of l.OrgID.
func (db *DB) CreateLocation(ctx context.Context, tx *sql.Tx, l *clinic.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO locations (org_id, name, address1, city, state, zip, phone, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		l.OrgID, l.Name, l.Address1, l.City, l.State, l.Zip, l.Phone, l.TimeZone).Scan(&l.ID))
}

// UpdateLocation saves a location's name, address, phone and time zone.
func (db *DB) UpdateLocation(ctx context.Context, tx *sql.Tx, l *clinic.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if err := checkText("name", l.Name, "address1", l.Address1, "city", l.City, "state", l.State, "zip", l.Zip, "phone", l.Phone); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, "UPDATE locations SET name = $1, address1 = $2, city = $3, state = $4, zip = $5, phone = $6, time_zone = $7 WHERE id = $8 AND org_id = $9",
		l.Name, l.Address1, l.City, l.State, l.Zip, l.Phone, l.TimeZone, l.ID, l.OrgID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "There is no such location.")
	}
	return nil
}

// Locations lists an organisation's locations by name.
func (db *DB) Locations(ctx context.Context, orgID int64) ([]clinic.Location, error) {
	rows, err := db.query(ctx, "SELECT id, org_id, name, address1, city, state, zip, phone, time_zone FROM locations WHERE org_id = $1 ORDER BY name, id", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []clinic.Location
	for rows.Next() {
		var l clinic.Location
		if err := rows.Scan(&l.ID, &l.OrgID, &l.Name, &l.Address1, &l.City, &l.State, &l.Zip, &l.Phone, &l.TimeZone); err != nil {
			return nil, dbErr(err)
		}
		out = append(out, l)
	}
	return out, dbErr(rows.Err())
}

// isUnique reports whether err is a unique-constraint violation on either engine.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return containsAny(s, "UNIQUE constraint failed", "SQLSTATE 23505", "duplicate key value")
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Orgs lists every organisation (for the command line).
func (db *DB) Orgs(ctx context.Context) ([]clinic.Organisation, error) {
	rows, err := db.query(ctx, "SELECT "+orgCols+" FROM orgs ORDER BY id")
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []clinic.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, dbErr(rows.Err())
}
