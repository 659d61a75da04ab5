// Package care owns the clinical side of the loop before and during
// treatment: the health-history intake, contraindication screening,
// prescriptions and authorizations. It knows nothing of SQL or HTTP.
package care

// The vocabulary the intake, the screening rules and the pages share. Keys
// are stored; labels are what a client or therapist reads. The condition
// list covers every trigger of the default screening rules
// (../shared/reference/clinical.md §3).

// Condition is a health condition a client can tick on the intake.
type Condition struct {
	Key   string
	Label string // as the client reads it on the intake
	// Group places it in the checklist.
	Group string
}

// Conditions is the intake checklist, in the order shown.
var Conditions = []Condition{
	{"fever", "Fever, flu or another contagious illness right now", "Right now"},
	{"acute_infection", "An infection being treated right now (for example with antibiotics)", "Right now"},
	{"suspected_dvt", "One leg (or arm) hot, swollen, red or painful right now", "Right now"},
	{"acute_injury", "An injury in the last 3 days (sprain, strain, fall, car accident)", "Right now"},
	{"suspected_fracture", "A possible broken bone that has not been checked", "Right now"},
	{"open_wound", "Open wound, burn or rash", "Skin"},
	{"skin_infection", "Skin infection (for example cellulitis, ringworm, impetigo)", "Skin"},
	{"dvt_history", "Blood clot (deep vein thrombosis) or pulmonary embolism", "Heart and circulation"},
	{"bleeding_disorder", "Bleeding disorder or low platelets; bruising easily", "Heart and circulation"},
	{"varicose_veins", "Varicose veins", "Heart and circulation"},
	{"hypertension", "High blood pressure, controlled with treatment", "Heart and circulation"},
	{"hypertension_uncontrolled", "High blood pressure that is not under control", "Heart and circulation"},
	{"aneurysm", "Aneurysm", "Heart and circulation"},
	{"heart_disease", "Heart disease or heart failure", "Heart and circulation"},
	{"cancer_treatment", "Cancer treatment now or in the last year (chemotherapy, radiation, a port)", "Cancer"},
	{"neutropenia", "Low white blood cell count", "Cancer"},
	{"lymph_nodes_removed", "Lymph nodes removed", "Cancer"},
	{"lymphedema", "Lymphedema", "Cancer"},
	{"undiagnosed_lump", "A lump, or pain, that a doctor has not yet looked at", "Cancer"},
	{"osteoporosis", "Osteoporosis or osteopenia", "Bones and joints"},
	{"osteoporosis_severe", "Severe osteoporosis, or a fracture from a minor fall", "Bones and joints"},
	{"rheumatoid_arthritis", "Rheumatoid arthritis or another inflammatory arthritis", "Bones and joints"},
	{"diabetes", "Diabetes", "Nerves and metabolism"},
	{"diabetic_neuropathy", "Numbness or reduced feeling from diabetes (neuropathy)", "Nerves and metabolism"},
	{"epilepsy", "Epilepsy or seizures", "Nerves and metabolism"},
	{"high_risk_pregnancy", "High-risk pregnancy, as told by your doctor or midwife", "Pregnancy"},
	{"preeclampsia", "Preeclampsia (high blood pressure in pregnancy)", "Pregnancy"},
}

// ConditionLabel returns the label of a condition key, or the key itself.
func ConditionLabel(key string) string {
	for _, c := range Conditions {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// MedicationClass groups medications by what matters for massage.
type MedicationClass struct {
	Key, Label string
}

// MedicationClasses lists the classes a client or therapist can choose.
var MedicationClasses = []MedicationClass{
	{"anticoagulant", "Blood thinner (anticoagulant: warfarin, apixaban, rivaroxaban, heparin)"},
	{"antiplatelet", "Antiplatelet (aspirin daily, clopidogrel)"},
	{"corticosteroid", "Corticosteroid (prednisone, cortisone injections)"},
	{"analgesic", "Pain medication (opioids, prescription NSAIDs)"},
	{"muscle_relaxant", "Muscle relaxant (cyclobenzaprine, baclofen, tizanidine)"},
	{"antihypertensive", "Blood pressure medication"},
	{"diabetes", "Diabetes medication (insulin, metformin)"},
	{"chemotherapy", "Chemotherapy or immunotherapy"},
	{"immunosuppressant", "Immunosuppressant"},
	{"antidepressant", "Antidepressant or anti-anxiety medication"},
	{"other", "Other"},
}

// ValidMedicationClass reports whether key is a known class.
func ValidMedicationClass(key string) bool {
	for _, m := range MedicationClasses {
		if m.Key == key {
			return true
		}
	}
	return false
}

// ValidCondition reports whether key is a known condition.
func ValidCondition(key string) bool {
	for _, c := range Conditions {
		if c.Key == key {
			return true
		}
	}
	return false
}

// Regions are the named body regions marks, avoid-local rules and
// "do not treat" areas use. Side is separate (left, right, both, midline).
var Regions = []string{
	"head", "face", "jaw", "neck (anterior)", "neck (posterior)",
	"shoulder", "upper arm", "elbow", "forearm", "wrist", "hand",
	"chest", "breast", "abdomen", "upper back", "mid back", "low back", "sacrum", "gluteal",
	"hip", "groin", "thigh (anterior)", "thigh (posterior)", "knee", "calf", "shin", "ankle", "foot",
}

// Sides for a region.
var Sides = []string{"left", "right", "both", "midline"}
