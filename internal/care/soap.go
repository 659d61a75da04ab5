package care

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/errs"
)

// SOAP session notes: what was reported (S), found (O), concluded (A) and
// planned (P) at one session, with the techniques and modalities performed,
// which later give the billed units. A signed note never changes; a
// correction is an Addendum.

// Kinds of session note.
const (
	NoteDaily    = "daily"    // a routine treatment session
	NoteProgress = "progress" // a progress note (re-evaluation due)
)

// Status of a session note.
const (
	NoteDraft  = "draft"
	NoteSigned = "signed"
)

// Tolerances: how the client took the treatment.
var Tolerances = []string{"good", "fair", "poor"}

// ModalityKinds are the modalities a note records.
var ModalityKinds = []string{"hot_pack", "cold_pack", "paraffin", "whirlpool", "infrared"}

// Limits of one note.
const (
	MaxSectionText = 10000 // characters per S, O, A, P section
	MaxMinutes     = 480   // per technique or modality: a whole working day
	maxNoteRows    = 50    // techniques, modalities, home-care items
	maxShortNote   = 500   // next visit, one home-care item, an addendum's reason
	minReason      = 10    // an addendum's reason, so it says something
)

// LateAfter is how long after the session a note may be signed before it is
// marked a late entry.
const LateAfter = 24 * time.Hour

// PerformedTechnique is a technique of assess.Techniques done in a session.
type PerformedTechnique struct {
	Technique string   `json:"technique"` // a key of assess.Techniques
	Regions   []string `json:"regions"`   // keys of assess.Regions
	Minutes   int      `json:"minutes"`
}

// Modality is a modality applied in a session (hot pack, paraffin, …).
type Modality struct {
	Kind    string   `json:"kind"` // one of ModalityKinds
	Minutes int      `json:"minutes"`
	Regions []string `json:"regions,omitempty"`
}

// SOAPNote is the record of one session.
type SOAPNote struct {
	ID            int64  `json:"id"`
	OrgID         int64  `json:"-"`
	ClientID      int64  `json:"client_id"`
	AppointmentID int64  `json:"appointment_id,omitempty"` // 0 for a walk-in
	PlanID        int64  `json:"plan_id,omitempty"`        // the plan of care it counts against
	TherapistID   int64  `json:"therapist_id"`
	ServiceDate   string `json:"service_date"` // YYYY-MM-DD
	Kind          string `json:"kind"`         // NoteDaily or NoteProgress

	Subjective string        `json:"subjective"`
	PainBefore *int          `json:"pain_before,omitempty"` // 0–10
	Objective  string        `json:"objective"`
	Marks      []assess.Mark `json:"marks"`
	Assessment string        `json:"assessment"`
	PainAfter  *int          `json:"pain_after,omitempty"`
	Tolerance  string        `json:"tolerance,omitempty"` // one of Tolerances
	Plan       string        `json:"plan"`
	HomeCare   []string      `json:"home_care,omitempty"`
	NextVisit  string        `json:"next_visit,omitempty"`
	Pressure   *int          `json:"pressure,omitempty"` // 0–5

	Techniques []PerformedTechnique `json:"techniques"`
	Modalities []Modality           `json:"modalities,omitempty"`

	ScreeningAcknowledged bool      `json:"screening_acknowledged"`
	ScreeningAckAt        time.Time `json:"screening_ack_at,omitzero"`

	Status string `json:"status"` // NoteDraft or NoteSigned
	// Version is bumped by every saved draft (optimistic concurrency).
	Version   int64     `json:"version"`
	SignedBy  int64     `json:"signed_by,omitempty"`
	SignedAt  time.Time `json:"signed_at,omitzero"`
	LateEntry bool      `json:"late_entry,omitempty"` // see IsLate

	CosignRequired bool      `json:"cosign_required,omitempty"`
	CosignedBy     int64     `json:"cosigned_by,omitempty"`
	CosignedAt     time.Time `json:"cosigned_at,omitzero"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func noteText(bad errs.FieldErrors, field, s string, max int) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		bad.Add(field, "Remove the characters that are not text.")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		bad.Add(field, "This is too long ("+strconv.Itoa(n)+" characters; at most "+strconv.Itoa(max)+").")
	}
}

func scale(bad errs.FieldErrors, field string, v *int, max int, msg string) {
	if v != nil && (*v < 0 || *v > max) {
		bad.Add(field, msg)
	}
}

func minutes(bad errs.FieldErrors, field string, m int) {
	if m < 0 || m > MaxMinutes {
		bad.Add(field, "Enter the minutes, from 0 to "+strconv.Itoa(MaxMinutes)+".")
	}
}

func regions(bad errs.FieldErrors, field string, rs []string) {
	if len(rs) > len(assess.Regions) {
		bad.Add(field, "Too many body regions.")
		return
	}
	for _, r := range rs {
		if _, ok := assess.RegionByKey(r); !ok {
			bad.Add(field, "Choose body regions from the list.")
			return
		}
	}
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}

// Validate checks a note as saved: a draft may be incomplete, but what it
// holds is well formed. Field names are the form's ("technique.2", …).
func (n *SOAPNote) Validate() error {
	bad := errs.FieldErrors{}
	if _, err := time.Parse(time.DateOnly, n.ServiceDate); err != nil {
		bad.Add("service_date", "Enter the date of service as a date.")
	}
	if n.Kind != NoteDaily && n.Kind != NoteProgress {
		bad.Add("kind", "Choose a daily note or a progress note.")
	}
	for f, s := range map[string]string{"subjective": n.Subjective, "objective": n.Objective, "assessment": n.Assessment, "plan": n.Plan} {
		noteText(bad, f, s, MaxSectionText)
	}
	noteText(bad, "next_visit", n.NextVisit, maxShortNote)
	scale(bad, "pain_before", n.PainBefore, 10, "Pain is rated 0 (none) to 10 (worst imaginable).")
	scale(bad, "pain_after", n.PainAfter, 10, "Pain is rated 0 (none) to 10 (worst imaginable).")
	scale(bad, "pressure", n.Pressure, 5, "Pressure is rated 0 (none) to 5 (deepest).")
	if n.Tolerance != "" && !oneOf(n.Tolerance, Tolerances) {
		bad.Add("tolerance", "Choose good, fair or poor.")
	}
	if err := assess.ValidateMarks(n.Marks); err != nil {
		bad.Add("marks", errs.Message(err))
	}
	if len(n.HomeCare) > maxNoteRows || len(n.Techniques) > maxNoteRows || len(n.Modalities) > maxNoteRows {
		bad.Add("form", "A note holds at most "+strconv.Itoa(maxNoteRows)+" techniques, modalities and home-care items each.")
		return bad.Err()
	}
	for i, h := range n.HomeCare {
		noteText(bad, "home_care."+strconv.Itoa(i), h, maxShortNote)
	}
	for i, t := range n.Techniques {
		f := "technique." + strconv.Itoa(i)
		if _, ok := assess.TechniqueByKey(t.Technique); !ok {
			bad.Add(f, "Choose a technique from the list.")
		}
		minutes(bad, f, t.Minutes)
		regions(bad, f, t.Regions)
	}
	for i, m := range n.Modalities {
		f := "modality." + strconv.Itoa(i)
		if !oneOf(m.Kind, ModalityKinds) {
			bad.Add(f, "Choose a modality from the list.")
		}
		minutes(bad, f, m.Minutes)
		regions(bad, f, m.Regions)
	}
	return bad.Err()
}

// ValidateForSigning checks that a note is complete enough to sign: all
// four sections written, treatment time recorded, pain measured before and
// after, and the safety screening acknowledged.
func (n *SOAPNote) ValidateForSigning() error {
	bad := errs.FieldErrors{}
	if err := n.Validate(); err != nil {
		for f, m := range errs.FieldsOf(err) {
			bad.Add(f, m)
		}
	}
	for _, s := range []struct{ field, text, what string }{
		{"subjective", n.Subjective, "the client's report (S)"},
		{"objective", n.Objective, "your findings (O)"},
		{"assessment", n.Assessment, "the response to treatment (A)"},
		{"plan", n.Plan, "the plan (P)"},
	} {
		if strings.TrimSpace(s.text) == "" {
			bad.Add(s.field, "Write "+s.what+" before signing.")
		}
	}
	timed := false
	for _, t := range n.Techniques {
		timed = timed || t.Minutes > 0
	}
	if !timed {
		bad.Add("techniques", "Record at least one technique with its minutes before signing.")
	}
	if n.PainBefore == nil {
		bad.Add("pain_before", "Record the pain before treatment (0–10).")
	}
	if n.PainAfter == nil {
		bad.Add("pain_after", "Record the pain after treatment (0–10).")
	}
	if !n.ScreeningAcknowledged {
		bad.Add("screening", "Acknowledge the safety screening before signing.")
	}
	return bad.Err()
}

// Addendum is a dated, signed correction or addition to a signed note.
type Addendum struct {
	ID           int64     `json:"id"`
	OrgID        int64     `json:"-"`
	NoteID       int64     `json:"note_id"`
	Reason       string    `json:"reason"`
	Text         string    `json:"text"`
	SignedBy     int64     `json:"signed_by"`
	SignedByName string    `json:"signed_by_name,omitempty"`
	SignedAt     time.Time `json:"signed_at"`
}

// Validate checks an addendum says why it was written and what it adds.
func (a *Addendum) Validate() error {
	bad := errs.FieldErrors{}
	noteText(bad, "reason", a.Reason, maxShortNote)
	if utf8.RuneCountInString(strings.TrimSpace(a.Reason)) < minReason {
		bad.Add("reason", "Say why the addendum is written (at least "+strconv.Itoa(minReason)+" characters).")
	}
	noteText(bad, "text", a.Text, MaxSectionText)
	if strings.TrimSpace(a.Text) == "" {
		bad.Add("text", "Write the addendum.")
	}
	return bad.Err()
}

// IsLate reports whether a note signed at signedAt is a late entry: signed
// more than LateAfter after the session ended.
func IsLate(sessionEnd, signedAt time.Time) bool {
	return signedAt.Sub(sessionEnd) > LateAfter
}

// ServiceDateEnd is the end of a date of service (the next midnight) in the
// clinic's time zone: the session's end for a note without an appointment.
func ServiceDateEnd(date string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, errs.E(errs.Invalid, "The date of service is not a date.")
	}
	return d.AddDate(0, 0, 1), nil
}
