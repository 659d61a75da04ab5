package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// SOAP session notes and their addenda. The clinical content is one JSON
// document per row (noteBody); a signed note never changes, which the
// triggers of migration 0011 enforce below this code too, and addenda are
// append-only.

type noteBody struct {
	Subjective     string                    `json:"subjective"`
	PainBefore     *int                      `json:"pain_before,omitempty"`
	Objective      string                    `json:"objective"`
	Marks          []assess.Mark             `json:"marks"`
	Assessment     string                    `json:"assessment"`
	PainAfter      *int                      `json:"pain_after,omitempty"`
	Tolerance      string                    `json:"tolerance,omitempty"`
	Plan           string                    `json:"plan"`
	HomeCare       []string                  `json:"home_care,omitempty"`
	NextVisit      string                    `json:"next_visit,omitempty"`
	Pressure       *int                      `json:"pressure,omitempty"`
	Techniques     []care.PerformedTechnique `json:"techniques"`
	Modalities     []care.Modality           `json:"modalities,omitempty"`
	ScreeningAck   bool                      `json:"screening_acknowledged"`
	ScreeningAckAt int64                     `json:"screening_ack_at,omitempty"`
}

func noteJSON(n *care.SOAPNote) (string, error) {
	var ack int64
	if !n.ScreeningAckAt.IsZero() {
		ack = n.ScreeningAckAt.UnixMilli()
	}
	b, err := json.Marshal(noteBody{n.Subjective, n.PainBefore, n.Objective, n.Marks, n.Assessment, n.PainAfter, n.Tolerance,
		n.Plan, n.HomeCare, n.NextVisit, n.Pressure, n.Techniques, n.Modalities, n.ScreeningAcknowledged, ack})
	return string(b), err
}

// errNoteSigned is made fresh each time: callers may add to an error.
func errNoteSigned() error {
	return errs.E(errs.Conflict, "This note is signed, and signed notes never change: write an addendum instead.")
}

// noteRefs checks that the client, therapist, appointment (of that client)
// and plan of care (of that client) all belong to the note's organisation.
func (db *DB) noteRefs(ctx context.Context, tx *sql.Tx, n *care.SOAPNote) error {
	if _, err := db.clientTx(ctx, tx, n.OrgID, n.ClientID); err != nil {
		return err
	}
	if err := userInOrg(ctx, tx, n.OrgID, n.TherapistID, "therapist_id"); err != nil {
		return err
	}
	var c int
	if n.AppointmentID != 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM appointments WHERE id = $1 AND org_id = $2 AND client_id = $3",
			n.AppointmentID, n.OrgID, n.ClientID).Scan(&c); err != nil {
			return dbErr(err)
		}
		if c == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "The note must be for one of this client's appointments.", Fields: map[string]string{"appointment_id": "Unknown appointment."}}
		}
	}
	return db.notePlan(ctx, tx, n)
}

// notePlan checks that the plan of care the note counts against (if any)
// is one of the client's: the one reference a saved draft may change.
func (db *DB) notePlan(ctx context.Context, tx *sql.Tx, n *care.SOAPNote) error {
	if n.PlanID == 0 {
		return nil
	}
	var c int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM treatment_plans WHERE id = $1 AND org_id = $2 AND client_id = $3",
		n.PlanID, n.OrgID, n.ClientID).Scan(&c); err != nil {
		return dbErr(err)
	}
	if c == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "The note must count against one of this client's plans of care.", Fields: map[string]string{"plan_id": "Unknown plan of care."}}
	}
	return nil
}

func userInOrg(ctx context.Context, tx *sql.Tx, orgID, userID int64, field string) error {
	var c int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND org_id = $2", userID, orgID).Scan(&c); err != nil {
		return dbErr(err)
	}
	if c == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of your organisation's staff.", Fields: map[string]string{field: "Unknown user."}}
	}
	return nil
}

func errApptHasNote() error {
	return errs.E(errs.Conflict, "This appointment already has a note: open that one.")
}

// CreateNote stores a new draft note at version 1.
func (db *DB) CreateNote(ctx context.Context, tx *sql.Tx, n *care.SOAPNote) error {
	if err := n.Validate(); err != nil {
		return err
	}
	if err := db.noteRefs(ctx, tx, n); err != nil {
		return err
	}
	if n.AppointmentID != 0 {
		var c int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM session_notes WHERE appointment_id = $1", n.AppointmentID).Scan(&c); err != nil {
			return dbErr(err)
		}
		if c > 0 {
			return errApptHasNote()
		}
	}
	body, err := noteJSON(n)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The note could not be stored.")
	}
	now := db.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO session_notes (org_id, client_id, appointment_id, plan_id, therapist_id, service_date, kind, body,
		status, version, cosign_required, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', 1, $9, $10, $10) RETURNING id`,
		n.OrgID, n.ClientID, nullID(n.AppointmentID), nullID(n.PlanID), n.TherapistID, n.ServiceDate, n.Kind, body, b2i(n.CosignRequired), now).Scan(&n.ID)
	if isUnique(err) {
		return errApptHasNote() // another device started it at the same moment
	}
	if err != nil {
		return dbErr(err)
	}
	n.Status, n.Version, n.CreatedAt, n.UpdatedAt = care.NoteDraft, 1, ms2t(now), ms2t(now)
	n.SignedBy, n.SignedAt, n.LateEntry, n.CosignedBy, n.CosignedAt = 0, time.Time{}, false, 0, time.Time{}
	return nil
}

// SaveDraft saves a draft if it is still at baseVersion and returns it at
// its new version. If someone saved it since, nothing is saved: the stored
// note comes back beside a Conflict, so the caller can show both versions.
// A signed note is a Conflict too (and comes back as stored).
func (db *DB) SaveDraft(ctx context.Context, tx *sql.Tx, n *care.SOAPNote, baseVersion int64) (*care.SOAPNote, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	stored, err := db.noteTx(ctx, tx, n.OrgID, n.ID)
	if err != nil {
		return nil, err
	}
	if stored.Status != care.NoteDraft {
		return stored, errNoteSigned()
	}
	if stored.Version != baseVersion {
		return stored, errs.E(errs.Conflict, "Someone else saved this note after you opened it (now at version %d). Nothing was saved: compare both versions and keep what is right.", stored.Version)
	}
	// Who the note is for and which appointment it records are fixed at
	// creation (and checked then); the date, kind, plan of care and content
	// are the draft's, and the plan of care is checked again.
	n.ClientID, n.AppointmentID, n.TherapistID = stored.ClientID, stored.AppointmentID, stored.TherapistID
	if err := db.notePlan(ctx, tx, n); err != nil {
		return nil, err
	}
	body, err := noteJSON(n)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "The note could not be stored.")
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE session_notes SET service_date = $1, kind = $2, plan_id = $3, body = $4, cosign_required = $5,
		version = version + 1, updated_at = $6 WHERE id = $7 AND org_id = $8 AND version = $9 AND status = 'draft'`,
		n.ServiceDate, n.Kind, nullID(n.PlanID), body, b2i(n.CosignRequired), now, n.ID, n.OrgID, baseVersion)
	if err != nil {
		return nil, dbErr(err)
	}
	if c, _ := res.RowsAffected(); c == 0 {
		// Changed between the read and the write (PostgreSQL's read committed).
		cur, err := db.noteTx(ctx, tx, n.OrgID, n.ID)
		if err != nil {
			return nil, err
		}
		if cur.Status != care.NoteDraft {
			return cur, errNoteSigned()
		}
		return cur, errs.E(errs.Conflict, "Someone else saved this note after you opened it (now at version %d). Nothing was saved: compare both versions and keep what is right.", cur.Version)
	}
	out := *n
	out.Status, out.Version, out.CreatedAt, out.UpdatedAt = care.NoteDraft, baseVersion+1, stored.CreatedAt, ms2t(now)
	out.SignedBy, out.SignedAt, out.LateEntry, out.CosignedBy, out.CosignedAt = 0, time.Time{}, false, 0, time.Time{}
	n.Version, n.UpdatedAt = out.Version, out.UpdatedAt
	return &out, nil
}

// SignNote signs a complete draft at version as userID at the instant at.
// sessionEnd is when the session ended (the appointment's end, or
// care.ServiceDateEnd for a walk-in): signing more than 24 hours later
// marks the note a late entry. Afterwards the note never changes.
func (db *DB) SignNote(ctx context.Context, tx *sql.Tx, orgID, id, version, userID int64, at time.Time, sessionEnd time.Time) (*care.SOAPNote, error) {
	n, err := db.noteTx(ctx, tx, orgID, id)
	if err != nil {
		return nil, err
	}
	if n.Status != care.NoteDraft {
		return nil, errNoteSigned()
	}
	if n.Version != version {
		return nil, errs.E(errs.Conflict, "Someone else saved this note after you opened it (now at version %d). Nothing was signed: review it and sign again.", n.Version)
	}
	if err := n.ValidateForSigning(); err != nil {
		return nil, err
	}
	if err := userInOrg(ctx, tx, orgID, userID, "signed_by"); err != nil {
		return nil, err
	}
	late := care.IsLate(sessionEnd, at)
	res, err := tx.ExecContext(ctx, `UPDATE session_notes SET status = 'signed', signed_by = $1, signed_at = $2, late_entry = $3,
		version = version + 1, updated_at = $2 WHERE id = $4 AND org_id = $5 AND version = $6 AND status = 'draft'`,
		userID, at.UnixMilli(), b2i(late), id, orgID, version)
	if err != nil {
		return nil, dbErr(err)
	}
	if c, _ := res.RowsAffected(); c == 0 {
		return nil, errs.E(errs.Conflict, "Someone else changed this note while it was being signed. Nothing was signed: review it and sign again.")
	}
	return db.noteTx(ctx, tx, orgID, id)
}

// CosignNote records the co-signature a signed note requires (a supervised
// therapist's or a student's), once, by someone other than its signer.
func (db *DB) CosignNote(ctx context.Context, tx *sql.Tx, orgID, id, userID int64, at time.Time) error {
	n, err := db.noteTx(ctx, tx, orgID, id)
	if err != nil {
		return err
	}
	switch {
	case n.Status != care.NoteSigned:
		return errs.E(errs.Conflict, "The note is co-signed after it is signed.")
	case !n.CosignRequired:
		return errs.E(errs.Conflict, "This note does not require a co-signature.")
	case n.CosignedBy != 0:
		return errs.E(errs.Conflict, "This note is already co-signed.")
	case n.SignedBy == userID:
		return errs.E(errs.Conflict, "The co-signature is by someone other than the therapist who signed.")
	}
	if err := userInOrg(ctx, tx, orgID, userID, "cosigned_by"); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE session_notes SET cosigned_by = $1, cosigned_at = $2
		WHERE id = $3 AND org_id = $4 AND status = 'signed' AND cosign_required = 1 AND cosigned_by IS NULL`, userID, at.UnixMilli(), id, orgID)
	if err != nil {
		return dbErr(err)
	}
	if c, _ := res.RowsAffected(); c == 0 {
		return errs.E(errs.Conflict, "This note is already co-signed.")
	}
	return nil
}

// AddAddendum appends a signed addendum to a signed note. a.SignedAt is
// the moment of signing (now when zero).
func (db *DB) AddAddendum(ctx context.Context, tx *sql.Tx, a *care.Addendum) error {
	if err := a.Validate(); err != nil {
		return err
	}
	n, err := db.noteTx(ctx, tx, a.OrgID, a.NoteID)
	if err != nil {
		return err
	}
	if n.Status != care.NoteSigned {
		return errs.E(errs.Conflict, "Addenda are for signed notes; this note is still a draft, so edit it instead.")
	}
	if err := userInOrg(ctx, tx, a.OrgID, a.SignedBy, "signed_by"); err != nil {
		return err
	}
	if a.SignedAt.IsZero() {
		a.SignedAt = db.Now()
	}
	a.SignedAt = ms2t(a.SignedAt.UnixMilli())
	if err := tx.QueryRowContext(ctx, `INSERT INTO note_addenda (org_id, note_id, reason, body, signed_by, signed_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, a.OrgID, a.NoteID, a.Reason, a.Text, a.SignedBy, a.SignedAt.UnixMilli()).Scan(&a.ID); err != nil {
		return dbErr(err)
	}
	return dbErr(tx.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", a.SignedBy).Scan(&a.SignedByName))
}

const noteCols = `id, org_id, client_id, COALESCE(appointment_id, 0), COALESCE(plan_id, 0), therapist_id, service_date, kind, body, status, version,
	COALESCE(signed_by, 0), signed_at, late_entry, cosign_required, COALESCE(cosigned_by, 0), cosigned_at, created_at, updated_at`

func scanNote(row interface{ Scan(...any) error }) (*care.SOAPNote, error) {
	var n care.SOAPNote
	var body string
	var signed, cosigned, created, updated int64
	var late, cosign int
	err := row.Scan(&n.ID, &n.OrgID, &n.ClientID, &n.AppointmentID, &n.PlanID, &n.TherapistID, &n.ServiceDate, &n.Kind, &body, &n.Status, &n.Version,
		&n.SignedBy, &signed, &late, &cosign, &n.CosignedBy, &cosigned, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such note.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	var b noteBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, dbErr(err)
	}
	n.Subjective, n.PainBefore, n.Objective, n.Marks, n.Assessment, n.PainAfter, n.Tolerance = b.Subjective, b.PainBefore, b.Objective, b.Marks, b.Assessment, b.PainAfter, b.Tolerance
	n.Plan, n.HomeCare, n.NextVisit, n.Pressure, n.Techniques, n.Modalities = b.Plan, b.HomeCare, b.NextVisit, b.Pressure, b.Techniques, b.Modalities
	n.ScreeningAcknowledged, n.ScreeningAckAt = b.ScreeningAck, ms2t(b.ScreeningAckAt)
	n.LateEntry, n.CosignRequired = late != 0, cosign != 0
	n.SignedAt, n.CosignedAt, n.CreatedAt, n.UpdatedAt = ms2t(signed), ms2t(cosigned), ms2t(created), ms2t(updated)
	return &n, nil
}

func (db *DB) noteTx(ctx context.Context, tx *sql.Tx, orgID, id int64) (*care.SOAPNote, error) {
	return scanNote(tx.QueryRowContext(ctx, "SELECT "+noteCols+" FROM session_notes WHERE id = $1 AND org_id = $2", id, orgID))
}

// Note reads one note of the organisation with its addenda, oldest first.
func (db *DB) Note(ctx context.Context, orgID, id int64) (*care.SOAPNote, []care.Addendum, error) {
	n, err := db.NoteAlone(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	adds, err := db.Addenda(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	return n, adds, nil
}

// NoteAlone reads one note of the organisation without its addenda, as
// the writes that check it first need it.
func (db *DB) NoteAlone(ctx context.Context, orgID, id int64) (*care.SOAPNote, error) {
	return scanNote(db.queryRow(ctx, "SELECT "+noteCols+" FROM session_notes WHERE id = $1 AND org_id = $2", id, orgID))
}

// Addenda lists note id's addenda, oldest first.
func (db *DB) Addenda(ctx context.Context, orgID, id int64) ([]care.Addendum, error) {
	rows, err := db.query(ctx, `SELECT a.id, a.org_id, a.note_id, a.reason, a.body, a.signed_by, COALESCE(u.name, ''), a.signed_at
		FROM note_addenda a LEFT JOIN users u ON u.id = a.signed_by WHERE a.note_id = $1 AND a.org_id = $2 ORDER BY a.signed_at, a.id`, id, orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var adds []care.Addendum
	for rows.Next() {
		var a care.Addendum
		var at int64
		if err := rows.Scan(&a.ID, &a.OrgID, &a.NoteID, &a.Reason, &a.Text, &a.SignedBy, &a.SignedByName, &at); err != nil {
			return nil, dbErr(err)
		}
		a.SignedAt = ms2t(at)
		adds = append(adds, a)
	}
	return adds, dbErr(rows.Err())
}

// Notes lists a client's notes with a date of service from from to to
// (inclusive, YYYY-MM-DD; empty for no bound), newest first.
func (db *DB) Notes(ctx context.Context, orgID, clientID int64, from, to string) ([]care.SOAPNote, error) {
	if to == "" {
		to = "9999-12-31"
	}
	rows, err := db.query(ctx, "SELECT "+noteCols+` FROM session_notes WHERE org_id = $1 AND client_id = $2 AND service_date >= $3 AND service_date <= $4
		ORDER BY service_date DESC, id DESC`, orgID, clientID, from, to)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.SOAPNote
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *n)
	}
	return out, dbErr(rows.Err())
}
