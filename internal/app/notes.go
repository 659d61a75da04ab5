package app

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// Audit actions of SOAP session notes. Entries are against the client and
// name the note and what happened to it, never what it says.
const (
	AuditNoteRead     = "note.read"
	AuditNoteWrite    = "note.write"
	AuditNoteSign     = "note.sign"
	AuditNoteAddendum = "note.addendum"
	// AuditNoteRefused is an attempt to change a signed note (issue #6:
	// "every attempt audited").
	AuditNoteRefused = "note.refused"
)

// Who may do what, as for evaluations: therapists (for their locations'
// clients) and the owner write and sign notes; billing reads them (the
// note is the source of the bill); the front desk does not see them.

// SessionStart is what a therapist sees when starting a session: the draft
// (new, or the one the appointment already has), the safety screening's
// blocking findings (the banner) and whether a progress note is due first.
type SessionStart struct {
	Note        *care.SOAPNote
	Blocking    []care.Finding
	ProgressDue bool
	ProgressWhy string
	// Previous is the client's last signed note, which the new draft was
	// copied forward from (nil when there is none), for showing changes.
	Previous *care.SOAPNote
}

// noteClient checks that the actor may read or write notes (p) of client
// id and see that client; refusals are audited.
func (s *App) noteClient(ctx context.Context, a *auth.Actor, p auth.Permission, action string, id int64) (*clinic.Client, error) {
	if !a.Can(p) {
		return nil, s.deny(ctx, a, action, "client", id, notesForbidden(a, p))
	}
	return s.careClient(ctx, a, auth.ClientRead, action, id)
}

func notesForbidden(a *auth.Actor, p auth.Permission) error {
	what := "reading session notes"
	if p == auth.ClinicalWrite {
		what = "writing session notes"
	}
	return errs.E(errs.Forbidden, "Your role (%s) does not allow %s.", a.User.Role.Label(), what)
}

// noteFor reads note id (without its addenda) once the actor may use it
// with p: another organisation's note is NotFound, like one that does not
// exist.
func (s *App) noteFor(ctx context.Context, a *auth.Actor, p auth.Permission, action string, id int64) (*care.SOAPNote, error) {
	if !a.Can(p) {
		// Refused before the note is read, so the answer tells nothing of it.
		return nil, s.deny(ctx, a, action, "note", id, notesForbidden(a, p))
	}
	n, err := s.DB.NoteAlone(ctx, a.User.OrgID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, action, "note", id, err)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.noteClient(ctx, a, p, action, n.ClientID); err != nil {
		return nil, err
	}
	return n, nil
}

func noteEntry(a *auth.Actor, action string, n *care.SOAPNote, detail string) *audit.Entry {
	return withDetail(entry(a, action, "client", n.ClientID, audit.OK), detail)
}

// refused records an attempt to change the signed note n.
func (s *App) refused(ctx context.Context, a *auth.Actor, n *care.SOAPNote, tried string, err error) error {
	e := withDetail(entry(a, AuditNoteRefused, "client", n.ClientID, audit.Refused), "note "+i64(n.ID)+" is signed; tried "+tried)
	if aerr := s.audit(ctx, e); aerr != nil {
		return aerr
	}
	return err
}

// StartSession opens the note of a session with the client: for an
// appointment (appointmentID, not cancelled) its existing note when it has
// one, otherwise a new draft; 0 is a walk-in. A new draft is dated the
// appointment's local date (or today), counts against planID (the
// appointment's plan, or the client's current signed plan, when 0), is a
// progress note when one is due, and copies forward from the client's last
// signed note what carries over between sessions: the findings and body
// chart, techniques with their minutes, modalities, home care and pressure.
// The client's report, the response, and pain are for today to say.
func (s *App) StartSession(ctx context.Context, a *auth.Actor, clientID, appointmentID, planID int64) (*SessionStart, error) {
	c, err := s.noteClient(ctx, a, auth.ClinicalWrite, AuditNoteWrite, clientID)
	if err != nil {
		return nil, err
	}
	org := a.User.OrgID
	var appt *schedule.Appointment
	if appointmentID != 0 {
		if appt, err = s.apptFor(ctx, a, auth.ClinicalWrite, AuditNoteWrite, appointmentID); err != nil {
			return nil, err
		}
		switch {
		case appt.ClientID != c.ID:
			return nil, &errs.Error{Code: errs.Invalid, Message: "This appointment is another client's: start the session from this client's appointment.",
				Fields: map[string]string{"appointment_id": "Not this client's appointment."}}
		case !schedule.Holds(appt.Status):
			return nil, errs.E(errs.Conflict, "This appointment was cancelled: book the session again, or start it as a walk-in.")
		case appt.Status == schedule.NoShow:
			return nil, errs.E(errs.Conflict, "This appointment is marked as a no-show: change its status if the client came.")
		}
	}
	notes, err := s.DB.Notes(ctx, org, c.ID, "", "")
	if err != nil {
		return nil, err
	}
	st := &SessionStart{}
	for i := range notes {
		if notes[i].Status == care.NoteSigned {
			st.Previous = &notes[i]
			break
		}
	}
	if appt != nil {
		st.Note = apptNote(notes, appt.ID)
	}

	var date string
	switch {
	case st.Note != nil:
		date = st.Note.ServiceDate
	case appt != nil:
		zone, err := s.zoneOf(ctx, org, appt.LocationID)
		if err != nil {
			return nil, err
		}
		date = appt.Start.In(zone).Format(clinic.DateLayout)
	default:
		now, err := s.clinicNow(ctx, org)
		if err != nil {
			return nil, err
		}
		date = now.Format(clinic.DateLayout)
	}
	switch {
	case st.Note != nil:
		planID = st.Note.PlanID
	case planID == 0 && appt != nil && appt.PlanID != 0:
		planID = appt.PlanID
	}
	plan, err := s.sessionPlan(ctx, org, c.ID, planID, st.Note == nil)
	if err != nil {
		return nil, err
	}
	if plan != nil {
		ps, err := s.prescriptions(ctx, org, c.ID)
		if err != nil {
			return nil, err
		}
		st.ProgressDue, st.ProgressWhy = care.ProgressDue(plan, planVisits(plan, notes), date, ps)
	}
	sc, err := s.current(ctx, org, c.ID)
	if err != nil {
		return nil, err
	}
	st.Blocking = sc.Blocking()

	if st.Note != nil {
		return st, s.audit(ctx, noteEntry(a, AuditNoteRead, st.Note, "reopened note "+i64(st.Note.ID)))
	}
	n := &care.SOAPNote{OrgID: org, ClientID: c.ID, TherapistID: a.User.ID, ServiceDate: date, Kind: care.NoteDaily}
	if appt != nil {
		n.AppointmentID = appt.ID
	}
	if plan != nil {
		n.PlanID = plan.ID
	}
	if st.ProgressDue {
		n.Kind = care.NoteProgress
	}
	if n.CosignRequired, err = s.supervised(ctx, org, a.User.ID); err != nil {
		return nil, err
	}
	copyForward(n, st.Previous)
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateNote(ctx, tx, n); err != nil {
			return nil, err
		}
		return []*audit.Entry{noteEntry(a, AuditNoteWrite, n, "started note "+i64(n.ID))}, nil
	})
	if errs.Is(err, errs.Conflict) && appt != nil {
		// Another device started this appointment's note a moment ago: open that one.
		notes, rerr := s.DB.Notes(ctx, org, c.ID, "", "")
		if rerr != nil {
			return nil, rerr
		}
		if st.Note = apptNote(notes, appt.ID); st.Note != nil {
			return st, s.audit(ctx, noteEntry(a, AuditNoteRead, st.Note, "reopened note "+i64(st.Note.ID)))
		}
	}
	if err != nil {
		return nil, err
	}
	st.Note = n
	return st, nil
}

// apptNote is the note of appointment id among notes, nil when none.
func apptNote(notes []care.SOAPNote, id int64) *care.SOAPNote {
	for i := range notes {
		if notes[i].AppointmentID == id {
			return &notes[i]
		}
	}
	return nil
}

// sessionPlan is the plan of care a session counts against: plan id of the
// client, or (when id is 0 and fallback) the client's current signed plan;
// nil when there is none.
func (s *App) sessionPlan(ctx context.Context, org, clientID, id int64, fallback bool) (*assess.Plan, error) {
	if id != 0 {
		p, err := s.DB.Plan(ctx, org, clientID, id)
		if errs.Is(err, errs.NotFound) {
			return nil, &errs.Error{Code: errs.Invalid, Message: "Choose one of this client's plans of care.", Fields: map[string]string{"plan_id": "Unknown plan of care."}}
		}
		return p, err
	}
	if !fallback {
		return nil, nil
	}
	ps, err := s.DB.Plans(ctx, org, clientID)
	if err != nil {
		return nil, err
	}
	r := ClinicalRecord{Plans: ps}
	return r.Current(), nil
}

// planVisits counts the signed daily notes under plan p since its last
// signed progress note, or its start (notes are newest first).
func planVisits(p *assess.Plan, notes []care.SOAPNote) care.PlanVisits {
	v := care.PlanVisits{Since: p.StartDate}
	for _, n := range notes {
		if n.PlanID != p.ID || n.Status != care.NoteSigned {
			continue
		}
		if n.Kind == care.NoteProgress {
			v.Since = n.ServiceDate
			break
		}
		v.Count++
	}
	return v
}

// copyForward fills a new draft from the previous signed note (fresh
// copies, so editing one never changes the other).
func copyForward(n, prev *care.SOAPNote) {
	if prev == nil {
		return
	}
	n.Objective = prev.Objective
	n.Marks = slices.Clone(prev.Marks)
	for _, t := range prev.Techniques {
		t.Regions = slices.Clone(t.Regions)
		n.Techniques = append(n.Techniques, t)
	}
	for _, m := range prev.Modalities {
		m.Regions = slices.Clone(m.Regions)
		n.Modalities = append(n.Modalities, m)
	}
	n.HomeCare = slices.Clone(prev.HomeCare)
	if prev.Pressure != nil {
		p := *prev.Pressure
		n.Pressure = &p
	}
}

// AcknowledgeScreening records on draft noteID (at version) that the
// therapist saw the safety banner. While a finding blocks treatment today
// without an override, there is nothing to acknowledge: the override, with
// its reason, comes first. A Conflict comes back with the stored note.
func (s *App) AcknowledgeScreening(ctx context.Context, a *auth.Actor, noteID, version int64) (*care.SOAPNote, error) {
	n, err := s.noteFor(ctx, a, auth.ClinicalWrite, AuditNoteWrite, noteID)
	if err != nil {
		return nil, err
	}
	if n.Status == care.NoteSigned {
		return n, s.refused(ctx, a, n, "acknowledging the screening", errs.E(errs.Conflict, "This note is signed, and signed notes never change: write an addendum instead."))
	}
	sc, err := s.current(ctx, a.User.OrgID, n.ClientID)
	if err != nil {
		return nil, err
	}
	if b := sc.Blocking(); len(b) > 0 {
		return nil, &errs.Error{Code: errs.Conflict, Message: "The safety screening advises against treating today: record an override with its reason for each blocking finding first, or do not treat.",
			Fields: map[string]string{"screening": strconv.Itoa(len(b)) + " blocking finding(s) without an override today."}}
	}
	n.ScreeningAcknowledged, n.ScreeningAckAt = true, s.now()
	return s.saveDraft(ctx, a, n, version, "acknowledged the screening on note "+i64(n.ID))
}

// SaveNoteDraft saves draft n if it is still at baseVersion. If someone
// saved it since, nothing is saved and the stored note comes back beside
// the Conflict, so the page can show both. A signed note is refused (and
// the attempt audited). The screening's acknowledgement is not the form's
// to change: it is recorded by AcknowledgeScreening.
func (s *App) SaveNoteDraft(ctx context.Context, a *auth.Actor, n *care.SOAPNote, baseVersion int64) (*care.SOAPNote, error) {
	stored, err := s.noteFor(ctx, a, auth.ClinicalWrite, AuditNoteWrite, n.ID)
	if err != nil {
		return nil, err
	}
	n.OrgID = a.User.OrgID
	n.ScreeningAcknowledged, n.ScreeningAckAt = stored.ScreeningAcknowledged, stored.ScreeningAckAt
	// Once required, a co-signature stays required: the supervised writer
	// cannot drop it.
	n.CosignRequired = n.CosignRequired || stored.CosignRequired
	if stored.Status == care.NoteSigned {
		return stored, s.refused(ctx, a, stored, "saving a draft", errs.E(errs.Conflict, "This note is signed, and signed notes never change: write an addendum instead."))
	}
	return s.saveDraft(ctx, a, n, baseVersion, "saved note "+i64(n.ID))
}

func (s *App) saveDraft(ctx context.Context, a *auth.Actor, n *care.SOAPNote, baseVersion int64, detail string) (*care.SOAPNote, error) {
	var out *care.SOAPNote
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		var err error
		out, err = s.DB.SaveDraft(ctx, tx, n, baseVersion)
		if err != nil {
			return nil, err
		}
		return []*audit.Entry{noteEntry(a, AuditNoteWrite, out, detail+", version "+i64(out.Version))}, nil
	})
	if err != nil && out != nil && out.Status == care.NoteSigned {
		// Signed between the read and the write.
		return out, s.refused(ctx, a, out, "saving a draft", err)
	}
	return out, err
}

// SignNote signs draft noteID at version: the therapist who wrote it or the
// owner. Signed more than 24 hours after the session (the appointment's
// end, or the end of the date of service for a walk-in) it is a late entry.
func (s *App) SignNote(ctx context.Context, a *auth.Actor, noteID, version int64) (*care.SOAPNote, error) {
	n, err := s.noteFor(ctx, a, auth.ClinicalWrite, AuditNoteSign, noteID)
	if err != nil {
		return nil, err
	}
	if n.TherapistID != a.User.ID && a.User.Role != clinic.RoleOwner {
		return nil, s.deny(ctx, a, AuditNoteSign, "client", n.ClientID, errs.E(errs.Forbidden, "A note is signed by the therapist who wrote it, or by the owner."))
	}
	if n.Status == care.NoteSigned {
		return nil, s.refused(ctx, a, n, "signing again", errs.E(errs.Conflict, "This note is already signed."))
	}
	org := a.User.OrgID
	if n.AppointmentID != 0 {
		appt, err := s.DB.Appointment(ctx, org, n.AppointmentID)
		if err != nil {
			return nil, err
		}
		return s.sign(ctx, a, n, version, appt.End)
	}
	// A walk-in's day ends at midnight where the client is seen.
	c, err := s.client(ctx, org, n.ClientID)
	if err != nil {
		return nil, err
	}
	zone, err := s.zoneOf(ctx, org, c.PreferredLocationID)
	if err != nil {
		return nil, err
	}
	end, err := care.ServiceDateEnd(n.ServiceDate, zone)
	if err != nil {
		return nil, err
	}
	return s.sign(ctx, a, n, version, end)
}

func (s *App) sign(ctx context.Context, a *auth.Actor, n *care.SOAPNote, version int64, sessionEnd time.Time) (*care.SOAPNote, error) {
	var out *care.SOAPNote
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		// A supervised writer's note needs its co-signature, even when the
		// supervision began after the draft did.
		if _, err := s.DB.RequireSupervisedCosign(ctx, tx, a.User.OrgID, n.ID); err != nil {
			return nil, err
		}
		var err error
		if out, err = s.DB.SignNote(ctx, tx, a.User.OrgID, n.ID, version, a.User.ID, s.now(), sessionEnd); err != nil {
			return nil, err
		}
		d := "signed note " + i64(n.ID)
		if out.LateEntry {
			d += ", late entry"
		}
		return []*audit.Entry{noteEntry(a, AuditNoteSign, out, d)}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddAddendum appends a dated, signed addendum to signed note noteID: the
// way to correct or add to a signed note.
func (s *App) AddAddendum(ctx context.Context, a *auth.Actor, noteID int64, reason, text string) (*care.Addendum, error) {
	n, err := s.noteFor(ctx, a, auth.ClinicalWrite, AuditNoteAddendum, noteID)
	if err != nil {
		return nil, err
	}
	ad := &care.Addendum{OrgID: a.User.OrgID, NoteID: n.ID, Reason: strings.TrimSpace(reason), Text: strings.TrimSpace(text), SignedBy: a.User.ID, SignedAt: s.now()}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.AddAddendum(ctx, tx, ad); err != nil {
			return nil, err
		}
		return []*audit.Entry{noteEntry(a, AuditNoteAddendum, n, "addendum "+i64(ad.ID)+" to note "+i64(n.ID))}, nil
	})
	if err != nil {
		return nil, err
	}
	return ad, nil
}

// Note reads one note with its addenda, oldest first (audited).
func (s *App) Note(ctx context.Context, a *auth.Actor, noteID int64) (*care.SOAPNote, []care.Addendum, error) {
	n, err := s.noteFor(ctx, a, auth.ClinicalRead, AuditNoteRead, noteID)
	if err != nil {
		return nil, nil, err
	}
	adds, err := s.DB.Addenda(ctx, a.User.OrgID, noteID)
	if err != nil {
		return nil, nil, err
	}
	return n, adds, s.audit(ctx, noteEntry(a, AuditNoteRead, n, "note "+i64(n.ID)))
}

// ClientNotes lists a client's notes, newest first (one audit entry).
func (s *App) ClientNotes(ctx context.Context, a *auth.Actor, clientID int64) ([]care.SOAPNote, error) {
	if _, err := s.noteClient(ctx, a, auth.ClinicalRead, AuditNoteRead, clientID); err != nil {
		return nil, err
	}
	notes, err := s.DB.Notes(ctx, a.User.OrgID, clientID, "", "")
	if err != nil {
		return nil, err
	}
	return notes, s.audit(ctx, withDetail(entry(a, AuditNoteRead, "client", clientID, audit.OK), "notes "+strconv.Itoa(len(notes))))
}
