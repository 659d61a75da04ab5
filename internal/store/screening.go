package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// Contraindication screening: rules per organisation, each client's current
// findings, overrides and clearances (migration 0006).

const ruleCols = "id, rule_key, kind, value, n, level, region, modification, reason, source, enabled, builtin, version"

func scanRule(row interface{ Scan(...any) error }) (*care.Rule, error) {
	var r care.Rule
	var kind, level string
	var enabled, builtin int
	err := row.Scan(&r.ID, &r.Key, &kind, &r.Trigger.Value, &r.Trigger.N, &level, &r.Region, &r.Modification, &r.Reason, &r.Source, &enabled, &builtin, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such rule.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	r.Trigger.Kind, r.Level, r.Enabled, r.Builtin = care.TriggerKind(kind), care.Level(level), enabled == 1, builtin == 1
	return &r, nil
}

// ScreeningRules returns an organisation's rules: the defaults in their
// order, then the organisation's own. The defaults are added the first time
// an organisation's rules are needed, and again when a release brings new ones.
func (db *DB) ScreeningRules(ctx context.Context, orgID int64) ([]care.Rule, error) {
	if err := db.ensureRules(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE org_id = $1 ORDER BY builtin DESC, position, id", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, dbErr(rows.Err())
}

// ScreeningRuleTx reads one rule of an organisation inside a write transaction.
func (db *DB) ScreeningRuleTx(ctx context.Context, tx *sql.Tx, orgID, id int64) (*care.Rule, error) {
	return scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE id = $1 AND org_id = $2", id, orgID))
}

// ScreeningRule reads one rule of an organisation.
func (db *DB) ScreeningRule(ctx context.Context, orgID, id int64) (*care.Rule, error) {
	if err := db.ensureRules(ctx, orgID); err != nil {
		return nil, err
	}
	return scanRule(db.queryRow(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE id = $1 AND org_id = $2", id, orgID))
}

// RulesGeneration counts the changes of the organisation's rules: findings
// worked out under an older generation are stale.
func (db *DB) RulesGeneration(ctx context.Context, orgID int64) (int64, error) {
	var gen int64
	var hash string
	err := db.queryRow(ctx, "SELECT defaults_hash, generation FROM screening_rule_sets WHERE org_id = $1", orgID).Scan(&hash, &gen)
	if err == nil && hash == care.DefaultRulesHash() {
		return gen, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, dbErr(err)
	}
	if err := db.ensureRules(ctx, orgID); err != nil {
		return 0, err
	}
	err = db.queryRow(ctx, "SELECT generation FROM screening_rule_sets WHERE org_id = $1", orgID).Scan(&gen)
	return gen, dbErr(err)
}

// ensureRules adds the default rules an organisation does not have yet.
func (db *DB) ensureRules(ctx context.Context, orgID int64) error {
	var hash string
	err := db.queryRow(ctx, "SELECT defaults_hash FROM screening_rule_sets WHERE org_id = $1", orgID).Scan(&hash)
	if err == nil && hash == care.DefaultRulesHash() {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return dbErr(err)
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM orgs WHERE id = $1", orgID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return errs.E(errs.NotFound, "No such organisation.")
		}
		if err := db.insertDefaults(ctx, tx, orgID, 0); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO screening_rule_sets (org_id, defaults_hash, generation, changed_at) VALUES ($1, $2, 1, $3)
			ON CONFLICT (org_id) DO UPDATE SET defaults_hash = excluded.defaults_hash, generation = screening_rule_sets.generation + 1, changed_at = excluded.changed_at`,
			orgID, care.DefaultRulesHash(), db.now())
		return dbErr(err)
	})
}

// insertDefaults adds every default rule the organisation lacks (a rule
// already there, edited or not, is left as it is).
func (db *DB) insertDefaults(ctx context.Context, tx *sql.Tx, orgID, byUser int64) error {
	now := db.now()
	for i, r := range care.DefaultRules() {
		_, err := tx.ExecContext(ctx, `INSERT INTO screening_rules (org_id, rule_key, kind, value, n, level, region, modification, reason, source, enabled, builtin, position, version, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, 1, $11, 1, $12, $13) ON CONFLICT (org_id, rule_key) DO NOTHING`,
			orgID, r.Key, string(r.Trigger.Kind), r.Trigger.Value, r.Trigger.N, string(r.Level), r.Region, r.Modification, r.Reason, r.Source, i+1, byUser, now)
		if err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// touchRules records that the organisation's rules changed now.
func (db *DB) touchRules(ctx context.Context, tx *sql.Tx, orgID int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE screening_rule_sets SET generation = generation + 1, changed_at = $1 WHERE org_id = $2", db.now(), orgID)
	return dbErr(err)
}

func ruleText(r *care.Rule) error {
	return checkText("value", r.Trigger.Value, "region", r.Region, "modification", r.Modification, "reason", r.Reason, "source", r.Source)
}

// CreateScreeningRule stores an organisation's own rule; its key is made here.
func (db *DB) CreateScreeningRule(ctx context.Context, tx *sql.Tx, orgID, byUser int64, r *care.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := ruleText(r); err != nil {
		return err
	}
	b := make([]byte, 5)
	rand.Read(b)
	r.Key, r.Builtin, r.Version = "custom."+hex.EncodeToString(b), false, 1
	if err := tx.QueryRowContext(ctx, `INSERT INTO screening_rules (org_id, rule_key, kind, value, n, level, region, modification, reason, source, enabled, builtin, position, version, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 0, 1, $12, $13) RETURNING id`,
		orgID, r.Key, string(r.Trigger.Kind), r.Trigger.Value, r.Trigger.N, string(r.Level), r.Region, r.Modification, r.Reason, r.Source, b2i(r.Enabled), byUser, db.now()).Scan(&r.ID); err != nil {
		return dbErr(err)
	}
	return db.touchRules(ctx, tx, orgID)
}

// UpdateScreeningRule saves r if it is still at r.Version (a Conflict
// otherwise). A default rule keeps its trigger's kind and value.
func (db *DB) UpdateScreeningRule(ctx context.Context, tx *sql.Tx, orgID, byUser int64, r *care.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := ruleText(r); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE screening_rules SET
		kind = CASE WHEN builtin = 1 THEN kind ELSE $1 END, value = CASE WHEN builtin = 1 THEN value ELSE $2 END,
		n = $3, level = $4, region = $5, modification = $6, reason = $7, source = $8, enabled = $9,
		version = version + 1, updated_by = $10, updated_at = $11
		WHERE id = $12 AND org_id = $13 AND version = $14`,
		string(r.Trigger.Kind), r.Trigger.Value, r.Trigger.N, string(r.Level), r.Region, r.Modification, r.Reason, r.Source, b2i(r.Enabled),
		byUser, db.now(), r.ID, orgID, r.Version)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE id = $1 AND org_id = $2", r.ID, orgID))
		if err != nil {
			return err
		}
		return errs.E(errs.Conflict, "Someone else changed this rule after you opened it (now at version %d). Nothing was saved; reload it and make your change again.", cur.Version)
	}
	r.Version++
	return db.touchRules(ctx, tx, orgID)
}

// SetScreeningRuleEnabled turns a rule on or off.
func (db *DB) SetScreeningRuleEnabled(ctx context.Context, tx *sql.Tx, orgID, byUser, id int64, enabled bool) error {
	res, err := tx.ExecContext(ctx, "UPDATE screening_rules SET enabled = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4 AND org_id = $5",
		b2i(enabled), byUser, db.now(), id, orgID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "No such rule.")
	}
	return db.touchRules(ctx, tx, orgID)
}

// DeleteScreeningRule removes one of the organisation's own rules; a
// default rule cannot be deleted, only disabled.
func (db *DB) DeleteScreeningRule(ctx context.Context, tx *sql.Tx, orgID, id int64) error {
	r, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE id = $1 AND org_id = $2", id, orgID))
	if err != nil {
		return err
	}
	if r.Builtin {
		return errs.E(errs.Invalid, "A default rule cannot be deleted; disable it instead.")
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM screening_rules WHERE id = $1 AND org_id = $2", id, orgID); err != nil {
		return dbErr(err)
	}
	return db.touchRules(ctx, tx, orgID)
}

// RestoreDefaultRules puts default rules back as the release wrote them,
// enabled: the one with id, or every default when id is 0 (and adds any
// that are missing). It returns the keys it restored.
func (db *DB) RestoreDefaultRules(ctx context.Context, tx *sql.Tx, orgID, byUser, id int64) ([]string, error) {
	var keys []string
	if id != 0 {
		r, err := scanRule(tx.QueryRowContext(ctx, "SELECT "+ruleCols+" FROM screening_rules WHERE id = $1 AND org_id = $2", id, orgID))
		if err != nil {
			return nil, err
		}
		if !r.Builtin {
			return nil, errs.E(errs.Invalid, "Only a default rule can be restored.")
		}
		keys = []string{r.Key}
	} else {
		if err := db.insertDefaults(ctx, tx, orgID, byUser); err != nil {
			return nil, err
		}
		for _, r := range care.DefaultRules() {
			keys = append(keys, r.Key)
		}
	}
	now := db.now()
	for _, k := range keys {
		d, ok := care.DefaultRule(k)
		if !ok {
			return nil, errs.E(errs.Invalid, "This release has no default rule %s any more.", k)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE screening_rules SET kind = $1, value = $2, n = $3, level = $4, region = $5, modification = $6, reason = $7, source = $8,
			enabled = 1, version = version + 1, updated_by = $9, updated_at = $10 WHERE org_id = $11 AND rule_key = $12`,
			string(d.Trigger.Kind), d.Trigger.Value, d.Trigger.N, string(d.Level), d.Region, d.Modification, d.Reason, d.Source, byUser, now, orgID, k); err != nil {
			return nil, dbErr(err)
		}
	}
	return keys, db.touchRules(ctx, tx, orgID)
}

// ScreeningRun says when and from what a client's findings were worked out.
type ScreeningRun struct {
	IntakeID      int64 // 0 when the client had no signed intake
	IntakeVersion int
	IntakeSigned  time.Time
	// RulesGeneration is the generation of the rules the findings came from.
	RulesGeneration int64
	Day             string // the clinic's date the findings are for, YYYY-MM-DD
	ComputedAt      time.Time
}

// SaveScreening replaces a client's findings.
func (db *DB) SaveScreening(ctx context.Context, tx *sql.Tx, orgID, clientID int64, run *ScreeningRun, fs []care.Finding) error {
	if _, err := db.clientTx(ctx, tx, orgID, clientID); err != nil {
		return err
	}
	now := db.now()
	run.ComputedAt = ms2t(now)
	signed := int64(0)
	if !run.IntakeSigned.IsZero() {
		signed = run.IntakeSigned.UnixMilli()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO screening_runs (client_id, org_id, intake_id, intake_version, intake_signed_at, rules_generation, day, computed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (client_id) DO UPDATE SET intake_id = excluded.intake_id, intake_version = excluded.intake_version,
		intake_signed_at = excluded.intake_signed_at, rules_generation = excluded.rules_generation, day = excluded.day, computed_at = excluded.computed_at`,
		clientID, orgID, run.IntakeID, run.IntakeVersion, signed, run.RulesGeneration, run.Day, now); err != nil {
		return dbErr(err)
	}
	// The upsert above locks the client's run row, so two screenings of one
	// client take turns here and the second deletes what the first wrote.
	if _, err := tx.ExecContext(ctx, "DELETE FROM screening_findings WHERE client_id = $1 AND org_id = $2", clientID, orgID); err != nil {
		return dbErr(err)
	}
	for i, f := range fs {
		// What the intake holds was checked when it was stored; cleanText
		// only makes sure odd bytes there cannot fail this write.
		if _, err := tx.ExecContext(ctx, `INSERT INTO screening_findings (client_id, position, org_id, rule_key, level, region, side, modification, reason, source, evidence, computed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			clientID, i+1, orgID, f.RuleKey, string(f.Level), cleanText(f.Region), cleanText(f.Side), cleanText(f.Modification), cleanText(f.Reason),
			cleanText(f.Source), cleanText(f.Evidence), now); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// Screening reads a client's stored findings, most severe first; NotFound
// when the client has never been screened.
func (db *DB) Screening(ctx context.Context, orgID, clientID int64) (*ScreeningRun, []care.Finding, error) {
	var run ScreeningRun
	var signed, computed int64
	err := db.queryRow(ctx, "SELECT intake_id, intake_version, intake_signed_at, rules_generation, day, computed_at FROM screening_runs WHERE client_id = $1 AND org_id = $2", clientID, orgID).
		Scan(&run.IntakeID, &run.IntakeVersion, &signed, &run.RulesGeneration, &run.Day, &computed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.E(errs.NotFound, "This client has not been screened yet.")
	}
	if err != nil {
		return nil, nil, dbErr(err)
	}
	run.IntakeSigned, run.ComputedAt = ms2t(signed), ms2t(computed)
	rows, err := db.query(ctx, `SELECT rule_key, level, region, side, modification, reason, source, evidence FROM screening_findings
		WHERE client_id = $1 AND org_id = $2 ORDER BY position`, clientID, orgID)
	if err != nil {
		return nil, nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Finding
	for rows.Next() {
		var f care.Finding
		var level string
		if err := rows.Scan(&f.RuleKey, &level, &f.Region, &f.Side, &f.Modification, &f.Reason, &f.Source, &f.Evidence); err != nil {
			return nil, nil, dbErr(err)
		}
		f.Level = care.Level(level)
		out = append(out, f)
	}
	return &run, out, dbErr(rows.Err())
}

// LatestIntakeVersion is the version of a client's newest signed intake, 0
// when there is none: a cheap check that stored findings are still current.
func (db *DB) LatestIntakeVersion(ctx context.Context, orgID, clientID int64) (int, error) {
	var v int
	err := db.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM intakes WHERE org_id = $1 AND client_id = $2", orgID, clientID).Scan(&v)
	return v, dbErr(err)
}

// CreateOverride records an override of a client's blocking finding.
func (db *DB) CreateOverride(ctx context.Context, tx *sql.Tx, o *care.Override) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o.Reason = strings.TrimSpace(o.Reason)
	if err := checkText("reason", o.Reason, "rule", o.RuleKey); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, o.OrgID, o.ClientID); err != nil {
		return err
	}
	now := db.now()
	o.At = ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO screening_overrides (org_id, client_id, rule_key, reason, day, by_user, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, o.OrgID, o.ClientID, o.RuleKey, o.Reason, o.Day, o.ByUserID, now).Scan(&o.ID))
}

// Overrides lists a client's overrides, newest first: those made on day, or all when day is "".
func (db *DB) Overrides(ctx context.Context, orgID, clientID int64, day string) ([]care.Override, error) {
	q := `SELECT o.id, o.org_id, o.client_id, o.rule_key, o.reason, o.day, o.by_user, COALESCE(u.name, ''), o.created_at
		FROM screening_overrides o LEFT JOIN users u ON u.id = o.by_user WHERE o.org_id = $1 AND o.client_id = $2`
	args := []any{orgID, clientID}
	if day != "" {
		q += " AND o.day = $3"
		args = append(args, day)
	}
	rows, err := db.query(ctx, q+" ORDER BY o.created_at DESC, o.id DESC", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Override
	for rows.Next() {
		var o care.Override
		var at int64
		if err := rows.Scan(&o.ID, &o.OrgID, &o.ClientID, &o.RuleKey, &o.Reason, &o.Day, &o.ByUserID, &o.ByName, &at); err != nil {
			return nil, dbErr(err)
		}
		o.At = ms2t(at)
		out = append(out, o)
	}
	return out, dbErr(rows.Err())
}

// CreateClearance records a physician's clearance; an attached document
// must be one of the client's.
func (db *DB) CreateClearance(ctx context.Context, tx *sql.Tx, c *care.Clearance) error {
	c.Physician, c.Note, c.Date = strings.TrimSpace(c.Physician), strings.TrimSpace(c.Note), strings.TrimSpace(c.Date)
	if err := c.Validate(db.furthestTodayScreening()); err != nil {
		return err
	}
	if err := checkText("physician", c.Physician, "note", c.Note, "rule", c.RuleKey); err != nil {
		return err
	}
	if _, err := db.clientTx(ctx, tx, c.OrgID, c.ClientID); err != nil {
		return err
	}
	if c.DocumentID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE id = $1 AND org_id = $2 AND client_id = $3", c.DocumentID, c.OrgID, c.ClientID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "The attached document is not one of this client's.", Fields: map[string]string{"document_id": "Choose one of this client's documents."}}
		}
	}
	now := db.now()
	c.At = ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO screening_clearances (org_id, client_id, rule_key, physician, cleared_on, note, document_id, intake_version, by_user, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		c.OrgID, c.ClientID, c.RuleKey, c.Physician, c.Date, c.Note, nullID(c.DocumentID), c.IntakeVersion, c.ByUserID, now).Scan(&c.ID))
}

// Clearances lists a client's clearances, newest first.
func (db *DB) Clearances(ctx context.Context, orgID, clientID int64) ([]care.Clearance, error) {
	rows, err := db.query(ctx, `SELECT c.id, c.org_id, c.client_id, c.rule_key, c.physician, c.cleared_on, c.note, COALESCE(c.document_id, 0), c.intake_version,
		c.by_user, COALESCE(u.name, ''), c.created_at
		FROM screening_clearances c LEFT JOIN users u ON u.id = c.by_user WHERE c.org_id = $1 AND c.client_id = $2 ORDER BY c.created_at DESC, c.id DESC`, orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Clearance
	for rows.Next() {
		var c care.Clearance
		var at int64
		if err := rows.Scan(&c.ID, &c.OrgID, &c.ClientID, &c.RuleKey, &c.Physician, &c.Date, &c.Note, &c.DocumentID, &c.IntakeVersion, &c.ByUserID, &c.ByName, &at); err != nil {
			return nil, dbErr(err)
		}
		c.At = ms2t(at)
		out = append(out, c)
	}
	return out, dbErr(rows.Err())
}

// furthestTodayScreening is a time whose date is today or later in every
// time zone: the store refuses only what is in everyone's future; the app
// checks against the clinic's own date.
func (db *DB) furthestTodayScreening() time.Time { return db.Now().UTC().Add(14 * time.Hour) }

// ScreeningState is what a reading of a client's screening needs to know
// first, in one query: the rules' generation (0 when the organisation's
// rule set must be set up first: call RulesGeneration), the client's stored
// run (nil when none) and the version of their newest signed intake.
type ScreeningState struct {
	RulesGeneration int64
	Run             *ScreeningRun
	IntakeVersion   int
}

// ScreeningStateOf reads a client's ScreeningState; the findings of a
// stored run are read by Screening.
func (db *DB) ScreeningStateOf(ctx context.Context, orgID, clientID int64) (*ScreeningState, error) {
	var st ScreeningState
	var hash sql.NullString
	var gen sql.NullInt64
	var intakeID, version, rulesGen, signed, computed sql.NullInt64
	var day sql.NullString
	err := db.queryRow(ctx, `SELECT g.defaults_hash, g.generation,
		r.intake_id, r.intake_version, r.intake_signed_at, r.rules_generation, r.day, r.computed_at,
		(SELECT COALESCE(MAX(i.version), 0) FROM intakes i WHERE i.org_id = $1 AND i.client_id = $2)
		FROM (SELECT 1 AS one) x
		LEFT JOIN screening_rule_sets g ON g.org_id = $1
		LEFT JOIN screening_runs r ON r.client_id = $2 AND r.org_id = $1`, orgID, clientID).
		Scan(&hash, &gen, &intakeID, &version, &signed, &rulesGen, &day, &computed, &st.IntakeVersion)
	if err != nil {
		return nil, dbErr(err)
	}
	if hash.Valid && hash.String == care.DefaultRulesHash() {
		st.RulesGeneration = gen.Int64
	}
	if day.Valid {
		st.Run = &ScreeningRun{IntakeID: intakeID.Int64, IntakeVersion: int(version.Int64), IntakeSigned: ms2t(signed.Int64),
			RulesGeneration: rulesGen.Int64, Day: day.String, ComputedAt: ms2t(computed.Int64)}
	}
	return &st, nil
}
