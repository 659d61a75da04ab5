package care

import "time"

// Intake is one version of a client's health history, as the client filled
// it in. A signed intake never changes: an update is a new version.
// (The shared contract of the intake, screening and prescription areas.)
type Intake struct {
	ID       int64
	OrgID    int64
	ClientID int64
	Version  int // 1, 2, … per client

	ReasonForVisit   string
	Goals            string
	PainAreas        []Mark   // on the body outline
	Conditions       []string // keys of Conditions
	ConditionNotes   string
	Medications      []Medication
	Surgeries        []Surgery
	Allergies        []string // oils, latex, nuts, fragrance, …
	AllergyNotes     string
	Pregnant         bool
	PregnancyWeeks   int    // 0 when unknown
	ImplantedDevices string // pacemaker, insulin pump, joint replacement, …
	RecentInjuries   []Injury
	PriorMassage     bool
	// PressurePreference is light, medium or firm.
	PressurePreference string
	DoNotTreat         []Area // areas the client does not want treated
	PhysicianName      string
	PhysicianPhone     string
	// Blood pressure most recently known (0 when not given), in mmHg.
	BPSystolic, BPDiastolic int

	SignedAt time.Time // zero while a draft
	SignedBy string    // the name typed or drawn
	// ContentHash is the SHA-256 of exactly what was signed (the intake and the consent texts).
	ContentHash string

	// Added by the intake area (fields above are the shared contract).

	PriorMassageNotes string // what kind of massage, and how it went
	// SignatureKind is "drawn" (SignaturePNG holds the drawing) or "typed".
	SignatureKind string
	SignaturePNG  []byte // only on single-version reads
	SignedFrom    string // the source address of the signing request
	// Source is how the client filled it in: "link", "kiosk" or "import".
	Source string
	// Consents are the consent documents signed with the intake.
	Consents []ConsentRef
	// ReviewedAt is when a therapist reviewed this version (zero: not yet).
	ReviewedAt     time.Time
	ReviewedBy     int64
	ReviewedByName string
}

// Mark is a point on the body outline: a named region and side, with
// coordinates normalised to 0..1 on the given view so it renders the same
// everywhere.
type Mark struct {
	View      string  // anterior, posterior, head_lateral
	Region    string  // one of Regions
	Side      string  // one of Sides
	X, Y      float64 // 0..1 within the view
	Kind      string  // pain, numbness, …
	Intensity int     // 0..10
	Note      string
}

// Medication is one medicine the client takes.
type Medication struct {
	Name  string
	Class string // a key of MedicationClasses
	Dose  string
}

// Surgery is an operation with its date (YYYY-MM-DD; a month YYYY-MM is read as its first day).
type Surgery struct {
	What   string
	Date   string
	Region string
	Side   string
}

// Injury is a recent injury with its date.
type Injury struct {
	What   string
	Date   string
	Region string
	Side   string
}

// Area is a body region and side.
type Area struct {
	Region string
	Side   string
}

// HasCondition reports whether the intake ticks condition key.
func (in *Intake) HasCondition(key string) bool {
	for _, c := range in.Conditions {
		if c == key {
			return true
		}
	}
	return false
}
