package assess

import (
	"math"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
)

func TestMotionsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Motions {
		if seen[m.Key] {
			t.Errorf("motion %s listed twice", m.Key)
		}
		seen[m.Key] = true
		if m.Joint == "" || m.Name == "" || m.Source == "" {
			t.Errorf("motion %s lacks a joint, name or source: %+v", m.Key, m)
		}
		if m.Normal < 0 || m.Normal > 180 {
			t.Errorf("motion %s: normal %d°", m.Key, m.Normal)
		}
		if m.Normal == 0 {
			flex, ok := lagArc[m.Key]
			if _, arc := MotionByKey(flex); !ok || !arc {
				t.Errorf("motion %s has a normal of 0 but no arc to measure a lag against", m.Key)
			}
		}
		if got, ok := MotionByKey(m.Key); !ok || got != m {
			t.Errorf("MotionByKey(%s) = %+v, %v", m.Key, got, ok)
		}
	}
	// The values the reference sources give (see rom.go), spot-checked so a
	// slip in the table shows.
	for key, want := range map[string]int{
		"cervical.flexion": 45, "cervical.rotation": 80, "thoracolumbar.flexion": 90, "thoracolumbar.extension": 30,
		"shoulder.flexion": 180, "shoulder.abduction": 180, "elbow.flexion": 145, "wrist.flexion": 80, "wrist.extension": 70,
		"hip.flexion": 125, "hip.internal_rotation": 45, "knee.flexion": 140, "knee.extension": 0, "ankle.dorsiflexion": 20,
	} {
		if m, ok := MotionByKey(key); !ok || m.Normal != want {
			t.Errorf("%s: normal %d, want %d", key, m.Normal, want)
		}
	}
	if m, _ := MotionByKey("hip.internal_rotation"); !strings.Contains(m.Source, "AAOS") {
		t.Errorf("hip rotation has no VA value, so its source should say AAOS: %q", m.Source)
	}
	if m, _ := MotionByKey("cervical.flexion"); m.Sided {
		t.Errorf("cervical flexion is not sided")
	}
	if _, ok := MotionByKey("cervical.twist"); ok {
		t.Errorf("an unknown key was found")
	}
}

func TestMotionLabel(t *testing.T) {
	for _, tc := range []struct{ key, side, want string }{
		{"cervical.rotation", "left", "Cervical rotation, left"},
		{"cervical.flexion", "", "Cervical flexion"},
		{"thoracolumbar.lateral_flexion", "right", "Thoracolumbar lateral flexion, right"},
		{"wrist.flexion", "right", "Wrist flexion, right"},
		{"hip.internal_rotation", "bilateral", "Hip internal rotation, bilateral"},
		{"knee.extension", "midline", "Knee extension"},
		{"no.such", "left", "no.such, left"},
	} {
		if got := MotionLabel(tc.key, tc.side); got != tc.want {
			t.Errorf("MotionLabel(%q, %q) = %q, want %q", tc.key, tc.side, got, tc.want)
		}
	}
}

func TestThresholdsValidate(t *testing.T) {
	for _, tc := range []struct {
		th     Thresholds
		fields []string
	}{
		{DefaultThresholds, nil},
		{Thresholds{100, 1}, nil},
		{Thresholds{0.5, 99.5}, nil},
		{Thresholds{0, 15}, []string{"min_percent"}},
		{Thresholds{-5, 15}, []string{"min_percent"}},
		{Thresholds{101, 15}, []string{"min_percent"}},
		{Thresholds{75, 0}, []string{"max_side_diff"}},
		{Thresholds{75, 100}, []string{"max_side_diff"}},
		{Thresholds{math.NaN(), math.NaN()}, []string{"min_percent", "max_side_diff"}},
	} {
		err := tc.th.Validate()
		if len(tc.fields) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", tc.th, err)
			}
			continue
		}
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v: %v, want invalid", tc.th, err)
			continue
		}
		got := errs.FieldsOf(err)
		if len(got) != len(tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.th, got, tc.fields)
		}
		for _, f := range tc.fields {
			if got[f] == "" {
				t.Errorf("%+v: no message for %s (%v)", tc.th, f, got)
			}
		}
	}
}

// want is what one ROMResult should say.
type want struct {
	percent, sideDiff float64
	hasOther          bool
	restricted        bool
	why               string
}

func TestEvaluateROM(t *testing.T) {
	custom := Thresholds{MinPercent: 50, MaxSideDiff: 30}
	for _, tc := range []struct {
		name string
		rs   []ROM
		th   Thresholds
		want []want
	}{
		{"full range both sides", []ROM{
			{Motion: "cervical.rotation", Side: "left", Degrees: 80},
			{Motion: "cervical.rotation", Side: "right", Degrees: 80},
		}, DefaultThresholds, []want{{100, 0, true, false, ""}, {100, 0, true, false, ""}}},

		{"restricted side, and only that side flagged for the difference", []ROM{
			{Motion: "cervical.rotation", Side: "left", Degrees: 45},
			{Motion: "cervical.rotation", Side: "right", Degrees: 80},
		}, DefaultThresholds, []want{
			{56.3, 43.8, true, true, "56.3% of normal (45° of 80°); 43.8% less than the right"},
			{100, 43.8, true, false, ""},
		}},

		{"percent of normal: exactly 75% is not restricted", []ROM{{Motion: "wrist.flexion", Side: "right", Degrees: 60}},
			DefaultThresholds, []want{{75, 0, false, false, ""}}},
		{"percent of normal: just under 75% is", []ROM{{Motion: "wrist.flexion", Side: "right", Degrees: 59}},
			DefaultThresholds, []want{{73.8, 0, false, true, "73.8% of normal (59° of 80°)"}}},
		{"percent is rounded to one decimal", []ROM{{Motion: "ankle.inversion", Side: "left", Degrees: 26}},
			DefaultThresholds, []want{{74.3, 0, false, true, "74.3% of normal (26° of 35°)"}}},

		{"side difference: exactly 15% is not flagged", []ROM{
			{Motion: "shoulder.abduction", Side: "left", Degrees: 153},
			{Motion: "shoulder.abduction", Side: "right", Degrees: 180},
		}, DefaultThresholds, []want{{85, 15, true, false, ""}, {100, 15, true, false, ""}}},
		{"side difference: just over 15% is", []ROM{
			{Motion: "shoulder.abduction", Side: "right", Degrees: 180},
			{Motion: "shoulder.abduction", Side: "left", Degrees: 152},
		}, DefaultThresholds, []want{{100, 15.6, true, false, ""}, {84.4, 15.6, true, true, "15.6% less than the right"}}},
		{"side difference of the larger side, both within normal", []ROM{
			{Motion: "hip.external_rotation", Side: "left", Degrees: 60},
			{Motion: "hip.external_rotation", Side: "right", Degrees: 45},
		}, DefaultThresholds, []want{{133.3, 25, true, false, ""}, {100, 25, true, true, "25% less than the left"}}},

		{"active and passive are not compared with each other", []ROM{
			{Motion: "cervical.rotation", Side: "left", Degrees: 40},
			{Motion: "cervical.rotation", Side: "right", Passive: true, Degrees: 80},
			{Motion: "cervical.rotation", Side: "left", Passive: true, Degrees: 70},
		}, DefaultThresholds, []want{
			{50, 0, false, true, "50% of normal (40° of 80°)"},
			{100, 12.5, true, false, ""},
			{87.5, 12.5, true, false, ""},
		}},

		{"unknown motions are skipped", []ROM{
			{Motion: "cervical.twist", Side: "left", Degrees: 10},
			{Motion: "thoracolumbar.flexion", Degrees: 45},
			{Motion: "", Degrees: 45},
		}, DefaultThresholds, []want{{50, 0, false, true, "50% of normal (45° of 90°)"}}},

		{"an unsided motion has no other side", []ROM{
			{Motion: "cervical.flexion", Side: "left", Degrees: 45},
			{Motion: "cervical.flexion", Side: "right", Degrees: 20},
		}, DefaultThresholds, []want{{100, 0, false, false, ""}, {44.4, 0, false, true, "44.4% of normal (20° of 45°)"}}},
		{"bilateral is compared with nothing", []ROM{
			{Motion: "ankle.dorsiflexion", Side: "bilateral", Degrees: 10},
			{Motion: "ankle.dorsiflexion", Side: "left", Degrees: 20},
		}, DefaultThresholds, []want{{50, 0, false, true, "50% of normal (10° of 20°)"}, {100, 0, false, false, ""}}},

		{"custom thresholds", []ROM{
			{Motion: "knee.flexion", Side: "left", Degrees: 84},
			{Motion: "knee.flexion", Side: "right", Degrees: 112},
		}, custom, []want{{60, 25, true, false, ""}, {80, 25, true, false, ""}}},
		{"custom thresholds flag past them", []ROM{
			{Motion: "knee.flexion", Side: "left", Degrees: 56},
			{Motion: "knee.flexion", Side: "right", Degrees: 112},
		}, custom, []want{{40, 50, true, true, "40% of normal (56° of 140°); 50% less than the right"}, {80, 50, true, false, ""}}},

		{"extension lag: full, a 5° lag, a 10° lag, hyperextension", []ROM{
			{Motion: "knee.extension", Side: "left", Degrees: 0},
			{Motion: "knee.extension", Side: "right", Degrees: 5},
			{Motion: "elbow.extension", Side: "left", Degrees: 10},
			{Motion: "elbow.extension", Side: "right", Degrees: -5},
		}, DefaultThresholds, []want{
			{100, 3.6, true, false, ""},
			{96.4, 3.6, true, false, ""},
			{93.1, 6.9, true, true, "lacks 10° of full extension"},
			{100, 6.9, true, false, ""},
		}},
		{"a large lag differs from the other side too", []ROM{
			{Motion: "knee.extension", Side: "left", Degrees: 30},
			{Motion: "knee.extension", Side: "right", Degrees: 0},
		}, DefaultThresholds, []want{{78.6, 21.4, true, true, "lacks 30° of full extension; 21.4% less than the right"}, {100, 21.4, true, false, ""}}},

		{"no movement on either side", []ROM{
			{Motion: "wrist.radial_deviation", Side: "left", Degrees: 0},
			{Motion: "wrist.radial_deviation", Side: "right", Degrees: 0},
		}, DefaultThresholds, []want{{0, 0, true, true, "0% of normal (0° of 20°)"}, {0, 0, true, true, "0% of normal (0° of 20°)"}}},
		{"a negative reading counts as no movement", []ROM{{Motion: "wrist.extension", Side: "left", Degrees: -10}},
			DefaultThresholds, []want{{0, 0, false, true, "0% of normal (-10° of 70°)"}}},
		{"a repeated measurement compares with the first of the other side", []ROM{
			{Motion: "cervical.lateral_flexion", Side: "left", Degrees: 45},
			{Motion: "cervical.lateral_flexion", Side: "right", Degrees: 30},
			{Motion: "cervical.lateral_flexion", Side: "right", Degrees: 45},
		}, DefaultThresholds, []want{
			{100, 33.3, true, false, ""},
			{66.7, 33.3, true, true, "66.7% of normal (30° of 45°); 33.3% less than the left"},
			{100, 0, true, false, ""},
		}},
		{"nothing measured", nil, DefaultThresholds, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := EvaluateROM(tc.rs, tc.th)
			if len(got) != len(tc.want) {
				t.Fatalf("%d results, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Percent != w.percent || g.SideDiff != w.sideDiff || g.HasOther != w.hasOther || g.Restricted != w.restricted || g.Why != w.why {
					t.Errorf("%d (%s %s): got percent %v diff %v other %v restricted %v why %q\nwant percent %v diff %v other %v restricted %v why %q",
						i, g.Motion.Key, g.Side, g.Percent, g.SideDiff, g.HasOther, g.Restricted, g.Why,
						w.percent, w.sideDiff, w.hasOther, w.restricted, w.why)
				}
				if g.Motion.Key != g.ROM.Motion {
					t.Errorf("%d: result for %s carries motion %s", i, g.ROM.Motion, g.Motion.Key)
				}
			}
		})
	}
}

// The results keep the order and the measurements they were given.
func TestEvaluateROMKeepsOrder(t *testing.T) {
	rs := []ROM{
		{Motion: "knee.flexion", Side: "right", Degrees: 120, Pain: true},
		{Motion: "no.such", Side: "left", Degrees: 1},
		{Motion: "cervical.extension", Degrees: 30, Passive: true},
	}
	got := EvaluateROM(rs, DefaultThresholds)
	if len(got) != 2 || got[0].ROM != rs[0] || got[1].ROM != rs[2] {
		t.Fatalf("got %+v", got)
	}
}
