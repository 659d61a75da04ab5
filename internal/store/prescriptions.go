package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// furthestToday is a time whose date is today or later in every time zone
// (UTC+14 is the furthest ahead). The app checks dates against the clinic's
// own today; the store only makes sure nothing is dated beyond anyone's.
func (db *DB) furthestToday() time.Time { return db.Now().UTC().Add(14 * time.Hour) }

// CreatePrescription stores a prescription of p.ClientID with its
// diagnoses in order. The diagnoses' codes are checked against the code
// set by the caller (the app), which knows the set in force.
func (db *DB) CreatePrescription(ctx context.Context, tx *sql.Tx, p *care.Prescription) error {
	if err := p.Validate(db.furthestToday(), nil); err != nil {
		return err
	}
	if err := checkText("ordered_treatment", p.OrderedTreatment, "precautions", p.Precautions); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, p.OrgID, p.ClientID); err != nil {
		return err
	}
	if err := checkPhysician(ctx, tx, p.OrgID, p.PhysicianID, "physician_id"); err != nil {
		return err
	}
	if p.DocumentID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = $1 AND org_id = $2 AND client_id = $3", p.DocumentID, p.OrgID, p.ClientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "The scanned prescription is not one of this client's documents.", Fields: map[string]string{"document": "Unknown document."}}
		}
	}
	now := db.now()
	p.Version, p.CreatedAt, p.UpdatedAt = 1, ms2t(now), ms2t(now)
	err := tx.QueryRowContext(ctx, `INSERT INTO prescriptions (org_id, client_id, physician_id, written_on, ordered_treatment, frequency_per_week, duration_weeks, visits,
		start_on, expires_on, precautions, document_id, created_by, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id`,
		p.OrgID, p.ClientID, p.PhysicianID, p.WrittenOn, p.OrderedTreatment, p.FrequencyPerWeek, p.DurationWeeks, p.Visits,
		p.StartOn, p.ExpiresOn, p.Precautions, nullID(p.DocumentID), p.CreatedBy, now).Scan(&p.ID)
	if err != nil {
		return dbErr(err)
	}
	for i, code := range p.Diagnoses {
		if _, err := tx.ExecContext(ctx, "INSERT INTO prescription_diagnoses (prescription_id, position, code) VALUES ($1, $2, $3)", p.ID, i+1, code); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

const prescriptionCols = `x.id, x.org_id, x.client_id, x.physician_id, x.written_on, x.ordered_treatment, x.frequency_per_week, x.duration_weeks, x.visits,
	x.start_on, x.expires_on, x.precautions, COALESCE(x.document_id, 0), x.created_by, x.version, x.created_at, x.updated_at, p.name, p.credentials,
	(SELECT COUNT(*) FROM session_notes n WHERE n.org_id = x.org_id AND n.client_id = x.client_id AND n.status = 'signed'
		AND n.service_date >= x.start_on AND n.service_date <= x.expires_on)`

// A prescription's visits used are the client's signed session notes
// within its dates (issue #6): nobody types them in.

func scanPrescription(row interface{ Scan(...any) error }) (*care.Prescription, error) {
	var p care.Prescription
	var created, updated int64
	var name, cred string
	err := row.Scan(&p.ID, &p.OrgID, &p.ClientID, &p.PhysicianID, &p.WrittenOn, &p.OrderedTreatment, &p.FrequencyPerWeek, &p.DurationWeeks, &p.Visits,
		&p.StartOn, &p.ExpiresOn, &p.Precautions, &p.DocumentID, &p.CreatedBy, &p.Version, &created, &updated, &name, &cred, &p.VisitsUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such prescription.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	p.CreatedAt, p.UpdatedAt, p.PhysicianName = ms2t(created), ms2t(updated), name
	if cred != "" {
		p.PhysicianName += ", " + cred
	}
	return &p, nil
}

const prescriptionFrom = " FROM prescriptions x JOIN physicians p ON p.id = x.physician_id AND p.org_id = x.org_id "

// Prescriptions lists a client's prescriptions, the newest first, with
// their diagnoses and the prescriber's name.
func (db *DB) Prescriptions(ctx context.Context, orgID, clientID int64) ([]care.Prescription, error) {
	rows, err := db.query(ctx, "SELECT "+prescriptionCols+prescriptionFrom+"WHERE x.org_id = $1 AND x.client_id = $2 ORDER BY x.start_on DESC, x.id DESC", orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	var out []care.Prescription
	for rows.Next() {
		p, err := scanPrescription(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbErr(err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	// The diagnoses of all of them in one query.
	byID := map[int64]*care.Prescription{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	drows, err := db.query(ctx, `SELECT d.prescription_id, d.code FROM prescription_diagnoses d JOIN prescriptions x ON x.id = d.prescription_id
		WHERE x.org_id = $1 AND x.client_id = $2 ORDER BY d.prescription_id, d.position`, orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer drows.Close()
	for drows.Next() {
		var id int64
		var code string
		if err := drows.Scan(&id, &code); err != nil {
			return nil, dbErr(err)
		}
		if p := byID[id]; p != nil {
			p.Diagnoses = append(p.Diagnoses, code)
		}
	}
	return out, dbErr(drows.Err())
}

// Prescription reads one prescription of an organisation with its diagnoses.
func (db *DB) Prescription(ctx context.Context, orgID, id int64) (*care.Prescription, error) {
	p, err := scanPrescription(db.queryRow(ctx, "SELECT "+prescriptionCols+prescriptionFrom+"WHERE x.id = $1 AND x.org_id = $2", id, orgID))
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT code FROM prescription_diagnoses WHERE prescription_id = $1 ORDER BY position", id)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, dbErr(err)
		}
		p.Diagnoses = append(p.Diagnoses, code)
	}
	return p, dbErr(rows.Err())
}
