package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
)

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestDecodeIntakeForm(t *testing.T) {
	v := form(
		"reason", "  Stiff neck\r\nsince May  ", "goals", "Turn my head",
		"conditions", "hypertension", "conditions", "fever", "conditions", "fever",
		"med_0_name", "", "med_0_class", "", "med_0_dose", "", // an empty row is skipped
		"med_3_name", "Warfarin", "med_3_class", "anticoagulant", "med_3_dose", "5 mg",
		"med_7_name", "Aspirin", "med_7_class", "antiplatelet",
		"surgery_2_what", "Knee arthroscopy", "surgery_2_date", "03/2024", "surgery_2_region", "knee", "surgery_2_side", "right",
		"injury_0_what", "Sprain", "injury_0_date", "11/20/2026",
		"mark_0_view", "posterior", "mark_0_x", "0.6", "mark_0_y", "0.44", "mark_0_kind", "pain", "mark_0_intensity", "6",
		"mark_1_region", "knee", "mark_1_side", "left", "mark_1_kind", "stiffness",
		"mark_2_kind", "pain", "mark_2_side", "", // only defaults: blank
		"allergies", "latex", "allergy_notes", "",
		"pregnant", "no", "prior_massage", "yes", "prior_massage_notes", "Swedish",
		"pressure", "firm", "dnt_1_region", "foot", "dnt_1_side", "both",
		"physician_name", "Dr. Okafor", "physician_phone", "512-555-0182", "bp_systolic", "128", "bp_diastolic", "82",
		"signed_name", "Ann Smith", "consent_treatment", "4", // not the intake's: ignored here
	)
	in, f := DecodeIntakeForm(v)
	if len(f) != 0 {
		t.Fatalf("errors: %v", f)
	}
	if in.ReasonForVisit != "Stiff neck\nsince May" || in.Goals != "Turn my head" {
		t.Errorf("text: %q %q", in.ReasonForVisit, in.Goals)
	}
	if !reflect.DeepEqual(in.Conditions, []string{"fever", "hypertension"}) {
		t.Errorf("conditions in checklist order, once: %v", in.Conditions)
	}
	if len(in.Medications) != 2 || in.Medications[0] != (care.Medication{Name: "Warfarin", Class: "anticoagulant", Dose: "5 mg"}) || in.Medications[1].Name != "Aspirin" {
		t.Errorf("medications: %+v", in.Medications)
	}
	if len(in.Surgeries) != 1 || in.Surgeries[0].Date != "2024-03-01" || in.Surgeries[0].Region != "knee" {
		t.Errorf("surgeries: %+v", in.Surgeries)
	}
	if len(in.RecentInjuries) != 1 || in.RecentInjuries[0].Date != "2026-11-20" {
		t.Errorf("injuries: %+v", in.RecentInjuries)
	}
	if len(in.PainAreas) != 2 {
		t.Fatalf("marks: %+v", in.PainAreas)
	}
	if m := in.PainAreas[0]; m.Region != "low back" || m.Side != "right" || m.X != 0.6 || m.Intensity != 6 {
		t.Errorf("tapped mark: %+v", m)
	}
	if m := in.PainAreas[1]; m.Region != "knee" || m.Side != "left" || m.View != "anterior" || m.X <= 0.5 || m.Kind != "stiffness" {
		t.Errorf("listed mark placed on the figure: %+v", m)
	}
	if !in.PriorMassage || in.PriorMassageNotes != "Swedish" || in.Pregnant || in.PressurePreference != "firm" {
		t.Errorf("answers: %+v", in)
	}
	if len(in.DoNotTreat) != 1 || in.DoNotTreat[0] != (care.Area{Region: "foot", Side: "both"}) {
		t.Errorf("do not treat: %+v", in.DoNotTreat)
	}
	if in.BPSystolic != 128 || in.BPDiastolic != 82 || in.PhysicianPhone != "512-555-0182" {
		t.Errorf("physician, blood pressure: %+v", in)
	}
}

func TestDecodeIntakeFormErrors(t *testing.T) {
	base := func() url.Values { return form("reason", "Sore back") }
	for _, c := range []struct {
		name  string
		kv    []string
		field string
	}{
		{"no reason", []string{"reason", ""}, "reason"},
		{"unknown condition", []string{"conditions", "gout"}, "conditions"},
		{"unknown allergy", []string{"allergies", "cats"}, "allergies"},
		{"medication without name", []string{"med_0_class", "analgesic"}, "med_0_name"},
		{"medication without class", []string{"med_0_name", "Tylenol"}, "med_0_class"},
		{"second row's error numbered after compaction", []string{"med_0_name", "A", "med_0_class", "other", "med_5_name", "B"}, "med_1_class"},
		{"surgery without date", []string{"surgery_0_what", "Appendix"}, "surgery_0_date"},
		{"surgery bad date", []string{"surgery_0_what", "Appendix", "surgery_0_date", "last spring"}, "surgery_0_date"},
		{"surgery without what", []string{"surgery_0_date", "2020-01-01"}, "surgery_0_what"},
		{"injury bad date", []string{"injury_0_what", "Fall", "injury_0_date", "13/40/2026"}, "injury_0_date"},
		{"mark off the figure", []string{"mark_0_view", "anterior", "mark_0_x", "0.01", "mark_0_y", "0.9"}, "mark_0_region"},
		{"mark x not a number", []string{"mark_0_view", "anterior", "mark_0_x", "NaN", "mark_0_y", "0.5"}, "mark_0_region"},
		{"mark x out of range", []string{"mark_0_view", "anterior", "mark_0_x", "7", "mark_0_y", "0.5"}, "mark_0_region"},
		{"mark note without area", []string{"mark_0_note", "hurts"}, "mark_0_region"},
		{"mark intensity 12", []string{"mark_0_region", "knee", "mark_0_intensity", "12"}, "mark_0_intensity"},
		{"mark intensity words", []string{"mark_0_region", "knee", "mark_0_intensity", "a lot"}, "mark_0_intensity"},
		{"pregnant maybe", []string{"pregnant", "maybe"}, "pregnant"},
		{"weeks not a number", []string{"pregnant", "yes", "pregnancy_weeks", "ten"}, "pregnancy_weeks"},
		{"weeks but not pregnant", []string{"pregnant", "no", "pregnancy_weeks", "10"}, "pregnancy_weeks"},
		{"pressure unknown", []string{"pressure", "max"}, "pressure"},
		{"blood pressure half", []string{"bp_systolic", "120"}, "bp_diastolic"},
		{"blood pressure words", []string{"bp_systolic", "high", "bp_diastolic", "80"}, "bp_systolic"},
		{"do-not-treat unknown region", []string{"dnt_0_region", "soul"}, "dnt_0_region"},
		{"invalid UTF-8", []string{"goals", "\xff\xfe"}, "goals"},
		{"very long", []string{"goals", strings.Repeat("x", 5000)}, "goals"},
	} {
		v := base()
		for i := 0; i+1 < len(c.kv); i += 2 {
			v.Set(c.kv[i], c.kv[i+1])
		}
		_, f := DecodeIntakeForm(v)
		if f[c.field] == "" {
			t.Errorf("%s: errors %v, want one on %s", c.name, f, c.field)
		}
	}
	// Too many rows.
	v := base()
	for i := range 31 {
		v.Set(care.RowField("med", i, "name"), "x")
		v.Set(care.RowField("med", i, "class"), "other")
	}
	if _, f := DecodeIntakeForm(v); f["medications"] == "" {
		t.Errorf("31 medications accepted")
	}
}

// FuzzDecodeIntakeForm posts arbitrary form bodies: decoding never panics,
// and an intake it accepts passes the intake's own checks and decodes to
// the same intake when posted again.
func FuzzDecodeIntakeForm(f *testing.F) {
	f.Add("reason=Sore+back&med_0_name=Warfarin&med_0_class=anticoagulant")
	f.Add("reason=x&mark_0_view=anterior&mark_0_x=0.5&mark_0_y=0.05&mark_1_region=knee&mark_1_side=both")
	f.Add("reason=x&surgery_0_what=a&surgery_0_date=03%2F2024&injury_9_what=b&injury_9_date=2026-01-01")
	f.Add("reason=x&conditions=fever&conditions=fever&allergies=other&allergy_notes=cats&pregnant=yes&pregnancy_weeks=12")
	f.Add("reason=x&bp_systolic=120&bp_diastolic=80&pressure=light&dnt_0_region=foot&prior_massage=yes")
	f.Add("med_0000_name=x&med_-1_name=y&med_1e3_name=z&mark_0_x=1e-300&mark_0_y=-0")
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, errs := DecodeIntakeForm(v)
		if len(errs) > 0 {
			return
		}
		if f := in.Check(); len(f) > 0 {
			t.Fatalf("accepted an intake its own check refuses: %v", f)
		}
		again, errs := DecodeIntakeForm(IntakeFormValues(in))
		if len(errs) > 0 {
			t.Fatalf("re-posting an accepted intake: %v", errs)
		}
		a, _ := care.SignedBytes(&in, nil)
		b, _ := care.SignedBytes(&again, nil)
		if string(a) != string(b) {
			t.Fatalf("re-posting changes the intake:\n%s\n%s", a, b)
		}
	})
}
