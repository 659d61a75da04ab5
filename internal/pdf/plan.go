package pdf

import (
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
)

// PlanDoc is everything the plan of care prints.
type PlanDoc struct {
	Letterhead Letterhead
	Client     Person
	Physician  *Person // nil when no referring physician
	Therapist  Person
	Plan       *assess.Plan
	// Marks is the body chart of the evaluation the plan follows; with
	// none, the plan has no chart.
	Marks     []assess.Mark
	Diagnoses []Diagnosis
	TimeZone  *time.Location // to print SignedAt; nil prints UTC
}

// PlanOfCare renders a treatment plan as a plan of care for the physician
// to certify: goals, techniques, frequency, re-evaluation, precautions and
// home care, with a block for the physician's signature, or the recorded
// co-signature.
func PlanOfCare(doc PlanDoc) ([]byte, error) {
	p := doc.Plan
	if p == nil {
		return nil, errInvalid
	}
	signed := p.Status == assess.Signed || p.Status == assess.Superseded
	version := "Version " + strconv.Itoa(max(p.Version, 1))
	dateLine := version + " · start " + usDate(p.StartDate)
	w := newWriter(doc.Letterhead, "Plan of care", dateLine, doc.Client, !signed)
	w.f.AddPage()

	var sub []string
	if cond, ok := assess.ConditionByKey(p.Condition); ok {
		sub = append(sub, "Condition: "+cond.Name)
	}
	if p.Status == assess.Superseded {
		sub = append(sub, "This version has been replaced by a later version of the plan.")
	}
	w.docTitle("Plan of care", version+" · Start date "+usDate(p.StartDate), strings.Join(sub, "\n"))
	w.parties(parties(doc.Client, doc.Physician, doc.Therapist))
	w.diagnoses(doc.Diagnoses, p.Diagnoses)

	w.heading("Goals")
	w.goals(p.Goals)

	w.heading("Treatment")
	w.techniques(p.Techniques)
	w.fields(40, []field{
		{label: "Frequency", value: Frequency(p.PerWeek, p.Weeks), bold: true},
		{label: "Re-evaluation", value: Reevaluation(p.ReevalVisits, p.ReevalDays), bold: true},
	})

	if len(p.Precautions) > 0 {
		w.heading("Precautions")
		w.bullets(p.Precautions)
	}
	if strings.TrimSpace(p.HomeCare) != "" {
		w.heading("Home care")
		w.paragraph(p.HomeCare)
	}
	w.bodyChart("Body chart at evaluation", doc.Marks, true, false)

	name := p.SignedByName
	if strings.TrimSpace(name) == "" {
		name = doc.Therapist.Name
	}
	w.signature("Therapist's signature", signed, name, doc.Therapist.Detail, p.SignedAt, doc.TimeZone)
	w.certification(p, doc.Physician)
	return w.finish()
}

// Frequency says how often and how long: "2 visits a week for 6 weeks
// (12 visits)".
func Frequency(perWeek, weeks int) string {
	if perWeek <= 0 {
		return "Not set"
	}
	s := plural(perWeek, "visit") + " a week"
	if weeks > 0 {
		s += " for " + plural(weeks, "week")
		if perWeek*weeks > 1 {
			s += " (" + plural(perWeek*weeks, "visit") + ")"
		}
	}
	return s
}

// Reevaluation says when the client is re-evaluated: "every 6 visits or
// 30 days, whichever comes first".
func Reevaluation(visits, days int) string {
	switch {
	case visits > 0 && days > 0:
		return "Every " + plural(visits, "visit") + " or " + plural(days, "day") + ", whichever comes first"
	case visits > 0:
		return "Every " + plural(visits, "visit")
	case days > 0:
		return "Every " + plural(days, "day")
	}
	return "At the end of the plan"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

var measureNames = map[string]string{
	assess.MeasureOutcome:  "Outcome measure",
	assess.MeasureROM:      "Range of motion",
	assess.MeasurePain:     "Pain",
	assess.MeasureFunction: "Function",
}

// goals prints the short-term goals, then the long-term ones.
func (w *writer) goals(gs []assess.Goal) {
	if len(gs) == 0 {
		w.paragraph("No goals set.")
		return
	}
	for _, term := range []struct{ key, title string }{{"short", "Short-term goals"}, {"long", "Long-term goals"}, {"", "Other goals"}} {
		var rows [][]cell
		for _, g := range gs {
			t := g.Term
			if t != "short" && t != "long" {
				t = ""
			}
			if t != term.key {
				continue
			}
			measure := measureNames[g.Measure]
			if measure == "" {
				measure = g.Measure
			}
			what := g.What
			if g.Measure == assess.MeasureROM {
				what = assess.MotionLabel(g.What, g.Side)
			} else if g.Side != "" && g.Side != "midline" {
				what += ", " + g.Side
			}
			met := ""
			if g.Met {
				met = "Met"
			}
			rows = append(rows, []cell{c(measure), c(what), c(num(g.Baseline)), cb(num(g.Target)), c(g.Unit), c(usDate(g.TargetDate)), cb(met)})
		}
		if len(rows) == 0 {
			continue
		}
		w.subheading(term.title)
		w.table([]column{{"Measure", 33, "L"}, {"Goal", 0, "L"}, {"Baseline", 18, "R"}, {"Target", 15, "R"},
			{"Unit", 17, "L"}, {"Target date", 23.5, "L"}, {"Status", 14.5, "L"}}, rows)
	}
}

func (w *writer) techniques(ts []assess.PlannedTechnique) {
	w.subheading("Planned techniques")
	if len(ts) == 0 {
		w.paragraph("No techniques planned.")
		return
	}
	rows := make([][]cell, 0, len(ts))
	for _, t := range ts {
		name := t.Technique
		if tq, ok := assess.TechniqueByKey(t.Technique); ok {
			name = tq.Name
		}
		regions := make([]string, 0, len(t.Regions))
		for _, r := range t.Regions {
			regions = append(regions, assess.RegionLabel(r, ""))
		}
		where := strings.Join(regions, "; ")
		if where == "" {
			where = "As indicated"
		}
		rows = append(rows, []cell{cb(name), c(where)})
	}
	w.table([]column{{"Technique", 62, "L"}, {"Regions", 0, "L"}}, rows)
}

// certification is the physician's part: the recorded co-signature, or,
// on a signed plan, a block to sign and fax back.
func (w *writer) certification(p *assess.Plan, physician *Person) {
	f := w.f
	if strings.TrimSpace(p.CosignedOn) != "" {
		w.heading("Physician certification")
		by := strings.TrimSpace(p.CosignedBy)
		if by == "" && physician != nil {
			by = physician.Name
		}
		if by == "" {
			by = "the physician"
		}
		w.font("B", bodySize)
		w.paragraph("Co-signed by " + by + " on " + usDate(p.CosignedOn))
		w.font("", bodySize)
		return
	}
	// Only the current signed version goes out for signature: a draft can
	// still change, and a superseded version has been replaced.
	switch p.Status {
	case assess.Signed:
	case assess.Superseded:
		w.heading("Physician certification")
		w.paragraph("Not co-signed. A later version of the plan replaces this one; send that version for certification.")
		return
	default:
		return
	}
	// The block stays whole on one page, in a frame: it is the part that
	// comes back by fax.
	const pad = 3.0
	w.need(7 + 2*pad + 4*lineH + 12 + 13 + lineH + 4)
	w.heading("Physician certification")
	top := f.GetY()
	inner := contentW - 2*pad
	f.SetY(top + pad)
	say := func(style, s string) {
		w.font(style, bodySize)
		w.lines(marginL+pad, inner, w.split(s, inner))
	}
	say("B", "I have reviewed this plan of care and certify it as medically necessary.")
	back := "Please sign and return"
	if fax := strings.TrimSpace(w.lh.Fax); fax != "" {
		back += " by fax to " + fax
	}
	if clinic := strings.TrimSpace(w.lh.Clinic); clinic != "" {
		back += " (" + clinic + ")"
	}
	say("", back+".")
	if physician != nil && strings.TrimSpace(physician.Name) != "" {
		say("", "Physician: "+physician.Name)
	}
	const gap = 8.0
	long := inner*0.62 - gap/2
	short := inner - long - gap
	line := func(x, y, wd float64, label string) {
		f.SetLineWidth(0.3)
		f.Line(x, y, x+wd, y)
		f.SetLineWidth(ruleThin)
		f.SetXY(x, y+0.5)
		f.CellFormat(wd, lineH, label, "", 0, "L", false, 0, "")
	}
	x := marginL + pad
	y := f.GetY() + 12
	line(x, y, long, "Physician's signature")
	line(x+long+gap, y, short, "Date")
	y += 13
	line(x, y, long, "Printed name")
	line(x+long+gap, y, short, "NPI")
	bottom := y + lineH + pad
	f.SetLineWidth(ruleHeavy)
	f.Rect(marginL, top, contentW, bottom-top, "D")
	f.SetLineWidth(ruleThin)
	f.SetXY(marginL, bottom+2)
}
