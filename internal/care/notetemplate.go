package care

import (
	"slices"
	"strings"

	"github.com/fascia-health/fascia/internal/assess"
)

// Note templates: a starting point for a session note for a condition of
// the library (assess.Library), made from what the library already says
// of it: the regions usually treated, the techniques that usually help,
// the motions and special tests to recheck, the self-care that suits those
// regions, and the outcome measure to re-measure. The therapist edits
// every line; a template only saves typing.

// NoteTemplate is what a condition's template adds to a note.
type NoteTemplate struct {
	Condition  string // key of the condition
	Name       string
	Objective  string // prompts for the findings, to fill in
	Plan       string
	Techniques []PerformedTechnique
	Modalities []Modality
	HomeCare   []string // keys of HomeCareLibrary
	Avoid      []string // the condition's cautions, shown when applied
}

// Template minutes: a typical 45-minute medical session leaves about 40
// minutes of hands-on work, the first techniques getting the most.
var templateMinutes = []int{15, 15, 10}

const (
	templateRegions  = 3  // the condition's first (main) regions
	templateHomeCare = 2  // region-specific self-care items
	modalityMinutes  = 10 // a hot or cold pack: ten to twenty minutes
)

// notHandsOn are library techniques a template does not put in the
// techniques table: home care is the plan's (P) home-care list, and heat
// and cold are modalities.
var notHandsOn = []string{"home_care_exercise", "breathing_relaxation", "hydrotherapy_hot", "hydrotherapy_cold"}

// TemplateFor is condition c's note template.
func TemplateFor(c assess.Condition) NoteTemplate {
	t := NoteTemplate{Condition: c.Key, Name: c.Name, Avoid: slices.Clone(c.Avoid)}
	regions := c.Regions[:min(len(c.Regions), templateRegions)]

	var o []string
	if len(regions) > 0 {
		o = append(o, "Palpation ("+regionNames(regions)+"): ")
	}
	if len(c.Motions) > 0 {
		var ms []string
		for _, k := range c.Motions {
			if m, ok := assess.MotionByKey(k); ok && m.Sided {
				ms = append(ms, m.Label()+" R __° L __°")
			} else if ok {
				ms = append(ms, m.Label()+" __°")
			}
		}
		o = append(o, "ROM: "+strings.Join(ms, ", "))
	}
	if len(c.Tests) > 0 {
		var ts []string
		for _, k := range c.Tests {
			if st, ok := assess.TestByKey(k); ok {
				ts = append(ts, st.Name+" __")
			}
		}
		o = append(o, "Special tests: "+strings.Join(ts, ", "))
	}
	t.Objective = strings.Join(o, "\n")

	for _, k := range c.Techniques {
		switch {
		case k == "hydrotherapy_hot":
			t.Modalities = append(t.Modalities, Modality{Kind: "hot_pack", Minutes: modalityMinutes, Regions: slices.Clone(regions)})
		case k == "hydrotherapy_cold":
			t.Modalities = append(t.Modalities, Modality{Kind: "cold_pack", Minutes: modalityMinutes, Regions: slices.Clone(regions)})
		case slices.Contains(notHandsOn, k) || len(t.Techniques) == len(templateMinutes):
		default:
			if _, ok := assess.TechniqueByKey(k); ok {
				t.Techniques = append(t.Techniques, PerformedTechnique{Technique: k, Regions: slices.Clone(regions), Minutes: templateMinutes[len(t.Techniques)]})
			}
		}
	}

	for _, h := range HomeCareFor(c.Regions) {
		if len(h.Regions) == 0 || len(t.HomeCare) == templateHomeCare {
			break // HomeCareFor lists the region-specific items first
		}
		t.HomeCare = append(t.HomeCare, h.Key)
	}

	p := "Continue per the plan of care."
	if len(c.OutcomeMeasures) > 0 {
		p += " Re-measure " + c.OutcomeMeasures[0] + " at the next progress note."
	}
	t.Plan = p
	return t
}

func regionNames(keys []string) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		if r, ok := assess.RegionByKey(k); ok {
			names = append(names, strings.ToLower(r.Name))
		}
	}
	return strings.Join(names, ", ")
}

// TemplateAdded counts what applying a template added to a note.
type TemplateAdded struct {
	Techniques, Modalities, HomeCare int
	Objective, Plan                  bool
}

// Any reports whether anything was added.
func (a TemplateAdded) Any() bool {
	return a.Techniques+a.Modalities+a.HomeCare > 0 || a.Objective || a.Plan
}

// ApplyTo adds the template to draft n without taking anything away: the
// prompts go after what the findings and plan already say (once), and
// techniques, modalities and home care the note does not have yet are
// added after its own.
func (t NoteTemplate) ApplyTo(n *SOAPNote) TemplateAdded {
	var a TemplateAdded
	n.Objective, a.Objective = appendOnce(n.Objective, t.Objective)
	n.Plan, a.Plan = appendOnce(n.Plan, t.Plan)
	for _, x := range t.Techniques {
		if !slices.ContainsFunc(n.Techniques, func(y PerformedTechnique) bool { return y.Technique == x.Technique }) {
			x.Regions = slices.Clone(x.Regions)
			n.Techniques = append(n.Techniques, x)
			a.Techniques++
		}
	}
	for _, x := range t.Modalities {
		if !slices.ContainsFunc(n.Modalities, func(y Modality) bool { return y.Kind == x.Kind }) {
			x.Regions = slices.Clone(x.Regions)
			n.Modalities = append(n.Modalities, x)
			a.Modalities++
		}
	}
	for _, k := range t.HomeCare {
		if !slices.Contains(n.HomeCare, k) {
			n.HomeCare = append(n.HomeCare, k)
			a.HomeCare++
		}
	}
	return a
}

func appendOnce(have, add string) (string, bool) {
	switch {
	case add == "" || strings.Contains(have, add):
		return have, false
	case strings.TrimSpace(have) == "":
		return add, true
	}
	return strings.TrimRight(have, " \n") + "\n\n" + add, true
}
