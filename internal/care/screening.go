package care

// Contraindication screening: rules are data (a trigger gives a level with a
// reason and its source), and Screen matches them against one intake. It is
// a plain function over plain values: no database, no clock. The default
// rules are in screening_defaults.go, written from
// ../shared/reference/clinical.md §3.

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Level is what a finding asks of the therapist.
type Level string

const (
	LevelReferUrgent Level = "refer_urgent" // send the client to a physician now; no session
	LevelAvoid       Level = "avoid"        // no session today: reschedule
	LevelClearance   Level = "clearance"    // a physician's clearance is needed
	LevelAvoidLocal  Level = "avoid_local"  // treat, but not this region
	LevelModify      Level = "modify"       // treat with a change of pressure, position or duration
)

// Levels lists the levels from the most to the least severe.
var Levels = []Level{LevelReferUrgent, LevelAvoid, LevelClearance, LevelAvoidLocal, LevelModify}

// Label is how a therapist reads the level.
func (l Level) Label() string {
	switch l {
	case LevelReferUrgent:
		return "Refer urgently"
	case LevelAvoid:
		return "Avoid — reschedule"
	case LevelClearance:
		return "Needs physician clearance"
	case LevelAvoidLocal:
		return "Avoid locally"
	case LevelModify:
		return "Modify"
	}
	return string(l)
}

// Severity orders levels: higher is more severe, 0 for an unknown level.
func (l Level) Severity() int {
	switch l {
	case LevelReferUrgent:
		return 5
	case LevelAvoid:
		return 4
	case LevelClearance:
		return 3
	case LevelAvoidLocal:
		return 2
	case LevelModify:
		return 1
	}
	return 0
}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l.Severity() > 0 }

// Blocks reports whether a finding of this level stops a session from
// starting until someone overrides it. "Refer urgently" blocks as "avoid"
// does: a client who should see a physician now is not treated today.
func (l Level) Blocks() bool { return l == LevelAvoid || l == LevelReferUrgent }

// TriggerKind is what a rule looks for in the intake.
type TriggerKind string

const (
	TriggerCondition        TriggerKind = "condition"               // Value: a key of Conditions
	TriggerMedicationClass  TriggerKind = "medication_class"        // Value: a key of MedicationClasses
	TriggerPregnancy        TriggerKind = "pregnancy"               // pregnant at any stage
	TriggerPregnancyWeeks   TriggerKind = "pregnancy_weeks_at_most" // pregnant, at most N weeks (known)
	TriggerSurgeryWithin    TriggerKind = "surgery_within_days"     // a surgery at most N days ago
	TriggerInjuryWithin     TriggerKind = "injury_within_days"      // an injury at most N days ago
	TriggerSystolicAtLeast  TriggerKind = "bp_systolic_at_least"    // systolic ≥ N mmHg
	TriggerDiastolicAtLeast TriggerKind = "bp_diastolic_at_least"   // diastolic ≥ N mmHg
	TriggerImplantedDevice  TriggerKind = "implanted_device"        // any device, or one whose description contains Value
)

// TriggerKindInfo describes a trigger kind for the rule form.
type TriggerKindInfo struct {
	Kind  TriggerKind
	Label string
	// Value is what Value holds: "condition", "medication_class", "text" or "" (unused).
	Value string
	// Unit names N ("days", "weeks", "mmHg"), or "" when N is unused; N lies in Min..Max.
	Unit     string
	Min, Max int
}

// TriggerKinds lists every kind, in the order the rule form offers them.
var TriggerKinds = []TriggerKindInfo{
	{TriggerCondition, "A condition ticked on the intake", "condition", "", 0, 0},
	{TriggerMedicationClass, "A medication of a class", "medication_class", "", 0, 0},
	{TriggerPregnancy, "Pregnant (any stage)", "", "", 0, 0},
	{TriggerPregnancyWeeks, "Pregnant, at most N weeks", "", "weeks", 1, 45},
	{TriggerSurgeryWithin, "Surgery within the last N days", "", "days", 1, 3650},
	{TriggerInjuryWithin, "Injury within the last N days", "", "days", 1, 3650},
	{TriggerSystolicAtLeast, "Systolic blood pressure at least N", "", "mmHg", 60, 300},
	{TriggerDiastolicAtLeast, "Diastolic blood pressure at least N", "", "mmHg", 30, 200},
	{TriggerImplantedDevice, "An implanted device (optionally: whose description contains a word)", "text", "", 0, 0},
}

// KindInfo returns the description of kind k.
func KindInfo(k TriggerKind) (TriggerKindInfo, bool) {
	for _, i := range TriggerKinds {
		if i.Kind == k {
			return i, true
		}
	}
	return TriggerKindInfo{}, false
}

// Trigger is what a rule matches.
type Trigger struct {
	Kind  TriggerKind
	Value string // condition key, medication class key, or device word
	N     int    // days, weeks or mmHg
}

// Describe says in words what the trigger matches.
func (t Trigger) Describe() string {
	n := strconv.Itoa(t.N)
	switch t.Kind {
	case TriggerCondition:
		return "Condition: " + ConditionLabel(t.Value)
	case TriggerMedicationClass:
		return "Medication: " + MedicationClassLabel(t.Value)
	case TriggerPregnancy:
		return "Pregnant"
	case TriggerPregnancyWeeks:
		return "Pregnant, " + n + " weeks or less"
	case TriggerSurgeryWithin:
		return "Surgery in the last " + n + " days"
	case TriggerInjuryWithin:
		return "Injury in the last " + n + " days"
	case TriggerSystolicAtLeast:
		return "Systolic blood pressure " + n + " mmHg or more"
	case TriggerDiastolicAtLeast:
		return "Diastolic blood pressure " + n + " mmHg or more"
	case TriggerImplantedDevice:
		if t.Value == "" {
			return "Any implanted device"
		}
		return "Implanted device: " + t.Value
	}
	return string(t.Kind)
}

// AtSite is the Region of an avoid-locally rule whose region comes from what
// matched: the surgery's or injury's region and side as the intake gives them.
const AtSite = "site of the surgery/injury/wound"

// Rule is one contraindication rule of an organisation.
type Rule struct {
	ID      int64
	Key     string // stable: "default.anticoagulant", "custom.3f9a…"
	Trigger Trigger
	Level   Level
	// Region is where to avoid (avoid_local): one of Regions, AtSite, or a description.
	Region string
	// Modification says what to change (modify; optional for other levels).
	Modification string
	Reason       string // plain language, for the therapist
	Source       string // where the rule comes from
	Enabled      bool
	Builtin      bool // one of DefaultRules
	Version      int64
}

// Text limits for rules.
const (
	maxRuleText  = 1000
	maxRuleShort = 200
)

// Validate checks a rule an owner wrote or edited.
func (r *Rule) Validate() error {
	f := errs.FieldErrors{}
	info, ok := KindInfo(r.Trigger.Kind)
	if !ok {
		f.Add("kind", "Choose what the rule looks for.")
	} else {
		switch info.Value {
		case "condition":
			if !ValidCondition(r.Trigger.Value) {
				f.Add("value", "Choose one of the intake's conditions.")
			}
		case "medication_class":
			if !ValidMedicationClass(r.Trigger.Value) {
				f.Add("value", "Choose one of the medication classes.")
			}
		case "text":
			if utf8.RuneCountInString(r.Trigger.Value) > 100 {
				f.Add("value", "Use at most 100 characters.")
			}
		}
		if info.Unit != "" && (r.Trigger.N < info.Min || r.Trigger.N > info.Max) {
			f.Add("n", "Enter a whole number of "+info.Unit+" from "+strconv.Itoa(info.Min)+" to "+strconv.Itoa(info.Max)+".")
		}
	}
	if !r.Level.Valid() {
		f.Add("level", "Choose a level.")
	}
	if r.Level == LevelAvoidLocal && strings.TrimSpace(r.Region) == "" {
		f.Add("region", "Say which region to avoid (a body region, or “"+AtSite+"”).")
	}
	if r.Level == LevelModify && strings.TrimSpace(r.Modification) == "" {
		f.Add("modification", "Say what to change: pressure, position or duration.")
	}
	if strings.TrimSpace(r.Reason) == "" {
		f.Add("reason", "Give the reason in plain language.")
	}
	if strings.TrimSpace(r.Source) == "" {
		f.Add("source", "Name the source (a book, an article, or “clinic policy”).")
	}
	for _, c := range []struct {
		field, v string
		max      int
	}{{"region", r.Region, maxRuleShort}, {"modification", r.Modification, maxRuleText}, {"reason", r.Reason, maxRuleText}, {"source", r.Source, maxRuleText}} {
		if utf8.RuneCountInString(c.v) > c.max {
			f.Add(c.field, "Use at most "+strconv.Itoa(c.max)+" characters.")
		}
	}
	return f.Err()
}

// Finding is one rule that matched a client's intake (or a precaution of
// their prescription), with what in the intake matched.
type Finding struct {
	RuleKey      string
	Level        Level
	Region       string
	Side         string
	Modification string
	Reason       string
	Source       string
	Evidence     string // e.g. "medication: Eliquis (anticoagulant)"
}

// Where is the region and side, as one phrase ("knee (left)").
func (f *Finding) Where() string {
	if f.Region == "" {
		return ""
	}
	return AreaLabel(f.Region, f.Side)
}

// PrecautionKey is the rule key of the findings that carry a prescription's precautions.
const PrecautionKey = "prescription.precaution"

// Input is what Screen looks at.
type Input struct {
	// Today is the clinic's date; only its year, month and day count.
	Today  time.Time
	Intake *Intake // nil when the client has no signed intake
	// Precautions are the free-text precautions of the client's prescriptions,
	// shown as they are written, not matched.
	Precautions []string
}

// Screen matches the enabled rules against the input and returns the
// findings, most severe first. The same input always gives the same
// findings in the same order.
func Screen(rules []Rule, in Input) []Finding {
	var out []Finding
	if in.Intake != nil {
		sc := screener{in: in.Intake, today: dayNumber(in.Today)}
		for i := range rules {
			if rules[i].Enabled {
				out = sc.match(&rules[i], out)
			}
		}
	}
	for _, p := range in.Precautions {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, Finding{RuleKey: PrecautionKey, Level: LevelModify, Modification: p,
				Reason: "Precaution written on the client's prescription.", Source: "The referring provider's prescription", Evidence: "prescription"})
		}
	}
	slices.SortStableFunc(out, compareFindings)
	return merge(out)
}

// merge shows the same advice once: findings of the same level, reason and
// modification from two triggers (the "injury in the last 3 days" box and
// a dated injury; a systolic and a diastolic reading) become one finding
// with both pieces of evidence and, of their regions, the one the intake
// names. Findings at two named regions stay apart.
func merge(fs []Finding) []Finding {
	if len(fs) < 2 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		merged := false
		for i := range out {
			g := &out[i]
			if g.Level != f.Level || g.Reason != f.Reason || g.Modification != f.Modification {
				continue
			}
			if !(g.Region == f.Region && g.Side == f.Side) && !genericRegion(g) && !genericRegion(&f) {
				continue
			}
			if genericRegion(g) && !genericRegion(&f) {
				g.Region, g.Side = f.Region, f.Side
			}
			if !strings.Contains(g.Evidence, f.Evidence) {
				g.Evidence += "; " + f.Evidence
			}
			if !strings.Contains(g.Source, f.Source) {
				g.Source += "; " + f.Source
			}
			merged = true
			break
		}
		if !merged {
			out = append(out, f)
		}
	}
	return out
}

// genericRegion reports whether a finding's region is a description
// ("site of the injury") rather than a region and side from the intake.
func genericRegion(f *Finding) bool { return f.Side == "" && !ValidRegion(f.Region) }

func compareFindings(a, b Finding) int {
	if d := b.Level.Severity() - a.Level.Severity(); d != 0 {
		return d
	}
	for _, p := range [][2]string{{a.RuleKey, b.RuleKey}, {a.Region, b.Region}, {a.Side, b.Side}, {a.Evidence, b.Evidence}, {a.Modification, b.Modification}} {
		if c := strings.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	return 0
}

type screener struct {
	in    *Intake
	today int // days since 1970-01-01 of the clinic's date
}

func (s *screener) finding(r *Rule, evidence string) Finding {
	return Finding{RuleKey: r.Key, Level: r.Level, Region: r.Region, Modification: r.Modification, Reason: r.Reason, Source: r.Source, Evidence: evidence}
}

// match appends the findings of rule r.
func (s *screener) match(r *Rule, out []Finding) []Finding {
	in, t := s.in, r.Trigger
	switch t.Kind {
	case TriggerCondition:
		if in.HasCondition(t.Value) {
			out = append(out, s.finding(r, "condition: "+ConditionLabel(t.Value)))
		}
	case TriggerMedicationClass:
		var names []string
		for _, m := range in.Medications {
			if m.Class == t.Value {
				n := strings.TrimSpace(m.Name)
				if n == "" {
					n = "unnamed"
				}
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			what := "medication: "
			if len(names) > 1 {
				what = "medications: "
			}
			out = append(out, s.finding(r, what+strings.Join(names, ", ")+" ("+t.Value+")"))
		}
	case TriggerPregnancy:
		if in.Pregnant {
			out = append(out, s.finding(r, pregnancyEvidence(in)))
		}
	case TriggerPregnancyWeeks:
		if in.Pregnant && in.PregnancyWeeks > 0 && in.PregnancyWeeks <= t.N {
			out = append(out, s.finding(r, pregnancyEvidence(in)))
		}
	case TriggerSurgeryWithin:
		for _, sg := range in.Surgeries {
			if ago, ok := s.daysAgo(sg.Date); ok && ago <= t.N {
				out = append(out, s.atSite(r, "surgery", sg.What, sg.Date, ago, sg.Region, sg.Side))
			}
		}
	case TriggerInjuryWithin:
		for _, ij := range in.RecentInjuries {
			if ago, ok := s.daysAgo(ij.Date); ok && ago <= t.N {
				out = append(out, s.atSite(r, "injury", ij.What, ij.Date, ago, ij.Region, ij.Side))
			}
		}
	case TriggerSystolicAtLeast:
		if in.BPSystolic > 0 && in.BPSystolic >= t.N {
			out = append(out, s.finding(r, bpEvidence(in)))
		}
	case TriggerDiastolicAtLeast:
		if in.BPDiastolic > 0 && in.BPDiastolic >= t.N {
			out = append(out, s.finding(r, bpEvidence(in)))
		}
	case TriggerImplantedDevice:
		d := strings.TrimSpace(in.ImplantedDevices)
		if hasDevice(d) && (t.Value == "" || strings.Contains(strings.ToLower(d), strings.ToLower(t.Value))) {
			out = append(out, s.finding(r, "implanted device: "+d))
		}
	}
	return out
}

// atSite makes the finding of a surgery or injury; an AtSite region becomes
// the region and side the intake gives for it.
func (s *screener) atSite(r *Rule, what, name, date string, ago int, region, side string) Finding {
	if name = strings.TrimSpace(name); name == "" {
		name = what
	}
	f := s.finding(r, what+": "+name+" on "+date+" ("+daysText(ago)+")")
	if r.Region == AtSite {
		if strings.TrimSpace(region) != "" {
			f.Region, f.Side = region, side
		} else {
			f.Region = "site of the " + what
		}
	}
	return f
}

func daysText(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return strconv.Itoa(n) + " days ago"
}

func pregnancyEvidence(in *Intake) string {
	if in.PregnancyWeeks > 0 {
		return "pregnant, " + strconv.Itoa(in.PregnancyWeeks) + " weeks"
	}
	return "pregnant (weeks not given)"
}

func bpEvidence(in *Intake) string {
	d := "?"
	if in.BPDiastolic > 0 {
		d = strconv.Itoa(in.BPDiastolic)
	}
	s := "?"
	if in.BPSystolic > 0 {
		s = strconv.Itoa(in.BPSystolic)
	}
	return "blood pressure " + s + "/" + d + " mmHg"
}

// hasDevice reports whether the intake's device text names a device: people
// write "none" or "n/a" in a box they were asked to fill.
func hasDevice(d string) bool {
	switch strings.ToLower(strings.Trim(d, " .-—")) {
	case "", "none", "no", "n/a", "na", "nil", "nothing", "none known", "not applicable":
		return false
	}
	return true
}

// daysAgo reads a date (YYYY-MM-DD, or YYYY-MM as its first day) and returns
// how many days before today it was. A date in the future or that cannot be
// read does not count as recent.
func (s *screener) daysAgo(date string) (int, bool) {
	d, ok := parseDay(date)
	if !ok {
		return 0, false
	}
	ago := s.today - d
	return ago, ago >= 0
}

// parseDay turns YYYY-MM-DD or YYYY-MM into days since 1970-01-01 without
// allocating (Screen runs for every intake change and chart view).
func parseDay(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 10 && len(s) != 7 {
		return 0, false
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	if !ok1 || !ok2 || s[4] != '-' || m < 1 || m > 12 || y < 1900 {
		return 0, false
	}
	day := 1
	if len(s) == 10 {
		var ok bool
		if day, ok = num(s[8:10]); !ok || s[7] != '-' || day < 1 || day > daysIn(y, m) {
			return 0, false
		}
	}
	return civilDays(y, m, day), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDays is days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
func civilDays(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return civilDays(y, int(m), d)
}

// Override lets one session start on the day it is made despite a blocking
// finding ("avoid", "refer urgently"); the reason is required and audited.
type Override struct {
	ID       int64
	OrgID    int64
	ClientID int64
	RuleKey  string
	Reason   string
	Day      string // the clinic's date it was made, YYYY-MM-DD: it is valid that day
	ByUserID int64
	ByName   string
	At       time.Time
}

// MinOverrideReason is the fewest characters an override's reason may have.
const MinOverrideReason = 10

// Validate checks an override's reason.
func (o *Override) Validate() error {
	f := errs.FieldErrors{}
	if o.RuleKey == "" {
		f.Add("rule", "Choose the finding to override.")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(o.Reason)); {
	case n < MinOverrideReason:
		f.Add("reason", "Give the reason in at least 10 characters: what makes a session safe today?")
	case n > maxRuleText:
		f.Add("reason", "Use at most 1000 characters.")
	}
	return f.Err()
}

// Clearance records a physician's clearance of a "needs physician
// clearance" finding. It stays valid until a newer intake is signed.
type Clearance struct {
	ID            int64
	OrgID         int64
	ClientID      int64
	RuleKey       string
	Physician     string // name, or an identifier such as an NPI
	Date          string // the date of the clearance, YYYY-MM-DD
	Note          string
	DocumentID    int64 // the attached document (0 when none)
	IntakeVersion int   // the intake version current when it was recorded
	ByUserID      int64
	ByName        string
	At            time.Time
}

// Validate checks a clearance; today is the clinic's date (a clearance is not dated in the future).
func (c *Clearance) Validate(today time.Time) error {
	f := errs.FieldErrors{}
	if c.RuleKey == "" {
		f.Add("rule", "Choose the finding the clearance is for.")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(c.Physician)); {
	case n == 0:
		f.Add("physician", "Name the physician who gave the clearance.")
	case n > maxRuleShort:
		f.Add("physician", "Use at most 200 characters.")
	}
	d, ok := parseDay(c.Date)
	switch {
	case !ok || len(strings.TrimSpace(c.Date)) != 10:
		f.Add("date", "Enter the date of the clearance as YYYY-MM-DD.")
	case d > dayNumber(today):
		f.Add("date", "The clearance cannot be dated in the future.")
	case d < dayNumber(today)-3650:
		f.Add("date", "This date is more than 10 years ago.")
	}
	if utf8.RuneCountInString(c.Note) > maxRuleText {
		f.Add("note", "Use at most 1000 characters.")
	}
	return f.Err()
}

// ClientFinding is a finding with what has been done about it.
type ClientFinding struct {
	Finding
	// Override is today's override of a blocking finding, if any.
	Override *Override
	// Clearance is the clearance that closes a clearance finding, if any.
	Clearance *Clearance
}

// Open reports whether the finding still asks for something: a blocking
// finding without today's override, a clearance finding without a clearance.
func (f ClientFinding) Open() bool {
	switch {
	case f.Level.Blocks():
		return f.Override == nil
	case f.Level == LevelClearance:
		return f.Clearance == nil
	}
	return false
}

// Screening is a client's current screening: the findings and when they were worked out.
type Screening struct {
	ClientID int64
	// HasIntake is false when the client has no signed intake yet (only
	// prescription precautions can then be found).
	HasIntake     bool
	IntakeVersion int
	IntakeSigned  time.Time
	ComputedAt    time.Time
	Today         string // the clinic's date the findings are for
	Findings      []ClientFinding
	// Overrides and Clearances are the client's history, newest first.
	Overrides  []Override
	Clearances []Clearance
}

// Blocking lists the findings that stop a session today.
func (s *Screening) Blocking() []Finding {
	var out []Finding
	for _, f := range s.Findings {
		if f.Level.Blocks() && f.Override == nil {
			out = append(out, f.Finding)
		}
	}
	return out
}

// CanStartSession reports whether nothing blocks a session today.
func (s *Screening) CanStartSession() bool { return len(s.Blocking()) == 0 }
