package care

import (
	"reflect"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/errs"
)

func TestDefaultCodeMapCoversEveryTechniqueAndModality(t *testing.T) {
	m := DefaultCodeMap()
	if err := m.Validate(); err != nil {
		t.Fatalf("default map invalid: %v", err)
	}
	for _, tech := range assess.Techniques {
		if _, ok := m[tech.Key]; !ok {
			t.Errorf("technique %s has no decision in the default map", tech.Key)
		}
	}
	for _, k := range ModalityKinds {
		if _, ok := m[k]; !ok {
			t.Errorf("modality %s has no decision in the default map", k)
		}
		if _, ok := modalityNames[k]; !ok {
			t.Errorf("modality %s has no name for the note", k)
		}
		// A modality key that is also a technique key would make the map ambiguous.
		if _, ok := assess.TechniqueByKey(k); ok {
			t.Errorf("modality %s is also a technique key", k)
		}
	}
	// The mappings the issue names.
	for key, want := range map[string]string{
		"swedish": "97124", "myofascial_release": "97140", "trigger_point": "97140", "lymphatic_drainage": "97140",
		"hot_pack": "97010", "cold_pack": "97010", "paraffin": "97018", "whirlpool": "97022", "infrared": "97026",
		"breathing_relaxation": "",
	} {
		if m[key] != want {
			t.Errorf("%s → %q, want %q", key, m[key], want)
		}
	}
}

func TestCodeMapValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		m     CodeMap
		field string // "" when valid
	}{
		{"empty code means not billed", CodeMap{"swedish": ""}, ""},
		{"clinic remaps neuromuscular", CodeMap{"neuromuscular": "97112"}, ""},
		{"unknown code", CodeMap{"swedish": "99999"}, "code.swedish"},
		{"evaluation code not billable by the calculator", CodeMap{"swedish": "97161"}, "code.swedish"},
		{"unknown technique", CodeMap{"reiki": "97124"}, "code.reiki"},
		{"unknown modality", CodeMap{"ultrasound_gel": "97035"}, "code.ultrasound_gel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[tc.field] == "" {
				t.Fatalf("want an invalid %s, got %v", tc.field, err)
			}
		})
	}
}

func TestNoteUnits(t *testing.T) {
	tech := func(k string, min int) PerformedTechnique {
		return PerformedTechnique{Technique: k, Regions: []string{"upper_trapezius"}, Minutes: min}
	}
	mod := func(k string, min int) Modality { return Modality{Kind: k, Minutes: min} }
	issueExample := []PerformedTechnique{tech("myofascial_release", 20), tech("trigger_point", 13), tech("swedish", 7)}

	for _, tc := range []struct {
		name        string
		techs       []PerformedTechnique
		mods        []Modality
		m           CodeMap
		rule        units.Rule
		lines       []units.Line // Code, Minutes, Units
		total       int
		timed       int
		explanation string
		unbilled    []Unbilled
	}{
		{name: "issue example under CMS", techs: issueExample, rule: units.CMS,
			lines: []units.Line{{Code: "97140", Minutes: 33, Units: 2}, {Code: "97124", Minutes: 7, Units: 1}},
			total: 3, timed: 40, explanation: "40 timed minutes → 3 units: 2 × 97140, 1 × 97124"},
		{name: "issue example under AMA: 7 minutes of 97124 earn nothing on their own", techs: issueExample, rule: units.AMA,
			lines: []units.Line{{Code: "97140", Minutes: 33, Units: 2}, {Code: "97124", Minutes: 7, Units: 0}},
			total: 2, timed: 40},
		{name: "hot pack adds one untimed unit, timed minutes unchanged", techs: issueExample, mods: []Modality{mod("hot_pack", 15)}, rule: units.CMS,
			lines: []units.Line{{Code: "97140", Minutes: 33, Units: 2}, {Code: "97124", Minutes: 7, Units: 1}, {Code: "97010", Minutes: 15, Units: 1}},
			total: 4, timed: 40, explanation: "40 timed minutes → 3 units: 2 × 97140, 1 × 97124; untimed: 1 × 97010; 4 units in all"},
		{name: "hot and cold pack and heat hydrotherapy share one 97010 unit",
			techs: []PerformedTechnique{tech("swedish", 30), tech("hydrotherapy_hot", 10)}, mods: []Modality{mod("hot_pack", 10), mod("cold_pack", 10)}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 30, Units: 2}, {Code: "97010", Minutes: 30, Units: 1}},
			total: 3, timed: 30},
		{name: "unmapped technique reported apart and adds no timed minutes",
			techs: []PerformedTechnique{tech("breathing_relaxation", 5), tech("swedish", 30), tech("breathing_relaxation", 7)}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 30, Units: 2}},
			total: 2, timed: 30, explanation: "30 timed minutes → 2 units: 2 × 97124",
			unbilled: []Unbilled{{What: "Breathing and relaxation", Minutes: 12}}},
		{name: "technique missing from a clinic's map is not billed",
			techs: []PerformedTechnique{tech("cupping", 10), tech("swedish", 25)}, m: CodeMap{"swedish": "97124"}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 25, Units: 2}}, total: 2, timed: 25,
			unbilled: []Unbilled{{What: "Cupping", Minutes: 10}}},
		{name: "remapped code is used", techs: []PerformedTechnique{tech("neuromuscular", 23)}, m: CodeMap{"neuromuscular": "97112"}, rule: units.AMA,
			lines: []units.Line{{Code: "97112", Minutes: 23, Units: 2}}, total: 2, timed: 23},
		{name: "CMS pools small amounts that AMA does not bill",
			techs: []PerformedTechnique{tech("swedish", 7), tech("passive_rom", 7), tech("neuromuscular", 9)}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 7, Units: 1}, {Code: "97110", Minutes: 7, Units: 0}, {Code: "97140", Minutes: 9, Units: 1}},
			total: 2, timed: 23},
		{name: "same session, AMA: only the code past its midpoint earns a unit",
			techs: []PerformedTechnique{tech("swedish", 7), tech("passive_rom", 7), tech("neuromuscular", 9)}, rule: units.AMA,
			lines: []units.Line{{Code: "97124", Minutes: 7, Units: 0}, {Code: "97110", Minutes: 7, Units: 0}, {Code: "97140", Minutes: 9, Units: 1}},
			total: 1, timed: 23},
		{name: "AMA bills three codes of 8 minutes each where CMS bills 24 minutes as 2",
			techs: []PerformedTechnique{tech("swedish", 8), tech("passive_rom", 8), tech("neuromuscular", 8)}, rule: units.AMA,
			lines: []units.Line{{Code: "97124", Minutes: 8, Units: 1}, {Code: "97110", Minutes: 8, Units: 1}, {Code: "97140", Minutes: 8, Units: 1}},
			total: 3, timed: 24},
		{name: "CMS: 24 minutes over three codes are 2 units",
			techs: []PerformedTechnique{tech("swedish", 8), tech("passive_rom", 8), tech("neuromuscular", 8)}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 8, Units: 1}, {Code: "97110", Minutes: 8, Units: 1}, {Code: "97140", Minutes: 8, Units: 0}},
			total: 2, timed: 24},
		{name: "a zero-minute timed technique makes no line", techs: []PerformedTechnique{tech("trigger_point", 0), tech("swedish", 15)}, rule: units.CMS,
			lines: []units.Line{{Code: "97124", Minutes: 15, Units: 1}}, total: 1, timed: 15},
		{name: "nothing billed: empty result, unbilled listed", techs: []PerformedTechnique{tech("home_care_exercise", 5)}, rule: units.CMS,
			lines: []units.Line{}, total: 0, timed: 0, explanation: "No billed procedures.",
			unbilled: []Unbilled{{What: "Home care and exercise", Minutes: 5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m
			if m == nil {
				m = DefaultCodeMap()
			}
			res, un, err := NoteUnits(tc.techs, tc.mods, m, tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			var got []units.Line
			for _, l := range res.Lines {
				got = append(got, units.Line{Code: l.Code, Minutes: l.Minutes, Units: l.Units})
			}
			if len(got) != 0 || len(tc.lines) != 0 {
				if !reflect.DeepEqual(got, tc.lines) {
					t.Errorf("lines = %+v, want %+v", got, tc.lines)
				}
			}
			if res.TotalUnits != tc.total || res.TimedMinutes != tc.timed || res.Rule != tc.rule {
				t.Errorf("total %d timed %d rule %s, want %d, %d, %s", res.TotalUnits, res.TimedMinutes, res.Rule, tc.total, tc.timed, tc.rule)
			}
			if tc.explanation != "" && res.Explanation != tc.explanation {
				t.Errorf("explanation %q, want %q", res.Explanation, tc.explanation)
			}
			if !reflect.DeepEqual(un, tc.unbilled) {
				t.Errorf("unbilled = %+v, want %+v", un, tc.unbilled)
			}
		})
	}
}

func TestNoteUnitsRefusesBadInput(t *testing.T) {
	ok := []PerformedTechnique{{Technique: "swedish", Minutes: 30}}
	for _, tc := range []struct {
		name  string
		techs []PerformedTechnique
		mods  []Modality
		m     CodeMap
		rule  units.Rule
		field string
	}{
		{"unknown rule", ok, nil, DefaultCodeMap(), "medicaid", "rule"},
		{"unknown technique", []PerformedTechnique{{Technique: "reiki", Minutes: 10}}, nil, DefaultCodeMap(), units.CMS, "technique.0"},
		{"unknown modality", ok, []Modality{{Kind: "sauna", Minutes: 10}}, DefaultCodeMap(), units.CMS, "modality.0"},
		{"negative minutes", []PerformedTechnique{{Technique: "swedish", Minutes: 30}, {Technique: "cupping", Minutes: -5}}, nil, DefaultCodeMap(), units.CMS, "technique.1"},
		{"map with a code the calculator does not know", ok, nil, CodeMap{"swedish": "12345"}, units.CMS, "technique.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _, err := NoteUnits(tc.techs, tc.mods, tc.m, tc.rule)
			if !errs.Is(err, errs.Invalid) || res != nil {
				t.Fatalf("want invalid, got %v, %v", res, err)
			}
			if errs.FieldsOf(err)[tc.field] == "" {
				t.Errorf("no message for %s: %v", tc.field, errs.FieldsOf(err))
			}
		})
	}
}

func TestUnbilledString(t *testing.T) {
	for _, tc := range []struct {
		u    Unbilled
		want string
	}{
		{Unbilled{"Breathing and relaxation", 12}, "12 minutes of breathing and relaxation are not billed"},
		{Unbilled{"PNF stretching", 1}, "1 minute of PNF stretching is not billed"},
		{Unbilled{"hot pack", 0}, "0 minutes of hot pack are not billed"},
	} {
		if got := tc.u.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}

// The issue's example mappings hold in the default map.
func TestDefaultCodeMapIssueExamples(t *testing.T) {
	m := DefaultCodeMap()
	for k, want := range map[string]string{"swedish": "97124", "myofascial_release": "97140", "trigger_point": "97140",
		"lymphatic_drainage": "97140", "neuromuscular_reeducation": "97112", "hot_pack": "97010", "cold_pack": "97010"} {
		if m[k] != want {
			t.Errorf("%s maps to %q; want %s", k, m[k], want)
		}
	}
}
