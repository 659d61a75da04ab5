package assess

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func TestSpecialTests(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range SpecialTests {
		if seen[st.Key] || !keyRE.MatchString(st.Key) {
			t.Errorf("test key %q repeated or malformed", st.Key)
		}
		seen[st.Key] = true
		if st.Name == "" || st.ScreensFor == "" || st.Procedure == "" || st.Positive == "" {
			t.Errorf("%s: every test says what it screens for, how it is done and what is positive", st.Key)
		}
		if !slices.Contains(TestRegions, st.Region) {
			t.Errorf("%s: region %q is not in TestRegions", st.Key, st.Region)
		}
		if got, ok := TestByKey(st.Key); !ok || got.Key != st.Key {
			t.Errorf("TestByKey(%s)", st.Key)
		}
	}
	// The tests the issue names, and those a massage therapist is taught.
	for _, k := range []string{"phalen", "tinel_wrist", "reverse_phalen", "spurling", "cervical_distraction",
		"straight_leg_raise", "slump", "faber", "piriformis", "thomas", "ober", "hawkins_kennedy", "neer",
		"empty_can", "drop_arm", "finkelstein", "adson", "roos", "upper_limb_tension", "apley_scratch", "speed",
		"yergason", "cozen", "golfers_elbow", "kemp", "trendelenburg", "windlass", "thompson", "anterior_drawer_ankle"} {
		if !seen[k] {
			t.Errorf("the catalogue lacks %s", k)
		}
	}
	if p, _ := TestByKey("phalen"); !strings.Contains(strings.ToLower(p.ScreensFor), "carpal tunnel") || !p.Sided {
		t.Errorf("phalen: %+v", p)
	}
	if _, ok := TestByKey("Phalen"); ok {
		t.Errorf("keys are case-sensitive")
	}
}

func TestTechniques(t *testing.T) {
	seen := map[string]bool{}
	for _, tq := range Techniques {
		if seen[tq.Key] || !keyRE.MatchString(tq.Key) || tq.Name == "" || len(tq.Description) < 40 {
			t.Errorf("technique %+v", tq)
		}
		seen[tq.Key] = true
		if got, ok := TechniqueByKey(tq.Key); !ok || got != tq {
			t.Errorf("TechniqueByKey(%s)", tq.Key)
		}
	}
	for _, k := range []string{"swedish", "deep_tissue", "trigger_point", "myofascial_release", "neuromuscular",
		"lymphatic_drainage", "positional_release", "muscle_energy", "pnf_stretching", "cross_fibre_friction",
		"cupping", "hydrotherapy_hot", "hydrotherapy_cold", "home_care_exercise"} {
		if !seen[k] {
			t.Errorf("the catalogue lacks %s", k)
		}
	}
	if _, ok := TechniqueByKey("reiki"); ok {
		t.Errorf("found a technique that is not listed")
	}
}

func TestPostureAndGait(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range PostureFindings {
		if seen[p.Key] || !keyRE.MatchString(p.Key) || p.Label == "" {
			t.Errorf("posture %+v", p)
		}
		seen[p.Key] = true
		if !slices.Contains([]string{"anterior", "posterior", "lateral"}, p.View) {
			t.Errorf("%s: view %q", p.Key, p.View)
		}
		if got, ok := PostureByKey(p.Key); !ok || got != p {
			t.Errorf("PostureByKey(%s)", p.Key)
		}
	}
	for _, k := range []string{"forward_head", "rounded_shoulders", "elevated_shoulder", "anterior_pelvic_tilt",
		"posterior_pelvic_tilt", "lateral_pelvic_tilt", "lateral_curve", "thoracic_kyphosis", "lumbar_hyperlordosis",
		"flat_back", "knee_valgus", "knee_varus", "knee_hyperextension", "foot_pronation", "foot_supination",
		"head_tilt", "winged_scapula"} {
		if !seen[k] {
			t.Errorf("posture catalogue lacks %s", k)
		}
	}
	if p, _ := PostureByKey("elevated_shoulder"); !p.Sided {
		t.Errorf("an elevated shoulder has a side")
	}
	if p, _ := PostureByKey("forward_head"); p.Sided || p.View != "lateral" {
		t.Errorf("forward head: %+v", p)
	}

	gseen := map[string]bool{}
	for _, g := range GaitFindings {
		if gseen[g.Key] || !keyRE.MatchString(g.Key) || g.Label == "" {
			t.Errorf("gait %+v", g)
		}
		gseen[g.Key] = true
		if got, ok := GaitByKey(g.Key); !ok || got != g {
			t.Errorf("GaitByKey(%s)", g.Key)
		}
	}
	for _, k := range []string{"antalgic", "trendelenburg", "reduced_arm_swing", "shortened_stride", "steppage",
		"circumduction", "wide_base", "toe_out", "uses_aid"} {
		if !gseen[k] {
			t.Errorf("gait catalogue lacks %s", k)
		}
	}
	if _, ok := GaitByKey("moonwalk"); ok {
		t.Errorf("found a gait finding that is not listed")
	}
	if _, ok := PostureByKey(""); ok {
		t.Errorf("found an empty posture key")
	}
}
