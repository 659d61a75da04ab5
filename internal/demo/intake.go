package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
)

// The demo clinic's consent documents and health histories. The histories
// are chosen so that, across the clients, every level of the screening
// rules is met (fever, clots, blood thinners, recent surgery, cancer
// treatment, pregnancy, blood pressure, wounds, injuries, …) beside
// ordinary clients with nothing to flag.

func init() {
	Register(Seeder{Name: "intake", Order: 20, Seed: seedIntakes})
}

// demoConsents are the demo clinic's own texts, written for the
// demonstration: a real clinic writes its own under Consent documents.
var demoConsents = []care.ConsentDocument{
	{Kind: care.ConsentTreatment, Title: "Consent to treatment", Body: `This is Riverside Medical Massage's own consent text, written for the Fascia demonstration.

I am asking for massage therapy to help with the concerns I described in my health history. Massage therapy is not a substitute for medical care, and my therapist does not diagnose illness or prescribe medicine.

I have told the clinic about my health conditions, medications and injuries as fully as I can, and I will tell my therapist when anything changes. I understand my therapist may change the pressure, the areas treated or my position on the table, or ask for my physician's clearance, because of what I have told them.

I can ask my therapist to change the pressure or to stop at any time, and I can say which areas I do not want treated. Draping is used at all times.`},
	{Kind: care.ConsentPrivacy, Title: "Privacy notice", Body: `This is Riverside Medical Massage's own privacy text, written for the Fascia demonstration.

We keep your health history, treatment notes and billing records to treat you safely and to be paid for your care. Only our staff who need them see them, and every time someone opens your record it is logged.

We share your information with your insurer when we bill them for you, with your physician when you ask us to or when your care requires it, and otherwise only when the law requires us to.

You may ask to see your records, to have a copy, or to correct something that is wrong. Ask at the front desk.`},
	{Kind: care.ConsentCancellation, Title: "Cancellation and financial policy", Body: `This is Riverside Medical Massage's own policy text, written for the Fascia demonstration.

Please give us 24 hours' notice if you need to cancel or move an appointment. Appointments cancelled later, or missed, may be charged at half the session fee, except in an emergency.

Payment is due at the time of your visit. When we bill your insurance for you, you pay your copay or coinsurance at the visit and any balance your insurer does not pay.

If your plan needs a prescription or an authorization for massage therapy, please bring it before your first visit; we will help you check.`},
}

// demoIntake is one client's health history in the demo: which client
// (by the needs of the story), when it was signed, and whether a
// therapist has reviewed it yet.
type demoIntake struct {
	want     func(c clinic.Client, age int) bool // which client fits, nil for anyone
	daysAgo  int
	reviewed bool
	intake   func(today time.Time) care.Intake
	// then, if set, is a later version signed thenDaysAgo days ago.
	then        func(today time.Time) care.Intake
	thenDaysAgo int
}

func day(today time.Time, daysAgo int) string {
	return today.AddDate(0, 0, -daysAgo).Format(clinic.DateLayout)
}

func mark(region, side, kind string, intensity int) care.Mark {
	m := care.Mark{Region: region, Side: side, Kind: kind, Intensity: intensity}
	if s := care.RegionSpots(region, side); len(s) > 0 {
		m.View, m.X, m.Y = s[0].View, s[0].X, s[0].Y
	}
	return m
}

func female(minAge, maxAge int) func(c clinic.Client, age int) bool {
	return func(c clinic.Client, age int) bool {
		return c.Sex == clinic.SexFemale && age >= minAge && age <= maxAge
	}
}

func olderThan(n int) func(c clinic.Client, age int) bool {
	return func(c clinic.Client, age int) bool { return age >= n }
}

var demoIntakes = []demoIntake{
	{daysAgo: 1, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Aching all over; I have had a fever and chills since yesterday.", Conditions: []string{"fever"},
			PainAreas: []care.Mark{mark("upper back", "both", "pain", 4)}, PressurePreference: "light"}
	}},
	{daysAgo: 0, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "My left calf has been hot, swollen and sore for two days after a long flight.", Conditions: []string{"suspected_dvt"},
			PainAreas: []care.Mark{mark("calf", "left", "pain", 6)}, PressurePreference: "medium"}
	}},
	{daysAgo: 40, reviewed: true, want: olderThan(35), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Tight shoulders and neck.", Goals: "Move my neck freely when driving.",
			Conditions: []string{"dvt_history"}, ConditionNotes: "Blood clot in my right leg two years ago, treated.",
			Medications:        []care.Medication{{Name: "Apixaban", Class: "anticoagulant", Dose: "5 mg twice a day"}},
			PainAreas:          []care.Mark{mark("neck (posterior)", "both", "stiffness", 5), mark("shoulder", "both", "pain", 4)},
			PressurePreference: "medium", PhysicianName: "Dr. Helen Okafor", PhysicianPhone: "512-555-0182"}
	}},
	{daysAgo: 25, reviewed: true, want: olderThan(55), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Low back pain after gardening.", ConditionNotes: "Atrial fibrillation, on a blood thinner.",
			Conditions:         []string{"heart_disease"},
			Medications:        []care.Medication{{Name: "Rivaroxaban", Class: "anticoagulant", Dose: "20 mg daily"}, {Name: "Metoprolol", Class: "antihypertensive", Dose: "50 mg"}},
			PainAreas:          []care.Mark{mark("low back", "both", "pain", 6)},
			PressurePreference: "light", PriorMassage: true, PriorMassageNotes: "Swedish massage a few times; liked it."}
	}},
	{daysAgo: 2, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Stiffness around my right knee after surgery.", Goals: "Walk without limping.",
			Surgeries:          []care.Surgery{{What: "Knee arthroscopy (meniscus repair)", Date: day(t, 21), Region: "knee", Side: "right"}},
			PainAreas:          []care.Mark{mark("knee", "right", "stiffness", 5), mark("thigh (anterior)", "right", "pain", 3)},
			Medications:        []care.Medication{{Name: "Ibuprofen", Class: "analgesic", Dose: "600 mg as needed"}},
			PressurePreference: "medium", PhysicianName: "Dr. Raj Mehta (orthopedics)", PhysicianPhone: "512-555-0145"}
	}},
	{daysAgo: 30, reviewed: true, want: olderThan(40), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Fatigue and aching during chemotherapy; my oncologist suggested gentle massage.",
			Conditions:         []string{"cancer_treatment"},
			Medications:        []care.Medication{{Name: "Paclitaxel", Class: "chemotherapy", Dose: "every 3 weeks"}},
			ImplantedDevices:   "Chemotherapy port, right upper chest",
			PainAreas:          []care.Mark{mark("upper back", "both", "pain", 3), mark("foot", "both", "numbness", 4)},
			PressurePreference: "light", DoNotTreat: []care.Area{{Region: "chest", Side: "right"}}}
	}},
	{daysAgo: 60, reviewed: true, want: female(35, 80), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Tightness across my chest and left shoulder since my mastectomy.",
			Conditions:         []string{"lymph_nodes_removed"},
			Surgeries:          []care.Surgery{{What: "Left mastectomy with lymph node removal", Date: day(t, 2*365), Region: "breast", Side: "left"}},
			PainAreas:          []care.Mark{mark("shoulder", "left", "stiffness", 5), mark("upper arm", "left", "numbness", 2)},
			PressurePreference: "light", PriorMassage: true}
	}},
	{daysAgo: 5, reviewed: true, want: female(22, 42), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Low back ache and tension headaches; I am 10 weeks pregnant.",
			Pregnant: true, PregnancyWeeks: 10,
			PainAreas:          []care.Mark{mark("low back", "midline", "pain", 4), mark("head", "", "pain", 3)},
			PressurePreference: "medium", PhysicianName: "Laura Kim, CNM", PhysicianPhone: "512-555-0121"}
	}},
	{daysAgo: 8, want: female(22, 42), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Hip and back pain in pregnancy (28 weeks).", Pregnant: true, PregnancyWeeks: 28,
			Conditions: []string{"high_risk_pregnancy"}, ConditionNotes: "Twins; my obstetrician monitors me every two weeks.",
			PainAreas:          []care.Mark{mark("hip", "both", "pain", 6), mark("low back", "both", "pain", 5)},
			PressurePreference: "light", PhysicianName: "Dr. Ana Ruiz (obstetrics)", PhysicianPhone: "512-555-0177"}
	}},
	{daysAgo: 70, reviewed: true, want: olderThan(60), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Upper back stiffness and poor posture.", Conditions: []string{"osteoporosis"},
			Medications:        []care.Medication{{Name: "Alendronate", Class: "other", Dose: "weekly"}},
			PainAreas:          []care.Mark{mark("upper back", "midline", "stiffness", 5)},
			PressurePreference: "light"}
	}},
	{daysAgo: 45, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Tired, heavy legs after standing at work all day.", Conditions: []string{"varicose_veins"},
			PainAreas:          []care.Mark{mark("calf", "both", "pain", 4)},
			PressurePreference: "medium", DoNotTreat: []care.Area{{Region: "calf", Side: "both"}}}
	}},
	{daysAgo: 3, want: olderThan(45), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Neck tension and headaches.", Conditions: []string{"hypertension_uncontrolled"},
			ConditionNotes: "My blood pressure has been high even on medication; seeing my doctor next week.",
			Medications:    []care.Medication{{Name: "Lisinopril", Class: "antihypertensive", Dose: "20 mg"}},
			PainAreas:      []care.Mark{mark("neck (posterior)", "midline", "pain", 5)}, BPSystolic: 182, BPDiastolic: 112,
			PressurePreference: "medium"}
	}},
	{daysAgo: 90, reviewed: true, want: olderThan(45), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Golf season: stiff low back and right shoulder.", Conditions: []string{"hypertension"},
			Medications: []care.Medication{{Name: "Amlodipine", Class: "antihypertensive", Dose: "5 mg"}},
			PainAreas:   []care.Mark{mark("low back", "right", "stiffness", 4), mark("shoulder", "right", "pain", 3)},
			BPSystolic:  128, BPDiastolic: 82, PressurePreference: "firm", PriorMassage: true, PriorMassageNotes: "Sports massage every month."}
	}},
	{daysAgo: 4, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Sore forearms from climbing.", Conditions: []string{"open_wound"},
			ConditionNotes: "A healing burn on my left forearm from cooking.",
			PainAreas:      []care.Mark{mark("forearm", "both", "pain", 5)},
			DoNotTreat:     []care.Area{{Region: "forearm", Side: "left"}}, PressurePreference: "firm"}
	}},
	{daysAgo: 0, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Twisted my right ankle playing soccer yesterday; my back is sore too.", Conditions: []string{"acute_injury"},
			RecentInjuries:     []care.Injury{{What: "Ankle sprain", Date: day(t, 1), Region: "ankle", Side: "right"}},
			PainAreas:          []care.Mark{mark("ankle", "right", "pain", 7), mark("mid back", "midline", "pain", 3)},
			PressurePreference: "medium"}
	}},
	{daysAgo: 50, reviewed: true, want: olderThan(60), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Stiff neck and shoulders.", Conditions: []string{"aneurysm"},
			ConditionNotes: "Small abdominal aortic aneurysm, watched by my cardiologist.",
			PainAreas:      []care.Mark{mark("neck (posterior)", "both", "stiffness", 4)},
			DoNotTreat:     []care.Area{{Region: "abdomen", Side: "midline"}}, PressurePreference: "light"}
	}},
	{daysAgo: 14, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Upper back knots.", Conditions: []string{"undiagnosed_lump"},
			ConditionNotes: "A small lump under the skin near my right shoulder blade, not checked yet.",
			PainAreas:      []care.Mark{mark("upper back", "right", "pain", 4)}, PressurePreference: "medium"}
	}},
	{daysAgo: 35, reviewed: true, want: olderThan(45), intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Cramping calves and sore feet.", Conditions: []string{"diabetes", "diabetic_neuropathy"},
			Medications:        []care.Medication{{Name: "Metformin", Class: "diabetes", Dose: "1000 mg"}, {Name: "Insulin glargine", Class: "diabetes", Dose: "20 units nightly"}},
			PainAreas:          []care.Mark{mark("foot", "both", "numbness", 5), mark("calf", "both", "pain", 4)},
			PressurePreference: "light"}
	}},
	{daysAgo: 20, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Back spasms since moving house.",
			Medications:        []care.Medication{{Name: "Cyclobenzaprine", Class: "muscle_relaxant", Dose: "10 mg at night"}},
			PainAreas:          []care.Mark{mark("low back", "both", "pain", 7), mark("gluteal", "left", "pain", 4)},
			PressurePreference: "medium"}
	}},
	// Ordinary clients with nothing to flag.
	{daysAgo: 75, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Neck and shoulder tension from desk work.", Goals: "Fewer headaches at the end of the day.",
			PainAreas:          []care.Mark{mark("neck (posterior)", "both", "stiffness", 5), mark("shoulder", "right", "pain", 4)},
			PressurePreference: "firm", PriorMassage: true, PriorMassageNotes: "Deep tissue; prefers firm pressure."}
	}},
	{daysAgo: 110, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Training for a marathon; tight calves and hamstrings.",
			PainAreas: []care.Mark{mark("calf", "both", "stiffness", 4), mark("thigh (posterior)", "both", "stiffness", 3)},
			Allergies: []string{"nuts"}, AllergyNotes: "Almond oil gives me a rash.", PressurePreference: "firm"}
	}},
	{daysAgo: 130, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Relaxation and stress relief.", Allergies: []string{"fragrance"},
			AllergyNotes: "Strong scents give me headaches; unscented lotion please.", PressurePreference: "light",
			DoNotTreat: []care.Area{{Region: "foot", Side: "both"}}}
	}},
	{daysAgo: 15, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Jaw clenching and headaches.",
			PainAreas: []care.Mark{mark("jaw", "both", "pain", 5), mark("head", "", "pain", 4)},
			Allergies: []string{"latex"}, PressurePreference: "medium", PriorMassage: true}
	}},
	// Two versions: the update (a new blood thinner, a new operation) is not reviewed yet.
	{daysAgo: 150, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Chronic low back pain.", PainAreas: []care.Mark{mark("low back", "both", "pain", 5)},
			PressurePreference: "medium", PhysicianName: "Dr. Sam Patel", PhysicianPhone: "737-555-0163"}
	}, thenDaysAgo: 6, then: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Chronic low back pain, worse since my hip operation.",
			PainAreas:          []care.Mark{mark("low back", "both", "pain", 6), mark("hip", "left", "pain", 5)},
			Surgeries:          []care.Surgery{{What: "Left hip replacement", Date: day(t, 90), Region: "hip", Side: "left"}},
			ImplantedDevices:   "Left hip replacement",
			Medications:        []care.Medication{{Name: "Aspirin", Class: "antiplatelet", Dose: "81 mg daily"}},
			PressurePreference: "light", PhysicianName: "Dr. Sam Patel", PhysicianPhone: "737-555-0163"}
	}},
	// More than a year old: the clinic asks for yearly updates.
	{daysAgo: 400, reviewed: true, intake: func(t time.Time) care.Intake {
		return care.Intake{ReasonForVisit: "Occasional upper back tightness.", PainAreas: []care.Mark{mark("upper back", "both", "stiffness", 3)},
			PressurePreference: "medium", PriorMassage: true}
	}},
}

func seedIntakes(ctx context.Context, env *SeedEnv) error {
	a := env.App
	for _, d := range demoConsents {
		d := d
		if err := a.SaveConsent(ctx, env.Owner, &d); err != nil {
			return err
		}
	}
	if err := a.SaveIntakeSettings(ctx, env.Owner, store.IntakeSettings{LinkDays: store.DefaultLinkDays, YearlyUpdate: true}); err != nil {
		return err
	}
	// A therapist of each client's location reviews.
	reviewers := map[int64]*auth.Actor{}
	for _, u := range env.Users {
		if u.Role != clinic.RoleTherapist {
			continue
		}
		for _, l := range u.LocationIDs {
			if reviewers[l] == nil || len(u.LocationIDs) < len(reviewers[l].User.LocationIDs) {
				reviewers[l] = &auth.Actor{User: u, Org: env.Org, IP: "127.0.0.1", Via: "web"}
			}
		}
	}
	used := map[int64]bool{}
	pick := func(want func(c clinic.Client, age int) bool) (clinic.Client, bool) {
		// Every other client, so both locations and both ends of the alphabet get some.
		for pass := 0; pass < 2; pass++ {
			for i, c := range env.Clients {
				if used[c.ID] || (pass == 0 && i%3 == 2) {
					continue
				}
				if want == nil || want(c, c.Age(env.Today)) {
					used[c.ID] = true
					return c, true
				}
			}
		}
		return clinic.Client{}, false
	}
	for i, d := range demoIntakes {
		c, ok := pick(d.want)
		if !ok {
			continue // a clinic without such a client: nothing to show there
		}
		sign := func(in care.Intake, daysAgo int) error {
			at := env.Today.Add(-time.Duration(daysAgo)*24*time.Hour - time.Duration(2+i%6)*time.Hour)
			sig := care.Signature{Kind: "typed", Name: c.FirstName + " " + c.LastName}
			_, err := a.ImportIntake(ctx, env.Owner, c.ID, in, sig, at)
			return err
		}
		if err := sign(d.intake(env.Today), d.daysAgo); err != nil {
			return fmt.Errorf("intake %d: %w", i, err)
		}
		if d.then != nil {
			if d.reviewed {
				if err := a.ReviewIntake(ctx, reviewers[c.PreferredLocationID], c.ID, 1); err != nil {
					return err
				}
			}
			if err := sign(d.then(env.Today), d.thenDaysAgo); err != nil {
				return fmt.Errorf("intake %d, second version: %w", i, err)
			}
			continue
		}
		if d.reviewed {
			if err := a.ReviewIntake(ctx, reviewers[c.PreferredLocationID], c.ID, 1); err != nil {
				return err
			}
		}
	}
	return nil
}
