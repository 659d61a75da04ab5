package assess

// Region is a named area of the body chart at the level a massage
// therapist palpates and treats: mostly muscles and muscle groups, with the
// joints and landmarks findings are charted on. Sided regions take a side
// (left, right, bilateral); the others are midline.
type Region struct {
	Key   string
	Name  string
	Views []string // the figures it can be marked on (keys of Views)
	Sided bool
}

// Regions is the region list, head to foot. Keys are stored: never rename
// one. The body chart (bodychart.go) places each on its figures.
var Regions = []Region{
	// Head and neck.
	{"cranium", "scalp and cranium", []string{"anterior", "posterior", "lateral"}, false},
	{"frontalis", "frontalis", []string{"anterior", "lateral"}, false},
	{"temporalis", "temporalis", []string{"anterior", "lateral"}, true},
	{"masseter", "masseter", []string{"anterior", "lateral"}, true},
	{"tmj", "temporomandibular joint", []string{"anterior", "lateral"}, true},
	{"suboccipitals", "suboccipitals", []string{"posterior", "lateral"}, true},
	{"sternocleidomastoid", "sternocleidomastoid", []string{"anterior", "lateral"}, true},
	{"scalenes", "scalenes", []string{"anterior", "lateral"}, true},
	{"cervical_paraspinals", "cervical paraspinals", []string{"posterior", "lateral"}, true},
	{"levator_scapulae", "levator scapulae", []string{"posterior", "lateral"}, true},
	{"upper_trapezius", "upper trapezius", []string{"anterior", "posterior", "lateral"}, true},
	// Shoulder girdle and upper back.
	{"middle_trapezius", "middle trapezius", []string{"posterior"}, true},
	{"lower_trapezius", "lower trapezius", []string{"posterior"}, true},
	{"rhomboids", "rhomboids", []string{"posterior"}, true},
	{"supraspinatus", "supraspinatus", []string{"posterior"}, true},
	{"infraspinatus", "infraspinatus", []string{"posterior"}, true},
	{"teres", "teres major and minor", []string{"posterior"}, true},
	{"latissimus_dorsi", "latissimus dorsi", []string{"posterior"}, true},
	{"deltoid", "deltoid", []string{"anterior", "posterior"}, true},
	{"pectoralis_major", "pectoralis major", []string{"anterior"}, true},
	{"pectoralis_minor", "pectoralis minor", []string{"anterior"}, true},
	{"serratus_anterior", "serratus anterior", []string{"anterior"}, true},
	{"thoracic_paraspinals", "thoracic paraspinals", []string{"posterior"}, true},
	// Arm and hand.
	{"biceps", "biceps brachii", []string{"anterior"}, true},
	{"triceps", "triceps brachii", []string{"posterior"}, true},
	{"elbow", "elbow", []string{"anterior", "posterior"}, true},
	{"forearm_flexors", "forearm flexors", []string{"anterior"}, true},
	{"forearm_extensors", "forearm extensors", []string{"posterior"}, true},
	{"wrist", "wrist and carpal tunnel", []string{"anterior", "posterior"}, true},
	{"thenar", "thenar eminence", []string{"anterior"}, true},
	{"hand", "hand and fingers", []string{"anterior", "posterior"}, true},
	// Trunk.
	{"abdominals", "abdominals", []string{"anterior"}, false},
	{"lumbar_paraspinals", "lumbar paraspinals", []string{"posterior"}, true},
	{"quadratus_lumborum", "quadratus lumborum", []string{"posterior"}, true},
	{"sacroiliac", "sacroiliac joint", []string{"posterior"}, true},
	{"sacrum", "sacrum", []string{"posterior"}, false},
	// Hip and thigh.
	{"iliopsoas", "iliopsoas (hip flexors)", []string{"anterior"}, true},
	{"tfl", "tensor fasciae latae", []string{"anterior"}, true},
	{"gluteus_maximus", "gluteus maximus", []string{"posterior"}, true},
	{"gluteus_medius", "gluteus medius and minimus", []string{"posterior"}, true},
	{"piriformis", "piriformis and deep rotators", []string{"posterior"}, true},
	{"adductors", "hip adductors", []string{"anterior"}, true},
	{"quadriceps", "quadriceps", []string{"anterior"}, true},
	{"it_band", "iliotibial band", []string{"anterior", "posterior"}, true},
	{"hamstrings", "hamstrings", []string{"posterior"}, true},
	// Knee, leg and foot.
	{"knee", "knee", []string{"anterior", "posterior"}, true},
	{"tibialis_anterior", "tibialis anterior", []string{"anterior"}, true},
	{"peroneals", "fibularis (peroneals)", []string{"anterior"}, true},
	{"gastrocnemius", "gastrocnemius", []string{"posterior"}, true},
	{"soleus", "soleus", []string{"posterior"}, true},
	{"achilles", "Achilles tendon", []string{"posterior"}, true},
	{"ankle", "ankle", []string{"anterior", "posterior"}, true},
	{"foot", "foot (dorsum)", []string{"anterior"}, true},
	{"plantar_fascia", "plantar fascia", []string{"posterior"}, true},
}

// Sides of a mark or measurement.
var Sides = []string{"left", "right", "bilateral", "midline"}

var regionIndex = func() map[string]int {
	m := make(map[string]int, len(Regions))
	for i, r := range Regions {
		m[r.Key] = i
	}
	return m
}()

// RegionByKey returns the region of key.
func RegionByKey(key string) (Region, bool) {
	i, ok := regionIndex[key]
	if !ok {
		return Region{}, false
	}
	return Regions[i], true
}

// RegionLabel names a region with its side, as the chart and the PDFs show
// it: "upper trapezius, left". An unknown key is shown as it is.
func RegionLabel(key, side string) string {
	name := key
	if r, ok := RegionByKey(key); ok {
		name = r.Name
	}
	if side == "" || side == "midline" {
		return name
	}
	return name + ", " + side
}
