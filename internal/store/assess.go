package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/errs"
)

// Evaluations and treatment plans. The clinical content is one JSON
// document per row (evalBody, planBody); a signed row never changes, which
// triggers of migration 0008 enforce below this code too.

type evalBody struct {
	Subjective assess.Subjective       `json:"subjective"`
	Posture    []assess.PostureFinding `json:"posture"`
	Marks      []assess.Mark           `json:"marks"`
	ROM        []assess.ROM            `json:"rom"`
	Tests      []assess.TestResult     `json:"tests"`
	Gait       []string                `json:"gait"`
	GaitNote   string                  `json:"gait_note,omitempty"`
	Assessment string                  `json:"assessment"`
}

func evalJSON(e *assess.Evaluation) (string, error) {
	b, err := json.Marshal(evalBody{e.Subjective, e.Posture, e.Marks, e.ROM, e.Tests, e.Gait, e.GaitNote, e.Assessment})
	return string(b), err
}

// EvaluationSummary is a row of a client's list of evaluations.
type EvaluationSummary struct {
	ID, PreviousID     int64
	Kind, Date, Status string
	Condition          string
	Marks, Flags       int
	TherapistID        int64
	TherapistName      string
	SignedAt           int64
}

func restrictedCount(e *assess.Evaluation, th assess.Thresholds) int {
	n := 0
	for _, r := range assess.EvaluateROM(e.ROM, th) {
		if r.Restricted {
			n++
		}
	}
	return n
}

// CreateEvaluation stores a new draft evaluation of a client of the
// organisation; th (the organisation's flags) counts its restricted motions.
func (db *DB) CreateEvaluation(ctx context.Context, tx *sql.Tx, e *assess.Evaluation, th assess.Thresholds) error {
	if _, err := db.clientTx(ctx, tx, e.OrgID, e.ClientID); err != nil {
		return err
	}
	if e.PreviousID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM evaluations WHERE id = $1 AND org_id = $2 AND client_id = $3 AND status = 'signed'",
			e.PreviousID, e.OrgID, e.ClientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return errs.E(errs.Invalid, "A re-evaluation starts from a signed evaluation of the same client.")
		}
	}
	body, err := evalJSON(e)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The evaluation could not be stored.")
	}
	now := db.now()
	e.Status, e.Version, e.CreatedAt, e.UpdatedAt = assess.Draft, 1, ms2t(now), ms2t(now)
	err = tx.QueryRowContext(ctx, `INSERT INTO evaluations (org_id, client_id, kind, previous_id, service_date, condition_key, body, mark_count, flag_count,
		status, therapist_id, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, 1, $11, $11) RETURNING id`,
		e.OrgID, e.ClientID, e.Kind, nullID(e.PreviousID), e.Date, e.Condition, body, len(e.Marks), restrictedCount(e, th), e.TherapistID, now).Scan(&e.ID)
	return dbErr(err)
}

// UpdateEvaluation saves a draft if it is still at e.Version; a signed
// evaluation or a newer version is a Conflict and nothing changes.
func (db *DB) UpdateEvaluation(ctx context.Context, tx *sql.Tx, e *assess.Evaluation, th assess.Thresholds) error {
	body, err := evalJSON(e)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The evaluation could not be stored.")
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE evaluations SET service_date = $1, condition_key = $2, body = $3, mark_count = $4, flag_count = $5,
		version = version + 1, updated_at = $6 WHERE id = $7 AND org_id = $8 AND client_id = $9 AND version = $10 AND status = 'draft'`,
		e.Date, e.Condition, body, len(e.Marks), restrictedCount(e, th), now, e.ID, e.OrgID, e.ClientID, e.Version)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.evalConflict(ctx, tx, e.OrgID, e.ClientID, e.ID, e.Version)
	}
	e.Version++
	e.UpdatedAt = ms2t(now)
	return nil
}

func (db *DB) evalConflict(ctx context.Context, tx *sql.Tx, orgID, clientID, id, version int64) error {
	var status string
	var cur int64
	err := tx.QueryRowContext(ctx, "SELECT status, version FROM evaluations WHERE id = $1 AND org_id = $2 AND client_id = $3", id, orgID, clientID).Scan(&status, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "No such evaluation.")
	}
	if err != nil {
		return dbErr(err)
	}
	if status == assess.Signed {
		return errs.E(errs.Conflict, "This evaluation is signed and can no longer change. Start a re-evaluation instead.")
	}
	return errs.E(errs.Conflict, "Someone saved this evaluation after you opened it (now at version %d). Nothing was saved; open it again.", cur)
}

// SignEvaluation signs a draft at version; afterwards it never changes.
func (db *DB) SignEvaluation(ctx context.Context, tx *sql.Tx, orgID, clientID, id, version, userID int64) error {
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE evaluations SET status = 'signed', signed_by = $1, signed_at = $2, updated_at = $2
		WHERE id = $3 AND org_id = $4 AND client_id = $5 AND version = $6 AND status = 'draft'`, userID, now, id, orgID, clientID, version)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.evalConflict(ctx, tx, orgID, clientID, id, version)
	}
	return nil
}

const evalCols = `e.id, e.org_id, e.client_id, e.kind, COALESCE(e.previous_id, 0), e.service_date, e.condition_key, e.body, e.status, e.therapist_id,
	COALESCE(e.signed_by, 0), COALESCE(u.name, ''), e.signed_at, e.version, e.created_at, e.updated_at`

func scanEvaluation(row interface{ Scan(...any) error }) (*assess.Evaluation, error) {
	var e assess.Evaluation
	var body string
	var signed, created, updated int64
	err := row.Scan(&e.ID, &e.OrgID, &e.ClientID, &e.Kind, &e.PreviousID, &e.Date, &e.Condition, &body, &e.Status, &e.TherapistID,
		&e.SignedBy, &e.SignedByName, &signed, &e.Version, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such evaluation.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	var b evalBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, dbErr(err)
	}
	e.Subjective, e.Posture, e.Marks, e.ROM, e.Tests, e.Gait, e.GaitNote, e.Assessment = b.Subjective, b.Posture, b.Marks, b.ROM, b.Tests, b.Gait, b.GaitNote, b.Assessment
	e.SignedAt, e.CreatedAt, e.UpdatedAt = ms2t(signed), ms2t(created), ms2t(updated)
	return &e, nil
}

// Evaluation reads one evaluation of a client.
func (db *DB) Evaluation(ctx context.Context, orgID, clientID, id int64) (*assess.Evaluation, error) {
	return scanEvaluation(db.queryRow(ctx, "SELECT "+evalCols+" FROM evaluations e LEFT JOIN users u ON u.id = e.signed_by WHERE e.id = $1 AND e.org_id = $2 AND e.client_id = $3", id, orgID, clientID))
}

// LatestSignedEvaluation is the client's newest signed evaluation (NotFound when none).
func (db *DB) LatestSignedEvaluation(ctx context.Context, orgID, clientID int64) (*assess.Evaluation, error) {
	return scanEvaluation(db.queryRow(ctx, "SELECT "+evalCols+" FROM evaluations e LEFT JOIN users u ON u.id = e.signed_by WHERE e.org_id = $1 AND e.client_id = $2 AND e.status = 'signed' ORDER BY e.service_date DESC, e.id DESC LIMIT 1", orgID, clientID))
}

// Evaluations lists a client's evaluations, newest first, without their content.
func (db *DB) Evaluations(ctx context.Context, orgID, clientID int64) ([]EvaluationSummary, error) {
	rows, err := db.query(ctx, `SELECT e.id, COALESCE(e.previous_id, 0), e.kind, e.service_date, e.status, e.condition_key, e.mark_count, e.flag_count,
		e.therapist_id, COALESCE(u.name, ''), e.signed_at FROM evaluations e LEFT JOIN users u ON u.id = e.therapist_id
		WHERE e.org_id = $1 AND e.client_id = $2 ORDER BY e.service_date DESC, e.id DESC`, orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []EvaluationSummary
	for rows.Next() {
		var s EvaluationSummary
		if err := rows.Scan(&s.ID, &s.PreviousID, &s.Kind, &s.Date, &s.Status, &s.Condition, &s.Marks, &s.Flags, &s.TherapistID, &s.TherapistName, &s.SignedAt); err != nil {
			return nil, dbErr(err)
		}
		out = append(out, s)
	}
	return out, dbErr(rows.Err())
}

type planBody struct {
	Diagnoses      []string                  `json:"diagnoses"`
	PrescriptionID int64                     `json:"prescription_id,omitempty"`
	Goals          []assess.Goal             `json:"goals"`
	Techniques     []assess.PlannedTechnique `json:"techniques"`
	PerWeek        int                       `json:"per_week"`
	Weeks          int                       `json:"weeks"`
	ReevalVisits   int                       `json:"reeval_visits"`
	ReevalDays     int                       `json:"reeval_days"`
	Precautions    []string                  `json:"precautions"`
	HomeCare       string                    `json:"home_care,omitempty"`
}

func planJSON(p *assess.Plan) (string, error) {
	b, err := json.Marshal(planBody{p.Diagnoses, p.PrescriptionID, p.Goals, p.Techniques, p.PerWeek, p.Weeks, p.ReevalVisits, p.ReevalDays, p.Precautions, p.HomeCare})
	return string(b), err
}

// CreatePlan stores a new draft plan. A plan without a series starts one
// (version 1); a plan with a series is the next version of it.
func (db *DB) CreatePlan(ctx context.Context, tx *sql.Tx, p *assess.Plan) error {
	if _, err := db.clientTx(ctx, tx, p.OrgID, p.ClientID); err != nil {
		return err
	}
	if p.EvaluationID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM evaluations WHERE id = $1 AND org_id = $2 AND client_id = $3", p.EvaluationID, p.OrgID, p.ClientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return errs.E(errs.Invalid, "The plan must follow an evaluation of the same client.")
		}
	}
	if p.PhysicianID != 0 {
		if err := checkPhysician(ctx, tx, p.OrgID, p.PhysicianID, "physician_id"); err != nil {
			return err
		}
	}
	p.Version = 1
	if p.Series != 0 {
		var drafts int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(plan_version), 0) + 1, COUNT(CASE WHEN status = 'draft' THEN 1 END) FROM treatment_plans WHERE series = $1 AND org_id = $2 AND client_id = $3",
			p.Series, p.OrgID, p.ClientID).Scan(&p.Version, &drafts); err != nil {
			return dbErr(err)
		}
		if p.Version == 1 {
			return errs.E(errs.NotFound, "No such plan.")
		}
		if drafts > 0 {
			return errs.E(errs.Conflict, "A new version of this plan is already being written: open that draft.")
		}
	}
	body, err := planJSON(p)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The plan could not be stored.")
	}
	now := db.now()
	p.Status, p.RowVersion, p.CreatedAt, p.UpdatedAt = assess.Draft, 1, ms2t(now), ms2t(now)
	if err := tx.QueryRowContext(ctx, `INSERT INTO treatment_plans (org_id, client_id, series, plan_version, evaluation_id, condition_key, start_date, body, status,
		therapist_id, physician_id, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, 1, $11, $11) RETURNING id`,
		p.OrgID, p.ClientID, p.Series, p.Version, nullID(p.EvaluationID), p.Condition, p.StartDate, body, p.TherapistID, nullID(p.PhysicianID), now).Scan(&p.ID); err != nil {
		if isUnique(err) {
			return errs.E(errs.Conflict, "A new version of this plan is already being written: open that draft.")
		}
		return dbErr(err)
	}
	if p.Series == 0 {
		p.Series = p.ID
		if _, err := tx.ExecContext(ctx, "UPDATE treatment_plans SET series = id WHERE id = $1", p.ID); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// UpdatePlan saves a draft plan if it is still at p.RowVersion.
func (db *DB) UpdatePlan(ctx context.Context, tx *sql.Tx, p *assess.Plan) error {
	if p.PhysicianID != 0 {
		if err := checkPhysician(ctx, tx, p.OrgID, p.PhysicianID, "physician_id"); err != nil {
			return err
		}
	}
	body, err := planJSON(p)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The plan could not be stored.")
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE treatment_plans SET start_date = $1, condition_key = $2, body = $3, physician_id = $4, version = version + 1, updated_at = $5
		WHERE id = $6 AND org_id = $7 AND client_id = $8 AND version = $9 AND status = 'draft'`,
		p.StartDate, p.Condition, body, nullID(p.PhysicianID), now, p.ID, p.OrgID, p.ClientID, p.RowVersion)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.planConflict(ctx, tx, p.OrgID, p.ClientID, p.ID, p.RowVersion)
	}
	p.RowVersion++
	p.UpdatedAt = ms2t(now)
	return nil
}

func (db *DB) planConflict(ctx context.Context, tx *sql.Tx, orgID, clientID, id, version int64) error {
	var status string
	var cur int64
	err := tx.QueryRowContext(ctx, "SELECT status, version FROM treatment_plans WHERE id = $1 AND org_id = $2 AND client_id = $3", id, orgID, clientID).Scan(&status, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "No such plan.")
	}
	if err != nil {
		return dbErr(err)
	}
	if status != assess.Draft {
		return errs.E(errs.Conflict, "This plan is signed and can no longer change. Write a new version of it instead.")
	}
	return errs.E(errs.Conflict, "Someone saved this plan after you opened it (now at version %d). Nothing was saved; open it again.", cur)
}

// SignPlan signs a draft at version and supersedes the signed version
// before it in the series.
func (db *DB) SignPlan(ctx context.Context, tx *sql.Tx, orgID, clientID, id, version, userID int64) error {
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE treatment_plans SET status = 'signed', signed_by = $1, signed_at = $2, version = version + 1, updated_at = $2
		WHERE id = $3 AND org_id = $4 AND client_id = $5 AND version = $6 AND status = 'draft'`, userID, now, id, orgID, clientID, version)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.planConflict(ctx, tx, orgID, clientID, id, version)
	}
	_, err = tx.ExecContext(ctx, `UPDATE treatment_plans SET status = 'superseded', version = version + 1, updated_at = $1
		WHERE series = (SELECT series FROM treatment_plans WHERE id = $2) AND org_id = $3 AND status = 'signed' AND id <> $2`, now, id, orgID)
	return dbErr(err)
}

// MarkPlanSent records that a signed plan went to its physician.
func (db *DB) MarkPlanSent(ctx context.Context, tx *sql.Tx, orgID, clientID, id, physicianID int64) error {
	if err := checkPhysician(ctx, tx, orgID, physicianID, "physician_id"); err != nil {
		return err
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE treatment_plans SET physician_id = $1, sent_at = $2, version = version + 1, updated_at = $2
		WHERE id = $3 AND org_id = $4 AND client_id = $5 AND status = 'signed'`, physicianID, now, id, orgID, clientID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if err := db.planExists(ctx, tx, orgID, clientID, id); err != nil {
			return err
		}
		return errs.E(errs.Conflict, "Only the signed, current plan is sent to the physician.")
	}
	return nil
}

// RecordCosign records the physician's returned co-signature of a signed plan.
func (db *DB) RecordCosign(ctx context.Context, tx *sql.Tx, orgID, clientID, id int64, on, by string, documentID int64) error {
	if err := checkText("cosigned_by", by); err != nil {
		return err
	}
	if documentID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = $1 AND org_id = $2 AND client_id = $3", documentID, orgID, clientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "The signed copy is not one of this client's documents.", Fields: map[string]string{"document": "Unknown document."}}
		}
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE treatment_plans SET cosigned_on = $1, cosigned_by = $2, cosign_document = $3, version = version + 1, updated_at = $4
		WHERE id = $5 AND org_id = $6 AND client_id = $7 AND status <> 'draft'`, on, by, nullID(documentID), now, id, orgID, clientID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if err := db.planExists(ctx, tx, orgID, clientID, id); err != nil {
			return err
		}
		return errs.E(errs.Conflict, "Only a signed plan is co-signed.")
	}
	return nil
}

// planExists is NotFound unless the organisation's client has plan id.
func (db *DB) planExists(ctx context.Context, tx *sql.Tx, orgID, clientID, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM treatment_plans WHERE id = $1 AND org_id = $2 AND client_id = $3", id, orgID, clientID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "No such plan.")
	}
	return nil
}

const planCols = `p.id, p.org_id, p.client_id, p.series, p.plan_version, COALESCE(p.evaluation_id, 0), p.condition_key, p.start_date, p.body, p.status,
	p.therapist_id, COALESCE(p.signed_by, 0), COALESCE(u.name, ''), p.signed_at, COALESCE(p.physician_id, 0), p.sent_at, p.cosigned_on, p.cosigned_by,
	COALESCE(p.cosign_document, 0), p.version, p.created_at, p.updated_at`

func scanPlan(row interface{ Scan(...any) error }) (*assess.Plan, error) {
	var p assess.Plan
	var body string
	var signed, sent, created, updated int64
	err := row.Scan(&p.ID, &p.OrgID, &p.ClientID, &p.Series, &p.Version, &p.EvaluationID, &p.Condition, &p.StartDate, &body, &p.Status,
		&p.TherapistID, &p.SignedBy, &p.SignedByName, &signed, &p.PhysicianID, &sent, &p.CosignedOn, &p.CosignedBy, &p.CosignDocument, &p.RowVersion, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such plan.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	var b planBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, dbErr(err)
	}
	p.Diagnoses, p.PrescriptionID, p.Goals, p.Techniques = b.Diagnoses, b.PrescriptionID, b.Goals, b.Techniques
	p.PerWeek, p.Weeks, p.ReevalVisits, p.ReevalDays, p.Precautions, p.HomeCare = b.PerWeek, b.Weeks, b.ReevalVisits, b.ReevalDays, b.Precautions, b.HomeCare
	p.SignedAt, p.SentAt, p.CreatedAt, p.UpdatedAt = ms2t(signed), ms2t(sent), ms2t(created), ms2t(updated)
	return &p, nil
}

// Plan reads one plan of a client.
func (db *DB) Plan(ctx context.Context, orgID, clientID, id int64) (*assess.Plan, error) {
	return scanPlan(db.queryRow(ctx, "SELECT "+planCols+" FROM treatment_plans p LEFT JOIN users u ON u.id = p.signed_by WHERE p.id = $1 AND p.org_id = $2 AND p.client_id = $3", id, orgID, clientID))
}

// Plans lists a client's plans, every version, newest series and version first.
func (db *DB) Plans(ctx context.Context, orgID, clientID int64) ([]assess.Plan, error) {
	rows, err := db.query(ctx, "SELECT "+planCols+" FROM treatment_plans p LEFT JOIN users u ON u.id = p.signed_by WHERE p.org_id = $1 AND p.client_id = $2 ORDER BY p.series DESC, p.plan_version DESC", orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []assess.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, dbErr(rows.Err())
}

// ROMThresholds are the organisation's range-of-motion flags (the
// defaults when it has not set its own).
func (db *DB) ROMThresholds(ctx context.Context, orgID int64) (assess.Thresholds, error) {
	th := assess.DefaultThresholds
	err := db.queryRow(ctx, "SELECT min_percent, max_side_diff FROM rom_settings WHERE org_id = $1", orgID).Scan(&th.MinPercent, &th.MaxSideDiff)
	if errors.Is(err, sql.ErrNoRows) {
		return assess.DefaultThresholds, nil
	}
	return th, dbErr(err)
}

// SaveROMThresholds sets the organisation's range-of-motion flags.
func (db *DB) SaveROMThresholds(ctx context.Context, tx *sql.Tx, orgID int64, th assess.Thresholds) error {
	if err := th.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO rom_settings (org_id, min_percent, max_side_diff, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id) DO UPDATE SET min_percent = excluded.min_percent, max_side_diff = excluded.max_side_diff, updated_at = excluded.updated_at`,
		orgID, th.MinPercent, th.MaxSideDiff, db.now())
	return dbErr(err)
}
