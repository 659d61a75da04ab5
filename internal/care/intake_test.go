package care_test

import (
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
)

func validIntake() care.Intake {
	return care.Intake{
		ReasonForVisit: "Stiff neck", PainAreas: []care.Mark{{View: "posterior", Region: "neck (posterior)", Side: "midline", X: 0.5, Y: 0.15, Kind: "pain", Intensity: 5}},
		Conditions:  []string{"hypertension"},
		Medications: []care.Medication{{Name: "Warfarin", Class: "anticoagulant", Dose: "5 mg"}},
		Surgeries:   []care.Surgery{{What: "Appendectomy", Date: "2010-05-01", Region: "abdomen", Side: "right"}},
		Allergies:   []string{"latex"}, PressurePreference: "medium", BPSystolic: 128, BPDiastolic: 82,
		DoNotTreat: []care.Area{{Region: "foot", Side: "both"}}, PhysicianPhone: "512-555-0100",
	}
}

func TestIntakeCheck(t *testing.T) {
	if in := validIntake(); len(in.Check()) != 0 {
		f := in.Check()
		t.Fatalf("valid intake: %v", f)
	}
	for _, c := range []struct {
		name  string
		edit  func(in *care.Intake)
		field string
	}{
		{"no reason", func(in *care.Intake) { in.ReasonForVisit = "  " }, "reason"},
		{"reason too long", func(in *care.Intake) { in.ReasonForVisit = strings.Repeat("x", care.MaxLongText+1) }, "reason"},
		{"NUL in goals", func(in *care.Intake) { in.Goals = "a\x00b" }, "goals"},
		{"invalid UTF-8", func(in *care.Intake) { in.ConditionNotes = "\xff" }, "condition_notes"},
		{"newline in a one-line answer", func(in *care.Intake) { in.ImplantedDevices = "a\nb" }, "implanted_devices"},
		{"unknown condition", func(in *care.Intake) { in.Conditions = []string{"gout"} }, "conditions"},
		{"condition twice", func(in *care.Intake) { in.Conditions = []string{"fever", "fever"} }, "conditions"},
		{"unknown allergy", func(in *care.Intake) { in.Allergies = []string{"cats"} }, "allergies"},
		{"other allergy without notes", func(in *care.Intake) { in.Allergies = []string{"other"} }, "allergy_notes"},
		{"medication without name", func(in *care.Intake) { in.Medications[0].Name = "" }, "med_0_name"},
		{"unknown medication class", func(in *care.Intake) { in.Medications[0].Class = "vitamin" }, "med_0_class"},
		{"surgery without date", func(in *care.Intake) { in.Surgeries[0].Date = "" }, "surgery_0_date"},
		{"surgery date not normalised", func(in *care.Intake) { in.Surgeries[0].Date = "05/01/2010" }, "surgery_0_date"},
		{"surgery unknown region", func(in *care.Intake) { in.Surgeries[0].Region = "tail" }, "surgery_0_region"},
		{"injury without what", func(in *care.Intake) {
			in.RecentInjuries = []care.Injury{{Date: "2026-01-01"}}
		}, "injury_0_what"},
		{"mark region unknown", func(in *care.Intake) { in.PainAreas[0].Region = "wing" }, "mark_0_region"},
		{"mark off the figure", func(in *care.Intake) { in.PainAreas[0].X = 1.5 }, "mark_0_region"},
		{"mark view unknown", func(in *care.Intake) { in.PainAreas[0].View = "top" }, "mark_0_region"},
		{"mark intensity 11", func(in *care.Intake) { in.PainAreas[0].Intensity = 11 }, "mark_0_intensity"},
		{"mark side unknown", func(in *care.Intake) { in.PainAreas[0].Side = "up" }, "mark_0_side"},
		{"mark kind unknown", func(in *care.Intake) { in.PainAreas[0].Kind = "itch" }, "mark_0_kind"},
		{"do-not-treat region missing", func(in *care.Intake) { in.DoNotTreat[0].Region = "" }, "dnt_0_region"},
		{"weeks without pregnancy", func(in *care.Intake) { in.PregnancyWeeks = 12 }, "pregnancy_weeks"},
		{"43 weeks", func(in *care.Intake) { in.Pregnant, in.PregnancyWeeks = true, 43 }, "pregnancy_weeks"},
		{"pressure unknown", func(in *care.Intake) { in.PressurePreference = "crushing" }, "pressure"},
		{"phone too short", func(in *care.Intake) { in.PhysicianPhone = "555" }, "physician_phone"},
		{"only systolic", func(in *care.Intake) { in.BPDiastolic = 0 }, "bp_diastolic"},
		{"only diastolic", func(in *care.Intake) { in.BPSystolic = 0 }, "bp_systolic"},
		{"diastolic above systolic", func(in *care.Intake) { in.BPSystolic, in.BPDiastolic = 90, 120 }, "bp_diastolic"},
		{"systolic 400", func(in *care.Intake) { in.BPSystolic = 400 }, "bp_systolic"},
		{"31 medications", func(in *care.Intake) {
			for range 31 {
				in.Medications = append(in.Medications, care.Medication{Name: "x", Class: "other"})
			}
		}, "medications"},
	} {
		in := validIntake()
		in.Medications = append([]care.Medication(nil), in.Medications...)
		in.Surgeries = append([]care.Surgery(nil), in.Surgeries...)
		in.PainAreas = append([]care.Mark(nil), in.PainAreas...)
		in.DoNotTreat = append([]care.Area(nil), in.DoNotTreat...)
		c.edit(&in)
		f := in.Check()
		if f[c.field] == "" {
			t.Errorf("%s: errors %v, want one on %s", c.name, f, c.field)
		}
	}
}

func TestIntakeCheckDates(t *testing.T) {
	in := validIntake()
	in.Surgeries[0].Date = "2026-11-28"
	in.RecentInjuries = []care.Injury{{What: "Sprain", Date: "2026-11-27"}}
	f := in.CheckDates("2026-11-27")
	if f["surgery_0_date"] == "" || f["injury_0_date"] != "" || len(f) != 1 {
		t.Errorf("future dates: %v", f)
	}
}

func TestParseIntakeDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-03-15": "2024-03-15", "03/15/2024": "2024-03-15", "3/5/2024": "2024-03-05", "2024-03": "2024-03-01",
		"03/2024": "2024-03-01", "3/2024": "2024-03-01", " 2024-03-15 ": "2024-03-15",
		"": "", "2024-13-01": "", "02/30/2024": "", "1899-01-01": "", "yesterday": "", "2024": "",
	} {
		got, ok := care.ParseIntakeDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseIntakeDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSignedBytes(t *testing.T) {
	in := validIntake()
	docs := []care.ConsentDocument{
		{ID: 9, Kind: care.ConsentPrivacy, Version: 2, Title: "Privacy", Body: "We keep <records> & \"notes\"."},
		{ID: 4, Kind: care.ConsentTreatment, Version: 1, Title: "Treatment", Body: "I agree."},
	}
	a, err := care.SignedBytes(&in, docs)
	if err != nil {
		t.Fatal(err)
	}
	// The same answers and texts in another order give the same bytes.
	b, _ := care.SignedBytes(&in, []care.ConsentDocument{docs[1], docs[0]})
	if string(a) != string(b) {
		t.Errorf("consent order changes the signed bytes")
	}
	s := string(a)
	if !strings.HasPrefix(s, `{"format":"fascia.intake.v1","intake":{"reason_for_visit":"Stiff neck"`) || strings.HasSuffix(s, "\n") ||
		!strings.Contains(s, `We keep <records> & \"notes\".`) || strings.Index(s, `"id":4`) > strings.Index(s, `"id":9`) {
		t.Errorf("signed bytes: %s", s)
	}
	// Every answer and every consent text is covered by the hash.
	h := care.HashSigned(a)
	for name, edit := range map[string]func(in *care.Intake, d []care.ConsentDocument){
		"reason": func(in *care.Intake, d []care.ConsentDocument) { in.ReasonForVisit += "." },
		"medication": func(in *care.Intake, d []care.ConsentDocument) {
			in.Medications = []care.Medication{{Name: "Warfarin", Class: "anticoagulant", Dose: "6 mg"}}
		},
		"mark": func(in *care.Intake, d []care.ConsentDocument) {
			in.PainAreas = []care.Mark{{View: "posterior", X: 0.5001}}
		},
		"pregnant":     func(in *care.Intake, d []care.ConsentDocument) { in.Pregnant = true },
		"consent text": func(in *care.Intake, d []care.ConsentDocument) { d[0].Body += " " },
		"consent id":   func(in *care.Intake, d []care.ConsentDocument) { d[1].Version = 2 },
		"bp":           func(in *care.Intake, d []care.ConsentDocument) { in.BPDiastolic++ },
	} {
		in2 := validIntake()
		d2 := append([]care.ConsentDocument(nil), docs...)
		edit(&in2, d2)
		b, _ := care.SignedBytes(&in2, d2)
		if care.HashSigned(b) == h {
			t.Errorf("changing the %s does not change the hash", name)
		}
	}
	// What is stored reads back as what was signed.
	d, err := care.ParseSigned(a)
	if err != nil {
		t.Fatal(err)
	}
	var back care.Intake
	d.Intake.ApplyTo(&back)
	again, _ := care.SignedBytes(&back, []care.ConsentDocument{{ID: 4, Kind: care.ConsentTreatment, Version: 1, Title: "Treatment", Body: "I agree."}, docs[0]})
	if string(again) != s {
		t.Errorf("round trip differs:\n%s\n%s", again, s)
	}
	if _, err := care.ParseSigned([]byte(`{"format":"other"}`)); err == nil {
		t.Errorf("an unknown format parses")
	}
}

func TestDiffIntakes(t *testing.T) {
	a := validIntake()
	b := validIntake()
	b.ReasonForVisit = "Stiff neck and headaches"
	b.Medications = []care.Medication{{Name: "Warfarin", Class: "anticoagulant", Dose: "5 mg"}, {Name: "Aspirin", Class: "antiplatelet", Dose: "81 mg"}}
	b.Conditions = nil
	b.Pregnant, b.PregnancyWeeks = true, 12
	ch := care.DiffIntakes(&a, &b)
	got := map[string]care.IntakeChange{}
	for _, c := range ch {
		got[c.Label] = c
	}
	if len(ch) != 4 {
		t.Errorf("%d changes: %+v", len(ch), ch)
	}
	if c := got["Reason for visit"]; c.Before != "Stiff neck" || c.After != "Stiff neck and headaches" || c.IsList() {
		t.Errorf("reason: %+v", c)
	}
	if c := got["Medications"]; len(c.Added) != 1 || c.Added[0] != "Aspirin 81 mg (Antiplatelet)" || len(c.Removed) != 0 {
		t.Errorf("medications: %+v", c)
	}
	if c := got["Conditions"]; len(c.Removed) != 1 || !strings.HasPrefix(c.Removed[0], "High blood pressure") {
		t.Errorf("conditions: %+v", c)
	}
	if c := got["Pregnancy"]; c.Before != "Not pregnant" || c.After != "Pregnant, 12 weeks" {
		t.Errorf("pregnancy: %+v", c)
	}
	if len(care.DiffIntakes(&a, &a)) != 0 {
		t.Errorf("an intake differs from itself")
	}
	if first := care.DiffIntakes(nil, &a); len(first) < 8 {
		t.Errorf("a first intake lists %d answers", len(first))
	}
}

func TestBodyChart(t *testing.T) {
	for _, c := range []struct {
		view         string
		x, y         float64
		region, side string
	}{
		{"anterior", 0.5, 0.05, "head", "midline"},
		{"anterior", 0.4, 0.3, "chest", "right"}, // the client's right is on the viewer's left from the front
		{"posterior", 0.4, 0.25, "upper back", "left"},
		{"posterior", 0.6, 0.44, "low back", "right"},
		{"anterior", 0.41, 0.84, "shin", "right"},
		{"posterior", 0.41, 0.84, "calf", "left"},
		{"posterior", 0.5, 0.5, "sacrum", "midline"},
		{"anterior", 0.02, 0.9, "", ""}, // beside the body
	} {
		r, s := care.RegionAt(c.view, c.x, c.y)
		if r != c.region || s != c.side {
			t.Errorf("RegionAt(%s, %v, %v) = %q %q, want %q %q", c.view, c.x, c.y, r, s, c.region, c.side)
		}
	}
	// Every region can be placed, and a placed spot reads back as its region and side.
	for _, region := range care.Regions {
		for _, side := range []string{"left", "right"} {
			spots := care.RegionSpots(region, side)
			if len(spots) != 1 {
				t.Errorf("%s %s: %d spots", region, side, len(spots))
				continue
			}
			r, s := care.RegionAt(spots[0].View, spots[0].X, spots[0].Y)
			if region == "jaw" || region == "breast" {
				continue // drawn within the face and the chest
			}
			if r != region || (s != side && s != "midline") {
				t.Errorf("spot of %s %s reads back as %s %s", region, side, r, s)
			}
		}
	}
	if n := len(care.RegionSpots("knee", "both")); n != 2 {
		t.Errorf("both knees: %d spots", n)
	}
	if n := len(care.RegionSpots("tail", "left")); n != 0 {
		t.Errorf("unknown region placed")
	}
}
