package icd10

import "strings"

// Condition is one of the conditions medical massage treats most, with the
// billable codes that name it (its laterality and encounter variants).
type Condition struct {
	Name  string
	Codes []string
}

// conditions follows the reference table of ../shared/reference/billing.md
// §5 (checked against the FY2022 order file and the FY2026 MS expansion).
var conditions = []Condition{
	{"Chronic neck pain", []string{"M54.2", "G89.29"}},
	{"Low back pain", []string{"M54.50"}},
	{"Tension headache", []string{"G44.209"}},
	{"Fibromyalgia", []string{"M79.7"}},
	{"Sciatica", []string{"M54.30", "M54.31", "M54.32"}},
	{"Carpal tunnel syndrome", []string{"G56.00", "G56.01", "G56.02", "G56.03"}},
	{"Whiplash", []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}},
	{"Muscle strain, neck", []string{"S16.1XXA", "S16.1XXD", "S16.1XXS"}},
	{"Muscle strain, low back", []string{"S39.012A", "S39.012D", "S39.012S"}},
	{"Knee osteoarthritis", []string{"M17.0", "M17.10", "M17.11", "M17.12"}},
	{"Migraine", []string{"G43.909"}},
	{"TMJ disorder", []string{"M26.601", "M26.602", "M26.603", "M26.609"}},
	{"Lymphedema", []string{"I89.0", "I97.2"}},
	{"Thoracic outlet syndrome", []string{"G54.0"}},
	{"Tendinitis", []string{"M77.9"}},
	{"Scoliosis", []string{"M41.9"}},
	{"Multiple sclerosis", []string{"G35.D", "G35.A", "G35.B0", "G35.B1", "G35.B2", "G35.C0", "G35.C1", "G35.C2"}},
	{"Plantar fasciitis", []string{"M72.2"}},
	{"Adhesive capsulitis (frozen shoulder)", []string{"M75.00", "M75.01", "M75.02"}},
	{"Shin splints", []string{"S86.891A", "S86.891D", "S86.891S", "S86.892A", "S86.892D", "S86.892S", "S86.899A", "S86.899D", "S86.899S"}},
	{"Myofascial pain", []string{"M79.18"}},
	{"Bursitis", []string{"M70.60", "M70.61", "M70.62", "M71.9"}},
	{"Rotator cuff injury", []string{"S46.011A", "S46.011D", "S46.011S", "S46.012A", "S46.012D", "S46.012S", "S46.019A", "S46.019D", "S46.019S"}},
	{"Irritable bowel syndrome", []string{"K58.9"}},
	{"Edema", []string{"R60.9", "R60.0"}},
	{"Stroke sequelae", []string{"I69.351", "I69.352", "I69.353", "I69.354", "I69.359"}},
	{"Post-surgical aftercare", []string{"Z47.89", "Z47.1", "Z48.89"}},
	{"Piriformis syndrome", []string{"G57.00", "G57.01", "G57.02", "G57.03"}},
	{"Anxiety", []string{"F41.9"}},
	{"Depression", []string{"F32.A"}},
	{"Postural kyphosis", []string{"M40.04"}},
	{"Repetitive strain", []string{"M70.90"}},
}

// Conditions lists the conditions medical massage treats most with their
// codes, for quick picks on forms.
func Conditions() []Condition {
	out := make([]Condition, len(conditions))
	for i, c := range conditions {
		out[i] = Condition{c.Name, append([]string(nil), c.Codes...)}
	}
	return out
}

// preferred holds the keys of the conditions' codes: they rank first.
var preferred = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range conditions {
		for _, code := range c.Codes {
			m[Key(code)] = true
		}
	}
	return m
}()

// aliases are the words therapists and clients use for a condition that its
// official title does not contain ("whiplash" for S13.4XXA). They are
// searched like words of the title.
var aliases = func() map[string]string {
	m := map[string]string{}
	add := func(words string, codes ...string) {
		for _, c := range codes {
			k := Key(c)
			if m[k] != "" {
				m[k] += " "
			}
			m[k] += words
		}
	}
	add("neck pain", "M54.2")
	add("lumbago lower back pain LBP", "M54.50")
	add("tension headache", "G44.209", "G44.219", "G44.229")
	add("fibromyalgia syndrome FMS", "M79.7")
	add("whiplash neck sprain", "S13.4XXA", "S13.4XXD", "S13.4XXS")
	add("neck strain pulled muscle", "S16.1XXA", "S16.1XXD", "S16.1XXS")
	add("low back strain lumbar strain pulled muscle", "S39.012A", "S39.012D", "S39.012S")
	add("knee osteoarthritis OA arthritis", "M17.0", "M17.10", "M17.11", "M17.12", "M17.9")
	add("migraine headache", "G43.909")
	add("TMJ TMD jaw pain", "M26.601", "M26.602", "M26.603", "M26.609", "M26.60", "M26.62", "M26.63")
	add("lymphoedema swelling", "I89.0")
	add("lymphedema breast cancer swelling", "I97.2")
	add("thoracic outlet syndrome TOS", "G54.0")
	add("tendinitis tendonitis", "M77.9")
	add("MS", "G35", "G35.D", "G35.A", "G35.B0", "G35.B1", "G35.B2", "G35.C0", "G35.C1", "G35.C2")
	add("plantar fasciitis heel pain", "M72.2")
	add("frozen shoulder", "M75.00", "M75.01", "M75.02")
	add("shin splints medial tibial stress syndrome", "S86.891A", "S86.891D", "S86.891S", "S86.892A", "S86.892D", "S86.892S", "S86.899A", "S86.899D", "S86.899S")
	add("myofascial pain syndrome trigger points", "M79.18")
	add("hip bursitis", "M70.60", "M70.61", "M70.62")
	add("bursitis", "M71.9")
	add("rotator cuff injury strain", "S46.011A", "S46.011D", "S46.011S", "S46.012A", "S46.012D", "S46.012S", "S46.019A", "S46.019D", "S46.019S")
	add("IBS", "K58.9", "K58.0", "K58.1", "K58.2", "K58.8")
	add("swelling", "R60.0", "R60.1", "R60.9")
	add("stroke", "I69.351", "I69.352", "I69.353", "I69.354", "I69.359")
	add("post-surgical postoperative rehabilitation", "Z47.89", "Z47.1", "Z48.89")
	add("piriformis syndrome", "G57.00", "G57.01", "G57.02", "G57.03")
	add("postural kyphosis hunchback", "M40.04")
	add("repetitive strain injury RSI overuse", "M70.90")
	add("tennis elbow", "M77.10", "M77.11", "M77.12")
	add("golfer's elbow", "M77.00", "M77.01", "M77.02")
	add("IT band syndrome ITBS", "M76.30", "M76.31", "M76.32")
	add("muscle knots spasm cramp", "M62.830", "M62.831", "M62.838")
	add("sciatic nerve pain", "M54.30", "M54.31", "M54.32")
	for k, v := range m {
		m[k] = strings.ToLower(v)
	}
	return m
}()
