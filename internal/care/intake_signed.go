package care

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
)

// SignedFormat names the layout of the signed document; a new layout gets a
// new name so old signatures can still be checked.
const SignedFormat = "fascia.intake.v1"

// IntakeContent is what the client answered: the part of an intake that is
// signed and stored, without record keeping (ids, version, signature).
type IntakeContent struct {
	ReasonForVisit     string       `json:"reason_for_visit"`
	Goals              string       `json:"goals"`
	PainAreas          []Mark       `json:"pain_areas"`
	Conditions         []string     `json:"conditions"`
	ConditionNotes     string       `json:"condition_notes"`
	Medications        []Medication `json:"medications"`
	Surgeries          []Surgery    `json:"surgeries"`
	Allergies          []string     `json:"allergies"`
	AllergyNotes       string       `json:"allergy_notes"`
	Pregnant           bool         `json:"pregnant"`
	PregnancyWeeks     int          `json:"pregnancy_weeks"`
	ImplantedDevices   string       `json:"implanted_devices"`
	RecentInjuries     []Injury     `json:"recent_injuries"`
	PriorMassage       bool         `json:"prior_massage"`
	PriorMassageNotes  string       `json:"prior_massage_notes"`
	PressurePreference string       `json:"pressure_preference"`
	DoNotTreat         []Area       `json:"do_not_treat"`
	PhysicianName      string       `json:"physician_name"`
	PhysicianPhone     string       `json:"physician_phone"`
	BPSystolic         int          `json:"bp_systolic"`
	BPDiastolic        int          `json:"bp_diastolic"`
}

// SignedConsent is a consent text exactly as it was shown when signing.
type SignedConsent struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	Title   string `json:"title"`
	Body    string `json:"body"`
}

// SignedDocument is exactly what a client signs: their answers and the
// consent texts they agreed to.
type SignedDocument struct {
	Format   string          `json:"format"`
	Intake   IntakeContent   `json:"intake"`
	Consents []SignedConsent `json:"consents"`
}

// ContentOf returns the answers of an intake, with empty lists (never nil)
// so the same answers always encode the same.
func ContentOf(in *Intake) IntakeContent {
	return IntakeContent{
		ReasonForVisit: in.ReasonForVisit, Goals: in.Goals, PainAreas: nonNil(in.PainAreas),
		Conditions: nonNil(in.Conditions), ConditionNotes: in.ConditionNotes, Medications: nonNil(in.Medications),
		Surgeries: nonNil(in.Surgeries), Allergies: nonNil(in.Allergies), AllergyNotes: in.AllergyNotes,
		Pregnant: in.Pregnant, PregnancyWeeks: in.PregnancyWeeks, ImplantedDevices: in.ImplantedDevices,
		RecentInjuries: nonNil(in.RecentInjuries), PriorMassage: in.PriorMassage, PriorMassageNotes: in.PriorMassageNotes,
		PressurePreference: in.PressurePreference, DoNotTreat: nonNil(in.DoNotTreat),
		PhysicianName: in.PhysicianName, PhysicianPhone: in.PhysicianPhone, BPSystolic: in.BPSystolic, BPDiastolic: in.BPDiastolic,
	}
}

// ApplyTo copies the answers onto an intake.
func (c IntakeContent) ApplyTo(in *Intake) {
	in.ReasonForVisit, in.Goals, in.PainAreas = c.ReasonForVisit, c.Goals, c.PainAreas
	in.Conditions, in.ConditionNotes, in.Medications = c.Conditions, c.ConditionNotes, c.Medications
	in.Surgeries, in.Allergies, in.AllergyNotes = c.Surgeries, c.Allergies, c.AllergyNotes
	in.Pregnant, in.PregnancyWeeks, in.ImplantedDevices = c.Pregnant, c.PregnancyWeeks, c.ImplantedDevices
	in.RecentInjuries, in.PriorMassage, in.PriorMassageNotes = c.RecentInjuries, c.PriorMassage, c.PriorMassageNotes
	in.PressurePreference, in.DoNotTreat = c.PressurePreference, c.DoNotTreat
	in.PhysicianName, in.PhysicianPhone, in.BPSystolic, in.BPDiastolic = c.PhysicianName, c.PhysicianPhone, c.BPSystolic, c.BPDiastolic
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SignedBytes is the canonical encoding of what a client signs: JSON with
// fields in a fixed order, consents ordered by id, no HTML escaping and no
// insignificant space. The same answers and texts always give the same bytes.
func SignedBytes(in *Intake, consents []ConsentDocument) ([]byte, error) {
	d := SignedDocument{Format: SignedFormat, Intake: ContentOf(in), Consents: []SignedConsent{}}
	for _, c := range consents {
		d.Consents = append(d.Consents, SignedConsent{c.ID, c.Kind, c.Version, c.Title, c.Body})
	}
	slices.SortFunc(d.Consents, func(a, b SignedConsent) int { return int(a.ID - b.ID) })
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// HashSigned is the hex SHA-256 of the signed bytes.
func HashSigned(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ParseSigned reads a stored signed document.
func ParseSigned(b []byte) (*SignedDocument, error) {
	var d SignedDocument
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	if d.Format != SignedFormat {
		return nil, errors.New("care: unknown signed intake format " + d.Format)
	}
	return &d, nil
}
