package care

import "strings"

// The intake form's own vocabulary, beside the shared one in vocab.go.

// Allergy is a sensitivity the intake asks about by name.
type Allergy struct{ Key, Label string }

// AllergyKinds lists the sensitivities the intake asks about, in the order shown.
var AllergyKinds = []Allergy{
	{"oils", "Massage oils or lotions"},
	{"nuts", "Nuts or nut oils (almond, coconut, peanut)"},
	{"latex", "Latex (gloves)"},
	{"fragrance", "Fragrance or essential oils"},
	{"other", "Something else (describe below)"},
}

// AllergyLabel returns the label of an allergy key, or the key itself.
func AllergyLabel(key string) string {
	for _, a := range AllergyKinds {
		if a.Key == key {
			return a.Label
		}
	}
	return key
}

// Pressure preferences, lightest first. "" means the client is not sure.
var Pressures = []struct{ Key, Label string }{
	{"light", "Light"},
	{"medium", "Medium"},
	{"firm", "Firm"},
}

// PressureLabel returns the label of a pressure key ("Not sure" for "").
func PressureLabel(key string) string {
	for _, p := range Pressures {
		if p.Key == key {
			return p.Label
		}
	}
	if key == "" {
		return "Not sure"
	}
	return key
}

// MarkKinds are what a mark on the body outline can say.
var MarkKinds = []struct{ Key, Label string }{
	{"pain", "Pain"},
	{"stiffness", "Stiffness or tightness"},
	{"numbness", "Numbness or tingling"},
}

// MarkKindLabel returns the label of a mark kind.
func MarkKindLabel(key string) string {
	for _, k := range MarkKinds {
		if k.Key == key {
			return k.Label
		}
	}
	return key
}

// MedicationClassLabel returns the label of a medication class key.
func MedicationClassLabel(key string) string {
	for _, m := range MedicationClasses {
		if m.Key == key {
			return m.Label
		}
	}
	return key
}

// MedicationClassShort is a class's label without its examples: "Antiplatelet".
func MedicationClassShort(key string) string {
	l := MedicationClassLabel(key)
	if i := strings.Index(l, " ("); i > 0 {
		return l[:i]
	}
	return l
}

// ValidRegion reports whether r is one of Regions.
func ValidRegion(r string) bool {
	for _, x := range Regions {
		if x == r {
			return true
		}
	}
	return false
}

// ValidSide reports whether s is one of Sides.
func ValidSide(s string) bool {
	for _, x := range Sides {
		if x == s {
			return true
		}
	}
	return false
}

// AreaLabel is how a region and side read together: "knee (left)".
func AreaLabel(region, side string) string {
	if side == "" {
		return region
	}
	return region + " (" + side + ")"
}

// Limits on what one intake may hold; the form offers no more rows than these.
const (
	MaxMarks       = 30
	MaxMedications = 30
	MaxSurgeries   = 15
	MaxInjuries    = 15
	MaxDoNotTreat  = 15
	MaxShortText   = 200
	MaxLongText    = 2000
)
