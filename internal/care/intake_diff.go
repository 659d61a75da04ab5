package care

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// IntakeChange is one answer that differs between two versions of an
// intake. A list answer (conditions, medications, …) names the items
// added and removed; any other answer gives its old and new text.
type IntakeChange struct {
	Label          string
	Before, After  string
	Added, Removed []string
}

// IsList reports whether the change is of a list answer.
func (c IntakeChange) IsList() bool { return c.Added != nil || c.Removed != nil }

// DiffIntakes lists what changed from prev to cur, answer by answer, in the
// order of the form. A nil prev is an empty intake: everything is new.
func DiffIntakes(prev, cur *Intake) []IntakeChange {
	if prev == nil {
		prev = &Intake{}
	}
	var out []IntakeChange
	text := func(label, a, b string) {
		if strings.TrimSpace(a) != strings.TrimSpace(b) {
			out = append(out, IntakeChange{Label: label, Before: a, After: b})
		}
	}
	list := func(label string, a, b []string) {
		var added, removed []string
		for _, x := range b {
			if !slices.Contains(a, x) {
				added = append(added, x)
			}
		}
		for _, x := range a {
			if !slices.Contains(b, x) {
				removed = append(removed, x)
			}
		}
		if len(added) > 0 || len(removed) > 0 {
			out = append(out, IntakeChange{Label: label, Added: nonNil(added), Removed: nonNil(removed)})
		}
	}
	text("Reason for visit", prev.ReasonForVisit, cur.ReasonForVisit)
	text("Goals", prev.Goals, cur.Goals)
	list("Pain and symptom areas", MarkLines(prev.PainAreas), MarkLines(cur.PainAreas))
	list("Conditions", ConditionLines(prev.Conditions), ConditionLines(cur.Conditions))
	text("Notes on conditions", prev.ConditionNotes, cur.ConditionNotes)
	list("Medications", MedicationLines(prev.Medications), MedicationLines(cur.Medications))
	list("Surgeries", SurgeryLines(prev.Surgeries), SurgeryLines(cur.Surgeries))
	list("Allergies and sensitivities", AllergyLines(prev.Allergies), AllergyLines(cur.Allergies))
	text("Notes on allergies", prev.AllergyNotes, cur.AllergyNotes)
	text("Pregnancy", PregnancyText(prev), PregnancyText(cur))
	text("Implanted devices", prev.ImplantedDevices, cur.ImplantedDevices)
	list("Recent injuries", InjuryLines(prev.RecentInjuries), InjuryLines(cur.RecentInjuries))
	text("Massage before", yesNo(prev.PriorMassage), yesNo(cur.PriorMassage))
	text("About massage before", prev.PriorMassageNotes, cur.PriorMassageNotes)
	text("Pressure preference", PressureLabel(prev.PressurePreference), PressureLabel(cur.PressurePreference))
	list("Areas not to treat", AreaLines(prev.DoNotTreat), AreaLines(cur.DoNotTreat))
	text("Physician", PhysicianText(prev), PhysicianText(cur))
	text("Blood pressure", BPText(prev), BPText(cur))
	return out
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// MarkLines describes marks on the outline, one line each.
func MarkLines(ms []Mark) []string {
	out := []string{}
	for _, m := range ms {
		s := MarkKindLabel(m.Kind) + ": " + AreaLabel(m.Region, m.Side)
		if m.Intensity > 0 {
			s += ", " + strconv.Itoa(m.Intensity) + "/10"
		}
		if m.Note != "" {
			s += " — " + m.Note
		}
		out = append(out, s)
	}
	return out
}

// ConditionLines gives the labels of condition keys.
func ConditionLines(keys []string) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, ConditionLabel(k))
	}
	return out
}

// AllergyLines gives the labels of allergy keys.
func AllergyLines(keys []string) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, AllergyLabel(k))
	}
	return out
}

// MedicationLines describes medications, one line each.
func MedicationLines(ms []Medication) []string {
	out := []string{}
	for _, m := range ms {
		s := m.Name
		if m.Dose != "" {
			s += " " + m.Dose
		}
		out = append(out, s+" ("+MedicationClassShort(m.Class)+")")
	}
	return out
}

// SurgeryLines describes operations, one line each.
func SurgeryLines(ss []Surgery) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, datedLine(s.What, s.Date, s.Region, s.Side))
	}
	return out
}

// InjuryLines describes injuries, one line each.
func InjuryLines(is []Injury) []string {
	out := []string{}
	for _, s := range is {
		out = append(out, datedLine(s.What, s.Date, s.Region, s.Side))
	}
	return out
}

func datedLine(what, date, region, side string) string {
	s := what + ", " + usDate(date)
	if region != "" {
		s += " (" + AreaLabel(region, side) + ")"
	}
	return s
}

// usDate writes YYYY-MM-DD as MM/DD/YYYY, the way clients and therapists read dates.
func usDate(d string) string {
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		return d[5:7] + "/" + d[8:10] + "/" + d[:4]
	}
	return d
}

// AreaLines describes body areas, one line each.
func AreaLines(as []Area) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, AreaLabel(a.Region, a.Side))
	}
	return out
}

// PregnancyText is the pregnancy answer in words.
func PregnancyText(in *Intake) string {
	switch {
	case !in.Pregnant:
		return "Not pregnant"
	case in.PregnancyWeeks > 0:
		return fmt.Sprintf("Pregnant, %d weeks", in.PregnancyWeeks)
	default:
		return "Pregnant"
	}
}

// PhysicianText is the physician's name and phone in one line.
func PhysicianText(in *Intake) string {
	return strings.TrimSpace(strings.TrimSpace(in.PhysicianName) + "  " + strings.TrimSpace(in.PhysicianPhone))
}

// BPText is the blood pressure as "128/82 mmHg", or "" when not given.
func BPText(in *Intake) string {
	if in.BPSystolic == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d mmHg", in.BPSystolic, in.BPDiastolic)
}
