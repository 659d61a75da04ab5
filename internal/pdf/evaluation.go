package pdf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
)

// EvaluationDoc is everything the evaluation report prints.
type EvaluationDoc struct {
	Letterhead Letterhead
	Client     Person
	Physician  *Person // nil when no referring physician
	Therapist  Person  // who signed
	Eval       *assess.Evaluation
	// Previous is the evaluation a re-evaluation starts from: each value
	// is shown beside the one before it.
	Previous   *assess.Evaluation
	Diagnoses  []Diagnosis
	Thresholds assess.Thresholds // zero means assess.DefaultThresholds
	TimeZone   *time.Location    // to print SignedAt; nil prints UTC
}

// Evaluation renders an initial evaluation or re-evaluation as a PDF
// report for the referring physician.
func Evaluation(doc EvaluationDoc) ([]byte, error) {
	e := doc.Eval
	if e == nil {
		return nil, errInvalid
	}
	th := doc.Thresholds
	if th == (assess.Thresholds{}) {
		th = assess.DefaultThresholds
	} else if err := th.Validate(); err != nil {
		return nil, fmt.Errorf("pdf: restriction thresholds: %w", err)
	}
	prev := doc.Previous
	title := "Initial evaluation"
	if e.Kind == assess.Reeval {
		title = "Re-evaluation"
	}
	signed := e.Status == assess.Signed || e.Status == assess.Superseded
	dos := "Date of service " + usDate(e.Date)
	w := newWriter(doc.Letterhead, title, dos, doc.Client, !signed)
	w.f.AddPage()

	var sub []string
	if prev != nil {
		sub = append(sub, "Compared with the evaluation of "+usDate(prev.Date)+
			": earlier values are shown beside this visit's, with the change.")
	}
	if cond, ok := assess.ConditionByKey(e.Condition); ok {
		sub = append(sub, "Condition: "+cond.Name)
	}
	w.docTitle(title, dos, strings.Join(sub, "\n"))
	w.parties(parties(doc.Client, doc.Physician, doc.Therapist))
	w.diagnoses(doc.Diagnoses, nil)

	w.heading("Subjective")
	w.subjective(e.Subjective, prev)

	w.heading("Objective")
	w.posture(e.Posture)
	w.bodyChart("Palpation findings (body chart)", e.Marks, false, true)
	w.rom(e.ROM, prev, th)
	w.specialTests(e.Tests, prev)
	w.gait(e.Gait, e.GaitNote)

	assessment := e.Assessment
	if strings.TrimSpace(assessment) == "" {
		assessment = "No assessment written."
	}
	// A short assessment goes with the signature, so the signature never
	// stands alone on the last page.
	w.font("", bodySize)
	if h := 12 + float64(len(w.split(assessment, contentW)))*lineH + 30; h < 100 {
		w.need(h)
	}
	w.heading("Assessment")
	w.paragraph(assessment)

	name := e.SignedByName
	if strings.TrimSpace(name) == "" {
		name = doc.Therapist.Name
	}
	w.signature("Signature", signed, name, doc.Therapist.Detail, e.SignedAt, doc.TimeZone)
	return w.finish()
}

func parties(client Person, physician *Person, therapist Person) []party {
	ps := []party{{label: "Client", person: client}}
	if physician != nil {
		ps = append(ps, party{label: "Referring physician", person: *physician})
	} else {
		ps = append(ps, party{label: "Referring physician", none: "None on file"})
	}
	return append(ps, party{label: "Therapist", person: therapist})
}

// diagnoses lists the codes with their titles; codes given without a
// title (a plan's codes not in ds) are listed with the code alone.
func (w *writer) diagnoses(ds []Diagnosis, extraCodes []string) {
	rows := make([][]cell, 0, len(ds)+len(extraCodes))
	seen := map[string]bool{}
	for _, d := range ds {
		rows = append(rows, []cell{cb(d.Code), c(d.Title)})
		seen[strings.TrimSpace(d.Code)] = true
	}
	for _, code := range extraCodes {
		if code = strings.TrimSpace(code); code != "" && !seen[code] {
			rows = append(rows, []cell{cb(code), c("")})
			seen[code] = true
		}
	}
	if len(rows) == 0 {
		return
	}
	w.heading("Diagnoses (ICD-10-CM)")
	w.table([]column{{"Code", 26, "L"}, {"Description", 0, "L"}}, rows)
}

func (w *writer) subjective(s assess.Subjective, prev *assess.Evaluation) {
	onset := usDate(s.OnsetDate)
	if m := strings.TrimSpace(s.Mechanism); m != "" {
		if onset != "" {
			onset += " — "
		}
		onset += m
	}
	var pp *assess.Subjective
	if prev != nil {
		pp = &prev.Subjective
	}
	w.fields(44, []field{
		{label: "Chief complaint", value: s.ChiefComplaint},
		{label: "Onset", value: onset},
		{label: "Worse with", value: s.Aggravating},
		{label: "Better with", value: s.Easing},
	})
	w.pain(s, pp)
	w.fields(44, []field{
		{label: "Functional limits (client's words)", value: s.FunctionalLimits},
		{label: "Prior treatment", value: s.PriorTreatment},
		{label: "Client's goals", value: s.ClientGoals},
	})
}

// pain prints the three pain ratings; on a re-evaluation, as a small table
// with the earlier ratings and the change.
func (w *writer) pain(s assess.Subjective, prev *assess.Subjective) {
	cur := []*int{s.PainNow, s.PainBest, s.PainWorst}
	if prev == nil {
		var parts []string
		for i, name := range []string{"Now", "Best", "Worst"} {
			if cur[i] != nil {
				parts = append(parts, name+" "+strconv.Itoa(*cur[i])+"/10")
			}
		}
		w.fields(44, []field{{label: "Pain (0–10)", value: strings.Join(parts, "     "), bold: true}})
		return
	}
	before := []*int{prev.PainNow, prev.PainBest, prev.PainWorst}
	rows := make([][]cell, 0, 3)
	for i, name := range []string{"Now", "Best", "Worst"} {
		if cur[i] == nil && before[i] == nil {
			continue
		}
		row := []cell{c(name), cb(score(cur[i])), c(score(before[i])), c("")}
		if cur[i] != nil && before[i] != nil {
			row[3] = cb(signedNum(float64(*cur[i] - *before[i])))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	w.subheading("Pain (0–10, lower is better)")
	w.table([]column{{"Rating", 30, "L"}, {"This visit", 28, "R"}, {"Before", 28, "R"}, {"Change", 28, "R"}}, rows)
}

func score(p *int) string {
	if p == nil {
		return "—"
	}
	return strconv.Itoa(*p) + "/10"
}

func (w *writer) posture(ps []assess.PostureFinding) {
	w.subheading("Posture")
	if len(ps) == 0 {
		w.paragraph("No posture findings recorded.")
		return
	}
	rows := make([][]cell, 0, len(ps))
	for _, p := range ps {
		label := p.Finding
		if pf, ok := assess.PostureByKey(p.Finding); ok {
			label = pf.Label
		}
		rows = append(rows, []cell{c(label), c(p.Side), c(p.Note)})
	}
	w.table([]column{{"Finding", 62, "L"}, {"Side", 22, "L"}, {"Note", 0, "L"}}, rows)
}

// chartW is the width the body chart is drawn at: wide enough for marks
// and their numbers to survive a fax, narrow enough to leave room below.
const chartW = contentW

// chartHeight predicts the height BodyChart will use at width w, from the
// chart's own drawing size, so that the chart can move to a new page whole.
func chartHeight(ms []assess.Mark, w float64) float64 {
	d := assess.ChartDrawing(ms, assess.SVGOptions{})
	if d.Width <= 0 {
		return 0
	}
	return w * d.Height / d.Width
}

// bodyChart draws the chart under a title (a section heading when
// section is set, else a subheading) and lists its marks in words, so that
// the findings survive a fax that loses the drawing's detail. With no marks
// it says so, or, unless always, prints nothing.
func (w *writer) bodyChart(title string, ms []assess.Mark, section, always bool) {
	head := w.subheading
	if section {
		head = w.heading
	}
	if len(ms) == 0 {
		if always {
			head(title)
			w.paragraph("No palpation findings charted.")
		}
		return
	}
	w.need(10 + 2 + chartHeight(ms, chartW))
	head(title)
	f := w.f
	y := f.GetY() + 1
	h := BodyChart(f, marginL+(contentW-chartW)/2, y, chartW, ms)
	f.SetXY(marginL, y+h+2)
	w.font("", bodySize)
	rows := make([][]cell, 0, len(ms))
	for i, m := range ms {
		rows = append(rows, []cell{c(strconv.Itoa(i + 1)), c(m.Label()), c(m.Note)})
	}
	w.table([]column{{"#", 9, "R"}, {"Finding", 88, "L"}, {"Note", 0, "L"}}, rows)
}

// rom prints the range-of-motion table: each measurement against its
// normal and the other side, flagged RESTRICTED in words.
func (w *writer) rom(rs []assess.ROM, prev *assess.Evaluation, th assess.Thresholds) {
	w.subheading("Range of motion")
	if len(rs) == 0 {
		w.paragraph("No range of motion measured.")
		return
	}
	results := assess.EvaluateROM(rs, th)
	byIndex := make([]*assess.ROMResult, len(rs))
	for i, j := 0, 0; i < len(rs) && j < len(results); i++ {
		if _, ok := assess.MotionByKey(rs[i].Motion); ok {
			byIndex[i] = &results[j]
			j++
		}
	}
	type rkey struct {
		motion, side string
		passive      bool
	}
	before := map[rkey]assess.ROM{}
	if prev != nil {
		for _, r := range prev.ROM {
			k := rkey{r.Motion, r.Side, r.Passive}
			if _, ok := before[k]; !ok {
				before[k] = r
			}
		}
	}
	lag, passive := false, false
	rows := make([][]cell, 0, len(rs))
	for i, r := range rs {
		res := byIndex[i]
		motion := c(assess.MotionLabel(r.Motion, r.Side))
		if r.Passive {
			motion.sub = "passive"
			passive = true
		}
		normal, percent, diff := "—", "—", "—"
		flag := c("")
		if res != nil {
			normal = strconv.Itoa(res.Motion.Normal) + "°"
			percent = num(res.Percent) + "%"
			if res.HasOther {
				diff = num(res.SideDiff) + "%"
			}
			if res.Restricted {
				flag = cell{text: "RESTRICTED", bold: true, sub: res.Why}
			}
			if res.Motion.Normal == 0 {
				lag = true
			}
		}
		pain := "No"
		if r.Pain {
			pain = "Yes"
		}
		row := []cell{motion, cb(degrees(r, res))}
		if prev != nil {
			if b, ok := before[rkey{r.Motion, r.Side, r.Passive}]; ok {
				row = append(row, c(degrees(b, res)), cb(signedNum(float64(shown(r, res)-shown(b, res)))+"°"))
			} else {
				row = append(row, c("—"), c(""))
			}
		}
		row = append(row, c(normal), c(percent), c(diff), cell{text: pain, bold: r.Pain}, flag)
		rows = append(rows, row)
	}
	// Widths fit the bold headings on whole words at 10 pt.
	cols := []column{{"Motion", 56, "L"}, {"Degrees", 17.5, "R"}}
	if prev != nil {
		cols = []column{{"Motion", 48, "L"}, {"Now", 14, "R"}, {"Before", 14.5, "R"}, {"Change", 16, "R"}}
	}
	cols = append(cols, column{"Normal", 15.5, "R"}, column{"% of normal", 15.5, "R"},
		column{"Side diff.", 16, "R"}, column{"Pain on motion", 15.5, "C"}, column{"Flag", 0, "L"})
	w.table(cols, rows)
	notes := "Active range of motion"
	if passive {
		notes += " unless marked passive"
	}
	notes += fmt.Sprintf(". Flagged RESTRICTED when below %s%% of normal, or moving more than %s%% less than the other side (side diff.). "+
		"Normal values: 38 CFR §4.71 (VA), AAOS where the VA gives none.", num(th.MinPercent), num(th.MaxSideDiff))
	if lag {
		notes += fmt.Sprintf(" Elbow and knee extension: degrees short of straight shown as negative (−10° lacks 10°); more than %d° short is restricted.", assess.MaxExtensionLag)
	}
	if prev != nil {
		notes += " A positive change is more motion."
	}
	w.paragraph(notes)
	w.f.SetY(w.f.GetY() + 1)
}

// shown is the number printed for a measurement: degrees, or for an
// extension measured as a lag (normal 0), the lag as a negative number, so
// that more motion is always a larger number.
func shown(r assess.ROM, res *assess.ROMResult) int {
	if res != nil && res.Motion.Normal == 0 {
		return -r.Degrees
	}
	return r.Degrees
}

func degrees(r assess.ROM, res *assess.ROMResult) string {
	d := shown(r, res)
	if d < 0 {
		return "−" + strconv.Itoa(-d) + "°"
	}
	if d > 0 && res != nil && res.Motion.Normal == 0 {
		return "+" + strconv.Itoa(d) + "°" // hyperextension
	}
	return strconv.Itoa(d) + "°"
}

func (w *writer) specialTests(ts []assess.TestResult, prev *assess.Evaluation) {
	w.subheading("Special tests")
	if len(ts) == 0 {
		w.paragraph("No special tests performed.")
		return
	}
	type tkey struct{ test, side string }
	before := map[tkey]string{}
	if prev != nil {
		for _, t := range prev.Tests {
			k := tkey{t.Test, t.Side}
			if _, ok := before[k]; !ok {
				before[k] = t.Result
			}
		}
	}
	rows := make([][]cell, 0, len(ts))
	for _, t := range ts {
		name, screens := t.Test, ""
		if st, ok := assess.TestByKey(t.Test); ok {
			name, screens = st.Name, st.ScreensFor
		}
		result := cell{text: t.Result}
		if t.Result == "positive" {
			result = cb("POSITIVE")
		}
		row := []cell{cb(name), c(screens), c(t.Side), result}
		if prev != nil {
			b, ok := before[tkey{t.Test, t.Side}]
			switch {
			case !ok:
				row = append(row, c("not done"))
			case b != t.Result:
				row = append(row, cell{text: b, sub: "changed"})
			default:
				row = append(row, c(b))
			}
		}
		rows = append(rows, append(row, c(t.Note)))
	}
	cols := []column{{"Test", 38, "L"}, {"Screens for", 55, "L"}, {"Side", 17, "L"}, {"Result", 21, "L"}}
	if prev != nil {
		cols = []column{{"Test", 34, "L"}, {"Screens for", 46, "L"}, {"Side", 17, "L"}, {"Result", 21, "L"}, {"Before", 20, "L"}}
	}
	w.table(append(cols, column{"Note", 0, "L"}), rows)
}

func (w *writer) gait(keys []string, note string) {
	w.subheading("Gait")
	if len(keys) == 0 && strings.TrimSpace(note) == "" {
		w.paragraph("No gait observations recorded.")
		return
	}
	items := make([]string, 0, len(keys))
	for _, k := range keys {
		if g, ok := assess.GaitByKey(k); ok {
			k = g.Label
		}
		items = append(items, k)
	}
	w.bullets(items)
	if strings.TrimSpace(note) != "" {
		w.fields(20, []field{{label: "Note", value: note}})
	}
}
