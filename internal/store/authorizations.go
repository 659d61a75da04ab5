package store

import (
	"context"
	"database/sql"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// CreateAuthorization stores a payer's authorization of a.ClientID's visits.
func (db *DB) CreateAuthorization(ctx context.Context, tx *sql.Tx, a *care.Authorization) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := checkText("payer", a.Payer, "number", a.Number); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, a.OrgID, a.ClientID); err != nil {
		return err
	}
	if a.PrescriptionID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM prescriptions WHERE id = $1 AND org_id = $2 AND client_id = $3", a.PrescriptionID, a.OrgID, a.ClientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "Choose one of this client's prescriptions, or none.", Fields: map[string]string{"prescription_id": "Not one of this client's prescriptions."}}
		}
	}
	now := db.now()
	a.Version, a.CreatedAt, a.UpdatedAt = 1, ms2t(now), ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO authorizations (org_id, client_id, prescription_id, payer, number, visits_authorized, visits_used, start_on, end_on,
		created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
		a.OrgID, a.ClientID, nullID(a.PrescriptionID), a.Payer, a.Number, a.VisitsAuthorized, a.VisitsUsed, a.StartOn, a.EndOn, a.CreatedBy, now).Scan(&a.ID))
}

// Authorizations lists a client's authorizations, the newest first.
func (db *DB) Authorizations(ctx context.Context, orgID, clientID int64) ([]care.Authorization, error) {
	// Visits used: what the front desk recorded as used when the
	// authorization was entered, plus the client's sessions signed since
	// then within its dates (issue #6).
	rows, err := db.query(ctx, `SELECT a.id, a.org_id, a.client_id, COALESCE(a.prescription_id, 0), a.payer, a.number, a.visits_authorized,
		a.visits_used + (SELECT COUNT(*) FROM session_notes n WHERE n.org_id = a.org_id AND n.client_id = a.client_id AND n.status = 'signed'
			AND n.service_date >= a.start_on AND n.service_date <= a.end_on AND n.signed_at >= a.created_at),
		a.start_on, a.end_on, a.created_by, a.version, a.created_at, a.updated_at FROM authorizations a WHERE a.org_id = $1 AND a.client_id = $2
		ORDER BY a.start_on DESC, a.id DESC`, orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Authorization
	for rows.Next() {
		var a care.Authorization
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.OrgID, &a.ClientID, &a.PrescriptionID, &a.Payer, &a.Number, &a.VisitsAuthorized, &a.VisitsUsed, &a.StartOn, &a.EndOn,
			&a.CreatedBy, &a.Version, &created, &updated); err != nil {
			return nil, dbErr(err)
		}
		a.CreatedAt, a.UpdatedAt = ms2t(created), ms2t(updated)
		out = append(out, a)
	}
	return out, dbErr(rows.Err())
}
