package web

import (
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// intakeRow describes a repeated row of the intake form: its inputs, which
// of them make a row count as filled in, and how many rows an intake may have.
type intakeRow struct {
	prefix  string
	fields  []string
	content []string
	max     int
	// blank is how many empty rows the form offers without script.
	blank int
}

var intakeRows = []intakeRow{
	{care.RowMark, []string{"view", "x", "y", "region", "side", "kind", "intensity", "note"}, []string{"x", "y", "region", "note"}, care.MaxMarks, 3},
	{care.RowMedication, []string{"name", "class", "dose"}, []string{"name", "class", "dose"}, care.MaxMedications, 6},
	{care.RowSurgery, []string{"what", "date", "region", "side"}, []string{"what", "date", "region"}, care.MaxSurgeries, 3},
	{care.RowInjury, []string{"what", "date", "region", "side"}, []string{"what", "date", "region"}, care.MaxInjuries, 3},
	{care.RowDoNotTreat, []string{"region", "side"}, []string{"region"}, care.MaxDoNotTreat, 3},
}

// rowIndexes finds the row numbers of prefix present in v, in order.
func rowIndexes(v url.Values, row intakeRow) []int {
	seen := map[int]bool{}
	for k := range v {
		rest, ok := strings.CutPrefix(k, row.prefix+"_")
		if !ok {
			continue
		}
		num, name, ok := strings.Cut(rest, "_")
		if !ok || !slices.Contains(row.fields, name) || len(num) == 0 || len(num) > 6 {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || strconv.Itoa(n) != num {
			continue
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// compactIntakeRows renumbers the filled-in rows of each repeated section
// 0, 1, 2, … and drops empty ones, so that the n-th item of a decoded list
// and the n-th row of the form shown again are the same row (an error on
// "med_2_name" is shown next to the row it is about).
func compactIntakeRows(in url.Values) url.Values {
	v := url.Values{}
	isRow := func(k string) bool {
		for _, r := range intakeRows {
			if strings.HasPrefix(k, r.prefix+"_") {
				return true
			}
		}
		return false
	}
	for k, vs := range in {
		if !isRow(k) {
			v[k] = vs
		}
	}
	for _, r := range intakeRows {
		n := 0
		for _, i := range rowIndexes(in, r) {
			filled := false
			for _, f := range r.content {
				if strings.TrimSpace(in.Get(care.RowField(r.prefix, i, f))) != "" {
					filled = true
				}
			}
			if !filled {
				continue
			}
			for _, f := range r.fields {
				if x := in.Get(care.RowField(r.prefix, i, f)); x != "" {
					v.Set(care.RowField(r.prefix, n, f), x)
				}
			}
			n++
		}
	}
	return v
}

// cleanLong trims an answer and writes its line breaks one way, so the same
// answer is always signed as the same bytes.
func cleanLong(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

func cleanShort(s string) string { return strings.TrimSpace(s) }

// DecodeIntakeForm reads the posted intake form into an intake and lists
// what is wrong with it, field by field, under the form's input names.
// Empty rows are skipped and the rest numbered in order (compactIntakeRows).
// It is a pure function of its input, fuzzed in intake_form_test.go; the
// dates it cannot judge without a clock (in the future?) are checked by
// care.Intake.CheckDates when the intake is signed.
func DecodeIntakeForm(raw url.Values) (care.Intake, errs.FieldErrors) {
	v := compactIntakeRows(raw)
	f := errs.FieldErrors{}
	var in care.Intake
	get := func(k string) string { return v.Get(k) }
	num := func(k string, min, max int, msg string) int {
		s := strings.TrimSpace(get(k))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			f.Add(k, msg)
			return 0
		}
		return n
	}
	yesNo := func(k string) bool {
		switch get(k) {
		case "yes":
			return true
		case "no", "":
			return false
		}
		f.Add(k, "Choose yes or no.")
		return false
	}

	in.ReasonForVisit, in.Goals = cleanLong(get(care.FieldReason)), cleanLong(get(care.FieldGoals))
	in.ConditionNotes, in.AllergyNotes = cleanLong(get(care.FieldConditionNotes)), cleanLong(get(care.FieldAllergyNotes))
	in.ImplantedDevices = cleanShort(get(care.FieldImplantedDevices))
	in.PriorMassageNotes = cleanLong(get(care.FieldPriorNotes))
	in.PhysicianName, in.PhysicianPhone = cleanShort(get(care.FieldPhysicianName)), cleanShort(get(care.FieldPhysicianPhone))
	in.PressurePreference = get(care.FieldPressure)
	in.Pregnant = yesNo(care.FieldPregnant)
	in.PriorMassage = yesNo(care.FieldPriorMassage)
	in.PregnancyWeeks = num(care.FieldPregnancyWeeks, 1, 42, "Write the number of weeks, from 1 to 42, or leave it empty.")
	in.BPSystolic = num(care.FieldBPSystolic, 60, 300, "Write the top number, between 60 and 300, or leave both empty.")
	in.BPDiastolic = num(care.FieldBPDiastolic, 30, 200, "Write the bottom number, between 30 and 200, or leave both empty.")

	// Ticked boxes, in the order of the checklist whatever order they came in.
	ticked := func(field string, keys []string) []string {
		got := v[field]
		var out []string
		for _, k := range keys {
			if slices.Contains(got, k) {
				out = append(out, k)
			}
		}
		for _, g := range got {
			if !slices.Contains(keys, g) {
				f.Add(field, "Tick only the boxes of the list.")
			}
		}
		return out
	}
	var condKeys, allergyKeys []string
	for _, c := range care.Conditions {
		condKeys = append(condKeys, c.Key)
	}
	for _, a := range care.AllergyKinds {
		allergyKeys = append(allergyKeys, a.Key)
	}
	in.Conditions = ticked(care.FieldConditions, condKeys)
	in.Allergies = ticked(care.FieldAllergies, allergyKeys)

	rows := func(prefix string) int {
		for _, r := range intakeRows {
			if r.prefix == prefix {
				return len(rowIndexes(v, r))
			}
		}
		return 0
	}
	for i := range rows(care.RowMark) {
		g := func(n string) string { return get(care.RowField(care.RowMark, i, n)) }
		m := care.Mark{View: g("view"), Region: g("region"), Side: g("side"), Kind: g("kind"), Note: cleanShort(g("note"))}
		if m.Kind == "" {
			m.Kind = "pain"
		}
		m.Intensity = num(care.RowField(care.RowMark, i, "intensity"), 0, 10, "Choose a number from 0 to 10.")
		xs, ys := strings.TrimSpace(g("x")), strings.TrimSpace(g("y"))
		if xs != "" || ys != "" {
			x, errX := strconv.ParseFloat(xs, 64)
			y, errY := strconv.ParseFloat(ys, 64)
			if errX != nil || errY != nil || math.IsNaN(x) || math.IsNaN(y) || x < 0 || x > 1 || y < 0 || y > 1 {
				f.Add(care.RowField(care.RowMark, i, "region"), "The mark is outside the figure; remove it and mark the area again.")
			} else {
				m.X, m.Y = care.RoundMark(x), care.RoundMark(y)
				if m.Region == "" {
					m.Region, m.Side = care.RegionAt(m.View, m.X, m.Y)
				}
			}
		} else if spots := care.RegionSpots(m.Region, m.Side); len(spots) > 0 {
			// Chosen from the list: place it on the figure for the therapist.
			m.View, m.X, m.Y = spots[0].View, spots[0].X, spots[0].Y
		}
		if m.Region == "" {
			f.Add(care.RowField(care.RowMark, i, "region"), "Choose the area, or mark it on the figure.")
		}
		in.PainAreas = append(in.PainAreas, m)
	}
	for i := range rows(care.RowMedication) {
		g := func(n string) string { return get(care.RowField(care.RowMedication, i, n)) }
		in.Medications = append(in.Medications, care.Medication{Name: cleanShort(g("name")), Class: g("class"), Dose: cleanShort(g("dose"))})
	}
	date := func(prefix string, i int) string {
		s := cleanShort(get(care.RowField(prefix, i, "date")))
		d, ok := care.ParseIntakeDate(s)
		if !ok {
			if s == "" {
				f.Add(care.RowField(prefix, i, "date"), "Write the date, or at least the month and year (MM/YYYY).")
			} else {
				f.Add(care.RowField(prefix, i, "date"), "Write the date as MM/DD/YYYY, or the month as MM/YYYY.")
			}
			return s
		}
		return d
	}
	for i := range rows(care.RowSurgery) {
		g := func(n string) string { return get(care.RowField(care.RowSurgery, i, n)) }
		in.Surgeries = append(in.Surgeries, care.Surgery{What: cleanShort(g("what")), Date: date(care.RowSurgery, i), Region: g("region"), Side: g("side")})
	}
	for i := range rows(care.RowInjury) {
		g := func(n string) string { return get(care.RowField(care.RowInjury, i, n)) }
		in.RecentInjuries = append(in.RecentInjuries, care.Injury{What: cleanShort(g("what")), Date: date(care.RowInjury, i), Region: g("region"), Side: g("side")})
	}
	for i := range rows(care.RowDoNotTreat) {
		g := func(n string) string { return get(care.RowField(care.RowDoNotTreat, i, n)) }
		in.DoNotTreat = append(in.DoNotTreat, care.Area{Region: g("region"), Side: g("side")})
	}
	for k, msg := range in.Check() {
		f.Add(k, msg)
	}
	return in, f
}

// IntakeFormValues is the form that DecodeIntakeForm reads back as in: for
// tests, and the demo clinic.
func IntakeFormValues(in care.Intake) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	set(care.FieldReason, in.ReasonForVisit)
	set(care.FieldGoals, in.Goals)
	set(care.FieldConditionNotes, in.ConditionNotes)
	set(care.FieldAllergyNotes, in.AllergyNotes)
	set(care.FieldImplantedDevices, in.ImplantedDevices)
	set(care.FieldPriorNotes, in.PriorMassageNotes)
	set(care.FieldPhysicianName, in.PhysicianName)
	set(care.FieldPhysicianPhone, in.PhysicianPhone)
	set(care.FieldPressure, in.PressurePreference)
	v.Set(care.FieldPregnant, yes(in.Pregnant))
	v.Set(care.FieldPriorMassage, yes(in.PriorMassage))
	set(care.FieldPregnancyWeeks, itoa(in.PregnancyWeeks))
	set(care.FieldBPSystolic, itoa(in.BPSystolic))
	set(care.FieldBPDiastolic, itoa(in.BPDiastolic))
	for _, c := range in.Conditions {
		v.Add(care.FieldConditions, c)
	}
	for _, a := range in.Allergies {
		v.Add(care.FieldAllergies, a)
	}
	for i, m := range in.PainAreas {
		k := func(n string) string { return care.RowField(care.RowMark, i, n) }
		set(k("view"), m.View)
		set(k("x"), strconv.FormatFloat(m.X, 'f', -1, 64))
		set(k("y"), strconv.FormatFloat(m.Y, 'f', -1, 64))
		set(k("region"), m.Region)
		set(k("side"), m.Side)
		set(k("kind"), m.Kind)
		set(k("intensity"), itoa(m.Intensity))
		set(k("note"), m.Note)
	}
	for i, m := range in.Medications {
		set(care.RowField(care.RowMedication, i, "name"), m.Name)
		set(care.RowField(care.RowMedication, i, "class"), m.Class)
		set(care.RowField(care.RowMedication, i, "dose"), m.Dose)
	}
	dated := func(prefix string, i int, what, date, region, side string) {
		set(care.RowField(prefix, i, "what"), what)
		set(care.RowField(prefix, i, "date"), date)
		set(care.RowField(prefix, i, "region"), region)
		set(care.RowField(prefix, i, "side"), side)
	}
	for i, s := range in.Surgeries {
		dated(care.RowSurgery, i, s.What, s.Date, s.Region, s.Side)
	}
	for i, s := range in.RecentInjuries {
		dated(care.RowInjury, i, s.What, s.Date, s.Region, s.Side)
	}
	for i, a := range in.DoNotTreat {
		set(care.RowField(care.RowDoNotTreat, i, "region"), a.Region)
		set(care.RowField(care.RowDoNotTreat, i, "side"), a.Side)
	}
	return v
}
