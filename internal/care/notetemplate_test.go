package care

import (
	"slices"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
)

// Every condition of the library gives a template a therapist can sign
// after filling in the blanks: valid rows, billable minutes, self-care that
// suits the condition's regions.
func TestTemplateForEveryCondition(t *testing.T) {
	for _, c := range assess.Library {
		tp := TemplateFor(c)
		n := &SOAPNote{ServiceDate: "2026-11-27", Kind: NoteDaily, TherapistID: 1, ClientID: 1}
		if a := tp.ApplyTo(n); !a.Any() || a.Techniques == 0 {
			t.Errorf("%s: the template adds %+v", c.Key, a)
		}
		if err := n.Validate(); err != nil {
			t.Errorf("%s: the applied template does not validate: %v", c.Key, err)
		}
		res, _, err := NoteUnits(n.Techniques, n.Modalities, DefaultCodeMap(), "cms")
		if err != nil || res.TotalUnits < 2 {
			t.Errorf("%s: template units %+v, %v", c.Key, res, err)
		}
		for _, k := range n.HomeCare {
			h, ok := HomeCareByKey(k)
			if !ok || !slices.ContainsFunc(h.Regions, func(r string) bool { return slices.Contains(c.Regions, r) }) {
				t.Errorf("%s: home care %q does not suit the condition's regions", c.Key, k)
			}
		}
		if len(n.Techniques) > len(templateMinutes) {
			t.Errorf("%s: %d techniques", c.Key, len(n.Techniques))
		}
	}
}

func TestTemplateChronicNeckPain(t *testing.T) {
	c, _ := assess.ConditionByKey("chronic_neck_pain")
	tp := TemplateFor(c)
	for _, want := range []string{"Palpation (upper trapezius, levator scapulae, suboccipitals): ", "Cervical rotation R __° L __°", "Cervical flexion __°,", "Spurling"} {
		if !strings.Contains(tp.Objective, want) {
			t.Errorf("objective prompts lack %q:\n%s", want, tp.Objective)
		}
	}
	var keys []string
	for _, x := range tp.Techniques {
		keys = append(keys, x.Technique)
	}
	if !slices.Equal(keys, []string{"swedish", "myofascial_release", "trigger_point"}) || tp.Techniques[0].Minutes != 15 {
		t.Errorf("techniques %+v", tp.Techniques)
	}
	if len(tp.Modalities) != 1 || tp.Modalities[0].Kind != "hot_pack" {
		t.Errorf("heat from the library should be a hot pack: %+v", tp.Modalities)
	}
	if tp.Plan != "Continue per the plan of care. Re-measure NDI at the next progress note." || len(tp.Avoid) == 0 {
		t.Errorf("plan %q, avoid %v", tp.Plan, tp.Avoid)
	}
}

// Applying keeps what the note says and adds the rest once.
func TestTemplateApplyKeepsTheNote(t *testing.T) {
	c, _ := assess.ConditionByKey("chronic_neck_pain")
	tp := TemplateFor(c)
	n := &SOAPNote{Objective: "Hypertonic right upper trapezius.", HomeCare: []string{"chin_tucks"},
		Techniques: []PerformedTechnique{{Technique: "swedish", Minutes: 30, Regions: []string{"rhomboids"}}}}
	a := tp.ApplyTo(n)
	if !strings.HasPrefix(n.Objective, "Hypertonic right upper trapezius.\n\nPalpation") || n.Plan != tp.Plan {
		t.Errorf("objective %q plan %q", n.Objective, n.Plan)
	}
	if n.Techniques[0].Minutes != 30 || len(n.Techniques) != 3 || a.Techniques != 2 {
		t.Errorf("the therapist's swedish row changed or templates rows missing: %+v (%+v)", n.Techniques, a)
	}
	seen := map[string]bool{}
	for _, k := range n.HomeCare {
		if seen[k] {
			t.Errorf("home care %q twice", k)
		}
		seen[k] = true
	}
	if n.HomeCare[0] != "chin_tucks" || len(n.HomeCare) < 2 {
		t.Errorf("home care %v", n.HomeCare)
	}
	before := *n
	if again := tp.ApplyTo(n); again.Any() || n.Objective != before.Objective || len(n.Techniques) != 3 {
		t.Errorf("a second apply added %+v", again)
	}
	// The template's rows are copies: editing the note leaves the template alone.
	n.Techniques[1].Regions[0] = "x"
	if TemplateFor(c).Techniques[1].Regions[0] == "x" || tp.Techniques[1].Regions[0] == "x" {
		t.Error("the note shares its regions with the template")
	}
}
