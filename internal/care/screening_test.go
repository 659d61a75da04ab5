package care

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// today is the clinic's date in these tests.
var today = time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC)

// daysBefore is the date n days before today.
func daysBefore(n int) string { return today.AddDate(0, 0, -n).Format("2006-01-02") }

func conds(keys ...string) *Intake { return &Intake{Conditions: keys} }

func meds(class, name string) *Intake {
	return &Intake{Medications: []Medication{{Name: name, Class: class, Dose: "5 mg"}}}
}

func keysOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleKey)
	}
	slices.Sort(out)
	return out
}

// ruleCase is one default rule: an intake that triggers it (with also: the
// other rules that intake triggers too, by design), and a near miss that must not.
type ruleCase struct {
	key  string
	hit  *Intake
	also []string
	miss *Intake
}

// notesOnly is the near miss of a condition rule: the client wrote about it
// in the free-text notes without ticking it. Free text is never matched.
func notesOnly(note string) *Intake { return &Intake{ConditionNotes: note} }

var ruleCases = []ruleCase{
	{"default.fever", conds("fever"), nil, notesOnly("had a fever last month")},
	{"default.acute_infection", conds("acute_infection"), nil, notesOnly("finished antibiotics in June")},
	{"default.suspected_dvt", conds("suspected_dvt"), []string{"default.suspected_dvt.refer"}, conds("varicose_veins")},
	{"default.suspected_dvt.refer", conds("suspected_dvt"), []string{"default.suspected_dvt"}, conds("dvt_history")},
	{"default.dvt_history", conds("dvt_history"), []string{"default.dvt_history.limb"}, conds("suspected_dvt")},
	{"default.dvt_history.limb", conds("dvt_history"), []string{"default.dvt_history"}, notesOnly("clot in 2015")},
	{"default.anticoagulant", meds("anticoagulant", "Eliquis"), nil, meds("other", "Eliquis")},
	{"default.antiplatelet", meds("antiplatelet", "Plavix"), nil, meds("anticoagulant", "Warfarin")},
	{"default.bleeding_disorder", conds("bleeding_disorder"), nil, notesOnly("bruise easily sometimes")},
	{"default.surgery.site", &Intake{Surgeries: []Surgery{{What: "Appendectomy", Date: daysBefore(90), Region: "abdomen"}}}, nil,
		&Intake{Surgeries: []Surgery{{What: "Appendectomy", Date: daysBefore(91), Region: "abdomen"}}}},
	{"default.surgery.clearance", &Intake{Surgeries: []Surgery{{What: "Knee arthroscopy", Date: daysBefore(41), Region: "knee", Side: "left"}}}, []string{"default.surgery.site"},
		&Intake{Surgeries: []Surgery{{What: "Knee arthroscopy", Date: daysBefore(43), Region: "knee", Side: "left"}}}},
	{"default.cancer_treatment", conds("cancer_treatment"), nil, notesOnly("cancer treatment ended in 2010")},
	{"default.chemotherapy", meds("chemotherapy", "Keytruda"), nil, meds("immunosuppressant", "Methotrexate")},
	{"default.neutropenia", conds("neutropenia"), nil, conds("cancer_treatment")},
	{"default.lymph_nodes_removed", conds("lymph_nodes_removed"), nil, conds("lymphedema")},
	{"default.lymphedema", conds("lymphedema"), nil, conds("lymph_nodes_removed")},
	{"default.pregnancy", &Intake{Pregnant: true, PregnancyWeeks: 30}, nil, &Intake{Pregnant: false, PregnancyWeeks: 30}},
	{"default.pregnancy.first_trimester", &Intake{Pregnant: true, PregnancyWeeks: 13}, []string{"default.pregnancy"}, &Intake{Pregnant: true, PregnancyWeeks: 14}},
	{"default.high_risk_pregnancy", conds("high_risk_pregnancy"), nil, &Intake{Pregnant: true, PregnancyWeeks: 20}},
	{"default.preeclampsia", conds("preeclampsia"), nil, conds("hypertension")},
	{"default.osteoporosis", conds("osteoporosis"), nil, conds("rheumatoid_arthritis")},
	{"default.osteoporosis_severe", conds("osteoporosis_severe"), []string{"default.osteoporosis_severe.modify"}, conds("osteoporosis")},
	{"default.osteoporosis_severe.modify", conds("osteoporosis_severe"), []string{"default.osteoporosis_severe"}, conds("osteoporosis")},
	{"default.varicose_veins", conds("varicose_veins"), nil, conds("suspected_dvt")},
	{"default.hypertension_uncontrolled", conds("hypertension_uncontrolled"), nil, conds("hypertension")},
	{"default.hypertension", conds("hypertension"), nil, conds("hypertension_uncontrolled")},
	{"default.antihypertensive", meds("antihypertensive", "Lisinopril"), nil, meds("diabetes", "Metformin")},
	{"default.bp_crisis.systolic", &Intake{BPSystolic: 180, BPDiastolic: 85}, []string{"default.bp_high.systolic"}, &Intake{BPSystolic: 179, BPDiastolic: 85}},
	{"default.bp_crisis.diastolic", &Intake{BPSystolic: 150, BPDiastolic: 110}, []string{"default.bp_high.diastolic"}, &Intake{BPSystolic: 150, BPDiastolic: 109}},
	{"default.bp_high.systolic", &Intake{BPSystolic: 160, BPDiastolic: 85}, nil, &Intake{BPSystolic: 159, BPDiastolic: 85}},
	{"default.bp_high.diastolic", &Intake{BPSystolic: 140, BPDiastolic: 100}, nil, &Intake{BPSystolic: 140, BPDiastolic: 99}},
	{"default.open_wound", conds("open_wound"), nil, conds("skin_infection")},
	{"default.skin_infection", conds("skin_infection"), nil, conds("open_wound")},
	{"default.acute_injury", conds("acute_injury"), []string{"default.acute_injury.refer"}, conds("suspected_fracture")},
	{"default.acute_injury.refer", conds("acute_injury"), []string{"default.acute_injury"}, notesOnly("sprained ankle last year")},
	{"default.recent_injury", &Intake{RecentInjuries: []Injury{{What: "Ankle sprain", Date: daysBefore(3), Region: "ankle", Side: "right"}}}, []string{"default.recent_injury.refer"},
		&Intake{RecentInjuries: []Injury{{What: "Ankle sprain", Date: daysBefore(4), Region: "ankle", Side: "right"}}}},
	{"default.recent_injury.refer", &Intake{RecentInjuries: []Injury{{What: "Fall", Date: daysBefore(0)}}}, []string{"default.recent_injury"},
		&Intake{RecentInjuries: []Injury{{What: "Fall", Date: "2026-11-28"}}}}, // tomorrow: not an injury yet
	{"default.suspected_fracture", conds("suspected_fracture"), []string{"default.suspected_fracture.refer"}, conds("acute_injury")},
	{"default.suspected_fracture.refer", conds("suspected_fracture"), []string{"default.suspected_fracture"}, conds("osteoporosis")},
	{"default.aneurysm", conds("aneurysm"), []string{"default.aneurysm.clearance"}, conds("heart_disease")},
	{"default.aneurysm.clearance", conds("aneurysm"), []string{"default.aneurysm"}, conds("heart_disease")},
	{"default.undiagnosed_lump", conds("undiagnosed_lump"), []string{"default.undiagnosed_lump.refer"}, notesOnly("benign cyst, checked 2024")},
	{"default.undiagnosed_lump.refer", conds("undiagnosed_lump"), []string{"default.undiagnosed_lump"}, conds("cancer_treatment")},
	{"default.diabetic_neuropathy", conds("diabetic_neuropathy"), nil, conds("diabetes")},
	{"default.analgesic", meds("analgesic", "Oxycodone"), nil, meds("antidepressant", "Sertraline")},
	{"default.muscle_relaxant", meds("muscle_relaxant", "Cyclobenzaprine"), nil, meds("corticosteroid", "Prednisone")},
	{"default.implanted_device", &Intake{ImplantedDevices: "Pacemaker (2019)"}, nil, &Intake{ImplantedDevices: "None."}},
}

// TestEveryDefaultRule runs one case per default rule: the intake that
// triggers it gives exactly that finding (and the findings its pair rules
// give by design), the near miss does not give it.
func TestEveryDefaultRule(t *testing.T) {
	rules := DefaultRules()
	covered := map[string]bool{}
	for _, c := range ruleCases {
		t.Run(c.key, func(t *testing.T) {
			if _, ok := DefaultRule(c.key); !ok {
				t.Fatalf("no default rule %q", c.key)
			}
			covered[c.key] = true
			got := Screen(rules, Input{Today: today, Intake: c.hit})
			want := append([]string{c.key}, c.also...)
			slices.Sort(want)
			if !reflect.DeepEqual(keysOf(got), want) {
				t.Errorf("hit gives %v, want %v", keysOf(got), want)
			}
			for _, f := range got {
				if f.RuleKey != c.key {
					continue
				}
				r, _ := DefaultRule(c.key)
				if f.Level != r.Level || f.Reason != r.Reason || f.Source != r.Source || f.Modification != r.Modification || f.Evidence == "" {
					t.Errorf("finding %+v does not carry the rule's level, reason, source, modification and evidence", f)
				}
				if f.Level == LevelAvoidLocal && f.Region == "" {
					t.Errorf("avoid-locally finding without a region: %+v", f)
				}
			}
			if miss := Screen(rules, Input{Today: today, Intake: c.miss}); slices.Contains(keysOf(miss), c.key) {
				t.Errorf("near miss gives %s: %v", c.key, keysOf(miss))
			}
		})
	}
	for _, r := range rules {
		if !covered[r.Key] {
			t.Errorf("default rule %s has no test case", r.Key)
		}
	}
}

// TestDefaultRulesAreComplete checks every default rule is valid, unique,
// cites a source and covers the reference table's rows.
func TestDefaultRulesAreComplete(t *testing.T) {
	seen := map[string]bool{}
	levels := map[Level]int{}
	for _, r := range DefaultRules() {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Key, err)
		}
		if seen[r.Key] {
			t.Errorf("key %s twice", r.Key)
		}
		seen[r.Key] = true
		if !strings.HasPrefix(r.Key, "default.") || !r.Enabled || !r.Builtin {
			t.Errorf("%s: defaults are keyed default.*, enabled and builtin", r.Key)
		}
		levels[r.Level]++
	}
	for _, l := range Levels {
		if levels[l] == 0 {
			t.Errorf("no default rule of level %s", l)
		}
	}
	// Every condition on the intake that the reference table names has a rule.
	for _, c := range []string{"fever", "acute_infection", "suspected_dvt", "dvt_history", "bleeding_disorder", "cancer_treatment", "neutropenia",
		"lymph_nodes_removed", "lymphedema", "high_risk_pregnancy", "preeclampsia", "osteoporosis", "osteoporosis_severe", "varicose_veins",
		"hypertension", "hypertension_uncontrolled", "open_wound", "skin_infection", "acute_injury", "suspected_fracture", "aneurysm",
		"undiagnosed_lump", "diabetic_neuropathy"} {
		if !ValidCondition(c) {
			t.Errorf("the reference table's %s is not an intake condition", c)
		}
		if len(Screen(DefaultRules(), Input{Today: today, Intake: conds(c)})) == 0 {
			t.Errorf("condition %s triggers no default rule", c)
		}
	}
	if DefaultRulesHash() == "" {
		t.Error("no hash of the defaults")
	}
	// DefaultRules hands out copies.
	a := DefaultRules()
	a[0].Reason = "changed"
	if DefaultRules()[0].Reason == "changed" {
		t.Error("DefaultRules shares its slice")
	}
}

// The browser expectation of the issue: an anticoagulant gives "modify: light pressure".
func TestAnticoagulantGivesLightPressure(t *testing.T) {
	in := &Intake{Medications: []Medication{{Name: "Eliquis", Class: "anticoagulant", Dose: "5 mg twice a day"}, {Name: "Xarelto", Class: "anticoagulant"}}}
	fs := Screen(DefaultRules(), Input{Today: today, Intake: in})
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	f := fs[0]
	if f.Level != LevelModify || !strings.HasPrefix(f.Modification, "light pressure") || f.Evidence != "medications: Eliquis, Xarelto (anticoagulant)" {
		t.Errorf("finding %+v", f)
	}
	if !strings.Contains(f.Source, "Walton") {
		t.Errorf("source %q does not cite Walton", f.Source)
	}
}

func TestScreenCombinationSortedBySeverity(t *testing.T) {
	in := &Intake{
		Conditions:  []string{"fever", "varicose_veins"},
		Medications: []Medication{{Name: "Eliquis", Class: "anticoagulant"}},
		Surgeries:   []Surgery{{What: "Hip replacement", Date: daysBefore(20), Region: "hip", Side: "right"}, {What: "Tonsils", Date: "1990-05"}},
		BPSystolic:  185, BPDiastolic: 95,
	}
	fs := Screen(DefaultRules(), Input{Today: today, Intake: in, Precautions: []string{"  No prone positioning  ", ""}})
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Level)+" "+f.RuleKey)
	}
	want := []string{
		"refer_urgent default.bp_crisis.systolic",
		"avoid default.fever",
		"clearance default.bp_high.systolic",
		"clearance default.surgery.clearance",
		"avoid_local default.surgery.site",
		"avoid_local default.varicose_veins",
		"modify default.anticoagulant",
		"modify prescription.precaution",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	site := fs[4]
	if site.Region != "hip" || site.Side != "right" || site.Where() != "hip (right)" || site.Evidence != "surgery: Hip replacement on "+daysBefore(20)+" (20 days ago)" {
		t.Errorf("surgery site finding %+v", site)
	}
	if p := fs[7]; p.Modification != "No prone positioning" || p.Evidence != "prescription" {
		t.Errorf("precaution finding %+v", p)
	}
	if fs[0].Evidence != "blood pressure 185/95 mmHg" {
		t.Errorf("bp evidence %q", fs[0].Evidence)
	}
}

// The same advice from two triggers shows once, with both pieces of evidence
// and the region the intake names.
func TestScreenMergesTheSameAdvice(t *testing.T) {
	in := &Intake{
		Conditions:     []string{"acute_injury"},
		RecentInjuries: []Injury{{What: "Ankle sprain", Date: daysBefore(1), Region: "ankle", Side: "right"}, {What: "Fall", Date: daysBefore(2), Region: "wrist", Side: "left"}},
		BPSystolic:     182, BPDiastolic: 112,
	}
	fs := Screen(DefaultRules(), Input{Today: today, Intake: in})
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Level)+" "+f.RuleKey+" @"+f.Where()+" | "+f.Evidence)
	}
	bp := "blood pressure 182/112 mmHg"
	want := []string{
		"refer_urgent default.bp_crisis.diastolic @ | " + bp,
		"clearance default.acute_injury.refer @ | condition: " + ConditionLabel("acute_injury") + "; injury: Ankle sprain on " + daysBefore(1) + " (yesterday); injury: Fall on " + daysBefore(2) + " (2 days ago)",
		"clearance default.bp_high.diastolic @ | " + bp,
		"avoid_local default.acute_injury @ankle (right) | condition: " + ConditionLabel("acute_injury") + "; injury: Ankle sprain on " + daysBefore(1) + " (yesterday)",
		"avoid_local default.recent_injury @wrist (left) | injury: Fall on " + daysBefore(2) + " (2 days ago)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Two precautions that differ stay two; the same one twice is shown once.
	fs = Screen(nil, Input{Today: today, Intake: &Intake{}, Precautions: []string{"No prone", "No heat", "No prone"}})
	if len(fs) != 2 {
		t.Errorf("precautions %+v", fs)
	}
}

func TestScreenIsDeterministic(t *testing.T) {
	in := benchIntake()
	rules := DefaultRules()
	first := Screen(rules, Input{Today: today, Intake: in, Precautions: []string{"b", "a"}})
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20; i++ {
		rnd.Shuffle(len(rules), func(i, j int) { rules[i], rules[j] = rules[j], rules[i] })
		if got := Screen(rules, Input{Today: today, Intake: in, Precautions: []string{"a", "b"}}); !reflect.DeepEqual(got, first) {
			t.Fatalf("order of rules changed the findings:\n%+v\n%+v", got, first)
		}
	}
}

func TestScreenDates(t *testing.T) {
	rule := Rule{Key: "t", Trigger: Trigger{Kind: TriggerSurgeryWithin, N: 42}, Level: LevelClearance, Enabled: true, Region: AtSite}
	for _, c := range []struct {
		date  string
		today time.Time
		match bool
	}{
		{daysBefore(0), today, true},  // surgery today
		{daysBefore(42), today, true}, // the last day of the window
		{daysBefore(43), today, false},
		{"2026-11-28", today, false}, // in the future: not recent
		{"2026-10", today, false},    // a month is read as its first day: Oct 1 is 57 days before
		{"2026-10", time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), true},
		{"2026-10", time.Date(2026, 11, 12, 23, 59, 0, 0, time.UTC), true}, // Oct 1 + 42 days = Nov 12
		{"2026-10", time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC), false},
		{"2024-02-29", time.Date(2024, 4, 11, 0, 0, 0, 0, time.UTC), true}, // leap day, 42 days before Apr 11
		{"2024-02-29", time.Date(2024, 4, 12, 0, 0, 0, 0, time.UTC), false},
		{"2023-12-20", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), true}, // across a year end: 42 days
		{"2026-02-30", today, false},                                       // no such date
		{"2026-13-01", today, false},
		{"11/20/2026", today, false},
		{"", today, false},
		{"yesterday", today, false},
		{"2026-11-2", today, false},
	} {
		in := &Intake{Surgeries: []Surgery{{What: "x", Date: c.date}}}
		got := len(Screen([]Rule{rule}, Input{Today: c.today, Intake: in})) == 1
		if got != c.match {
			t.Errorf("surgery on %q, today %s: matched %v, want %v", c.date, c.today.Format("2006-01-02"), got, c.match)
		}
	}
	// The clinic's date is what counts, whatever the time of day or zone of Today.
	chicago, _ := time.LoadLocation("America/Chicago")
	late := time.Date(2026, 11, 27, 23, 30, 0, 0, chicago) // 05:30 UTC the next day
	in := &Intake{Surgeries: []Surgery{{What: "x", Date: "2026-10-16"}}}
	if len(Screen([]Rule{rule}, Input{Today: late, Intake: in})) != 1 {
		t.Error("a surgery 42 clinic days ago did not match late in the clinic's evening")
	}
	// Unknown site: the region says so.
	fs := Screen([]Rule{rule}, Input{Today: today, Intake: &Intake{Surgeries: []Surgery{{Date: daysBefore(1)}}}})
	if fs[0].Region != "site of the surgery" || fs[0].Evidence != "surgery: surgery on "+daysBefore(1)+" (yesterday)" {
		t.Errorf("surgery without a region: %+v", fs[0])
	}
}

func TestScreenDisabledRulesAndNoIntake(t *testing.T) {
	rules := DefaultRules()
	for i := range rules {
		if rules[i].Key == "default.fever" {
			rules[i].Enabled = false
		}
	}
	if fs := Screen(rules, Input{Today: today, Intake: conds("fever")}); len(fs) != 0 {
		t.Errorf("a disabled rule matched: %+v", fs)
	}
	if fs := Screen(DefaultRules(), Input{Today: today}); fs != nil {
		t.Errorf("no intake gives %+v", fs)
	}
	if fs := Screen(DefaultRules(), Input{Today: today, Precautions: []string{"Avoid the left shoulder"}}); len(fs) != 1 || fs[0].RuleKey != PrecautionKey {
		t.Errorf("precautions without an intake: %+v", fs)
	}
	if fs := Screen(nil, Input{Today: today, Intake: benchIntake()}); fs != nil {
		t.Errorf("no rules gives %+v", fs)
	}
}

func TestScreenCustomRules(t *testing.T) {
	pump := Rule{Key: "custom.pump", Trigger: Trigger{Kind: TriggerImplantedDevice, Value: "PUMP"}, Level: LevelAvoidLocal, Region: "abdomen", Reason: "r", Source: "clinic policy", Enabled: true}
	late := Rule{Key: "custom.late", Trigger: Trigger{Kind: TriggerPregnancyWeeks, N: 36}, Level: LevelClearance, Reason: "r", Source: "s", Enabled: true}
	steroid := Rule{Key: "custom.steroid", Trigger: Trigger{Kind: TriggerMedicationClass, Value: "corticosteroid"}, Level: LevelModify, Modification: "m", Reason: "r", Source: "s", Enabled: true}
	rules := []Rule{pump, late, steroid}
	in := &Intake{ImplantedDevices: "insulin pump", Pregnant: true, PregnancyWeeks: 0, Medications: []Medication{{Class: "corticosteroid"}}}
	got := keysOf(Screen(rules, Input{Today: today, Intake: in}))
	if !reflect.DeepEqual(got, []string{"custom.pump", "custom.steroid"}) {
		t.Errorf("got %v (weeks unknown must not match an at-most-weeks rule)", got)
	}
	if fs := Screen([]Rule{steroid}, Input{Today: today, Intake: in}); fs[0].Evidence != "medication: unnamed (corticosteroid)" {
		t.Errorf("evidence %q", fs[0].Evidence)
	}
	in.ImplantedDevices = "pacemaker"
	if got := keysOf(Screen([]Rule{pump}, Input{Today: today, Intake: in})); got != nil {
		t.Errorf("a pacemaker matched the pump rule")
	}
	for _, none := range []string{"", " ", "None", "n/a", "no.", "-"} {
		in.ImplantedDevices = none
		if got := Screen(DefaultRules(), Input{Today: today, Intake: &Intake{ImplantedDevices: none}}); got != nil {
			t.Errorf("devices %q matched: %v", none, keysOf(got))
		}
	}
}

func TestRuleValidate(t *testing.T) {
	ok := Rule{Key: "custom.x", Trigger: Trigger{Kind: TriggerCondition, Value: "epilepsy"}, Level: LevelModify, Modification: "m", Reason: "r", Source: "clinic policy"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		edit  func(r *Rule)
	}{
		{"kind", func(r *Rule) { r.Trigger.Kind = "astrology" }},
		{"value", func(r *Rule) { r.Trigger.Value = "not_a_condition" }},
		{"value", func(r *Rule) { r.Trigger = Trigger{Kind: TriggerMedicationClass, Value: "vitamins"} }},
		{"value", func(r *Rule) { r.Trigger = Trigger{Kind: TriggerImplantedDevice, Value: strings.Repeat("x", 101)} }},
		{"n", func(r *Rule) { r.Trigger = Trigger{Kind: TriggerSurgeryWithin, N: 0} }},
		{"n", func(r *Rule) { r.Trigger = Trigger{Kind: TriggerSystolicAtLeast, N: 400} }},
		{"n", func(r *Rule) { r.Trigger = Trigger{Kind: TriggerPregnancyWeeks, N: -1} }},
		{"level", func(r *Rule) { r.Level = "maybe" }},
		{"region", func(r *Rule) { r.Level = LevelAvoidLocal; r.Region = " " }},
		{"modification", func(r *Rule) { r.Modification = "" }},
		{"reason", func(r *Rule) { r.Reason = "  " }},
		{"source", func(r *Rule) { r.Source = "" }},
		{"reason", func(r *Rule) { r.Reason = strings.Repeat("é", 1001) }},
		{"region", func(r *Rule) { r.Region = strings.Repeat("x", 201) }},
	} {
		r := ok
		c.edit(&r)
		err := r.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%+v: error %v, want one naming %s", r, err, c.field)
		}
	}
}

func TestLevels(t *testing.T) {
	for i := 1; i < len(Levels); i++ {
		if Levels[i-1].Severity() <= Levels[i].Severity() {
			t.Errorf("Levels not in severity order at %s", Levels[i])
		}
	}
	labels := map[Level]string{LevelAvoid: "Avoid — reschedule", LevelAvoidLocal: "Avoid locally", LevelModify: "Modify", LevelClearance: "Needs physician clearance", LevelReferUrgent: "Refer urgently"}
	for l, want := range labels {
		if l.Label() != want {
			t.Errorf("%s label %q", l, l.Label())
		}
	}
	if Level("x").Valid() || !LevelModify.Valid() {
		t.Error("Valid")
	}
	if !LevelAvoid.Blocks() || !LevelReferUrgent.Blocks() || LevelClearance.Blocks() || LevelAvoidLocal.Blocks() || LevelModify.Blocks() {
		t.Error("only avoid and refer urgently block a session")
	}
}

func TestOverrideAndClearanceValidate(t *testing.T) {
	o := Override{RuleKey: "default.fever", Reason: "short"}
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Errorf("a 5-character reason: %v", err)
	}
	o.Reason = "  123456789 "
	if o.Validate() == nil {
		t.Error("9 characters after trimming were accepted")
	}
	o.Reason = "Fever gone since Monday, client feels well"
	if err := o.Validate(); err != nil {
		t.Error(err)
	}
	c := Clearance{RuleKey: "default.dvt_history", Physician: "Dr. Ana Ruiz", Date: "2026-11-20"}
	if err := c.Validate(today); err != nil {
		t.Error(err)
	}
	for _, bad := range []Clearance{
		{RuleKey: "k", Physician: "", Date: "2026-11-20"},
		{RuleKey: "k", Physician: "x", Date: "2026-11-28"},
		{RuleKey: "k", Physician: "x", Date: "2026-11"},
		{RuleKey: "k", Physician: "x", Date: "11/20/2026"},
		{RuleKey: "k", Physician: "x", Date: "2010-01-01"},
		{RuleKey: "", Physician: "x", Date: "2026-11-20"},
		{RuleKey: "k", Physician: "x", Date: "2026-11-20", Note: strings.Repeat("n", 1001)},
	} {
		if bad.Validate(today) == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestScreeningState(t *testing.T) {
	s := Screening{Findings: []ClientFinding{
		{Finding: Finding{RuleKey: "a", Level: LevelAvoid}},
		{Finding: Finding{RuleKey: "b", Level: LevelReferUrgent}, Override: &Override{}},
		{Finding: Finding{RuleKey: "c", Level: LevelClearance}},
		{Finding: Finding{RuleKey: "d", Level: LevelModify}},
	}}
	if s.CanStartSession() || len(s.Blocking()) != 1 || s.Blocking()[0].RuleKey != "a" {
		t.Errorf("blocking %+v", s.Blocking())
	}
	s.Findings[0].Override = &Override{}
	if !s.CanStartSession() {
		t.Error("overridden findings still block")
	}
	if !s.Findings[2].Open() || s.Findings[3].Open() || s.Findings[0].Open() {
		t.Error("Open")
	}
}

// benchIntake is a full intake: several conditions, medications, surgeries and injuries.
func benchIntake() *Intake {
	return &Intake{
		Conditions:       []string{"hypertension", "varicose_veins", "osteoporosis", "diabetes", "diabetic_neuropathy"},
		Medications:      []Medication{{"Eliquis", "anticoagulant", "5 mg"}, {"Lisinopril", "antihypertensive", "10 mg"}, {"Metformin", "diabetes", "500 mg"}, {"Gabapentin", "analgesic", "300 mg"}, {"Vitamin D", "other", ""}},
		Surgeries:        []Surgery{{"Knee replacement", daysBefore(30), "knee", "left"}, {"Cataract", "2019-04", "", ""}},
		RecentInjuries:   []Injury{{"Fall", daysBefore(2), "wrist", "right"}},
		ImplantedDevices: "Pacemaker",
		BPSystolic:       150, BPDiastolic: 92,
	}
}

// BenchmarkScreen screens one full intake against the default rules (about 48).
func BenchmarkScreen(b *testing.B) {
	rules := DefaultRules()
	in := Input{Today: today, Intake: benchIntake(), Precautions: []string{"No prone positioning"}}
	b.ReportAllocs()
	for b.Loop() {
		Screen(rules, in)
	}
}
