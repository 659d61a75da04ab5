package assess

import (
	"slices"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
)

func ip(n int) *int { return &n }

func TestSuggestionsOfACondition(t *testing.T) {
	c, _ := ConditionByKey("carpal_tunnel")
	var rom []string
	for _, r := range c.SuggestedROM() {
		rom = append(rom, r.Motion+"/"+r.Side)
	}
	if want := []string{"wrist.flexion/right", "wrist.flexion/left", "wrist.extension/right", "wrist.extension/left"}; !slices.Equal(rom, want) {
		t.Errorf("suggested motions %v, want %v", rom, want)
	}
	var tests []string
	for _, x := range c.SuggestedTests() {
		if x.Result != "" {
			t.Errorf("a suggested test has a result: %+v", x)
		}
		tests = append(tests, x.Test)
	}
	if !slices.Contains(tests, "phalen") || !slices.Contains(tests, "tinel_wrist") {
		t.Errorf("suggested tests %v lack Phalen or Tinel", tests)
	}
	neck, _ := ConditionByKey("chronic_neck_pain")
	for _, r := range neck.SuggestedROM() {
		if m, _ := MotionByKey(r.Motion); m.Sided != (r.Side != "") {
			t.Errorf("%s suggested with side %q", r.Motion, r.Side)
		}
	}
}

func TestPrefillPlan(t *testing.T) {
	c, _ := ConditionByKey("carpal_tunnel")
	ev := &Evaluation{ID: 7, ClientID: 3, Subjective: Subjective{PainNow: ip(3), PainWorst: ip(7)},
		ROM: []ROM{{Motion: "wrist.extension", Side: "right", Degrees: 40}, {Motion: "wrist.extension", Side: "left", Degrees: 68}}}
	p := PrefillPlan(c, ev, "2026-11-02")
	if p.EvaluationID != 7 || p.ClientID != 3 || p.Condition != "carpal_tunnel" || p.StartDate != "2026-11-02" {
		t.Errorf("plan header %+v", p)
	}
	var techniques []string
	for _, x := range p.Techniques {
		techniques = append(techniques, x.Technique)
		if !slices.Equal(x.Regions, c.Regions) {
			t.Errorf("%s regions %v, want the condition's %v", x.Technique, x.Regions, c.Regions)
		}
	}
	if !slices.Equal(techniques, c.Techniques) {
		t.Errorf("techniques %v, want %v", techniques, c.Techniques)
	}
	find := func(measure string) Goal {
		for _, g := range p.Goals {
			if g.Measure == measure {
				return g
			}
		}
		t.Fatalf("no %s goal in %+v", measure, p.Goals)
		return Goal{}
	}
	// Pain: from the worst rating, an MCID (2 points) lower in the short term.
	pain := find(MeasurePain)
	if pain.Baseline != 7 || pain.Target != 5 || pain.Unit != "/10" || pain.TargetDate != "2026-11-30" {
		t.Errorf("pain goal %+v", pain)
	}
	// ROM: the more restricted side, halfway to normal (70°) in the short term.
	rom := find(MeasureROM)
	if rom.What != "wrist.extension" || rom.Side != "right" || rom.Baseline != 40 || rom.Target != 55 || rom.Unit != "degrees" {
		t.Errorf("ROM goal %+v", rom)
	}
	// Outcome measures: left for the therapist.
	out := find(MeasureOutcome)
	if out.Baseline != 0 || out.Target != 0 || out.TargetDate != "2026-12-28" {
		t.Errorf("outcome goal %+v", out)
	}
	if p.Weeks != 8 || p.PerWeek != 2 || p.ReevalVisits != 6 || p.ReevalDays != 30 {
		t.Errorf("frequency %d×%d, re-evaluation %d visits / %d days", p.PerWeek, p.Weeks, p.ReevalVisits, p.ReevalDays)
	}
	// Without an evaluation: no baselines from it, nothing breaks.
	bare := PrefillPlan(c, nil, "2026-11-02")
	if len(bare.Goals) != len(p.Goals) || bare.EvaluationID != 0 {
		t.Errorf("plan without an evaluation %+v", bare)
	}
	// A long-term pain goal asks for twice the MCID, never below 0.
	for _, tc := range []struct {
		term           string
		worst          int
		wantBase, want float64
	}{{"short", 7, 7, 5}, {"long", 7, 7, 3}, {"long", 3, 3, 0}, {"short", 1, 1, 0}} {
		cc := Condition{Key: "x", Goals: []GoalTemplate{{Term: tc.term, Measure: MeasurePain, What: "pain", Weeks: 4}}}
		g := PrefillPlan(cc, &Evaluation{Subjective: Subjective{PainWorst: ip(tc.worst)}}, "2026-01-01").Goals[0]
		if g.Baseline != tc.wantBase || g.Target != tc.want {
			t.Errorf("%s-term pain from %d: %v → %v, want %v → %v", tc.term, tc.worst, g.Baseline, g.Target, tc.wantBase, tc.want)
		}
	}
	// A lag (knee extension): less is better, straight is the target.
	lag := Condition{Key: "x", Goals: []GoalTemplate{{Term: "long", Measure: MeasureROM, What: "knee.extension", Weeks: 6}}}
	g := PrefillPlan(lag, &Evaluation{ROM: []ROM{{Motion: "knee.extension", Side: "left", Degrees: 12}}}, "2026-01-01").Goals[0]
	if g.Baseline != 12 || g.Target != 0 || g.Side != "left" {
		t.Errorf("knee extension lag goal %+v", g)
	}
}

func TestStartReeval(t *testing.T) {
	prev := &Evaluation{ID: 4, ClientID: 9, Kind: Initial, Condition: "carpal_tunnel", Subjective: Subjective{ChiefComplaint: "numb thumb", PainWorst: ip(6)},
		ROM: []ROM{{Motion: "wrist.flexion", Side: "right", Degrees: 50}}, Tests: []TestResult{{Test: "phalen", Side: "right", Result: "positive"}},
		Marks: []Mark{{View: "anterior", Region: "thenar", Side: "right", X: .3, Y: .5, Kind: "numbness", Intensity: 2}}, Assessment: "old", Status: Signed}
	e := StartReeval(prev, "2026-12-01")
	if e.Kind != Reeval || e.PreviousID != 4 || e.Date != "2026-12-01" || e.Assessment != "" || e.Status != "" || e.ID != 0 {
		t.Errorf("re-evaluation %+v", e)
	}
	if len(e.ROM) != 1 || len(e.Tests) != 1 || len(e.Marks) != 1 || *e.Subjective.PainWorst != 6 {
		t.Errorf("the previous values are not carried: %+v", e)
	}
	// A copy: changing the new one leaves the signed one as it was.
	*e.Subjective.PainWorst, e.ROM[0].Degrees, e.Marks[0].Note = 2, 70, "x"
	if *prev.Subjective.PainWorst != 6 || prev.ROM[0].Degrees != 50 || prev.Marks[0].Note != "" {
		t.Errorf("changing the re-evaluation changed the signed evaluation: %+v", prev)
	}
}

func TestValidateEvaluation(t *testing.T) {
	ok := func() *Evaluation {
		return &Evaluation{Kind: Initial, Date: "2026-11-20", Subjective: Subjective{ChiefComplaint: "neck", OnsetDate: "2026-10-01", PainBest: ip(2), PainWorst: ip(6)},
			Posture: []PostureFinding{{Finding: "forward_head"}}, ROM: []ROM{{Motion: "cervical.rotation", Side: "left", Degrees: 60}},
			Tests: []TestResult{{Test: "spurling", Side: "right", Result: "negative"}}, Assessment: "ok"}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("a good evaluation: %v", err)
	}
	for name, tc := range map[string]struct {
		mutate func(e *Evaluation)
		field  string
	}{
		"unknown kind":          {func(e *Evaluation) { e.Kind = "x" }, "kind"},
		"bad date":              {func(e *Evaluation) { e.Date = "2026-02-30" }, "date"},
		"onset after visit":     {func(e *Evaluation) { e.Subjective.OnsetDate = "2026-12-01" }, "onset_date"},
		"pain 11":               {func(e *Evaluation) { e.Subjective.PainWorst = ip(11) }, "pain_worst"},
		"pain -1":               {func(e *Evaluation) { e.Subjective.PainNow = ip(-1) }, "pain_now"},
		"best above worst":      {func(e *Evaluation) { e.Subjective.PainBest = ip(8) }, "pain_best"},
		"unknown posture":       {func(e *Evaluation) { e.Posture[0].Finding = "slouchy" }, "posture.0"},
		"unknown motion":        {func(e *Evaluation) { e.ROM[0].Motion = "neck.twist" }, "rom.0"},
		"sided motion, no side": {func(e *Evaluation) { e.ROM[0].Side = "" }, "rom.0"},
		"spine with a side":     {func(e *Evaluation) { e.ROM[0] = ROM{Motion: "cervical.flexion", Side: "left", Degrees: 30} }, "rom.0"},
		"degrees out of range":  {func(e *Evaluation) { e.ROM[0].Degrees = 400 }, "rom.0"},
		"measured twice":        {func(e *Evaluation) { e.ROM = append(e.ROM, e.ROM[0]) }, "rom.1"},
		"unknown test":          {func(e *Evaluation) { e.Tests[0].Test = "x" }, "test.0"},
		"bad result":            {func(e *Evaluation) { e.Tests[0].Result = "maybe" }, "test.0"},
		"sided test, no side":   {func(e *Evaluation) { e.Tests[0].Side = "" }, "test.0"},
		"unknown gait":          {func(e *Evaluation) { e.Gait = []string{"moonwalk"} }, "gait.0"},
		"bad mark": {func(e *Evaluation) {
			e.Marks = []Mark{{View: "anterior", Region: "thenar", Kind: "x", Intensity: 1, X: .5, Y: .5}}
		}, "marks"},
	} {
		e := ok()
		tc.mutate(e)
		err := e.Validate()
		if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v (fields %v), want an error on %s", name, err, errs.FieldsOf(err), tc.field)
		}
	}
	// Drafts may be incomplete; signing needs the complaint and the assessment.
	e := ok()
	e.Subjective.ChiefComplaint, e.Assessment = "", ""
	if err := e.Validate(); err != nil {
		t.Errorf("an incomplete draft: %v", err)
	}
	if f := errs.FieldsOf(e.ReadyToSign()); f["chief_complaint"] == "" || f["assessment"] == "" {
		t.Errorf("signing without complaint and assessment: %v", f)
	}
	// Normalize drops tests not performed.
	e.Tests = append(e.Tests, TestResult{Test: "phalen"})
	e.Normalize()
	if len(e.Tests) != 1 {
		t.Errorf("a test without a result was kept: %+v", e.Tests)
	}
}

func TestValidatePlan(t *testing.T) {
	known := func(c string) bool { return c == "G56.01" || c == "M54.2" }
	ok := func() *Plan {
		return &Plan{StartDate: "2026-11-02", Diagnoses: []string{"G56.01"}, PerWeek: 2, Weeks: 6, ReevalVisits: 6,
			Goals: []Goal{{Term: "short", Measure: MeasurePain, What: "pain", Baseline: 7, Target: 5, Unit: "/10", TargetDate: "2026-11-30"},
				{Term: "long", Measure: MeasureROM, What: "wrist.extension", Side: "right", Baseline: 40, Target: 70, Unit: "degrees", TargetDate: "2026-12-28"}},
			Techniques: []PlannedTechnique{{Technique: "myofascial_release", Regions: []string{"wrist", "forearm_flexors"}}}}
	}
	if err := ok().Validate(known); err != nil {
		t.Fatalf("a good plan: %v", err)
	}
	if err := ok().ReadyToSign(); err != nil {
		t.Fatalf("a complete plan cannot be signed: %v", err)
	}
	for name, tc := range map[string]struct {
		mutate func(p *Plan)
		field  string
		sign   bool
	}{
		"bad start":           {func(p *Plan) { p.StartDate = "soon" }, "start_date", false},
		"unknown code":        {func(p *Plan) { p.Diagnoses = []string{"G56"} }, "diagnoses", false},
		"goal before start":   {func(p *Plan) { p.Goals[0].TargetDate = "2026-10-01" }, "goal.0", false},
		"pain out of scale":   {func(p *Plan) { p.Goals[0].Target = 12 }, "goal.0", false},
		"ROM goal, no motion": {func(p *Plan) { p.Goals[1].What = "flexibility" }, "goal.1", false},
		"ROM goal, no side":   {func(p *Plan) { p.Goals[1].Side = "" }, "goal.1", false},
		"unknown technique":   {func(p *Plan) { p.Techniques[0].Technique = "reiki-ish" }, "technique.0", false},
		"unknown region":      {func(p *Plan) { p.Techniques[0].Regions = []string{"aura"} }, "technique.0", false},
		"15 visits a week":    {func(p *Plan) { p.PerWeek = 15 }, "per_week", false},
		"no diagnosis":        {func(p *Plan) { p.Diagnoses = nil }, "diagnoses", true},
		"no long-term goal":   {func(p *Plan) { p.Goals = p.Goals[:1] }, "goals", true},
		"target = baseline":   {func(p *Plan) { p.Goals[0].Target = 7 }, "goal.0", true},
		"no technique":        {func(p *Plan) { p.Techniques = nil }, "techniques", true},
		"no re-evaluation":    {func(p *Plan) { p.ReevalVisits, p.ReevalDays = 0, 0 }, "reeval_visits", true},
	} {
		p := ok()
		tc.mutate(p)
		err := p.Validate(known)
		if tc.sign {
			if err != nil {
				t.Errorf("%s: a draft should save: %v", name, err)
			}
			err = p.ReadyToSign()
		}
		if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v (fields %v), want an error on %s", name, err, errs.FieldsOf(err), tc.field)
		}
	}
	p := ok()
	if !p.ReevalDue(6, 10) || p.ReevalDue(5, 100) {
		t.Errorf("re-evaluation due every 6 visits: %v %v", p.ReevalDue(6, 10), p.ReevalDue(5, 100))
	}
	p.ReevalDays = 30
	if !p.ReevalDue(2, 30) {
		t.Error("re-evaluation due after 30 days")
	}
}
