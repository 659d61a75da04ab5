package assess

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/icd10"
)

// The 28 conditions issue #4 names, by the key each has in the library.
var issueConditions = map[string]string{
	"chronic_neck_pain": "neck pain", "low_back_pain": "low back pain", "tension_headache": "tension",
	"migraine": "migraine", "fibromyalgia": "fibromyalgia", "sciatica": "sciatica",
	"piriformis_syndrome": "piriformis", "carpal_tunnel": "carpal tunnel", "thoracic_outlet": "thoracic outlet",
	"whiplash": "whiplash", "muscle_strain": "strain", "osteoarthritis": "osteoarthritis",
	"tmj_disorder": "tmj", "frozen_shoulder": "frozen shoulder", "rotator_cuff": "rotator cuff",
	"tendinitis": "tendinitis", "bursitis": "bursitis", "plantar_fasciitis": "plantar fasciitis",
	"shin_splints": "shin splints", "myofascial_pain": "myofascial pain", "scoliosis_posture": "scoliosis",
	"lymphedema_edema": "lymphedema", "multiple_sclerosis": "multiple sclerosis", "stroke_recovery": "stroke",
	"post_surgical": "surgical", "repetitive_strain": "repetitive strain", "pregnancy": "pregnancy",
	"anxiety_stress": "anxiety",
}

func TestLibraryHasEveryCondition(t *testing.T) {
	if len(issueConditions) != 28 {
		t.Fatalf("the issue names 28 conditions; the test lists %d", len(issueConditions))
	}
	if len(Library) != len(issueConditions) {
		t.Errorf("the library has %d conditions, want %d", len(Library), len(issueConditions))
	}
	for key, word := range issueConditions {
		c, ok := ConditionByKey(key)
		if !ok {
			t.Errorf("no condition %q", key)
			continue
		}
		if !strings.Contains(strings.ToLower(c.Name), word) {
			t.Errorf("%s is named %q, which does not say %q", key, c.Name, word)
		}
	}
	if _, ok := ConditionByKey("no_such"); ok {
		t.Errorf("an unknown key was found")
	}
}

var citationRE = regexp.MustCompile(`^[^()]+ \((19|20)\d\d\)\. .+\.`)

func TestLibraryEntries(t *testing.T) {
	codes := icd10.Builtin()
	keys := map[string]bool{}
	names := map[string]bool{}
	for _, c := range Library {
		if keys[c.Key] || names[c.Name] {
			t.Errorf("%s: key or name used twice", c.Key)
		}
		keys[c.Key], names[c.Name] = true, true
		if got, ok := ConditionByKey(c.Key); !ok || got.Name != c.Name {
			t.Errorf("ConditionByKey(%s) = %v, %v", c.Key, got.Name, ok)
		}
		if !regexp.MustCompile(`^[a-z][a-z0-9_]*$`).MatchString(c.Key) {
			t.Errorf("%s: keys are lower_snake_case", c.Key)
		}
		if n := strings.Count(c.Summary, ". "); n < 2 || n > 5 || len(c.Summary) < 200 {
			t.Errorf("%s: the summary should be 3 to 5 sentences, got %d sentence breaks, %d characters", c.Key, n, len(c.Summary))
		}
		if len(c.RedFlags) == 0 {
			t.Errorf("%s: no red flags", c.Key)
		}
		if len(c.References) == 0 {
			t.Errorf("%s: no references", c.Key)
		}
		for _, r := range c.References {
			if !citationRE.MatchString(r) {
				t.Errorf("%s: reference not in 'Authors (year). Title. Source.' form: %q", c.Key, r)
			}
		}
		if len(c.Goals) == 0 {
			t.Errorf("%s: no goals", c.Key)
		}
		if len(c.Techniques) == 0 || len(c.Regions) == 0 || len(c.OutcomeMeasures) == 0 || len(c.ICD10) == 0 || len(c.Avoid) == 0 {
			t.Errorf("%s: techniques, regions, outcome measures, codes and what to avoid are all needed", c.Key)
		}
		if len(c.Tests) == 0 && len(c.Motions) == 0 {
			t.Errorf("%s: nothing to assess", c.Key)
		}

		for _, k := range c.Tests {
			if _, ok := TestByKey(k); !ok {
				t.Errorf("%s: no special test %q", c.Key, k)
			}
		}
		for _, k := range c.Motions {
			if _, ok := MotionByKey(k); !ok {
				t.Errorf("%s: no motion %q", c.Key, k)
			}
		}
		for _, k := range c.Regions {
			if _, ok := RegionByKey(k); !ok {
				t.Errorf("%s: no region %q", c.Key, k)
			}
		}
		for _, k := range c.Techniques {
			if _, ok := TechniqueByKey(k); !ok {
				t.Errorf("%s: no technique %q", c.Key, k)
			}
		}
		for _, m := range c.OutcomeMeasures {
			if !slices.Contains(OutcomeMeasureNames, m) {
				t.Errorf("%s: %q is not a known outcome measure", c.Key, m)
			}
		}
		for _, list := range [][]string{c.Tests, c.Motions, c.Regions, c.Techniques, c.OutcomeMeasures, c.ICD10, c.RedFlags, c.References} {
			seen := map[string]bool{}
			for _, v := range list {
				if seen[v] {
					t.Errorf("%s: %q listed twice", c.Key, v)
				}
				seen[v] = true
			}
		}

		for _, code := range c.ICD10 {
			got, ok := codes.Lookup(code)
			if !ok {
				t.Errorf("%s: %s is not in the built-in code set", c.Key, code)
				continue
			}
			if !got.Billable {
				t.Errorf("%s: %s (%s) is not billable", c.Key, code, got.Title)
			}
			if got.Code != code {
				t.Errorf("%s: write %s as %s", c.Key, code, got.Code)
			}
		}

		for _, g := range c.Goals {
			if g.Term != GoalShort && g.Term != GoalLong {
				t.Errorf("%s: goal %q has term %q", c.Key, g.What, g.Term)
			}
			if g.Better != BetterLower && g.Better != BetterHigher {
				t.Errorf("%s: goal %q improves %q", c.Key, g.What, g.Better)
			}
			if g.Weeks < 1 || g.Weeks > 52 || g.Unit == "" || g.What == "" {
				t.Errorf("%s: goal %+v", c.Key, g)
			}
			switch g.Measure {
			case MeasureROM:
				if _, ok := MotionByKey(g.What); !ok {
					t.Errorf("%s: ROM goal of unknown motion %q", c.Key, g.What)
				} else if !slices.Contains(c.Motions, g.What) {
					t.Errorf("%s: ROM goal of %s, which the condition does not measure", c.Key, g.What)
				}
				if g.Better != BetterHigher {
					t.Errorf("%s: more range is better", c.Key)
				}
			case MeasureOutcome:
				if !slices.Contains(c.OutcomeMeasures, g.What) {
					t.Errorf("%s: outcome goal %q is not among its measures %v", c.Key, g.What, c.OutcomeMeasures)
				}
				// PSFS, LEFS: higher is better; the others here score disability.
				want := BetterLower
				if g.What == "PSFS" || g.What == "LEFS" {
					want = BetterHigher
				}
				if g.Better != want {
					t.Errorf("%s: %s improves %s, not %s", c.Key, g.What, want, g.Better)
				}
			case MeasurePain:
				if g.Better != BetterLower || g.Unit != "/10" {
					t.Errorf("%s: pain goal %+v", c.Key, g)
				}
			case MeasureFunction:
			default:
				t.Errorf("%s: goal %q has measure %q", c.Key, g.What, g.Measure)
			}
		}
	}
}

// The carpal tunnel entry prefills the browser test's evaluation and plan.
func TestCarpalTunnelEntry(t *testing.T) {
	c, ok := ConditionByKey("carpal_tunnel")
	if !ok {
		t.Fatal("no carpal_tunnel")
	}
	for _, k := range []string{"phalen", "tinel_wrist"} {
		if !slices.Contains(c.Tests, k) {
			t.Errorf("tests %v lack %s", c.Tests, k)
		}
	}
	for _, k := range []string{"wrist.flexion", "wrist.extension"} {
		if !slices.Contains(c.Motions, k) {
			t.Errorf("motions %v lack %s", c.Motions, k)
		}
	}
	for _, k := range []string{"myofascial_release", "trigger_point"} {
		if !slices.Contains(c.Techniques, k) {
			t.Errorf("techniques %v lack %s", c.Techniques, k)
		}
	}
	if !slices.Contains(c.ICD10, "G56.01") || !slices.Contains(c.ICD10, "G56.02") {
		t.Errorf("codes %v", c.ICD10)
	}
	var outcome, pain, rom bool
	for _, g := range c.Goals {
		switch {
		case g.Measure == MeasureOutcome && (g.What == "Boston CTQ" || g.What == "QuickDASH"):
			outcome = true
		case g.Measure == MeasurePain:
			pain = true
		case g.Measure == MeasureROM && strings.HasPrefix(g.What, "wrist."):
			rom = true
		}
	}
	if !outcome || !pain || !rom {
		t.Errorf("goals %+v: want a Boston CTQ or QuickDASH goal, a pain goal and a wrist ROM goal", c.Goals)
	}
}
