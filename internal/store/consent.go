package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

const consentCols = `d.id, d.org_id, d.kind, d.version, d.title, d.body, d.created_at, d.created_by, COALESCE(u.name, '')`

const consentFrom = ` FROM consent_documents d LEFT JOIN users u ON u.id = d.created_by`

func collectConsents(rows *sql.Rows, err error) ([]care.ConsentDocument, error) {
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.ConsentDocument
	for rows.Next() {
		var d care.ConsentDocument
		var at int64
		if err := rows.Scan(&d.ID, &d.OrgID, &d.Kind, &d.Version, &d.Title, &d.Body, &at, &d.CreatedBy, &d.CreatedByName); err != nil {
			return nil, dbErr(err)
		}
		d.CreatedAt = ms2t(at)
		out = append(out, d)
	}
	return out, dbErr(rows.Err())
}

// SaveConsent stores d as the next version of its kind (d.OrgID, d.Kind,
// d.Title, d.Body, d.CreatedBy set by the caller). Earlier versions stay as
// they were: intakes signed with them point at them.
func (db *DB) SaveConsent(ctx context.Context, tx *sql.Tx, d *care.ConsentDocument) error {
	if err := d.Validate().Err(); err != nil {
		return err
	}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM consent_documents WHERE org_id = $1 AND kind = $2", d.OrgID, d.Kind).Scan(&v); err != nil {
		return dbErr(err)
	}
	now := db.now()
	d.Version, d.CreatedAt = v+1, ms2t(now)
	err := tx.QueryRowContext(ctx, `INSERT INTO consent_documents (org_id, kind, version, title, body, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, d.OrgID, d.Kind, d.Version, d.Title, d.Body, now, d.CreatedBy).Scan(&d.ID)
	if isUnique(err) {
		return errs.E(errs.Conflict, "Someone else saved this document at the same moment. Reload the page and save again.")
	}
	return dbErr(err)
}

// CurrentConsents lists the latest version of each kind the organisation has written.
func (db *DB) CurrentConsents(ctx context.Context, orgID int64) ([]care.ConsentDocument, error) {
	ds, err := collectConsents(db.query(ctx, "SELECT "+consentCols+consentFrom+
		` WHERE d.org_id = $1 AND d.version = (SELECT MAX(version) FROM consent_documents x WHERE x.org_id = d.org_id AND x.kind = d.kind)`, orgID))
	if err != nil {
		return nil, err
	}
	// In the order of care.ConsentKinds.
	var out []care.ConsentDocument
	for _, k := range care.ConsentKinds {
		for _, d := range ds {
			if d.Kind == k.Key {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// ConsentHistory lists every version of the organisation's documents, newest first within each kind.
func (db *DB) ConsentHistory(ctx context.Context, orgID int64) ([]care.ConsentDocument, error) {
	return collectConsents(db.query(ctx, "SELECT "+consentCols+consentFrom+" WHERE d.org_id = $1 ORDER BY d.kind, d.version DESC", orgID))
}

// ConsentsByID reads consent versions of the organisation by id; an id of
// another organisation, or none at all, is NotFound.
func (db *DB) ConsentsByID(ctx context.Context, orgID int64, ids []int64) ([]care.ConsentDocument, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{orgID}
	ps := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ps[i] = "$" + itoa(i+2)
	}
	ds, err := collectConsents(db.query(ctx, "SELECT "+consentCols+consentFrom+" WHERE d.org_id = $1 AND d.id IN ("+strings.Join(ps, ", ")+") ORDER BY d.id", args...))
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, d := range ds {
		seen[d.ID] = true
	}
	for _, id := range ids {
		if !seen[id] {
			return nil, errs.E(errs.NotFound, "No such consent document.")
		}
	}
	return ds, nil
}
