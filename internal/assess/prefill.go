package assess

import (
	"math"
	"time"
)

// SuggestedROM are the motions a condition says to measure, one row per
// side for sided motions (active, no degrees yet): the evaluation form
// shows them until they are measured.
func (c Condition) SuggestedROM() []ROM {
	var out []ROM
	for _, k := range c.Motions {
		m, ok := MotionByKey(k)
		if !ok {
			continue
		}
		if m.Sided {
			out = append(out, ROM{Motion: k, Side: "right"}, ROM{Motion: k, Side: "left"})
		} else {
			out = append(out, ROM{Motion: k})
		}
	}
	return out
}

// SuggestedTests are the special tests a condition says to perform,
// without a result (not yet performed).
func (c Condition) SuggestedTests() []TestResult {
	var out []TestResult
	for _, k := range c.Tests {
		if _, ok := TestByKey(k); ok {
			out = append(out, TestResult{Test: k})
		}
	}
	return out
}

// StartReeval begins a re-evaluation from the previous evaluation's values,
// which the therapist then updates; the form shows each change.
func StartReeval(prev *Evaluation, date string) *Evaluation {
	e := &Evaluation{
		ClientID: prev.ClientID, Kind: Reeval, PreviousID: prev.ID, Date: date, Condition: prev.Condition,
		Subjective: prev.Subjective,
		Posture:    append([]PostureFinding(nil), prev.Posture...),
		Marks:      append([]Mark(nil), prev.Marks...),
		ROM:        append([]ROM(nil), prev.ROM...),
		Tests:      append([]TestResult(nil), prev.Tests...),
		Gait:       append([]string(nil), prev.Gait...),
		GaitNote:   prev.GaitNote,
	}
	e.Subjective.PainNow, e.Subjective.PainBest, e.Subjective.PainWorst = copyInt(prev.Subjective.PainNow), copyInt(prev.Subjective.PainBest), copyInt(prev.Subjective.PainWorst)
	return e
}

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// NPRSMCID is the smallest change in a 0–10 pain rating that clients feel
// as important: 2 points or 30% (Farrar JT et al. 2001, Pain 94:149–158;
// ../shared/reference/clinical.md §1). Prefilled pain goals ask for it in
// the short term and twice it in the long term.
const NPRSMCID = 2

// PrefillPlan starts a plan from a condition and the evaluation it
// follows: the condition's techniques on its regions, and its goals with
// baselines from the evaluation where it has them —
//   - pain: the worst pain reported; target MCID lower in the short term,
//     twice that in the long term (never below 0);
//   - range of motion: the most restricted side measured of the motion
//     (else its normal's half); target halfway to normal in the short
//     term, normal in the long term;
//   - outcome measures and functional activities: the baseline and target
//     are left for the therapist (no score is on file yet).
//
// Target dates are the goal's weeks after start. Diagnoses and precautions
// come from the caller (the prescription and the safety screening).
func PrefillPlan(c Condition, ev *Evaluation, start string) *Plan {
	p := &Plan{Condition: c.Key, StartDate: start, PerWeek: 2, Weeks: 6, ReevalVisits: 6, ReevalDays: 30}
	if ev != nil {
		p.EvaluationID, p.ClientID = ev.ID, ev.ClientID
	}
	for _, k := range c.Techniques {
		if _, ok := TechniqueByKey(k); ok {
			p.Techniques = append(p.Techniques, PlannedTechnique{Technique: k, Regions: append([]string(nil), c.Regions...)})
		}
	}
	day, err := time.Parse(dateLayout, start)
	if err != nil {
		day = time.Time{}
	}
	longest := 0
	for _, t := range c.Goals {
		g := Goal{Term: t.Term, Measure: t.Measure, What: t.What, Unit: t.Unit}
		if !day.IsZero() && t.Weeks > 0 {
			g.TargetDate = day.AddDate(0, 0, 7*t.Weeks).Format(dateLayout)
		}
		longest = max(longest, t.Weeks)
		switch t.Measure {
		case MeasurePain:
			g.Unit = "/10"
			if ev != nil && ev.Subjective.PainWorst != nil {
				g.Baseline = float64(*ev.Subjective.PainWorst)
			} else if ev != nil && ev.Subjective.PainNow != nil {
				g.Baseline = float64(*ev.Subjective.PainNow)
			}
			drop := float64(NPRSMCID)
			if t.Term == "long" {
				drop *= 2
			}
			g.Target = math.Max(0, g.Baseline-drop)
		case MeasureROM:
			g.Unit = "degrees"
			m, ok := MotionByKey(t.What)
			if !ok {
				continue
			}
			g.Baseline = float64(m.Normal) / 2
			if m.Sided {
				g.Side = "right"
			}
			if ev != nil {
				worst := math.Inf(1)
				for _, r := range EvaluateROM(ev.ROM, DefaultThresholds) {
					if r.Motion.Key == t.What && !r.Passive && r.Percent < worst {
						worst, g.Baseline, g.Side = r.Percent, float64(r.Degrees), r.Side
					}
				}
			}
			g.Target = float64(m.Normal)
			if t.Term == "short" {
				g.Target = math.Round((g.Baseline + float64(m.Normal)) / 2)
			}
			if m.Normal == 0 {
				// An extension measured as a lag (degrees short of straight):
				// less is better, and straight is the long-term target.
				g.Unit = "degrees of lag"
				g.Target = 0
				if t.Term == "short" {
					g.Target = math.Round(g.Baseline / 2)
				}
			}
		}
		p.Goals = append(p.Goals, g)
	}
	if longest > 0 {
		p.Weeks = longest
	}
	return p
}
