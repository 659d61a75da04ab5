// Package assess is the measured side of medical massage: the initial
// evaluation and re-evaluations (subjective report, posture, body chart,
// range of motion, special tests, gait), the treatment plan (plan of care)
// with measurable goals, and the condition library that prefills both. It
// knows nothing of SQL or HTTP.
//
// Files: assess.go (the records), rom.go (range-of-motion norms and flags),
// bodychart*.go (figures, regions, SVG), catalogue files (special tests,
// techniques, posture findings) and conditions.go (the library).
package assess

import "time"

// Kinds of evaluation.
const (
	Initial = "initial"
	Reeval  = "reevaluation"
)

// Status of an evaluation or a plan. A signed record never changes; a plan
// is replaced by a new version, which marks the old one superseded.
const (
	Draft      = "draft"
	Signed     = "signed"
	Superseded = "superseded"
)

// Mark is one finding on the body chart. X and Y are normalised to 0..1
// within the view's figure, so a chart renders the same in pages and PDFs.
type Mark struct {
	View      string  `json:"view"`      // a key of Views: anterior, posterior, lateral
	Region    string  `json:"region"`    // a key of Regions, e.g. "upper_trapezius"
	Side      string  `json:"side"`      // left, right, midline, bilateral
	X         float64 `json:"x"`         // 0..1, rounded to 4 decimals
	Y         float64 `json:"y"`         // 0..1, rounded to 4 decimals
	Kind      string  `json:"kind"`      // a key of MarkKinds
	Intensity int     `json:"intensity"` // 1 mild, 2 moderate, 3 severe
	Note      string  `json:"note,omitempty"`
}

// Subjective is the client's own report.
type Subjective struct {
	ChiefComplaint   string `json:"chief_complaint"`
	OnsetDate        string `json:"onset_date,omitempty"` // YYYY-MM-DD
	Mechanism        string `json:"mechanism,omitempty"`  // how it began
	Aggravating      string `json:"aggravating,omitempty"`
	Easing           string `json:"easing,omitempty"`
	PainNow          *int   `json:"pain_now,omitempty"` // 0..10
	PainBest         *int   `json:"pain_best,omitempty"`
	PainWorst        *int   `json:"pain_worst,omitempty"`
	FunctionalLimits string `json:"functional_limits,omitempty"` // in the client's words
	PriorTreatment   string `json:"prior_treatment,omitempty"`
	ClientGoals      string `json:"client_goals,omitempty"`
}

// PostureFinding is one observation of posture: a key of PostureFindings
// (which carries its view), with side where it has one.
type PostureFinding struct {
	Finding string `json:"finding"`
	Side    string `json:"side,omitempty"`
	Note    string `json:"note,omitempty"`
}

// ROM is one range-of-motion measurement: a motion of Motions, a side for
// sided motions ("" for the spine), active or passive, degrees, and
// whether the motion hurt.
type ROM struct {
	Motion  string `json:"motion"` // a key of Motions, e.g. "cervical.rotation"
	Side    string `json:"side,omitempty"`
	Passive bool   `json:"passive,omitempty"`
	Degrees int    `json:"degrees"`
	Pain    bool   `json:"pain,omitempty"`
}

// TestResult is one special test performed.
type TestResult struct {
	Test   string `json:"test"` // a key of SpecialTests
	Side   string `json:"side,omitempty"`
	Result string `json:"result"` // positive, negative, equivocal
	Note   string `json:"note,omitempty"`
}

// Evaluation is an initial evaluation or a re-evaluation.
type Evaluation struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"-"`
	ClientID   int64  `json:"client_id"`
	Kind       string `json:"kind"`                  // Initial or Reeval
	PreviousID int64  `json:"previous_id,omitempty"` // the evaluation a re-evaluation starts from
	Date       string `json:"date"`                  // date of service, YYYY-MM-DD
	Condition  string `json:"condition,omitempty"`   // a key of the condition library that prefilled it

	Subjective Subjective       `json:"subjective"`
	Posture    []PostureFinding `json:"posture"`
	Marks      []Mark           `json:"marks"`
	ROM        []ROM            `json:"rom"`
	Tests      []TestResult     `json:"tests"`
	Gait       []string         `json:"gait"` // keys of GaitFindings
	GaitNote   string           `json:"gait_note,omitempty"`
	Assessment string           `json:"assessment"` // the therapist's summary

	Status       string    `json:"status"` // Draft or Signed
	TherapistID  int64     `json:"therapist_id"`
	SignedBy     int64     `json:"signed_by,omitempty"`
	SignedByName string    `json:"signed_by_name,omitempty"`
	SignedAt     time.Time `json:"signed_at,omitzero"`
	Version      int64     `json:"version"` // optimistic concurrency of drafts
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Measure kinds of a goal.
const (
	MeasureOutcome  = "outcome"  // an outcome measure's score (NDI, PSFS, …)
	MeasureROM      = "rom"      // degrees of a motion
	MeasurePain     = "pain"     // 0..10
	MeasureFunction = "function" // a functional activity (minutes, distance, count)
)

// Goal is a measurable short- or long-term goal.
type Goal struct {
	Term       string  `json:"term"`    // short, long
	Measure    string  `json:"measure"` // one of the Measure kinds
	What       string  `json:"what"`    // e.g. "NDI", a Motions key with side, "pain at worst", "sit at a desk"
	Side       string  `json:"side,omitempty"`
	Baseline   float64 `json:"baseline"`
	Target     float64 `json:"target"`
	Unit       string  `json:"unit"` // points, %, degrees, /10, minutes, …
	TargetDate string  `json:"target_date"`
	Met        bool    `json:"met,omitempty"`
}

// PlannedTechnique is a technique of Techniques with the regions it is for.
type PlannedTechnique struct {
	Technique string   `json:"technique"`
	Regions   []string `json:"regions"` // keys of Regions
}

// Plan is a treatment plan (plan of care). Versions of a client's plan
// share Series; signing a new version supersedes the signed one before it.
type Plan struct {
	ID           int64  `json:"id"`
	OrgID        int64  `json:"-"`
	ClientID     int64  `json:"client_id"`
	Series       int64  `json:"series"`  // the first version's ID
	Version      int    `json:"version"` // 1, 2, … within the series
	EvaluationID int64  `json:"evaluation_id,omitempty"`
	Condition    string `json:"condition,omitempty"`
	StartDate    string `json:"start_date"`

	Diagnoses      []string           `json:"diagnoses"` // ICD-10-CM codes, from the prescription
	PrescriptionID int64              `json:"prescription_id,omitempty"`
	Goals          []Goal             `json:"goals"`
	Techniques     []PlannedTechnique `json:"techniques"`
	PerWeek        int                `json:"per_week"`      // visits a week
	Weeks          int                `json:"weeks"`         // duration
	ReevalVisits   int                `json:"reeval_visits"` // re-evaluate every N visits (0 = not by visits)
	ReevalDays     int                `json:"reeval_days"`   // or every N days (0 = not by days)
	Precautions    []string           `json:"precautions"`   // carried over from the safety screening
	HomeCare       string             `json:"home_care,omitempty"`

	Status       string    `json:"status"`
	TherapistID  int64     `json:"therapist_id"`
	SignedBy     int64     `json:"signed_by,omitempty"`
	SignedByName string    `json:"signed_by_name,omitempty"`
	SignedAt     time.Time `json:"signed_at,omitzero"`

	// The plan of care sent to the physician and their co-signature.
	PhysicianID    int64     `json:"physician_id,omitempty"`
	SentAt         time.Time `json:"sent_at,omitzero"`
	CosignedOn     string    `json:"cosigned_on,omitempty"` // date the physician signed
	CosignedBy     string    `json:"cosigned_by,omitempty"` // the physician's name as signed
	CosignDocument int64     `json:"cosign_document,omitempty"`

	RowVersion int64     `json:"row_version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}
