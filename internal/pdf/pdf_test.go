package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
)

func ip(n int) *int { return &n }

var chicago = func() *time.Location {
	l, err := time.LoadLocation("America/Chicago")
	if err != nil {
		return time.FixedZone("CDT", -5*3600)
	}
	return l
}()

var letterhead = Letterhead{
	Clinic:   "Riverside Medical Massage",
	Location: "Downtown",
	Address:  "1200 Congress Ave, Suite 300\nAustin, TX 78701",
	Phone:    "(512) 555-0142",
	Fax:      "(512) 555-0143",
	Email:    "front@riverside.example",
}

var client = Person{Name: "Zoë O'Brien-Núñez", Detail: "DOB 04/09/1971 · Chart #1234"}
var physician = &Person{Name: "Dr. Priya Raman, MD", Detail: "NPI 1234567893 · Fax (512) 555-0100"}
var therapist = Person{Name: "Dana Reyes, LMT", Detail: "Licensed massage therapist, license MT-112233"}

// sampleEval is a signed initial evaluation with every section filled in:
// marks of several kinds, a restricted rotation and a restricted
// side-to-side wrist difference, two positive and one negative test.
func sampleEval() *assess.Evaluation {
	return &assess.Evaluation{
		ID: 7, ClientID: 3, Kind: assess.Initial, Date: "2026-03-14", Condition: "carpal_tunnel",
		Subjective: assess.Subjective{
			ChiefComplaint:   "Numbness and tingling in the right hand, worse at night; neck stiffness.",
			OnsetDate:        "2026-01-05",
			Mechanism:        "Gradual, after starting data entry work full time",
			Aggravating:      "Typing more than 30 minutes, driving, sleeping on the right side",
			Easing:           "Shaking the hand out, wrist splint at night, heat on the neck",
			PainNow:          ip(6),
			PainBest:         ip(3),
			PainWorst:        ip(8),
			FunctionalLimits: "“I drop my coffee cup and can’t finish a full work day at the keyboard.”",
			PriorTreatment:   "Wrist splint since February; ibuprofen as needed.",
			ClientGoals:      "Type through a work day without numbness; sleep through the night.",
		},
		Posture: []assess.PostureFinding{
			{Finding: "forward_head", Note: "ear about 4 cm ahead of the shoulder"},
			{Finding: "rounded_shoulders", Side: "bilateral"},
			{Finding: "elevated_shoulder", Side: "right"},
		},
		Marks: []assess.Mark{
			{View: "anterior", Region: "wrist", Side: "right", X: 0.18, Y: 0.52, Kind: "numbness", Intensity: 2, Note: "thumb, index and middle fingers"},
			{View: "anterior", Region: "forearm_flexors", Side: "right", X: 0.2, Y: 0.45, Kind: "hypertonicity", Intensity: 3},
			{View: "posterior", Region: "upper_trapezius", Side: "right", X: 0.62, Y: 0.17, Kind: "trigger_point", Intensity: 3, Note: "refers to the temple"},
			{View: "posterior", Region: "levator_scapulae", Side: "left", X: 0.42, Y: 0.15, Kind: "tenderness", Intensity: 1},
			{View: "lateral", Region: "scalenes", Side: "right", X: 0.55, Y: 0.3, Kind: "pain", Intensity: 2},
			{View: "anterior", Region: "pectoralis_minor", Side: "right", X: 0.35, Y: 0.27, Kind: "adhesion", Intensity: 2},
		},
		ROM: []assess.ROM{
			{Motion: "cervical.rotation", Side: "left", Degrees: 70},
			{Motion: "cervical.rotation", Side: "right", Degrees: 45, Pain: true},
			{Motion: "cervical.flexion", Degrees: 40},
			{Motion: "wrist.extension", Side: "left", Degrees: 70},
			{Motion: "wrist.extension", Side: "right", Degrees: 55, Pain: true},
			{Motion: "knee.extension", Side: "right", Degrees: 10},
			{Motion: "hip.flexion", Side: "left", Passive: true, Degrees: 100},
		},
		Tests: []assess.TestResult{
			{Test: "phalen", Side: "right", Result: "positive", Note: "tingling at 35 seconds"},
			{Test: "tinel_wrist", Side: "right", Result: "positive"},
			{Test: "spurling", Side: "right", Result: "negative"},
		},
		Gait:       []string{"antalgic", "reduced_arm_swing"},
		GaitNote:   "Reduced right arm swing; otherwise even cadence.",
		Assessment: "Findings are consistent with median nerve compression at the right wrist with cervical and upper trapezius involvement. Massage to the forearm flexors, scalenes and upper trapezius is indicated; refer back if weakness of the thenar muscles appears.",
		Status:     assess.Signed, TherapistID: 2, SignedBy: 2, SignedByName: "Dana Reyes, LMT",
		SignedAt: time.Date(2026, 3, 14, 19, 5, 0, 0, time.UTC),
	}
}

func sampleDoc() EvaluationDoc {
	return EvaluationDoc{
		Letterhead: letterhead, Client: client, Physician: physician, Therapist: therapist,
		Eval:       sampleEval(),
		Diagnoses:  []Diagnosis{{"G56.01", "Carpal tunnel syndrome, right upper limb"}, {"M54.2", "Cervicalgia"}},
		Thresholds: assess.DefaultThresholds,
		TimeZone:   chicago,
	}
}

func samplePlan() *assess.Plan {
	return &assess.Plan{
		ID: 11, ClientID: 3, Series: 11, Version: 2, EvaluationID: 7, Condition: "carpal_tunnel", StartDate: "2026-03-16",
		Diagnoses: []string{"G56.01", "M54.2"},
		Goals: []assess.Goal{
			{Term: "short", Measure: assess.MeasurePain, What: "pain at worst", Baseline: 8, Target: 5, Unit: "/10", TargetDate: "2026-04-13"},
			{Term: "short", Measure: assess.MeasureROM, What: "cervical.rotation", Side: "right", Baseline: 45, Target: 65, Unit: "degrees", TargetDate: "2026-04-13"},
			{Term: "long", Measure: assess.MeasureOutcome, What: "Boston Carpal Tunnel Questionnaire, symptom scale", Baseline: 3.4, Target: 1.8, Unit: "points", TargetDate: "2026-05-11"},
			{Term: "long", Measure: assess.MeasureFunction, What: "type at the keyboard without numbness", Baseline: 30, Target: 240, Unit: "minutes", TargetDate: "2026-05-11"},
		},
		Techniques: []assess.PlannedTechnique{
			{Technique: "myofascial_release", Regions: []string{"forearm_flexors", "wrist", "pectoralis_minor"}},
			{Technique: "trigger_point", Regions: []string{"upper_trapezius", "scalenes"}},
			{Technique: "home_care_exercise", Regions: nil},
		},
		PerWeek: 2, Weeks: 6, ReevalVisits: 6, ReevalDays: 30,
		Precautions: []string{"Anticoagulant medication: light pressure only, watch for bruising.", "No deep pressure over the carpal tunnel during a flare."},
		HomeCare:    "Median nerve glides 3 times a day, 10 repetitions; wrist splint at night; a break from typing every 30 minutes.",
		Status:      assess.Signed, TherapistID: 2, SignedBy: 2, SignedByName: "Dana Reyes, LMT",
		SignedAt: time.Date(2026, 3, 16, 15, 30, 0, 0, time.UTC),
	}
}

func samplePlanDoc() PlanDoc {
	return PlanDoc{
		Letterhead: letterhead, Client: client, Physician: physician, Therapist: therapist,
		Plan:      samplePlan(),
		Marks:     sampleEval().Marks,
		Diagnoses: []Diagnosis{{"G56.01", "Carpal tunnel syndrome, right upper limb"}, {"M54.2", "Cervicalgia"}},
		TimeZone:  chicago,
	}
}

// pdfText is the PDF as pdftotext -layout reads it, page by page.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// keep writes the PDF to $FASCIA_PDF_DIR when set, for looking at it
// (pdftoppm -png -r 70 …).
func keep(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("FASCIA_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// oneLine collapses the runs of spaces of the layout into single spaces.
func oneLine(s string) string { return regexp.MustCompile(`[ \t]+`).ReplaceAllString(s, " ") }

// mustContain checks the PDF says each of wants, reading the text as one
// line, so that a phrase wrapped within its column still matches.
func mustContain(t *testing.T, text string, wants ...string) {
	t.Helper()
	flat := regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	for _, w := range wants {
		if !strings.Contains(flat, w) {
			t.Errorf("the PDF does not say %q", w)
		}
	}
}

// mustMatch checks a line of the layout matches re (spaces collapsed).
func mustMatch(t *testing.T, text string, res ...string) {
	t.Helper()
	for _, re := range res {
		rx := regexp.MustCompile("(?m)" + re)
		if !rx.MatchString(oneLine(text)) {
			t.Errorf("no line of the PDF matches %q", re)
		}
	}
}

func TestEvaluationReport(t *testing.T) {
	pdf, err := Evaluation(sampleDoc())
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "evaluation.pdf", pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	pages := pdfText(t, pdf)
	if len(pages) < 2 || len(pages) > 5 {
		t.Errorf("the report has %d pages; a full evaluation should take 2 to 5", len(pages))
	}
	all := strings.Join(pages, "\n")
	mustContain(t, all,
		"Riverside Medical Massage", "Fax (512) 555-0143",
		"Initial evaluation", "Date of service 03/14/2026",
		"Zoë O'Brien-Núñez", "DOB 04/09/1971", "Dr. Priya Raman, MD", "NPI 1234567893", "Dana Reyes, LMT",
		"G56.01", "Carpal tunnel syndrome, right upper limb", "M54.2", "Cervicalgia",
		"Numbness and tingling in the right hand", "01/05/2026 — Gradual, after starting data entry",
		"Now 6/10", "Best 3/10", "Worst 8/10",
		"I drop my coffee cup", "Wrist splint since February", "sleep through the night",
		"thumb, index and middle fingers", "refers to the temple",
		"Reduced right arm swing",
		"median nerve compression at the right wrist",
		"Electronically signed by Dana Reyes, LMT on 03/14/2026 at 2:05 PM CDT",
	)
	// Each measurement with its normal, percent of normal, side difference
	// and flag on one line; the flag is in words.
	mustMatch(t, all,
		`Cervical rotation, left 70° 80° 87\.5% 35\.7% No\s*$`,
		`Cervical rotation, right 45° 80° 56\.3% 35\.7% Yes RESTRICTED`,
		`Cervical flexion 40° 45° 88\.9% — No\s*$`,
		`Wrist extension, right 55° 70° 78\.6% 21\.4% Yes RESTRICTED`,
		`Knee extension, right −10° 0° 92\.9% — No RESTRICTED`,
		`Hip flexion, left 100° 125° 80% — No\s*$`,
	)
	mustContain(t, all, "56.3% of normal (45° of 80°)", "21.4% less than the left", "lacks 10° of full extension", "passive", "Active range of motion unless marked passive")
	// Each special test with what it screens for, its side and result.
	mustMatch(t, all,
		`Phalen \(wrist .*Compression of the .*right POSITIVE tingling at 35`,
		`Tinel at the wrist An irritated median .*right POSITIVE`,
		`Spurling \(foraminal .*right negative`,
	)
	for i, p := range pages {
		// Every page names the client and its place in the whole, so a
		// loose fax page can be put back.
		mustContain(t, p, "Zoë O'Brien-Núñez · DOB 04/09/1971", "Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages)), "Confidential health information")
	}
	if strings.Contains(all, "DRAFT") {
		t.Error("a signed evaluation says DRAFT")
	}
}

func TestDraftEvaluationSaysDraftOnEveryPage(t *testing.T) {
	doc := sampleDoc()
	doc.Eval.Status = assess.Draft
	doc.Eval.SignedAt = time.Time{}
	doc.Eval.SignedByName = ""
	pdf, err := Evaluation(doc)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "evaluation-draft.pdf", pdf)
	pages := pdfText(t, pdf)
	for i, p := range pages {
		if !strings.Contains(p, "DRAFT — NOT SIGNED") {
			t.Errorf("page %d of a draft does not say DRAFT — NOT SIGNED", i+1)
		}
	}
	all := strings.Join(pages, "\n")
	mustContain(t, all, "DRAFT — not signed")
	if strings.Contains(all, "Electronically signed") {
		t.Error("a draft claims an electronic signature")
	}
}

func TestReevaluationShowsTheChange(t *testing.T) {
	prev := sampleEval()
	cur := sampleEval()
	cur.ID, cur.Kind, cur.PreviousID, cur.Date = 9, assess.Reeval, prev.ID, "2026-04-13"
	cur.Subjective.PainNow, cur.Subjective.PainWorst = ip(3), ip(5)
	cur.ROM[1].Degrees = 65 // cervical rotation, right: 45 → 65
	cur.ROM[4].Degrees = 68 // wrist extension, right: 55 → 68
	cur.ROM[5].Degrees = 4  // knee extension lag 10 → 4
	cur.Tests[0].Result = "negative"
	cur.ROM = append(cur.ROM, assess.ROM{Motion: "shoulder.abduction", Side: "right", Degrees: 150})
	doc := sampleDoc()
	doc.Eval, doc.Previous = cur, prev
	pdf, err := Evaluation(doc)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "reevaluation.pdf", pdf)
	all := strings.Join(pdfText(t, pdf), "\n")
	mustContain(t, all, "Re-evaluation", "Date of service 04/13/2026", "Compared with the evaluation of 03/14/2026")
	mustMatch(t, all,
		`^ ?Now 3/10 6/10 −3\s*$`,
		`^ ?Best 3/10 3/10 0\s*$`,
		`^ ?Worst 5/10 8/10 −3\s*$`,
		`Cervical rotation, right 65° 45° \+20° 80° 81\.3% 7\.1% Yes\s*$`,
		`Wrist extension, right 68° 55° \+13° 70° 97\.1% 2\.9% Yes\s*$`,
		`Knee extension, right −4° −10° \+6° 0° 97\.1% — No\s*$`,
		`Shoulder abduction, right 150° — 180° 83\.3% — No\s*$`,
		`Phalen \(wrist .* right negative positive`,
	)
	mustContain(t, all, "changed")
}

func TestPlanOfCare(t *testing.T) {
	pdf, err := PlanOfCare(samplePlanDoc())
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "plan.pdf", pdf)
	pages := pdfText(t, pdf)
	if len(pages) < 1 || len(pages) > 4 {
		t.Errorf("the plan has %d pages; expected 1 to 4", len(pages))
	}
	all := strings.Join(pages, "\n")
	mustContain(t, all,
		"Plan of care", "Version 2 · Start date 03/16/2026",
		"Zoë O'Brien-Núñez", "Dr. Priya Raman, MD", "G56.01", "M54.2",
		"Short-term goals", "Long-term goals",
		"2 visits a week for 6 weeks (12 visits)",
		"Every 6 visits or 30 days, whichever comes first",
		"upper trapezius; scalenes", "forearm flexors; wrist and carpal tunnel; pectoralis minor",
		"Anticoagulant medication: light pressure only", "Median nerve glides",
		"thumb, index and middle fingers",
		"Electronically signed by Dana Reyes, LMT on 03/16/2026 at 10:30 AM CDT",
		"I have reviewed this plan of care and certify it as medically necessary",
		"Physician's signature", "Printed name", "NPI", "by fax to (512) 555-0143",
	)
	mustMatch(t, all,
		`Pain pain at worst 8 5 /10 04/13/2026`,
		`Range of motion Cervical rotation, right 45 65 degrees 04/13/2026`,
		`Outcome measure Boston Carpal Tunnel Questionnaire, .*3\.4 1\.8 points 05/11/2026`,
		`Function type at the keyboard .*30 240 minutes 05/11/2026`,
	)
	if strings.Contains(all, "Co-signed") {
		t.Error("a plan not yet co-signed says it is")
	}
}

func TestPlanOfCareCosigned(t *testing.T) {
	doc := samplePlanDoc()
	doc.Plan.CosignedOn, doc.Plan.CosignedBy = "2026-03-20", "Priya Raman, MD"
	doc.Marks = nil
	doc.Physician = nil
	pdf, err := PlanOfCare(doc)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "plan-cosigned.pdf", pdf)
	all := strings.Join(pdfText(t, pdf), "\n")
	mustContain(t, all, "Co-signed by Priya Raman, MD on 03/20/2026", "REFERRING PHYSICIAN", "None on file")
	for _, not := range []string{"Physician's signature", "certify it as medically necessary", "Body chart"} {
		if strings.Contains(all, not) {
			t.Errorf("a co-signed plan without marks still prints %q", not)
		}
	}
}

func TestDraftPlanSaysDraft(t *testing.T) {
	doc := samplePlanDoc()
	doc.Plan.Status, doc.Plan.SignedAt, doc.Plan.SignedByName = assess.Draft, time.Time{}, ""
	pdf, err := PlanOfCare(doc)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, pdf)
	for i, p := range pages {
		if !strings.Contains(p, "DRAFT — NOT SIGNED") {
			t.Errorf("page %d of a draft plan does not say DRAFT — NOT SIGNED", i+1)
		}
	}
	all := strings.Join(pages, "")
	if strings.Contains(all, "Electronically signed") {
		t.Error("a draft plan claims an electronic signature")
	}
	if strings.Contains(all, "Physician's signature") {
		t.Error("a draft plan asks the physician to sign it")
	}
	mustContain(t, all, "DRAFT — not signed")
}

// Text typed by people goes into the PDF as written: accents, typographic
// quotes, emoji (replaced, not crashing), control characters (dropped), and
// notes long enough to fill pages, which wrap inside the margins and run
// onto further pages.
func TestClientTextIsSafe(t *testing.T) {
	doc := sampleDoc()
	doc.Client = Person{Name: "Zoë O'Brien-Núñez 😀\x00\x1b[31m", Detail: "DOB 04/09/1971\tChart #1234"}
	long := strings.Repeat("The client reports that symptoms vary through the day and with activity. ", 120)
	doc.Eval.Assessment = long + "\r\nFinal line after a Windows line end. Averyveryveryverylongwordwithoutanyspacesthatmustbreaksomewhereinsteadofrunningoffthepage" + strings.Repeat("x", 300)
	doc.Eval.Tests[0].Note = strings.Repeat("Tingling spreads to the ring finger on repeat. ", 150)
	doc.Eval.Marks[0].Note = "Ångström café — naïve façade; Ελληνικά; русский; 中文 Ω ≤ ≥ ½ ° ±"
	// A motion not in the table (an old key, an API client's typo) is
	// printed as given, without a comparison.
	doc.Eval.ROM = append(doc.Eval.ROM, assess.ROM{Motion: "jaw.opening", Degrees: 40})
	// Parties and letterhead are kept to their lines, whatever was typed.
	doc.Physician = &Person{Name: strings.Repeat("Dr. Bartholomew Featherstonehaugh-Cholmondeley ", 8), Detail: strings.Repeat("NPI 1234567893 · Fax (512) 555-0100 ", 60)}
	doc.Letterhead.Address = strings.Repeat("Suite 300 of the Very Long Medical Arts Building ", 6) + "\nAustin, TX 78701"
	doc.Letterhead.Clinic = strings.Repeat("Riverside Medical Massage and Wellness ", 4)
	pdf, err := Evaluation(doc)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "evaluation-long.pdf", pdf)
	pages := pdfText(t, pdf)
	short, _ := Evaluation(sampleDoc())
	if n := len(pdfText(t, short)); len(pages) <= n+1 {
		t.Errorf("long notes take %d pages against %d without them; they should run onto more pages", len(pages), n)
	}
	all := strings.Join(pages, "\n")
	// Characters the font cannot draw (here Chinese) print as U+FFFD
	// rather than as blank glyphs that fpdf would measure as zero wide.
	mustContain(t, all, "Zoë O'Brien-Núñez", "Ångström café — naïve façade", "Ελληνικά", "русский", "\uFFFD\uFFFD Ω ≤ ≥ ½ ° ±", "Final line after a Windows line end.")
	mustMatch(t, all, `jaw\.opening 40° — — — No\s*$`)
	if strings.Contains(all, "\x1b") || strings.Contains(all, "\x00") {
		t.Error("control characters reached the PDF")
	}
	checkInsideMargins(t, pdf)
}

// checkInsideMargins reads every word's box (pdftotext -bbox) and fails
// for one that runs outside the page's printable area.
func checkInsideMargins(t *testing.T, pdf []byte) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v: %s", err, out)
	}
	const mm = 72 / 25.4
	rx := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	words := rx.FindAllStringSubmatch(string(out), -1)
	if len(words) < 100 {
		t.Fatalf("pdftotext found only %d words", len(words))
	}
	for _, m := range words {
		x0, _ := strconv.ParseFloat(m[1], 64)
		y0, _ := strconv.ParseFloat(m[2], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		y1, _ := strconv.ParseFloat(m[4], 64)
		if x0 < (marginL-1)*mm || x1 > (pageW-marginR+1)*mm || y0 < 8*mm || y1 > (pageH-8)*mm {
			t.Errorf("the word %q lies outside the margins: x %.0f–%.0f pt, y %.0f–%.0f pt", m[5], x0, x1, y0, y1)
		}
	}
}

func TestNoRecordIsAnError(t *testing.T) {
	if _, err := Evaluation(EvaluationDoc{}); err == nil {
		t.Error("an evaluation document without an evaluation rendered")
	}
	if _, err := PlanOfCare(PlanDoc{}); err == nil {
		t.Error("a plan document without a plan rendered")
	}
	doc := sampleDoc()
	doc.Thresholds = assess.Thresholds{MinPercent: 150, MaxSideDiff: 15}
	if _, err := Evaluation(doc); err == nil {
		t.Error("thresholds of 150% of normal were accepted")
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Frequency(2, 6), "2 visits a week for 6 weeks (12 visits)"},
		{Frequency(1, 1), "1 visit a week for 1 week"},
		{Frequency(3, 0), "3 visits a week"},
		{Frequency(0, 6), "Not set"},
		{Reevaluation(6, 30), "Every 6 visits or 30 days, whichever comes first"},
		{Reevaluation(1, 0), "Every 1 visit"},
		{Reevaluation(0, 30), "Every 30 days"},
		{Reevaluation(0, 0), "At the end of the plan"},
		{usDate("2026-03-04"), "03/04/2026"},
		{usDate("soon"), "soon"},
		{signedNum(-3), "−3"}, {signedNum(2.5), "+2.5"}, {signedNum(0), "0"},
		{SignedLine("Dana Reyes", time.Date(2026, 1, 15, 14, 0, 0, 0, time.UTC), chicago), "Electronically signed by Dana Reyes on 01/15/2026 at 8:00 AM CST"},
		{SignedLine("Dana Reyes", time.Date(2026, 1, 15, 14, 0, 0, 0, time.UTC), nil), "Electronically signed by Dana Reyes on 01/15/2026 at 2:00 PM UTC"},
		{clean("a\tb\r\nc\rd\x00e\x7f😀\xff"), "a b\nc\nde\uFFFD\uFFFD"},
		{clean("Zoë — ok"), "Zoë — ok"},
		{clean("Ωמ中"), "Ωמ\uFFFD"}, // Greek and Hebrew are in DejaVu Sans, Chinese is not
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// The benchmark's heavy evaluation (50 marks, 20 motions, 8 tests) lists
// every mark by its number and every motion, on a sane number of pages.
func TestHeavyEvaluation(t *testing.T) {
	doc := benchDoc()
	pdf, err := Evaluation(doc)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "evaluation-heavy.pdf", pdf)
	pages := pdfText(t, pdf)
	if len(pages) < 3 || len(pages) > 8 {
		t.Errorf("the heavy evaluation has %d pages; expected 3 to 8", len(pages))
	}
	all := oneLine(strings.Join(pages, "\n"))
	for i, m := range doc.Eval.Marks {
		if !regexp.MustCompile(`(?m)^ ?` + strconv.Itoa(i+1) + ` ` + regexp.QuoteMeta(m.Label())).MatchString(all) {
			t.Errorf("mark %d (%s) is not listed", i+1, m.Label())
		}
	}
	for _, r := range doc.Eval.ROM {
		if !strings.Contains(all, assess.MotionLabel(r.Motion, r.Side)+" "+strconv.Itoa(r.Degrees)+"°") {
			t.Errorf("%s %d° is not in the table", assess.MotionLabel(r.Motion, r.Side), r.Degrees)
		}
	}
}

// The characters the documents print themselves, and the replacement
// character, are in both fonts; the character map read from the fonts
// covers the Latin, Greek and Cyrillic a client's name may use.
func TestFontCoverage(t *testing.T) {
	have := glyphs()
	for _, r := range "AZaz09 —−•·…°±½≤≥\u201c\u201d\u2019\uFFFDÀÿŁžΩωЖж" {
		if !have[r] {
			t.Errorf("%q (U+%04X) is not in the embedded fonts", r, r)
		}
	}
	for _, r := range "\x00\x1b\u0085中" {
		if have[r] {
			t.Errorf("%q (U+%04X) counts as printable", r, r)
		}
	}
	n := 0
	for _, ok := range have {
		if ok {
			n++
		}
	}
	if n < 2500 {
		t.Errorf("the fonts' character map lists only %d characters", n)
	}
}
