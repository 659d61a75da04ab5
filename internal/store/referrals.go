package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// SetReferral records who referred a client, replacing what was recorded.
// The client and the source must both be orgID's.
func (db *DB) SetReferral(ctx context.Context, tx *sql.Tx, orgID int64, r *clinic.Referral, by int64) error {
	if err := r.Validate(db.furthestToday()); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, orgID, r.ClientID); err != nil {
		return err
	}
	if err := checkPhysician(ctx, tx, orgID, r.PhysicianID, "physician_id"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO client_referrals (client_id, org_id, physician_id, referred_on, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (client_id) DO UPDATE SET physician_id = excluded.physician_id, referred_on = excluded.referred_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		r.ClientID, orgID, r.PhysicianID, r.ReferredOn, by, db.now())
	return dbErr(err)
}

// ClearReferral forgets who referred a client.
func (db *DB) ClearReferral(ctx context.Context, tx *sql.Tx, orgID, clientID int64) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM client_referrals WHERE client_id = $1 AND org_id = $2", clientID, orgID)
	return dbErr(err)
}

// Referral reads who referred a client, with the source's directory entry;
// NotFound when nobody is recorded.
func (db *DB) Referral(ctx context.Context, orgID, clientID int64) (*clinic.Referral, error) {
	r := clinic.Referral{ClientID: clientID}
	err := db.queryRow(ctx, "SELECT physician_id, referred_on FROM client_referrals WHERE client_id = $1 AND org_id = $2", clientID, orgID).Scan(&r.PhysicianID, &r.ReferredOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "Nobody is recorded as having referred this client.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	if r.Physician, err = db.Physician(ctx, orgID, r.PhysicianID); err != nil {
		return nil, err
	}
	return &r, nil
}

// ReferralCounts counts the clients each source referred, month by month,
// for referrals dated from..to (YYYY-MM-DD, both included). locationIDs,
// when not nil, counts only clients of those locations.
func (db *DB) ReferralCounts(ctx context.Context, orgID int64, from, to string, locationIDs []int64) ([]clinic.ReferralCount, error) {
	args := []any{orgID, from, to}
	q := `SELECT r.physician_id, SUBSTR(r.referred_on, 1, 7) AS month, COUNT(*) FROM client_referrals r`
	where := " WHERE r.org_id = $1 AND r.referred_on >= $2 AND r.referred_on <= $3"
	if locationIDs != nil {
		if len(locationIDs) == 0 {
			return nil, nil
		}
		ps := make([]string, len(locationIDs))
		for i, l := range locationIDs {
			args = append(args, l)
			ps[i] = "$" + itoa(len(args))
		}
		q += " JOIN clients c ON c.id = r.client_id"
		where += " AND c.preferred_location_id IN (" + strings.Join(ps, ", ") + ")"
	}
	rows, err := db.query(ctx, q+where+" GROUP BY r.physician_id, SUBSTR(r.referred_on, 1, 7) ORDER BY 1, 2", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []clinic.ReferralCount
	for rows.Next() {
		var c clinic.ReferralCount
		if err := rows.Scan(&c.PhysicianID, &c.Month, &c.Count); err != nil {
			return nil, dbErr(err)
		}
		out = append(out, c)
	}
	return out, dbErr(rows.Err())
}
