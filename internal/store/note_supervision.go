package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Supervision of session notes (migration 0013): the therapists whose
// signed notes need a co-signature, and who gives it. The co-signature
// itself is recorded on the note (CosignNote).

// Why a therapist's notes need a co-signature.
const (
	SupervisionSupervised = "supervised" // a therapist working under supervision
	SupervisionStudent    = "student"    // a massage therapy student
)

// SupervisionReasons are the reasons in the order they are offered.
var SupervisionReasons = []string{SupervisionStudent, SupervisionSupervised}

// SupervisionReasonLabel names a reason as the settings page shows it.
func SupervisionReasonLabel(r string) string {
	switch r {
	case SupervisionStudent:
		return "Student"
	case SupervisionSupervised:
		return "Supervised therapist"
	}
	return r
}

// NoteSupervision is one supervised therapist: their signed notes need the
// co-signature of SupervisorID (or of an owner).
type NoteSupervision struct {
	OrgID        int64
	UserID       int64 // the supervised therapist
	SupervisorID int64 // an owner or a therapist of the same organisation
	Reason       string
	UpdatedAt    time.Time
	// Read only: the names, and whether each may still sign in.
	UserName, SupervisorName     string
	UserActive, SupervisorActive bool
}

// ReasonLabel names the reason.
func (s NoteSupervision) ReasonLabel() string { return SupervisionReasonLabel(s.Reason) }

// staffMember is what the supervision rules need to know of a user.
type staffMember struct {
	name   string
	role   clinic.Role
	active bool
	locs   []int64
}

// staffTx reads user id of orgID inside tx; NotFound when the organisation
// has no such user.
func staffTx(ctx context.Context, tx *sql.Tx, orgID, id int64) (*staffMember, error) {
	var m staffMember
	var role string
	var active int
	err := tx.QueryRowContext(ctx, "SELECT name, role, active FROM users WHERE id = $1 AND org_id = $2", id, orgID).Scan(&m.name, &role, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	m.role, m.active = clinic.Role(role), active == 1
	rows, err := tx.QueryContext(ctx, "SELECT location_id FROM user_locations WHERE user_id = $1 ORDER BY location_id", id)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var l int64
		if err := rows.Scan(&l); err != nil {
			return nil, dbErr(err)
		}
		m.locs = append(m.locs, l)
	}
	return &m, dbErr(rows.Err())
}

// SetNoteSupervision makes s.UserID's notes need the co-signature of
// s.SupervisorID, replacing any supervisor they had. The supervised user is
// an active therapist who supervises no one; the supervisor an active owner
// or therapist of the same organisation, not themself supervised, who works
// at every location the therapist does (else some of the notes would be out
// of their sight). Errors name the fields user_id, supervisor_id, reason.
func (db *DB) SetNoteSupervision(ctx context.Context, tx *sql.Tx, s *NoteSupervision) error {
	f := errs.FieldErrors{}
	if !slices.Contains(SupervisionReasons, s.Reason) {
		f.Add("reason", "Choose why this therapist's notes need a co-signature: student or supervised therapist.")
	}
	var user, sup *staffMember
	var err error
	if s.UserID <= 0 {
		f.Add("user_id", "Choose the therapist whose notes need a co-signature.")
	} else if user, err = staffTx(ctx, tx, s.OrgID, s.UserID); errs.Is(err, errs.NotFound) {
		f.Add("user_id", "Choose one of your therapists.")
	} else if err != nil {
		return err
	}
	switch {
	case user == nil:
	case user.role != clinic.RoleTherapist:
		f.Add("user_id", user.name+" is not a therapist: only therapists' notes are co-signed.")
	case !user.active:
		f.Add("user_id", user.name+" can no longer sign in: choose an active therapist.")
	default:
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM note_supervision WHERE org_id = $1 AND supervisor_id = $2",
			s.OrgID, s.UserID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n > 0 {
			f.Add("user_id", user.name+" co-signs the notes of "+plural(n, "therapist")+": give them another supervisor first.")
		}
	}
	if s.SupervisorID <= 0 {
		f.Add("supervisor_id", "Choose who co-signs the notes.")
	} else if s.SupervisorID == s.UserID {
		f.Add("supervisor_id", "A therapist never co-signs their own notes: choose someone else.")
	} else if sup, err = staffTx(ctx, tx, s.OrgID, s.SupervisorID); errs.Is(err, errs.NotFound) {
		f.Add("supervisor_id", "Choose one of your owners or therapists.")
	} else if err != nil {
		return err
	}
	switch {
	case sup == nil:
	case sup.role != clinic.RoleOwner && sup.role != clinic.RoleTherapist:
		f.Add("supervisor_id", sup.name+" is not a therapist: choose an owner or a therapist.")
	case !sup.active:
		f.Add("supervisor_id", sup.name+" can no longer sign in: choose someone active.")
	default:
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM note_supervision WHERE org_id = $1 AND user_id = $2",
			s.OrgID, s.SupervisorID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n > 0 {
			f.Add("supervisor_id", sup.name+"'s own notes need a co-signature: choose someone who works unsupervised.")
		} else if user != nil && sup.role == clinic.RoleTherapist {
			for _, l := range user.locs {
				if !slices.Contains(sup.locs, l) {
					f.Add("supervisor_id", sup.name+" does not work at every location "+user.name+" does, so could not open all of the notes: choose someone who does, or an owner.")
					break
				}
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := db.now()
	_, err = tx.ExecContext(ctx, `INSERT INTO note_supervision (user_id, org_id, supervisor_id, reason, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET supervisor_id = excluded.supervisor_id, reason = excluded.reason, updated_at = excluded.updated_at`,
		s.UserID, s.OrgID, s.SupervisorID, s.Reason, now)
	if err != nil {
		return dbErr(err)
	}
	s.UserName, s.SupervisorName, s.UserActive, s.SupervisorActive, s.UpdatedAt = user.name, sup.name, true, true, ms2t(now)
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// RemoveNoteSupervision ends the supervision of userID: notes written from
// now on need no co-signature. Notes already signed keep needing theirs.
func (db *DB) RemoveNoteSupervision(ctx context.Context, tx *sql.Tx, orgID, userID int64) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM note_supervision WHERE org_id = $1 AND user_id = $2", orgID, userID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "This therapist's notes do not need a co-signature.")
	}
	return nil
}

const supervisionQuery = `SELECT s.org_id, s.user_id, s.supervisor_id, s.reason, s.updated_at, u.name, u.active, v.name, v.active
	FROM note_supervision s JOIN users u ON u.id = s.user_id JOIN users v ON v.id = s.supervisor_id`

func scanSupervision(row interface{ Scan(...any) error }) (*NoteSupervision, error) {
	var s NoteSupervision
	var updated int64
	var ua, va int
	err := row.Scan(&s.OrgID, &s.UserID, &s.SupervisorID, &s.Reason, &updated, &s.UserName, &ua, &s.SupervisorName, &va)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "This therapist's notes do not need a co-signature.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	s.UpdatedAt, s.UserActive, s.SupervisorActive = ms2t(updated), ua == 1, va == 1
	return &s, nil
}

// NoteSupervisions lists the organisation's supervised therapists by name.
func (db *DB) NoteSupervisions(ctx context.Context, orgID int64) ([]NoteSupervision, error) {
	rows, err := db.query(ctx, supervisionQuery+" WHERE s.org_id = $1 ORDER BY u.name, u.id", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []NoteSupervision
	for rows.Next() {
		s, err := scanSupervision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, dbErr(rows.Err())
}

// NoteSupervisionOf is userID's supervision; NotFound when their notes need
// no co-signature.
func (db *DB) NoteSupervisionOf(ctx context.Context, orgID, userID int64) (*NoteSupervision, error) {
	return scanSupervision(db.queryRow(ctx, supervisionQuery+" WHERE s.org_id = $1 AND s.user_id = $2", orgID, userID))
}

// RequireSupervisedCosign marks draft noteID as needing a co-signature when
// its writer is supervised now, in tx, just before it is signed. It changes
// neither the version nor the content, so signing at the version read still
// works; it reports whether the note changed.
func (db *DB) RequireSupervisedCosign(ctx context.Context, tx *sql.Tx, orgID, noteID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE session_notes SET cosign_required = 1
		WHERE id = $1 AND org_id = $2 AND status = 'draft' AND cosign_required = 0
		AND EXISTS (SELECT 1 FROM note_supervision s WHERE s.user_id = session_notes.therapist_id AND s.org_id = session_notes.org_id)`, noteID, orgID)
	if err != nil {
		return false, dbErr(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// CosignItem is a signed note awaiting its co-signature, as the queue of
// notes to co-sign lists it.
type CosignItem struct {
	NoteID      int64
	ServiceDate string // YYYY-MM-DD
	Kind        string
	SignedAt    time.Time
	SignedBy    int64
	// Client holds only ID, FirstName, LastName, PreferredName and
	// PreferredLocationID.
	Client        clinic.Client
	TherapistID   int64
	TherapistName string
	// SupervisorID is the writer's supervisor now (0 when none: then only
	// an owner co-signs).
	SupervisorID   int64
	SupervisorName string
}

// NotesAwaitingCosign lists the organisation's signed notes that still need
// their co-signature, newest first, at most limit: all of them when
// supervisorID is 0, else those of the therapists supervisorID supervises.
func (db *DB) NotesAwaitingCosign(ctx context.Context, orgID, supervisorID int64, limit int) ([]CosignItem, error) {
	// The predicate on session_notes repeats the partial index's, so both
	// engines read the index (session_notes_awaiting_cosign) and not every note.
	q := `SELECT n.id, n.service_date, n.kind, n.signed_at, COALESCE(n.signed_by, 0), n.client_id, c.first_name, c.last_name, c.preferred_name,
		c.preferred_location_id, n.therapist_id, t.name, COALESCE(s.supervisor_id, 0), COALESCE(v.name, '')
		FROM session_notes n JOIN clients c ON c.id = n.client_id JOIN users t ON t.id = n.therapist_id
		LEFT JOIN note_supervision s ON s.user_id = n.therapist_id AND s.org_id = n.org_id
		LEFT JOIN users v ON v.id = s.supervisor_id
		WHERE n.org_id = $1 AND n.status = 'signed' AND n.cosign_required = 1 AND n.cosigned_by IS NULL`
	args := []any{orgID, limit}
	if supervisorID != 0 {
		q += " AND s.supervisor_id = $3"
		args = append(args, supervisorID)
	}
	rows, err := db.query(ctx, q+" ORDER BY n.service_date DESC, n.signed_at DESC, n.id DESC LIMIT $2", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []CosignItem
	for rows.Next() {
		var it CosignItem
		var signed int64
		if err := rows.Scan(&it.NoteID, &it.ServiceDate, &it.Kind, &signed, &it.SignedBy, &it.Client.ID, &it.Client.FirstName, &it.Client.LastName,
			&it.Client.PreferredName, &it.Client.PreferredLocationID, &it.TherapistID, &it.TherapistName, &it.SupervisorID, &it.SupervisorName); err != nil {
			return nil, dbErr(err)
		}
		it.SignedAt = ms2t(signed)
		it.Client.OrgID = orgID
		out = append(out, it)
	}
	return out, dbErr(rows.Err())
}
