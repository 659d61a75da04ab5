package care

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Field names of the intake, as the form names its inputs, so an error is
// shown next to the input it is about. Rows are numbered from 0 in the
// order of the intake's lists.
const (
	FieldReason           = "reason"
	FieldGoals            = "goals"
	FieldConditions       = "conditions"
	FieldConditionNotes   = "condition_notes"
	FieldAllergies        = "allergies"
	FieldAllergyNotes     = "allergy_notes"
	FieldPregnant         = "pregnant"
	FieldPregnancyWeeks   = "pregnancy_weeks"
	FieldImplantedDevices = "implanted_devices"
	FieldPriorMassage     = "prior_massage"
	FieldPriorNotes       = "prior_massage_notes"
	FieldPressure         = "pressure"
	FieldPhysicianName    = "physician_name"
	FieldPhysicianPhone   = "physician_phone"
	FieldBPSystolic       = "bp_systolic"
	FieldBPDiastolic      = "bp_diastolic"
	// Row prefixes: RowField(RowMedication, 2, "name") is "med_2_name".
	RowMark       = "mark"
	RowMedication = "med"
	RowSurgery    = "surgery"
	RowInjury     = "injury"
	RowDoNotTreat = "dnt"
)

// RowField names one input of a repeated row.
func RowField(prefix string, i int, name string) string {
	return fmt.Sprintf("%s_%d_%s", prefix, i, name)
}

// TextProblem says what is wrong with a free-text answer of at most max
// characters, or "" when nothing is. Line breaks are allowed only in
// multiline answers; other control characters never (both databases must
// store the text exactly as signed).
func TextProblem(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "Remove the characters that are not text."
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			if multiline {
				continue
			}
			return "Keep this to one line."
		}
		if unicode.IsControl(r) {
			return "Remove the characters that are not text."
		}
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("Keep this under %d characters.", max)
	}
	return ""
}

// ParseIntakeDate reads a past date as a client writes it: 2024-03-15,
// 03/15/2024, or only the month (2024-03, 03/2024), read as its first day.
// It returns the date as YYYY-MM-DD.
func ParseIntakeDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "01/02/2006", "1/2/2006", "2006-01", "01/2006", "1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return "", false
			}
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// Check finds what is wrong with an intake without needing the date: known
// keys, lengths, ranges, dates written as dates. Errors are keyed by the
// form's field names.
func (in *Intake) Check() errs.FieldErrors {
	f := errs.FieldErrors{}
	text := func(field, v string, max int, multiline bool) {
		if p := TextProblem(v, max, multiline); p != "" {
			f.Add(field, p)
		}
	}
	if strings.TrimSpace(in.ReasonForVisit) == "" {
		f.Add(FieldReason, "Tell us what brings you in, in a few words.")
	}
	text(FieldReason, in.ReasonForVisit, MaxLongText, true)
	text(FieldGoals, in.Goals, MaxLongText, true)
	text(FieldConditionNotes, in.ConditionNotes, MaxLongText, true)
	text(FieldAllergyNotes, in.AllergyNotes, MaxLongText, true)
	text(FieldImplantedDevices, in.ImplantedDevices, MaxShortText, false)
	text(FieldPriorNotes, in.PriorMassageNotes, MaxLongText, true)
	text(FieldPhysicianName, in.PhysicianName, MaxShortText, false)
	text(FieldPhysicianPhone, in.PhysicianPhone, MaxShortText, false)

	if len(in.PainAreas) > MaxMarks {
		f.Add("marks", fmt.Sprintf("Mark at most %d areas.", MaxMarks))
	}
	for i, m := range in.PainAreas {
		field := func(n string) string { return RowField(RowMark, i, n) }
		if m.View != "anterior" && m.View != "posterior" {
			f.Add(field("region"), "Mark this area on the front or the back of the figure.")
		}
		if !ValidRegion(m.Region) {
			f.Add(field("region"), "Choose the area of the body.")
		}
		if m.Side != "" && !ValidSide(m.Side) {
			f.Add(field("side"), "Choose left, right, both or middle.")
		}
		if MarkKindLabel(m.Kind) == m.Kind {
			f.Add(field("kind"), "Choose what you feel there.")
		}
		if m.Intensity < 0 || m.Intensity > 10 {
			f.Add(field("intensity"), "Choose a number from 0 to 10.")
		}
		if !(m.X >= 0 && m.X <= 1 && m.Y >= 0 && m.Y <= 1) {
			f.Add(field("region"), "The mark is outside the figure; mark it again.")
		}
		text(field("note"), m.Note, MaxShortText, false)
	}

	seen := map[string]bool{}
	for _, c := range in.Conditions {
		if !ValidCondition(c) {
			f.Add(FieldConditions, "Tick only conditions from the list.")
		}
		if seen[c] {
			f.Add(FieldConditions, "A condition is ticked twice.")
		}
		seen[c] = true
	}
	seen = map[string]bool{}
	for _, a := range in.Allergies {
		if AllergyLabel(a) == a {
			f.Add(FieldAllergies, "Tick only sensitivities from the list.")
		}
		if seen[a] {
			f.Add(FieldAllergies, "A sensitivity is ticked twice.")
		}
		seen[a] = true
	}
	if in.HasAllergy("other") && strings.TrimSpace(in.AllergyNotes) == "" {
		f.Add(FieldAllergyNotes, "Describe the other sensitivity.")
	}

	if len(in.Medications) > MaxMedications {
		f.Add("medications", fmt.Sprintf("List at most %d medications; add the rest to the notes.", MaxMedications))
	}
	for i, m := range in.Medications {
		field := func(n string) string { return RowField(RowMedication, i, n) }
		if strings.TrimSpace(m.Name) == "" {
			f.Add(field("name"), "Write the medication's name.")
		}
		text(field("name"), m.Name, MaxShortText, false)
		if !ValidMedicationClass(m.Class) {
			f.Add(field("class"), "Choose what the medication is for (or Other).")
		}
		text(field("dose"), m.Dose, MaxShortText, false)
	}
	dated := func(prefix string, i int, what, date, region, side string, whatMsg string) {
		field := func(n string) string { return RowField(prefix, i, n) }
		if strings.TrimSpace(what) == "" {
			f.Add(field("what"), whatMsg)
		}
		text(field("what"), what, MaxShortText, false)
		if d, ok := ParseIntakeDate(date); !ok || d != date {
			f.Add(field("date"), "Write the date as MM/DD/YYYY, or the month as MM/YYYY.")
		}
		if region != "" && !ValidRegion(region) {
			f.Add(field("region"), "Choose the area of the body.")
		}
		if side != "" && !ValidSide(side) {
			f.Add(field("side"), "Choose left, right, both or middle.")
		}
	}
	if len(in.Surgeries) > MaxSurgeries {
		f.Add("surgeries", fmt.Sprintf("List at most %d operations; add the rest to the notes.", MaxSurgeries))
	}
	for i, s := range in.Surgeries {
		dated(RowSurgery, i, s.What, s.Date, s.Region, s.Side, "Write what the operation was.")
	}
	if len(in.RecentInjuries) > MaxInjuries {
		f.Add("injuries", fmt.Sprintf("List at most %d injuries; add the rest to the notes.", MaxInjuries))
	}
	for i, s := range in.RecentInjuries {
		dated(RowInjury, i, s.What, s.Date, s.Region, s.Side, "Write what happened.")
	}
	if len(in.DoNotTreat) > MaxDoNotTreat {
		f.Add("dnt", fmt.Sprintf("List at most %d areas.", MaxDoNotTreat))
	}
	for i, a := range in.DoNotTreat {
		if !ValidRegion(a.Region) {
			f.Add(RowField(RowDoNotTreat, i, "region"), "Choose the area of the body.")
		}
		if a.Side != "" && !ValidSide(a.Side) {
			f.Add(RowField(RowDoNotTreat, i, "side"), "Choose left, right, both or middle.")
		}
	}

	if in.PregnancyWeeks != 0 && !in.Pregnant {
		f.Add(FieldPregnancyWeeks, "Leave this empty unless you are pregnant.")
	}
	if in.PregnancyWeeks < 0 || in.PregnancyWeeks > 42 {
		f.Add(FieldPregnancyWeeks, "Write the number of weeks, from 1 to 42.")
	}
	if in.PressurePreference != "" && PressureLabel(in.PressurePreference) == in.PressurePreference {
		f.Add(FieldPressure, "Choose light, medium, firm or not sure.")
	}
	if in.PhysicianPhone != "" {
		if n := len(digits(in.PhysicianPhone)); n < 7 || n > 15 {
			f.Add(FieldPhysicianPhone, "Write the phone number with its area code, e.g. 512-555-0100.")
		}
	}
	switch {
	case in.BPSystolic == 0 && in.BPDiastolic == 0:
	case in.BPSystolic == 0:
		f.Add(FieldBPSystolic, "Write both numbers, or neither.")
	case in.BPDiastolic == 0:
		f.Add(FieldBPDiastolic, "Write both numbers, or neither.")
	default:
		if in.BPSystolic < 60 || in.BPSystolic > 300 {
			f.Add(FieldBPSystolic, "Write the top number, between 60 and 300.")
		}
		if in.BPDiastolic < 30 || in.BPDiastolic > 200 {
			f.Add(FieldBPDiastolic, "Write the bottom number, between 30 and 200.")
		}
		if in.BPDiastolic >= in.BPSystolic {
			f.Add(FieldBPDiastolic, "The bottom number is smaller than the top one (for example 120 over 80).")
		}
	}
	return f
}

// CheckDates finds dates in the future (after today, YYYY-MM-DD in the
// clinic's time zone): an operation or injury has already happened.
func (in *Intake) CheckDates(today string) errs.FieldErrors {
	f := errs.FieldErrors{}
	for i, s := range in.Surgeries {
		if s.Date > today {
			f.Add(RowField(RowSurgery, i, "date"), "This date is in the future; write the date of an operation you have had.")
		}
	}
	for i, s := range in.RecentInjuries {
		if s.Date > today {
			f.Add(RowField(RowInjury, i, "date"), "This date is in the future.")
		}
	}
	return f
}

// HasAllergy reports whether the intake ticks allergy key.
func (in *Intake) HasAllergy(key string) bool {
	for _, a := range in.Allergies {
		if a == key {
			return true
		}
	}
	return false
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
