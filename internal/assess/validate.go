package assess

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Limits of what one evaluation or plan holds.
const (
	maxShortText = 500
	maxLongText  = 4000
	maxRows      = 100 // ROM rows, tests, posture findings, goals, techniques
)

// Test results.
var Results = []string{"positive", "negative", "equivocal"}

const dateLayout = "2006-01-02"

func validDate(s string) bool {
	_, err := time.Parse(dateLayout, s)
	return err == nil
}

func sideOK(s string, sided bool) bool {
	if !sided {
		return s == "" || s == "midline"
	}
	return s == "left" || s == "right" || s == "bilateral"
}

func text(bad errs.FieldErrors, field, s string, max int, what string) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		bad.Add(field, "Remove the characters that are not text.")
		return
	}
	if utf8.RuneCountInString(s) > max {
		bad.Add(field, what+" is too long (at most "+strconv.Itoa(max)+" characters).")
	}
}

func pain(bad errs.FieldErrors, field string, p *int) {
	if p != nil && (*p < 0 || *p > 10) {
		bad.Add(field, "Pain is rated 0 (none) to 10 (worst imaginable).")
	}
}

// Normalize trims the free text and drops the special tests left without a
// result (prefilled but not performed), so what is stored is what was
// examined. (The form leaves out ROM rows without degrees.)
func (e *Evaluation) Normalize() {
	s := &e.Subjective
	for _, p := range []*string{&s.ChiefComplaint, &s.OnsetDate, &s.Mechanism, &s.Aggravating, &s.Easing, &s.FunctionalLimits, &s.PriorTreatment, &s.ClientGoals, &e.GaitNote, &e.Assessment} {
		*p = strings.TrimSpace(*p)
	}
	tests := e.Tests[:0]
	for _, t := range e.Tests {
		if t.Test != "" && t.Result != "" {
			t.Note = strings.TrimSpace(t.Note)
			tests = append(tests, t)
		}
	}
	e.Tests = tests
	for i := range e.Posture {
		e.Posture[i].Note = strings.TrimSpace(e.Posture[i].Note)
	}
}

// Validate checks an evaluation as saved (a draft may be incomplete).
// Field names are the form's: "pain_now", "rom.3" (the fourth ROM row), ….
func (e *Evaluation) Validate() error {
	bad := errs.FieldErrors{}
	if e.Kind != Initial && e.Kind != Reeval {
		bad.Add("kind", "Choose an initial evaluation or a re-evaluation.")
	}
	if !validDate(e.Date) {
		bad.Add("date", "Enter the date of service as a date.")
	}
	s := e.Subjective
	text(bad, "chief_complaint", s.ChiefComplaint, maxShortText, "The chief complaint")
	if s.OnsetDate != "" {
		if !validDate(s.OnsetDate) {
			bad.Add("onset_date", "Enter the onset as a date, or leave it empty.")
		} else if validDate(e.Date) && s.OnsetDate > e.Date {
			bad.Add("onset_date", "The onset cannot be after the date of service.")
		}
	}
	for f, v := range map[string]string{"mechanism": s.Mechanism, "aggravating": s.Aggravating, "easing": s.Easing,
		"functional_limits": s.FunctionalLimits, "prior_treatment": s.PriorTreatment, "client_goals": s.ClientGoals} {
		text(bad, f, v, maxLongText, "This answer")
	}
	pain(bad, "pain_now", s.PainNow)
	pain(bad, "pain_best", s.PainBest)
	pain(bad, "pain_worst", s.PainWorst)
	if s.PainBest != nil && s.PainWorst != nil && *s.PainBest > *s.PainWorst {
		bad.Add("pain_best", "The best pain cannot be higher than the worst.")
	}

	if len(e.Posture) > maxRows || len(e.ROM) > maxRows || len(e.Tests) > maxRows || len(e.Gait) > maxRows {
		bad.Add("form", "This evaluation has more rows than one evaluation can hold ("+strconv.Itoa(maxRows)+" each).")
		return bad.Err()
	}
	seenP := map[string]bool{}
	for i, p := range e.Posture {
		f := "posture." + strconv.Itoa(i)
		d, ok := PostureByKey(p.Finding)
		switch {
		case !ok:
			bad.Add(f, "Unknown posture finding.")
		case !sideOK(p.Side, d.Sided):
			bad.Add(f, d.Label+": choose the side.")
		case seenP[p.Finding+"/"+p.Side]:
			bad.Add(f, d.Label+" is listed twice.")
		}
		seenP[p.Finding+"/"+p.Side] = true
		text(bad, f, p.Note, maxShortText, "The note")
	}
	if err := ValidateMarks(e.Marks); err != nil {
		bad.Add("marks", errs.Message(err))
	}
	seenR := map[string]bool{}
	for i, r := range e.ROM {
		f := "rom." + strconv.Itoa(i)
		m, ok := MotionByKey(r.Motion)
		if !ok {
			bad.Add(f, "Choose the motion measured.")
			continue
		}
		if m.Sided && r.Side != "left" && r.Side != "right" {
			bad.Add(f, m.Label()+": choose left or right.")
		}
		if !m.Sided && r.Side != "" {
			bad.Add(f, m.Label()+" has no side.")
		}
		if r.Degrees < -90 || r.Degrees > 360 {
			bad.Add(f, m.Label()+": enter degrees between -90 and 360.")
		}
		k := r.Motion + "/" + r.Side + "/" + strconv.FormatBool(r.Passive)
		if seenR[k] {
			bad.Add(f, MotionLabel(r.Motion, r.Side)+" is measured twice.")
		}
		seenR[k] = true
	}
	for i, t := range e.Tests {
		f := "test." + strconv.Itoa(i)
		d, ok := TestByKey(t.Test)
		if !ok {
			bad.Add(f, "Choose the special test.")
			continue
		}
		if t.Result != "" && !oneOf(t.Result, Results) {
			bad.Add(f, d.Name+": the result is positive, negative or equivocal.")
		}
		if d.Sided && t.Side != "left" && t.Side != "right" && t.Side != "bilateral" {
			bad.Add(f, d.Name+": choose the side tested.")
		}
		text(bad, f, t.Note, maxShortText, "The note")
	}
	for i, g := range e.Gait {
		if _, ok := GaitByKey(g); !ok {
			bad.Add("gait."+strconv.Itoa(i), "Unknown gait finding.")
		}
	}
	text(bad, "gait_note", e.GaitNote, maxLongText, "The gait note")
	text(bad, "assessment", e.Assessment, maxLongText, "The assessment")
	return bad.Err()
}

// ReadyToSign checks what a signed evaluation must hold beyond Validate.
func (e *Evaluation) ReadyToSign() error {
	bad := errs.FieldErrors{}
	if e.Subjective.ChiefComplaint == "" {
		bad.Add("chief_complaint", "Enter the chief complaint before signing.")
	}
	if e.Assessment == "" {
		bad.Add("assessment", "Write the assessment before signing.")
	}
	return bad.Err()
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Terms of a goal.
var Terms = []string{"short", "long"}

// MeasureKinds are the measures a goal can use, with their labels.
var MeasureKinds = []struct{ Key, Label string }{
	{MeasurePain, "Pain (0–10)"},
	{MeasureROM, "Range of motion"},
	{MeasureOutcome, "Outcome measure score"},
	{MeasureFunction, "Functional activity"},
}

// Normalize trims a plan's free text and drops empty goal and technique rows.
func (p *Plan) Normalize() {
	p.HomeCare = strings.TrimSpace(p.HomeCare)
	goals := p.Goals[:0]
	for _, g := range p.Goals {
		g.What = strings.TrimSpace(g.What)
		if g.What == "" && g.Measure == "" {
			continue
		}
		goals = append(goals, g)
	}
	p.Goals = goals
	ts := p.Techniques[:0]
	for _, t := range p.Techniques {
		if t.Technique != "" {
			ts = append(ts, t)
		}
	}
	p.Techniques = ts
	var pre []string
	for _, x := range p.Precautions {
		if x = strings.TrimSpace(x); x != "" {
			pre = append(pre, x)
		}
	}
	p.Precautions = pre
}

// Validate checks a plan as saved. knownCode reports whether an ICD-10-CM
// code is billable in the code set in force (the caller's).
func (p *Plan) Validate(knownCode func(string) bool) error {
	bad := errs.FieldErrors{}
	if !validDate(p.StartDate) {
		bad.Add("start_date", "Enter the plan's start date.")
	}
	if len(p.Diagnoses) > 12 {
		bad.Add("diagnoses", "A plan lists at most 12 diagnoses (as a claim does).")
	}
	for _, c := range p.Diagnoses {
		if knownCode != nil && !knownCode(c) {
			bad.Add("diagnoses", c+" is not a billable ICD-10-CM code.")
		}
	}
	if len(p.Goals) > maxRows || len(p.Techniques) > maxRows || len(p.Precautions) > maxRows {
		bad.Add("form", "This plan has more rows than one plan can hold.")
		return bad.Err()
	}
	for i, g := range p.Goals {
		f := "goal." + strconv.Itoa(i)
		switch {
		case !oneOf(g.Term, Terms):
			bad.Add(f, "Choose a short- or long-term goal.")
		case g.Measure != MeasurePain && g.Measure != MeasureROM && g.Measure != MeasureOutcome && g.Measure != MeasureFunction:
			bad.Add(f, "Choose how the goal is measured.")
		case g.What == "":
			bad.Add(f, "Say what is measured.")
		case !validDate(g.TargetDate):
			bad.Add(f, "Enter the goal's target date.")
		case validDate(p.StartDate) && g.TargetDate < p.StartDate:
			bad.Add(f, "The target date is before the plan starts.")
		case g.Measure == MeasurePain && (g.Baseline < 0 || g.Baseline > 10 || g.Target < 0 || g.Target > 10):
			bad.Add(f, "Pain goals are on the 0–10 scale.")
		}
		if g.Measure == MeasureROM {
			m, ok := MotionByKey(g.What)
			if !ok {
				bad.Add(f, "Choose the motion of a range-of-motion goal.")
			} else if m.Sided && g.Side != "left" && g.Side != "right" {
				bad.Add(f, m.Label()+": choose the side.")
			}
		}
		text(bad, f, g.What, 200, "What is measured")
		text(bad, f, g.Unit, 40, "The unit")
	}
	for i, t := range p.Techniques {
		f := "technique." + strconv.Itoa(i)
		if _, ok := TechniqueByKey(t.Technique); !ok {
			bad.Add(f, "Unknown technique.")
		}
		for _, r := range t.Regions {
			if _, ok := RegionByKey(r); !ok {
				bad.Add(f, "Unknown body region.")
			}
		}
	}
	if p.PerWeek < 0 || p.PerWeek > 14 {
		bad.Add("per_week", "Visits a week: 1 to 14.")
	}
	if p.Weeks < 0 || p.Weeks > 104 {
		bad.Add("weeks", "Duration: 1 to 104 weeks.")
	}
	if p.ReevalVisits < 0 || p.ReevalVisits > 100 {
		bad.Add("reeval_visits", "Re-evaluate every 1 to 100 visits, or leave it 0.")
	}
	if p.ReevalDays < 0 || p.ReevalDays > 365 {
		bad.Add("reeval_days", "Re-evaluate every 1 to 365 days, or leave it 0.")
	}
	for i, x := range p.Precautions {
		text(bad, "precaution."+strconv.Itoa(i), x, maxShortText, "The precaution")
	}
	text(bad, "home_care", p.HomeCare, maxLongText, "Home care")
	return bad.Err()
}

// ReadyToSign checks what a signed plan must hold beyond Validate.
func (p *Plan) ReadyToSign() error {
	bad := errs.FieldErrors{}
	if len(p.Diagnoses) == 0 {
		bad.Add("diagnoses", "A plan of care names at least one diagnosis.")
	}
	short, long := false, false
	for _, g := range p.Goals {
		short = short || g.Term == "short"
		long = long || g.Term == "long"
	}
	if !short || !long {
		bad.Add("goals", "A plan of care has at least one short-term and one long-term goal.")
	}
	for i, g := range p.Goals {
		if g.Baseline == g.Target {
			bad.Add("goal."+strconv.Itoa(i), "Set the goal's baseline and a target that differs from it.")
		}
	}
	if len(p.Techniques) == 0 {
		bad.Add("techniques", "Plan at least one technique.")
	}
	if p.PerWeek == 0 || p.Weeks == 0 {
		bad.Add("per_week", "Give the frequency and the duration.")
	}
	if p.ReevalVisits == 0 && p.ReevalDays == 0 {
		bad.Add("reeval_visits", "Say when the client is re-evaluated: every N visits or every N days.")
	}
	return bad.Err()
}

// ReevalDue says whether a plan calls for a re-evaluation after visits
// since the last evaluation and days since it (whichever comes first).
func (p *Plan) ReevalDue(visits, days int) bool {
	return (p.ReevalVisits > 0 && visits >= p.ReevalVisits) || (p.ReevalDays > 0 && days >= p.ReevalDays)
}
