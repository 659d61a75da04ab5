package app

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Co-signature of session notes (issue #6: "Supervised therapists or
// students can require a co-signature"). The owner names, per supervised
// therapist or student, who co-signs their notes; a note they write needs
// that co-signature once signed. The supervisor or an owner co-signs it,
// never whoever wrote or signed it.

// AuditNoteCosign is a co-signature recorded on a signed note.
const AuditNoteCosign = "note.cosign"

// MaxCosignQueue is how many notes the queue of notes to co-sign lists.
const MaxCosignQueue = 200

// NoteSupervisions lists the organisation's supervised therapists (owners).
func (s *App) NoteSupervisions(ctx context.Context, a *auth.Actor) ([]store.NoteSupervision, error) {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return nil, err
	}
	return s.DB.NoteSupervisions(ctx, a.User.OrgID)
}

// SaveNoteSupervision makes ns.UserID's notes need ns.SupervisorID's
// co-signature from now on, replacing any supervisor named before (owners;
// audited). Notes already signed keep what they required when signed.
func (s *App) SaveNoteSupervision(ctx context.Context, a *auth.Actor, ns store.NoteSupervision) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	ns.OrgID = a.User.OrgID
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetNoteSupervision(ctx, tx, &ns); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK),
			"note co-signature of user "+i64(ns.UserID)+" by user "+i64(ns.SupervisorID)+" ("+ns.Reason+")")}, nil
	})
}

// RemoveNoteSupervision ends userID's supervision (owners; audited): notes
// they start from now on need no co-signature.
func (s *App) RemoveNoteSupervision(ctx context.Context, a *auth.Actor, userID int64) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.RemoveNoteSupervision(ctx, tx, a.User.OrgID, userID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK),
			"note co-signature of user "+i64(userID)+" no longer required")}, nil
	})
}

// supervised reports whether userID's notes need a co-signature now.
func (s *App) supervised(ctx context.Context, orgID, userID int64) (bool, error) {
	_, err := s.DB.NoteSupervisionOf(ctx, orgID, userID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// supervisorOf is the supervision of note n's writer now; nil when the
// writer is not supervised (any more).
func (s *App) supervisorOf(ctx context.Context, n *care.SOAPNote) (*store.NoteSupervision, error) {
	sup, err := s.DB.NoteSupervisionOf(ctx, n.OrgID, n.TherapistID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return sup, err
}

// mayCosign is nil when a may co-sign n (the writer's supervisor, or an
// owner; never the note's writer or signer), else why not.
func mayCosign(a *auth.Actor, n *care.SOAPNote, sup *store.NoteSupervision) error {
	switch {
	case a.User.ID == n.SignedBy || a.User.ID == n.TherapistID:
		return errs.E(errs.Forbidden, "You wrote or signed this note: its co-signature is someone else's.")
	case a.User.Role == clinic.RoleOwner:
		return nil
	case sup != nil && sup.SupervisorID == a.User.ID:
		return nil
	case sup != nil:
		return errs.E(errs.Forbidden, "This note is co-signed by %s or an owner.", sup.SupervisorName)
	}
	return errs.E(errs.Forbidden, "This note is co-signed by an owner.")
}

// CosignNote records the actor's co-signature on signed note noteID: the
// writer's supervisor or an owner, once. Refusals are audited: by role or
// person as denials, a second co-signature as an attempt to change a
// signed note.
func (s *App) CosignNote(ctx context.Context, a *auth.Actor, noteID int64) (*care.SOAPNote, error) {
	n, err := s.noteFor(ctx, a, auth.ClinicalWrite, AuditNoteCosign, noteID)
	if err != nil {
		return nil, err
	}
	switch {
	case n.Status != care.NoteSigned:
		return nil, errs.E(errs.Conflict, "This note is a draft: it is co-signed once its writer has signed it.")
	case !n.CosignRequired:
		return nil, errs.E(errs.Conflict, "This note does not need a co-signature.")
	}
	sup, err := s.supervisorOf(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := mayCosign(a, n, sup); err != nil {
		return nil, s.deny(ctx, a, AuditNoteCosign, "client", n.ClientID, err)
	}
	if n.CosignedBy != 0 {
		return nil, s.refused(ctx, a, n, "co-signing again", errs.E(errs.Conflict, "This note is already co-signed."))
	}
	at := s.now()
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CosignNote(ctx, tx, a.User.OrgID, n.ID, a.User.ID, at); err != nil {
			return nil, err
		}
		return []*audit.Entry{noteEntry(a, AuditNoteCosign, n, "co-signed note "+i64(n.ID))}, nil
	})
	if errs.Is(err, errs.Conflict) {
		// Co-signed by someone else between the read and the write.
		return nil, s.refused(ctx, a, n, "co-signing again", err)
	}
	if err != nil {
		return nil, err
	}
	n.CosignedBy, n.CosignedAt = a.User.ID, time.UnixMilli(at.UnixMilli()).UTC()
	return n, nil
}

// CosignStatus is what a signed note's page says of its co-signature.
type CosignStatus struct {
	// Required: the note needs a co-signature (the rest is empty if not).
	Required bool
	// SupervisorName is whose co-signature it awaits: the writer's
	// supervisor now; "" when the writer has none any more (an owner's).
	SupervisorName string
	CosignedByName string // "" until co-signed
	CosignedAt     time.Time
	// May: the actor may co-sign it now.
	May bool
}

// NoteCosignStatus tells who co-signed note n, or whose co-signature it
// awaits and whether the actor may give it. n is a note the actor has
// read (App.Note); staff names are not health information, so this reads
// nothing that needs an audit entry of its own.
func (s *App) NoteCosignStatus(ctx context.Context, a *auth.Actor, n *care.SOAPNote) (CosignStatus, error) {
	if !n.CosignRequired || n.OrgID != a.User.OrgID {
		return CosignStatus{}, nil
	}
	st := CosignStatus{Required: true}
	if n.CosignedBy != 0 {
		st.CosignedByName, st.CosignedAt = "a former user", n.CosignedAt
		if u, err := s.DB.User(ctx, a.User.OrgID, n.CosignedBy); err == nil {
			st.CosignedByName = u.Name
		} else if !errs.Is(err, errs.NotFound) {
			return CosignStatus{}, err
		}
		return st, nil
	}
	sup, err := s.supervisorOf(ctx, n)
	if err != nil {
		return CosignStatus{}, err
	}
	if sup != nil {
		st.SupervisorName = sup.SupervisorName
	}
	st.May = n.Status == care.NoteSigned && a.Can(auth.ClinicalWrite) && mayCosign(a, n, sup) == nil
	return st, nil
}

// NotesAwaitingCosign lists the signed notes that need the actor's
// co-signature, newest first: for an owner all of the organisation's, for
// a therapist those of the therapists they supervise; never a note the
// actor wrote or signed, nor one of a client out of their sight. One audit
// entry says how many were listed.
func (s *App) NotesAwaitingCosign(ctx context.Context, a *auth.Actor) ([]store.CosignItem, error) {
	if err := s.require(ctx, a, auth.ClinicalWrite, AuditNoteRead); err != nil {
		return nil, err
	}
	var sup int64
	if a.User.Role != clinic.RoleOwner {
		sup = a.User.ID
	}
	items, err := s.DB.NotesAwaitingCosign(ctx, a.User.OrgID, sup, MaxCosignQueue)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if it.TherapistID == a.User.ID || it.SignedBy == a.User.ID {
			continue
		}
		// The client may attend the supervisor's location by an appointment
		// (maySee reads it only then).
		if ok, err := s.maySee(ctx, a, &it.Client); err != nil {
			return nil, err
		} else if ok {
			out = append(out, it)
		}
	}
	return out, s.audit(ctx, withDetail(entry(a, AuditNoteRead, "", 0, audit.OK), "notes awaiting co-signature "+i64(int64(len(out)))))
}
